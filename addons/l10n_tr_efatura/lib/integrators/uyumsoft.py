"""Uyumsoft adapter (WCF "Integration" service, WS-Security UsernameToken PasswordText).

One service covers e-Fatura and e-Arşiv. The UBL travels as typed XML inside
``InvoiceInfo/Invoice`` (the children of our ``Invoice`` root), with ``TargetCustomer``
for e-Fatura and ``EArchiveInvoiceInfo`` (delivery type, internet-sale info) for e-Arşiv.
Business errors come back as ``IsSucceded="false"`` + ``Message``.

Batches go through ``CompressedSendInvoice(data: BinaryRequestData {Data, Hash})``: ``Data``
is a zip archive with one ``<ETTN>.xml`` entry per document, each entry an ``InvoiceInfo``
element shaped like SendInvoice's (attributes and children unqualified) whose ``Invoice``
child is the UBL document itself; ``Hash`` is the MD5 hex digest of the base64 text of
``Data`` (as in Uyumsoft's public integration samples). The answer is SendInvoice's.
"""

import base64
import datetime
import hashlib
import io
import zipfile

from lxml import etree
from zeep.wsse.username import UsernameToken

from .base import (
    AuthenticationError,
    DocumentRejected,
    DuplicateDocument,
    InboxPage,
    IncomingDocument,
    IntegratorError,
    OutgoingDocument,
    Provider,
    SendResult,
    StatusResult,
    UserInfo,
    pick_default_alias,
)
from .soap import SoapService

# Uyumsoft outgoing status names -> our state (e-Fatura); final ones stop polling
EFATURA_STATES = {
    "NotPrepared": "processing",
    "NotSend": "processing",
    "Draft": "processing",
    "Queued": "processing",
    "Processing": "processing",
    "SentToGib": "accepted",
    "WaitingForAprovement": "delivered",
    "Approved": "delivered",
    "Declined": "rejected",
    "Return": "rejected",
    "Canceled": "cancelled",
    "EArchivedCanceled": "cancelled",
    "Error": "error",
}
FINAL = {"Approved", "Declined", "Return", "Canceled", "EArchivedCanceled", "Error"}
DUPLICATE_MARKERS = ("mükerrer", "daha önce gönderil", "already exists", "duplicate")
REJECTION_MARKERS = ("şematron", "schematron", "şema", "schema", "senaryo", "doğrulama")
SEND_OPERATIONS = ("SendInvoice", "CompressedSendInvoice")
INFO_ORDER = ("TargetCustomer", "EArchiveInvoiceInfo", "Scenario", "Notification")
AUTH_FAULTS = ("InvalidSecurity", "FailedAuthentication")


def map_status(status, earchive=False):
    """(state, final) for an Uyumsoft status name."""
    state = EFATURA_STATES.get(status or "", "processing")
    if earchive and status == "Approved":
        state = "accepted"  # e-Arşiv: accepted = archived and reported to GİB
    return state, status in FINAL


class UyumsoftProvider(Provider):
    code = "uyumsoft"
    name = "Uyumsoft"
    max_batch = 50
    DEFAULT_URLS = {
        "test": {"integration": "https://efatura-test.uyumsoft.com.tr/Services/Integration?wsdl"},
        "production": {"integration": "https://edonusumapi.uyum.com.tr/services/Integration?wsdl"},
    }
    URL_KEYS = ("integration",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._soap = None

    # --- plumbing ---------------------------------------------------------------------
    @property
    def soap(self):
        if self._soap is None:
            self._soap = SoapService(
                self.urls["integration"],
                self.timeout,
                self.logger,
                self._fault,
                wsse=UsernameToken(self.username, self.password),
                redactor=redact_envelope,
            )
        return self._soap

    @staticmethod
    def _fault(fault, operation):
        code = str(fault.code or "")
        if any(marker in code for marker in AUTH_FAULTS):
            return AuthenticationError(fault.message, code.split(":")[-1], operation)
        return IntegratorError(fault.message or "SOAP fault", code or "FAULT", operation)

    def _call(self, operation, **kwargs):
        result = self.soap.call(operation, **kwargs)
        if result is None:
            raise IntegratorError(f"{operation}: empty answer", "EMPTY", operation)
        if not result.IsSucceded:
            message = result.Message or f"{operation} failed"
            lower = message.lower()
            if any(marker in lower for marker in DUPLICATE_MARKERS):
                raise DuplicateDocument(message, "DUPLICATE", operation)
            if operation in SEND_OPERATIONS and any(m in lower for m in REJECTION_MARKERS):
                raise DocumentRejected(message, "REJECTED", operation)
            raise IntegratorError(message, "FAILED", operation)
        return result

    def test_connection(self):
        return bool(self._call("TestConnection").IsSucceded)

    # --- registered users -------------------------------------------------------------
    def check_user(self, vat):
        value = self._call("GetUserAliasses", vknTckn=vat).Value
        boxes = (value.Receiverbox if value is not None else None) or []
        aliases = [box.Alias for box in boxes if box.Alias and box.Enabled is not False]
        return UserInfo(
            vat=vat,
            registered=bool(aliases),
            title=(value.Title if value is not None else "") or "",
            aliases=aliases,
            default_alias=pick_default_alias(aliases),
        )

    def is_einvoice_user(self, vat, alias=""):
        return bool(self._call("IsEInvoiceUser", vknTckn=vat, alias=alias or None).Value)

    # --- outgoing ---------------------------------------------------------------------
    @staticmethod
    def _invoice_children(xml):
        root = etree.fromstring(
            xml, etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
        )
        return {"_value_1": list(root)}

    @staticmethod
    def _info_values(document):
        """InvoiceInfo of a document, without the Invoice itself."""
        if not document.earchive:
            return {
                "LocalDocumentId": document.ettn,
                "Scenario": "eInvoice",
                "TargetCustomer": {
                    "VknTckn": document.receiver_vat,
                    "Alias": document.receiver_alias,
                },
            }
        internet_sale = document.internet_sale
        electronic = document.delivery == "electronic" or bool(internet_sale)
        archive_info = {"DeliveryType": "Electronic" if electronic else "Paper"}
        if internet_sale:
            archive_info["InternetSalesInfo"] = {
                "WebAddress": internet_sale.get("website") or "",
                "PaymentMidierName": internet_sale.get("payment_agent") or "",
                "PaymentType": internet_sale.get("payment_method") or "DIGER",
                "PaymentDate": str(internet_sale.get("payment_date") or ""),
            }
        info = {
            "LocalDocumentId": document.ettn,
            "EArchiveInvoiceInfo": archive_info,
            "Scenario": "eArchive",
        }
        if electronic and document.email:
            info["Notification"] = {"Mailing": [{"EnableNotification": True, "To": document.email}]}
        return info

    def send_invoice(self, xml, ettn, gib_number, receiver_vat, receiver_alias):
        return self._send_typed(
            OutgoingDocument(
                ettn=ettn,
                gib_number=gib_number,
                xml=xml,
                receiver_vat=receiver_vat,
                receiver_alias=receiver_alias,
            )
        )

    def send_earchive(
        self, xml, ettn, gib_number, internet_sale=None, delivery="electronic", email=""
    ):
        return self._send_typed(
            OutgoingDocument(
                ettn=ettn,
                gib_number=gib_number,
                xml=xml,
                earchive=True,
                internet_sale=internet_sale,
                delivery=delivery,
                email=email,
            )
        )

    def _send_typed(self, document):
        """One document through SendInvoice (typed UBL inside InvoiceInfo/Invoice)."""
        info = dict(self._info_values(document), Invoice=self._invoice_children(document.xml))
        try:
            result = self._call("SendInvoice", invoices={"InvoiceInfo": [info]})
        except DuplicateDocument as exc:
            return SendResult(
                ettn=document.ettn,
                gib_number=document.gib_number,
                raw_code=exc.code,
                raw_message=exc.message,
                duplicate=True,
            )
        return self._send_results(result, [document])[0]

    @staticmethod
    def _send_results(result, documents):
        identities = {identity.Id: identity for identity in result.Value or []}
        results = []
        for document in documents:
            identity = identities.get(document.ettn)
            results.append(
                SendResult(
                    ettn=document.ettn,
                    gib_number=(identity.Number if identity is not None else None)
                    or document.gib_number,
                    raw_code="OK",
                    raw_message=result.Message or "",
                )
            )
        return results

    def _send_many(self, documents):
        """All documents in one CompressedSendInvoice (zip of InvoiceInfo entries)."""
        data = compress_documents([(d, self._info_values(d)) for d in documents])
        result = self._call("CompressedSendInvoice", data={"Data": data, "Hash": data_hash(data)})
        return self._send_results(result, documents)

    def get_statuses(self, ettns, earchive=False):
        # QueryOutboxInvoiceStatus takes several ids: one call
        rows = (
            self._call("QueryOutboxInvoiceStatus", invoiceIds={"string": list(ettns)}).Value or []
        )
        by_id = {row.InvoiceId: row for row in rows}
        return {ettn: self._status(ettn, by_id.get(ettn), earchive) for ettn in ettns}

    def get_status(self, ettn, earchive=False):
        return self.get_statuses([ettn], earchive=earchive)[ettn]

    @staticmethod
    def _status(ettn, row, earchive):
        if row is None:
            return StatusResult(ettn=ettn, found=False)
        state, final = map_status(row.Status, earchive)
        response = (
            {"Approved": "KABUL", "Declined": "RED"}.get(row.Status, "") if not earchive else ""
        )
        return StatusResult(
            ettn=ettn,
            found=True,
            state=state,
            final=final,
            raw_code=f"{row.Status}/{row.StatusCode}" if row.StatusCode else row.Status,
            raw_message=row.Message or "",
            gib_number=row.Number or "",
            response=response,
        )

    def get_pdf(self, ettn, direction="OUT", earchive=False):
        operation = "GetOutboxInvoicePdf" if direction == "OUT" else "GetInboxInvoicePdf"
        value = self._call(operation, invoiceId=ettn).Value
        return value.Data if value is not None else b""

    def cancel_earchive(self, ettn, gib_number, reason="", amount=0.0, cancel_date=None):
        cancel_date = cancel_date or datetime.date.today()
        self._call(
            "CancelEArchiveInvoice",
            request={
                "InvoiceId": ettn,
                "CancelDate": cancel_date.isoformat(),
                "Reason": reason or None,
            },
        )
        return True

    # --- incoming ---------------------------------------------------------------------
    def fetch_inbox(self, limit=50):
        page = self._call(
            "GetInboxInvoiceList",
            query={"PageIndex": 0, "PageSize": limit, "OnlyNewestInvoices": True},
        ).Value
        items = (page.Items if page is not None else None) or []
        documents = []
        for item in items:
            data = self._call("GetInboxInvoiceData", invoiceId=item.InvoiceId).Value
            documents.append(
                IncomingDocument(
                    ettn=item.InvoiceId,
                    gib_number=item.DocumentId or "",
                    sender_vat=item.TargetTcknVkn or "",
                    sender_name=item.TargetTitle or "",
                    profile=item.Type or "",
                    type_code=item.InvoiceTipType or "",
                    issue_date=item.ExecutionDate or "",
                    received_at=item.CreateDateUtc or "",
                    xml=data.Data if data is not None else b"",
                    raw_code=item.Status or "",
                    integrator_id=item.InvoiceId,
                )
            )
        total = int(page.TotalCount or 0) if page is not None else 0
        return InboxPage(documents=documents, remaining=max(total - len(documents), 0))

    def mark_fetched(self, documents):
        if documents:
            self._call("SetInvoicesTaken", invoices={"string": [d.ettn for d in documents]})
        return True

    def respond(self, ettn, accept, reason="", gib_number=""):
        try:
            self._call(
                "SendDocumentResponse",
                responses={
                    "DocumentResponseInfo": [
                        {
                            "InvoiceId": ettn,
                            "ResponseStatus": "Approved" if accept else "Declined",
                            "Reason": reason or None,
                        }
                    ]
                },
            )
        except IntegratorError as exc:
            if type(exc) is IntegratorError:
                raise DocumentRejected(exc.message, exc.code, exc.operation) from exc
            raise
        return True


_IDENTITY_NAMES = ("vkntckn",)  # VknTckn attributes, vknTckn parameters
_EMAIL_NAMES = ("to",)  # Notification/Mailing/@To


def _mask_identity(value):
    """A TCKN (11 digits, a person) keeps its last two digits; a VKN (company) stays."""
    value = (value or "").strip()
    return "*" * 9 + value[-2:] if len(value) == 11 and value.isdigit() else value


def redact_envelope(envelope):
    """The request as logged: typed UBL documents replaced by their size (like the base64
    documents of the other adapters), TCKNs masked and e-mail addresses removed (KVKK)."""
    try:
        root = etree.fromstring(
            envelope, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        )
    except etree.XMLSyntaxError:
        return b"[unreadable request not logged]"
    for invoice in root.xpath("//*[local-name()='InvoiceInfo']/*[local-name()='Invoice']"):
        size = sum(len(etree.tostring(child)) for child in invoice)
        for child in list(invoice):
            invoice.remove(child)
        invoice.text = f"[UBL document: {size} bytes]"
    for element in root.iter(etree.Element):
        for name, value in element.attrib.items():
            lowered = etree.QName(name).localname.lower()
            if lowered in _IDENTITY_NAMES:
                element.set(name, _mask_identity(value))
            elif lowered in _EMAIL_NAMES and "@" in value:
                element.set(name, "***")
        localname = etree.QName(element).localname.lower()
        if localname in _IDENTITY_NAMES and element.text:
            element.text = _mask_identity(element.text)
        elif localname in _EMAIL_NAMES and "@" in (element.text or ""):
            element.text = "***"
    return etree.tostring(root, encoding="utf-8")


def _fill(element, values):
    """Scalars become attributes, dicts and lists of dicts child elements (SOAP shape)."""
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                _fill(etree.SubElement(element, name), item)
            elif isinstance(item, bool):
                element.set(name, "true" if item else "false")
            else:
                element.set(name, str(item))


def info_element(document, info):
    """The ``InvoiceInfo`` zip entry of one document; its ``Invoice`` is the UBL root."""
    element = etree.Element("InvoiceInfo", LocalDocumentId=info["LocalDocumentId"])
    element.append(
        etree.fromstring(document.xml, etree.XMLParser(resolve_entities=False, no_network=True))
    )
    for key in INFO_ORDER:
        if key == "Scenario" and info.get(key):
            etree.SubElement(element, key).text = info[key]
        elif key in info:
            _fill(etree.SubElement(element, key), info[key])
    return etree.tostring(element, xml_declaration=True, encoding="utf-8")


def compress_documents(entries):
    """Zip (bytes) of ``<ETTN>.xml`` InvoiceInfo entries for CompressedSendInvoice."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for document, info in entries:
            archive.writestr(f"{document.ettn}.xml", info_element(document, info))
    return buffer.getvalue()


def data_hash(data):
    """MD5 hex digest of the base64 text of ``data`` (BinaryRequestData.Hash)."""
    return hashlib.md5(base64.b64encode(data)).hexdigest()

"""Uyumsoft adapter (WCF "Integration" service, WS-Security UsernameToken PasswordText).

One service covers e-Fatura and e-Arşiv. The UBL travels as typed XML inside
``InvoiceInfo/Invoice`` (the children of our ``Invoice`` root), with ``TargetCustomer``
for e-Fatura and ``EArchiveInvoiceInfo`` (delivery type, internet-sale info) for e-Arşiv.
Business errors come back as ``IsSucceded="false"`` + ``Message``.
"""
import datetime

from lxml import etree
from zeep.wsse.username import UsernameToken

from .base import (
    AuthenticationError,
    DocumentRejected,
    DuplicateDocument,
    InboxPage,
    IncomingDocument,
    IntegratorError,
    Provider,
    SendResult,
    StatusResult,
    UserInfo,
    pick_default_alias,
)
from .soap import SoapService

# Uyumsoft outgoing status names -> our state (e-Fatura); final ones stop polling
EFATURA_STATES = {
    "NotPrepared": "processing", "NotSend": "processing", "Draft": "processing",
    "Queued": "processing", "Processing": "processing", "SentToGib": "accepted",
    "WaitingForAprovement": "delivered", "Approved": "delivered", "Declined": "rejected",
    "Return": "rejected", "Canceled": "cancelled", "EArchivedCanceled": "cancelled",
    "Error": "error",
}
FINAL = {"Approved", "Declined", "Return", "Canceled", "EArchivedCanceled", "Error"}
DUPLICATE_MARKERS = ("mükerrer", "daha önce gönderil", "already exists", "duplicate")
REJECTION_MARKERS = ("şematron", "schematron", "şema", "schema", "senaryo", "doğrulama")
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
        "production": {
            "integration": "https://edonusumapi.uyum.com.tr/services/Integration?wsdl"},
    }
    URL_KEYS = ("integration",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._soap = None

    # --- plumbing ---------------------------------------------------------------------
    @property
    def soap(self):
        if self._soap is None:
            self._soap = SoapService(self.urls["integration"], self.timeout, self.logger,
                                     self._fault,
                                     wsse=UsernameToken(self.username, self.password))
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
            if operation == "SendInvoice" and any(m in lower for m in REJECTION_MARKERS):
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
        return UserInfo(vat=vat, registered=bool(aliases),
                        title=(value.Title if value is not None else "") or "",
                        aliases=aliases, default_alias=pick_default_alias(aliases))

    def is_einvoice_user(self, vat, alias=""):
        return bool(self._call("IsEInvoiceUser", vknTckn=vat, alias=alias or None).Value)

    # --- outgoing ---------------------------------------------------------------------
    @staticmethod
    def _invoice_children(xml):
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True,
                                                     remove_blank_text=True))
        return {"_value_1": list(root)}

    def send_invoice(self, xml, ettn, gib_number, receiver_vat, receiver_alias):
        info = {"LocalDocumentId": ettn, "Invoice": self._invoice_children(xml),
                "TargetCustomer": {"VknTckn": receiver_vat, "Alias": receiver_alias},
                "Scenario": "eInvoice"}
        return self._send(info, ettn, gib_number)

    def send_earchive(self, xml, ettn, gib_number, internet_sale=None, delivery="electronic",
                      email=""):
        electronic = delivery == "electronic" or bool(internet_sale)
        archive_info = {"DeliveryType": "Electronic" if electronic else "Paper"}
        if internet_sale:
            archive_info["InternetSalesInfo"] = {
                "WebAddress": internet_sale.get("website") or "",
                "PaymentMidierName": internet_sale.get("payment_agent") or "",
                "PaymentType": internet_sale.get("payment_method") or "DIGER",
                "PaymentDate": str(internet_sale.get("payment_date") or ""),
            }
        info = {"LocalDocumentId": ettn, "Invoice": self._invoice_children(xml),
                "EArchiveInvoiceInfo": archive_info, "Scenario": "eArchive"}
        if electronic and email:
            info["Notification"] = {"Mailing": [{"EnableNotification": True, "To": email}]}
        return self._send(info, ettn, gib_number)

    def _send(self, info, ettn, gib_number):
        try:
            result = self._call("SendInvoice", invoices={"InvoiceInfo": [info]})
        except DuplicateDocument as exc:
            return SendResult(ettn=ettn, gib_number=gib_number, raw_code=exc.code,
                              raw_message=exc.message, duplicate=True)
        identity = result.Value[0] if result.Value else None
        return SendResult(ettn=(identity.Id if identity is not None else None) or ettn,
                          gib_number=(identity.Number if identity is not None else None)
                          or gib_number, raw_code="OK", raw_message=result.Message or "")

    def get_status(self, ettn, earchive=False):
        rows = self._call("QueryOutboxInvoiceStatus", invoiceIds={"string": [ettn]}).Value or []
        row = next((r for r in rows if r.InvoiceId == ettn), None)
        if row is None:
            return StatusResult(ettn=ettn, found=False)
        state, final = map_status(row.Status, earchive)
        response = {"Approved": "KABUL", "Declined": "RED"}.get(row.Status, "") \
            if not earchive else ""
        return StatusResult(ettn=ettn, found=True, state=state, final=final,
                            raw_code=f"{row.Status}/{row.StatusCode}" if row.StatusCode
                            else row.Status, raw_message=row.Message or "",
                            gib_number=row.Number or "", response=response)

    def get_pdf(self, ettn, direction="OUT", earchive=False):
        operation = "GetOutboxInvoicePdf" if direction == "OUT" else "GetInboxInvoicePdf"
        value = self._call(operation, invoiceId=ettn).Value
        return value.Data if value is not None else b""

    def cancel_earchive(self, ettn, gib_number, reason="", amount=0.0, cancel_date=None):
        cancel_date = cancel_date or datetime.date.today()
        self._call("CancelEArchiveInvoice", request={
            "InvoiceId": ettn, "CancelDate": cancel_date.isoformat(), "Reason": reason or None})
        return True

    # --- incoming ---------------------------------------------------------------------
    def fetch_inbox(self, limit=50):
        page = self._call("GetInboxInvoiceList", query={
            "PageIndex": 0, "PageSize": limit, "OnlyNewestInvoices": True}).Value
        items = (page.Items if page is not None else None) or []
        documents = []
        for item in items:
            data = self._call("GetInboxInvoiceData", invoiceId=item.InvoiceId).Value
            documents.append(IncomingDocument(
                ettn=item.InvoiceId, gib_number=item.DocumentId or "",
                sender_vat=item.TargetTcknVkn or "", sender_name=item.TargetTitle or "",
                profile=item.Type or "", type_code=item.InvoiceTipType or "",
                issue_date=item.ExecutionDate or "", received_at=item.CreateDateUtc or "",
                xml=data.Data if data is not None else b"", raw_code=item.Status or "",
                integrator_id=item.InvoiceId))
        total = int(page.TotalCount or 0) if page is not None else 0
        return InboxPage(documents=documents, remaining=max(total - len(documents), 0))

    def mark_fetched(self, documents):
        if documents:
            self._call("SetInvoicesTaken", invoices={"string": [d.ettn for d in documents]})
        return True

    def respond(self, ettn, accept, reason="", gib_number=""):
        try:
            self._call("SendDocumentResponse", responses={"DocumentResponseInfo": [{
                "InvoiceId": ettn, "ResponseStatus": "Approved" if accept else "Declined",
                "Reason": reason or None}]})
        except IntegratorError as exc:
            if type(exc) is IntegratorError:
                raise DocumentRejected(exc.message, exc.code, exc.operation) from exc
            raise
        return True

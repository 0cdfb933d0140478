"""İzibiz adapter (session based SOAP: AuthenticationWS, EInvoiceWS, EIArchiveWS).

Operation and field names follow İzibiz's public API manual. The UBL goes as base64 XML
(``REQUEST_HEADER.COMPRESSED = N``); the session id (valid 8 h) is reused between calls and
renewed once when the service answers 10004 (invalid session).
"""

import datetime
import io
import threading
import time
import uuid
import zipfile

from lxml import etree

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
from .soap import SoapService, detail_text

APPLICATION_NAME = "Odoo l10n_tr_efatura"
SESSION_LIFETIME = 7 * 3600  # İzibiz keeps a session 8 hours
_SESSIONS = {}  # (auth url, user) -> (session id, expiry)
_SESSIONS_LOCK = threading.Lock()

INVALID_SESSION = "10004"
LOGIN_FAILED = "10002"
SCHEMATRON = "10003"
NOT_FOUND = "10008"
DUPLICATES = ("10009", "10017")
REPEATED = "10011"

# outgoing e-Fatura: İzibiz STATUS code or STATUS_SUBSTATUS -> our state
EFATURA_STATES = {
    "100": "processing",
    "101": "processing",
    "102": "processing",
    "103": "processing",
    "104": "processing",
    "105": "processing",
    "106": "processing",
    "107": "processing",
    "109": "processing",
    "135": "processing",
    "137": "processing",
    "140": "processing",
    "141": "processing",
    "110": "delivered",
    "111": "delivered",
    "112": "delivered",
    "120": "rejected",
    "134": "error",
    "136": "error",
    "139": "error",
    "LOAD_SUCCEED": "processing",
    "SEND_WAIT_GIB_RESPONSE": "processing",
    "SEND_WAIT_SYSTEM_RESPONSE": "delivered",
    "SEND_WAIT_APPLICATION_RESPONSE": "delivered",
    "ACCEPTED_SUCCEED": "delivered",
    "REJECTED_SUCCEED": "rejected",
    "SEND_FAILED": "error",
    "SEND_TIMEOUT": "error",
    "AUTO_FAILED": "error",
}
# GİB envelope codes: 1000/1100 in progress, 1200 accepted by GİB, 1210/1220 GİB still
# delivering, 1300 delivered; the rest are definitive errors (document must be fixed)
GIB_STATES = {
    "1000": "processing",
    "1100": "processing",
    "1200": "accepted",
    "1210": "accepted",
    "1220": "accepted",
    "1300": "delivered",
}
# e-Arşiv: 100 queued, 105 draft, 110 processing, 120 to be reported, 130 reported,
# 150 cancelled (before report), 200 not found
EARCHIVE_STATES = {
    "100": "processing",
    "105": "processing",
    "110": "processing",
    "120": "accepted",
    "130": "accepted",
    "150": "cancelled",
}


def map_efatura_status(status, gib_code="", response_code=""):
    """(state, final) of an outgoing e-Fatura from İzibiz's STATUS and GİB status code."""
    status = (status or "").strip()
    gib_code = (gib_code or "").strip()
    if status == "120" or response_code == "RED":
        return "rejected", True
    state = EFATURA_STATES.get(status) or EFATURA_STATES.get(status.replace(" - ", "_"))
    if state == "error":
        return "error", True
    if gib_code and gib_code not in GIB_STATES:
        return "error", True
    gib_state = GIB_STATES.get(gib_code)
    if state != "delivered" and gib_state:
        state = gib_state
    state = state or "processing"
    # a commercial invoice is final once the buyer answered (112/120); a basic one on 1300
    final = state == "delivered" and (status in ("110", "112") or response_code == "KABUL")
    return state, final


def map_earchive_status(status):
    state = EARCHIVE_STATES.get((status or "").strip(), "error")
    return state, status in ("130", "150") or state == "error"


def _unzip(content):
    if content and content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return archive.read(archive.namelist()[0])
    return content or b""


class IzibizProvider(Provider):
    code = "izibiz"
    name = "İzibiz"
    # SendInvoice / WriteToArchieveExtended: at most 100 documents and 5 MB per request
    # (base64 makes 3.75 MB of UBL about 5 MB)
    max_batch = 100
    max_batch_bytes = 3_750_000
    DEFAULT_URLS = {
        "test": {
            "auth": "https://efaturatest.izibiz.com.tr/AuthenticationWS?wsdl",
            "einvoice": "https://efaturatest.izibiz.com.tr/EInvoiceWS?wsdl",
            "earchive": "https://efaturatest.izibiz.com.tr/EIArchiveWS/EFaturaArchive?wsdl",
        },
        "production": {
            "auth": "https://efaturaws.izibiz.com.tr/AuthenticationWS?wsdl",
            "einvoice": "https://efaturaws.izibiz.com.tr/EInvoiceWS?wsdl",
            "earchive": "https://efaturaws.izibiz.com.tr/EIArchiveWS/EFaturaArchive?wsdl",
        },
    }
    URL_KEYS = ("auth", "einvoice", "earchive")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._services = {}

    # --- plumbing ---------------------------------------------------------------------
    def _service(self, key):
        if key not in self._services:
            self._services[key] = SoapService(
                self.urls[key], self.timeout, self.logger, self._fault
            )
        return self._services[key]

    @staticmethod
    def _fault(fault, operation):
        code = detail_text(fault, "ERROR_CODE")
        message = detail_text(fault, "ERROR_SHORT_DESC") or fault.message or "SOAP fault"
        if code == LOGIN_FAILED:
            return AuthenticationError(message, code, operation)
        if code == SCHEMATRON:
            return DocumentRejected(message, code, operation)
        if code in DUPLICATES:
            return DuplicateDocument(message, code, operation)
        return IntegratorError(message, code or "FAULT", operation)

    def _session_key(self):
        return (self.urls["auth"], self.username)

    def login(self, force=False):
        key = self._session_key()
        with _SESSIONS_LOCK:
            cached = _SESSIONS.get(key)
            if cached and not force and cached[1] > time.monotonic():
                return cached[0]
        result = self._service("auth").call(
            "Login",
            REQUEST_HEADER=self._header("-1"),
            USER_NAME=self.username,
            PASSWORD=self.password,
        )
        session = result.SESSION_ID
        with _SESSIONS_LOCK:
            _SESSIONS[key] = (session, time.monotonic() + SESSION_LIFETIME)
        return session

    @staticmethod
    def forget_sessions():
        with _SESSIONS_LOCK:
            _SESSIONS.clear()

    def _header(self, session):
        return {
            "SESSION_ID": session,
            "CLIENT_TXN_ID": str(uuid.uuid4()),
            "APPLICATION_NAME": APPLICATION_NAME,
            "COMPRESSED": "N",
        }

    def _call(self, key, operation, **kwargs):
        """Call with the cached session; on 10004 log in again and retry once."""
        for attempt in (0, 1):
            session = self.login(force=bool(attempt))
            try:
                return self._service(key).call(
                    operation, REQUEST_HEADER=self._header(session), **kwargs
                )
            except IntegratorError as exc:
                if exc.code != INVALID_SESSION or attempt:
                    raise
        raise AssertionError("unreachable")

    # --- registered users -------------------------------------------------------------
    def check_user(self, vat):
        users = (
            self._call("auth", "CheckUser", USER={"IDENTIFIER": vat}, DOCUMENT_TYPE="INVOICE") or []
        )
        pk_aliases = [u.ALIAS for u in users if (u.UNIT or "PK").upper() == "PK" and u.ALIAS]
        return UserInfo(
            vat=vat,
            registered=bool(users),
            title=users[0].TITLE if users else "",
            aliases=pk_aliases,
            default_alias=pick_default_alias(pk_aliases),
        )

    def gib_user_list(self):
        """The whole registered-user list: {vkn: UserInfo} (GetGibUserList, zipped XML)."""
        result = self._call(
            "auth", "GetGibUserList", TYPE="XML", DOCUMENT_TYPE="INVOICE", ALIAS_TYPE="PK"
        )
        root = etree.fromstring(
            _unzip(result.CONTENT), etree.XMLParser(resolve_entities=False, no_network=True)
        )
        users = {}
        for node in root.iter("USER"):
            vat = node.findtext("IDENTIFIER")
            info = users.setdefault(
                vat, UserInfo(vat=vat, registered=True, title=node.findtext("TITLE") or "")
            )
            if (node.findtext("UNIT") or "PK") == "PK":
                info.aliases.append(node.findtext("ALIAS"))
        for info in users.values():
            info.default_alias = pick_default_alias(info.aliases)
        return users

    # --- outgoing ---------------------------------------------------------------------
    def batch_key(self, document):
        # SendInvoice has one RECEIVER per request: e-Fatura batches go to one mailbox
        if document.earchive:
            return ("earchive",)
        return ("efatura", document.receiver_vat, document.receiver_alias)

    def _efatura_request(self, documents):
        first = documents[0]
        kwargs = {
            "RECEIVER": {"vkn": first.receiver_vat, "alias": first.receiver_alias},
            "INVOICE": [{"ID": d.gib_number, "UUID": d.ettn, "CONTENT": d.xml} for d in documents],
        }
        if self.sender_vat and self.sender_alias:
            kwargs["SENDER"] = {"vkn": self.sender_vat, "alias": self.sender_alias}
        return kwargs

    @staticmethod
    def _earchive_properties(document):
        electronic = document.delivery == "electronic" or bool(document.internet_sale)
        email = document.email if electronic else ""
        return {
            "EARSIV_FLAG": "Y",
            "EARSIV_PROPERTIES": {
                "EARSIV_TYPE": "INTERNET" if document.internet_sale else "NORMAL",
                "SUB_STATUS": "NEW",
                "EARSIV_EMAIL_FLAG": "Y" if email else "N",
                "EARSIV_EMAIL": [email] if email else [],
            },
            "INVOICE_CONTENT": document.xml,
        }

    def send_invoice(self, xml, ettn, gib_number, receiver_vat, receiver_alias):
        document = OutgoingDocument(
            ettn=ettn,
            gib_number=gib_number,
            xml=xml,
            receiver_vat=receiver_vat,
            receiver_alias=receiver_alias,
        )
        return self._send(
            "einvoice", "SendInvoice", ettn, gib_number, **self._efatura_request([document])
        )

    def send_earchive(
        self, xml, ettn, gib_number, internet_sale=None, delivery="electronic", email=""
    ):
        document = OutgoingDocument(
            ettn=ettn,
            gib_number=gib_number,
            xml=xml,
            earchive=True,
            internet_sale=internet_sale,
            delivery=delivery,
            email=email,
        )
        return self._send(
            "earchive",
            "WriteToArchieveExtended",
            ettn,
            gib_number,
            ArchiveInvoiceExtendedContent={
                "INVOICE_PROPERTIES": [self._earchive_properties(document)]
            },
        )

    def _send_many(self, documents):
        """One SendInvoice (one receiver) or WriteToArchieveExtended for all documents."""
        if documents[0].earchive:
            result = self._call(
                "earchive",
                "WriteToArchieveExtended",
                ArchiveInvoiceExtendedContent={
                    "INVOICE_PROPERTIES": [self._earchive_properties(d) for d in documents]
                },
            )
        else:
            result = self._call("einvoice", "SendInvoice", **self._efatura_request(documents))
        ret = result.REQUEST_RETURN
        code = (ret.RETURN_CODE if ret else None) or "0"
        # the answer carries one INVOICE_ID: each document keeps its own fixed number
        return [SendResult(ettn=d.ettn, gib_number=d.gib_number, raw_code=code) for d in documents]

    def _send(self, key, operation, ettn, gib_number, **kwargs):
        try:
            result = self._call(key, operation, **kwargs)
        except DuplicateDocument as exc:
            return SendResult(
                ettn=ettn,
                gib_number=gib_number,
                state="sent",
                raw_code=exc.code,
                raw_message=exc.message,
                duplicate=True,
            )
        ret = result.REQUEST_RETURN
        return SendResult(
            ettn=ettn,
            gib_number=result.INVOICE_ID or gib_number,
            state="sent",
            raw_code=ret.RETURN_CODE if ret else "0",
            raw_message="",
        )

    def get_status(self, ettn, earchive=False):
        if earchive:
            result = self._call("earchive", "GetEArchiveInvoiceStatus", UUID=[ettn])
            header = result.INVOICE[0].HEADER if result.INVOICE else None
            return self._earchive_status(ettn, header)
        try:
            status = self._call("einvoice", "GetInvoiceStatus", INVOICE={"UUID": ettn})
        except IntegratorError as exc:
            if exc.code == NOT_FOUND:
                return StatusResult(
                    ettn=ettn, found=False, raw_code=exc.code, raw_message=exc.message
                )
            raise
        if status is None:
            return StatusResult(ettn=ettn, found=False)
        state, final = map_efatura_status(
            status.STATUS, status.GIB_STATUS_CODE, status.RESPONSE_CODE or ""
        )
        raw_code = status.STATUS or ""
        message = status.STATUS_DESCRIPTION or ""
        if status.GIB_STATUS_CODE:
            raw_code += f"/{status.GIB_STATUS_CODE}"
            if status.GIB_STATUS_DESCRIPTION:
                message += f" - {status.GIB_STATUS_DESCRIPTION}"
        return StatusResult(
            ettn=ettn,
            found=True,
            state=state,
            final=final,
            raw_code=raw_code,
            raw_message=message,
            gib_number=status.ID or "",
            response=status.RESPONSE_CODE or "",
        )

    def get_statuses(self, ettns, earchive=False):
        if not earchive:
            return super().get_statuses(ettns)
        # GetEArchiveInvoiceStatus takes several UUIDs: one call
        result = self._call("earchive", "GetEArchiveInvoiceStatus", UUID=list(ettns))
        statuses = {}
        for invoice in result.INVOICE or []:
            header = invoice.HEADER
            if header is not None and header.UUID in ettns:
                statuses[header.UUID] = self._earchive_status(header.UUID, header)
        return statuses

    @staticmethod
    def _earchive_status(ettn, header):
        if header is None or header.STATUS == "200":
            return StatusResult(
                ettn=ettn,
                found=False,
                raw_code=header.STATUS if header is not None else "",
                raw_message=header.STATUS_DESC if header is not None else "",
            )
        state, final = map_earchive_status(header.STATUS)
        return StatusResult(
            ettn=ettn,
            found=True,
            state=state,
            final=final,
            raw_code=header.STATUS,
            raw_message=header.STATUS_DESC or "",
            gib_number=header.INVOICE_ID or "",
        )

    def get_pdf(self, ettn, direction="OUT", earchive=False):
        if earchive and direction == "OUT":
            result = self._call(
                "earchive", "ReadFromArchive", INVOICEID=ettn, PORTAL_DIRECTION="OUT", PROFILE="PDF"
            )
            return _unzip(result.INVOICE)
        result = self._call(
            "einvoice",
            "GetInvoiceWithType",
            HEADER_ONLY="N",
            INVOICE_SEARCH_KEY={
                "UUID": ettn,
                "TYPE": "PDF",
                "DIRECTION": direction,
                "READ_INCLUDED": "true",
            },
        )
        return _unzip(result.INVOICE[0].CONTENT) if result.INVOICE else b""

    def cancel_earchive(self, ettn, gib_number, reason="", amount=0.0, cancel_date=None):
        cancel_date = cancel_date or datetime.date.today()
        self._call(
            "earchive",
            "CancelEArchiveInvoice",
            CancelEArsivInvoiceContent={
                "FATURA_UUID": ettn,
                "FATURA_ID": gib_number,
                "IPTAL_NOTU": reason or "İptal",
                "IPTAL_TARIHI": cancel_date.isoformat(),
                "TOPLAM_TUTAR": f"{amount:.2f}",
                "DELETE_FLAG": "N",
                "UPLOAD_FLAG": "N",
            },
        )
        return True

    # --- incoming ---------------------------------------------------------------------
    def fetch_inbox(self, limit=50):
        result = self._call(
            "einvoice",
            "GetInvoice",
            HEADER_ONLY="N",
            INVOICE_SEARCH_KEY={"LIMIT": str(limit), "READ_INCLUDED": "false", "DIRECTION": "IN"},
        )
        documents = []
        for invoice in result.INVOICE or []:
            header = invoice.HEADER
            documents.append(
                IncomingDocument(
                    ettn=invoice.UUID,
                    gib_number=invoice.ID,
                    sender_vat=header.SENDER or "",
                    sender_name=header.SUPPLIER or "",
                    profile=header.PROFILEID or "",
                    type_code=header.INVOICE_TYPE_CODE or "",
                    issue_date=header.ISSUE_DATE or "",
                    received_at=header.CDATE or "",
                    xml=_unzip(invoice.CONTENT),
                    raw_code=header.STATUS or "",
                    raw_message=header.STATUS_DESCRIPTION or "",
                    integrator_id=invoice.UUID,
                )
            )
        # İzibiz pages by "unread": a full page means more may be waiting
        return InboxPage(documents=documents, remaining=1 if len(documents) >= limit else 0)

    def mark_fetched(self, documents):
        if documents:
            self._call(
                "einvoice",
                "MarkInvoice",
                MARK={
                    "value": "READ",
                    "INVOICE": [{"ID": d.gib_number, "UUID": d.ettn} for d in documents],
                },
            )
        return True

    def respond(self, ettn, accept, reason="", gib_number=""):
        try:
            self._call(
                "einvoice",
                "SendInvoiceResponseWithServerSign",
                STATUS="KABUL" if accept else "RED",
                INVOICE=[{"ID": gib_number or None, "UUID": ettn}],
                DESCRIPTION=reason or None,
            )
        except IntegratorError as exc:
            if exc.code == REPEATED:
                raise DocumentRejected(exc.message, exc.code, exc.operation) from exc
            raise
        return True

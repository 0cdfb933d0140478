"""Fake İzibiz (GİB özel entegratör) SOAP services, written from İzibiz's public API manual.

Three services, each serving its own WSDL (``<path>?wsdl``):
``/AuthenticationWS`` (Login, Logout, CheckUser, GetGibUserList),
``/EInvoiceWS`` (SendInvoice, GetInvoiceStatus, GetInvoice, MarkInvoice,
SendInvoiceResponseWithServerSign, GetInvoiceWithType) and
``/EIArchiveWS/EFaturaArchive`` (WriteToArchieveExtended, GetEArchiveInvoiceStatus,
ReadFromArchive, CancelEArchiveInvoice).

``SendInvoice`` (one RECEIVER, up to 100 INVOICE) and ``WriteToArchieveExtended`` (up to 100
INVOICE_PROPERTIES) carry several documents; a request is validated as a whole first and is
refused as a whole (10003 schematron, 10009 duplicate) or stored as a whole.
``calls(op)`` / ``documents_per_call(op)`` count the requests.

Errors are SOAP faults whose detail holds ``ERROR_TYPE`` {INTL_TXN_ID, ERROR_CODE,
ERROR_SHORT_DESC}: 10002 login failed, 10003 schematron, 10004 invalid session, 10008 not found,
10009 duplicate document, 10011 repeated operation, 10013 invalid request.

Outgoing documents advance one status step per status query (see ``EFATURA_STEPS``);
``set_status`` / ``POST /__fake__/status`` forces one. Incoming documents:
``add_incoming`` / ``POST /__fake__/incoming`` ({"xml": "...", "sender_vkn": ...}).

    python -m tests.fakes.izibiz --port 8071
"""

import datetime
import io
import itertools
import uuid as uuidlib
import zipfile

from lxml import etree

from .envelope import receiver_refusal
from .soapkit import FakeIntegrator, Service, SoapFault, serve_cli

NS = "http://schemas.i2i.com/ei/wsdl"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
USERNAME = "izibiz-test2"
PASSWORD = "izi321"
# İzibiz's published test account
TEST_VKN = "4840847211"
TEST_PK = "urn:mail:defaultpk@izibiz.com.tr"
TEST_GB = "urn:mail:defaultgb@izibiz.com.tr"

S = "string"
B64 = "base64Binary"
TYPES = {
    "REQUEST_HEADER": [
        ("SESSION_ID", S),
        ("CLIENT_TXN_ID", S),
        ("ACTION_DATE", S),
        ("REASON", S),
        ("APPLICATION_NAME", S),
        ("HOSTNAME", S),
        ("CHANNEL_NAME", S),
        ("COMPRESSED", S),
    ],
    "REQUEST_RETURN": [("INTL_TXN_ID", S), ("RETURN_CODE", S)],
    "ERROR_TYPE": [("INTL_TXN_ID", S), ("ERROR_CODE", S), ("ERROR_SHORT_DESC", S)],
    "PARTY_REF": [("@vkn", S), ("@alias", S)],
    "INVOICE_REF": [("@ID", S), ("@UUID", S)],
    "INVOICE_HEADER": [
        ("SENDER", S),
        ("RECEIVER", S),
        ("SUPPLIER", S),
        ("CUSTOMER", S),
        ("ISSUE_DATE", S),
        ("PAYABLE_AMOUNT", S),
        ("FROM", S),
        ("TO", S),
        ("PROFILEID", S),
        ("INVOICE_TYPE_CODE", S),
        ("STATUS", S),
        ("STATUS_DESCRIPTION", S),
        ("GIB_STATUS_CODE", S),
        ("GIB_STATUS_DESCRIPTION", S),
        ("RESPONSE_CODE", S),
        ("CDATE", S),
        ("ENVELOPE_IDENTIFIER", S),
    ],
    "INVOICE": [("@ID", S), ("@UUID", S), ("HEADER", "INVOICE_HEADER"), ("CONTENT", B64)],
    "INVOICE_STATUS": [
        ("@ID", S),
        ("@UUID", S),
        ("STATUS", S),
        ("STATUS_DESCRIPTION", S),
        ("GIB_STATUS_CODE", S),
        ("GIB_STATUS_DESCRIPTION", S),
        ("RESPONSE_CODE", S),
        ("RESPONSE_DESC", S),
        ("CDATE", S),
        ("DIRECTION", S),
        ("ENVELOPE_IDENTIFIER", S),
    ],
    "SEARCH_KEY": [
        ("LIMIT", S),
        ("ID", S),
        ("UUID", S),
        ("TYPE", S),
        ("READ_INCLUDED", S),
        ("DIRECTION", S),
        ("START_DATE", S),
        ("END_DATE", S),
    ],
    "MARK": [("@value", S), ("INVOICE", "INVOICE_REF", "*")],
    "GIBUSER": [
        ("IDENTIFIER", S),
        ("ALIAS", S),
        ("TITLE", S),
        ("TYPE", S),
        ("REGISTER_TIME", S),
        ("UNIT", S),
        ("ALIAS_CREATION_TIME", S),
    ],
    "EARSIV_PROPERTIES": [
        ("EARSIV_TYPE", S),
        ("SUB_STATUS", S),
        ("SERI", S),
        ("EARSIV_EMAIL_FLAG", S),
        ("EARSIV_EMAIL", S, "*"),
        ("EARSIV_SMS_FLAG", S),
        ("SMS_PHONE_NUMBER", S),
    ],
    "INVOICE_PROPERTIES": [
        ("EARSIV_FLAG", S),
        ("EARSIV_PROPERTIES", "EARSIV_PROPERTIES"),
        ("ARCHIVE_NOTE", S),
        ("INVOICE_CONTENT", B64),
    ],
    "ARCHIVE_CONTENT": [("INVOICE_PROPERTIES", "INVOICE_PROPERTIES", "*")],
    "ARCHIVE_HEADER": [
        ("INVOICE_ID", S),
        ("UUID", S),
        ("PROFILE", S),
        ("INVOICE_DATE", S),
        ("STATUS", S),
        ("STATUS_DESC", S),
        ("EMAIL_STATUS", S),
        ("EMAIL_STATUS_DESC", S),
        ("REPORT_ID", S),
        ("WEB_KEY", S),
    ],
    "ARCHIVE_INVOICE": [("HEADER", "ARCHIVE_HEADER")],
    "CANCEL_CONTENT": [
        ("FATURA_UUID", S),
        ("FATURA_ID", S),
        ("EARSIV_CANCEL_EMAIL", S),
        ("DELETE_FLAG", S),
        ("UPLOAD_FLAG", S),
        ("IPTAL_TARIHI", S),
        ("TOPLAM_TUTAR", S),
        ("IPTAL_NOTU", S),
    ],
}
H = ("REQUEST_HEADER", "REQUEST_HEADER")
RET = ("REQUEST_RETURN", "REQUEST_RETURN")

AUTH = Service(
    "AuthenticationWS",
    "/AuthenticationWS",
    NS,
    TYPES,
    {
        "Login": ([H, ("USER_NAME", S), ("PASSWORD", S)], [RET, ("SESSION_ID", S)]),
        "Logout": ([H], [RET]),
        "CheckUser": ([H, ("USER", "GIBUSER"), ("DOCUMENT_TYPE", S)], [("USER", "GIBUSER", "*")]),
        "GetGibUserList": (
            [H, ("TYPE", S), ("DOCUMENT_TYPE", S), ("ALIAS_TYPE", S), ("REGISTER_TIME_START", S)],
            [RET, ("CONTENT", B64)],
        ),
    },
)
EINVOICE = Service(
    "EInvoiceWS",
    "/EInvoiceWS",
    NS,
    TYPES,
    {
        "SendInvoice": (
            [H, ("SENDER", "PARTY_REF"), ("RECEIVER", "PARTY_REF"), ("INVOICE", "INVOICE", "*")],
            [RET, ("INVOICE_ID", S)],
        ),
        "GetInvoiceStatus": (
            [H, ("INVOICE", "INVOICE_REF")],
            [("INVOICE_STATUS", "INVOICE_STATUS")],
        ),
        "GetInvoice": (
            [H, ("INVOICE_SEARCH_KEY", "SEARCH_KEY"), ("HEADER_ONLY", S)],
            [RET, ("INVOICE", "INVOICE", "*")],
        ),
        "MarkInvoice": ([H, ("MARK", "MARK")], [RET]),
        "SendInvoiceResponseWithServerSign": (
            [H, ("STATUS", S), ("INVOICE", "INVOICE_REF", "*"), ("DESCRIPTION", S)],
            [RET],
        ),
        "GetInvoiceWithType": (
            [H, ("INVOICE_SEARCH_KEY", "SEARCH_KEY"), ("HEADER_ONLY", S)],
            [RET, ("INVOICE", "INVOICE", "*")],
        ),
    },
)
ARCHIVE = Service(
    "EFaturaArchive",
    "/EIArchiveWS/EFaturaArchive",
    NS,
    TYPES,
    {
        "WriteToArchieveExtended": (
            [H, ("ArchiveInvoiceExtendedContent", "ARCHIVE_CONTENT")],
            [RET, ("INVOICE_ID", S)],
        ),
        "GetEArchiveInvoiceStatus": (
            [H, ("UUID", S, "*")],
            [RET, ("INVOICE", "ARCHIVE_INVOICE", "*")],
        ),
        "ReadFromArchive": (
            [H, ("INVOICEID", S), ("PORTAL_DIRECTION", S), ("PROFILE", S)],
            [RET, ("INVOICE", B64)],
        ),
        "CancelEArchiveInvoice": ([H, ("CancelEArsivInvoiceContent", "CANCEL_CONTENT")], [RET]),
    },
)

# (İzibiz STATUS code, description, GİB status code) reached after each status query
EFATURA_STEPS = [
    ("101", "KUYRUĞA EKLENDİ", ""),
    ("109", "GİB'DEN YANIT BEKLİYOR", "1200"),
    ("110", "ALICIDAN YANIT BEKLİYOR", "1300"),
]
TICARI_STEPS = EFATURA_STEPS[:2] + [("111", "ALICIDAN ONAY BEKLİYOR", "1300")]
EARCHIVE_STEPS = [
    ("100", "KUYRUĞA EKLENDİ", ""),
    ("120", "RAPORLANACAK", ""),
    ("130", "RAPORLANDI", ""),
]


def error(code, message):
    detail = etree.Element("RequestFault")
    error_type = etree.SubElement(detail, "ERROR_TYPE")
    etree.SubElement(error_type, "INTL_TXN_ID").text = str(uuidlib.uuid4())
    etree.SubElement(error_type, "ERROR_CODE").text = str(code)
    etree.SubElement(error_type, "ERROR_SHORT_DESC").text = message
    return SoapFault(message, "soap:Server", detail)


def zipped(name, content):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def unzip_if_needed(content):
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return archive.read(archive.namelist()[0])
    return content


def fake_pdf(label):
    return b"%PDF-1.4\n% fake integrator rendering\n" + label.encode() + b"\n%%EOF\n"


def invoice_keys(xml):
    """(ID, UUID, ProfileID, IssueDate, PayableAmount) of a UBL invoice, or a 10003 fault."""
    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise error(10003, f"Belge Şematron Kontrolünden Geçemedi: XML okunamadı ({exc})") from exc
    values = [root.findtext(f"{{{CBC}}}{tag}") for tag in ("ID", "UUID", "ProfileID", "IssueDate")]
    if etree.QName(root).localname != "Invoice" or not all(values[:3]):
        raise error(10003, "Belge Şematron Kontrolünden Geçemedi: ID, UUID veya ProfileID yok")
    payable = root.findtext(".//{*}LegalMonetaryTotal/{*}PayableAmount") or "0"
    return values + [payable]


class FakeIzibiz(FakeIntegrator):
    services = (AUTH, EINVOICE, ARCHIVE)
    status_options = ("description", "gib_code")

    def reset(self):
        super().reset()
        with self.lock:
            self.sessions = set()
            self.outbox = {}
            self.inbox = []
            self.responses = []
            self.users = {
                TEST_VKN: [
                    {"alias": TEST_PK, "title": "İZİBİZ TEST", "unit": "PK"},
                    {"alias": TEST_GB, "title": "İZİBİZ TEST", "unit": "GB"},
                ]
            }
            self.counter = itertools.count(1)

    # --- Python API used by tests -----------------------------------------------------
    def add_user(self, vkn, title, aliases):
        self.users[vkn] = [{"alias": a, "title": title, "unit": "PK"} for a in aliases]

    def add_incoming(self, xml, sender_vkn, sender_name="", received=None, status=None):
        number, ettn, profile, issue_date, payable = invoice_keys(xml)
        received = received or datetime.datetime.now()
        doc = {
            "id": number,
            "uuid": ettn,
            "xml": xml,
            "sender_vkn": sender_vkn,
            "sender_name": sender_name,
            "profile": profile,
            "issue_date": issue_date,
            "payable": payable,
            "cdate": received,
            "read": False,
            "status": status or ("132" if profile == "TICARIFATURA" else "133"),
            "response": None,
        }
        return self.file_incoming(doc)

    def set_status(self, ettn, status, description="", gib_code=""):
        doc = self.outbox[ettn]
        doc["forced"] = (status, description, gib_code)

    # --- faults -----------------------------------------------------------------------
    def inject(self, fault, service, operation, request):
        kind = fault["kind"]
        if kind == "invalid_session":
            with self.lock:
                self.sessions.clear()
            return True
        if kind == "duplicate":
            raise error(
                10009, "Gönderilen belge daha önce gönderilmiş bir belge ile eşleşmektedir."
            )
        if kind == "schematron":
            raise error(
                10003,
                "Belge Şematron Kontrolünden Geçemedi: "
                + fault.get("message", "InvoiceIDCheck-1: Geçersiz fatura numarası"),
            )
        raise error(fault.get("code", -1), fault.get("message", "Sistem Hatası"))

    def check_header(self, service, operation, header, request):
        if operation == "Login":
            return
        session = (request.get("REQUEST_HEADER") or {}).get("SESSION_ID")
        if session not in self.sessions:
            raise error(
                10004, "Geçersiz oturum. Lütfen tekrar oturum oluşturunuz ve tekrar deneyiniz"
            )

    # --- AuthenticationWS -------------------------------------------------------------
    def _ok(self, **values):
        return dict(
            values, REQUEST_RETURN={"INTL_TXN_ID": str(uuidlib.uuid4()), "RETURN_CODE": "0"}
        )

    def op_Login(self, request):
        if (request.get("USER_NAME"), request.get("PASSWORD")) != (USERNAME, PASSWORD):
            raise error(10002, "Oturum oluşturulamadı: kullanıcı adı veya şifre hatalı")
        session = uuidlib.uuid4().hex
        with self.lock:
            self.sessions.add(session)
        return self._ok(SESSION_ID=session)

    def op_Logout(self, request):
        self.sessions.discard(request["REQUEST_HEADER"].get("SESSION_ID"))
        return self._ok()

    def _user_rows(self, vkn):
        return [
            {
                "IDENTIFIER": vkn,
                "ALIAS": a["alias"],
                "TITLE": a["title"],
                "TYPE": "OZEL",
                "UNIT": a["unit"],
                "REGISTER_TIME": "2020-01-01T00:00:00",
            }
            for a in self.users.get(vkn, [])
        ]

    def op_CheckUser(self, request):
        vkn = (request.get("USER") or {}).get("IDENTIFIER", "")
        return {"USER": self._user_rows(vkn)}

    def op_GetGibUserList(self, request):
        root = etree.Element("USER_LIST")
        for vkn in self.users:
            for row in self._user_rows(vkn):
                user = etree.SubElement(root, "USER")
                for key, value in row.items():
                    etree.SubElement(user, key).text = value
        return self._ok(CONTENT=zipped("users.xml", etree.tostring(root, encoding="utf-8")))

    # --- EInvoiceWS -------------------------------------------------------------------
    def _check_new(self, keys):
        """10009 when one of the documents ((number, ettn) pairs) is already known or
        repeated in the request: the whole request is refused, nothing is stored."""
        seen = set()
        with self.lock:
            known = {d["id"] for d in self.outbox.values()} | set(self.outbox)
        for number, ettn in keys:
            if number in known or ettn in known or number in seen or ettn in seen:
                raise error(
                    10009,
                    f"Gönderilen belge daha önce gönderilmiş bir belge ile "
                    f"eşleşmektedir. ID:{number} ve UUID:{ettn}",
                )
            seen.update((number, ettn))

    def _store(self, xml, kind, **extra):
        number, ettn, profile, issue_date, payable = invoice_keys(xml)
        with self.lock:
            steps = (
                EARCHIVE_STEPS
                if kind == "earchive"
                else (TICARI_STEPS if profile == "TICARIFATURA" else EFATURA_STEPS)
            )
            self.outbox[ettn] = dict(
                extra,
                id=number,
                uuid=ettn,
                profile=profile,
                xml=xml,
                kind=kind,
                steps=steps,
                step=0,
                forced=None,
                cdate=datetime.datetime.now(),
                issue_date=issue_date,
                payable=payable,
            )
        return number

    def _store_all(self, contents, kind, extras):
        """Validate every document first (schematron, duplicates), then store them all: a
        request is accepted or refused as a whole."""
        keys = [invoice_keys(content)[:2] for content in contents]
        with self.lock:
            self._check_new(keys)
            return [self._store(content, kind, **extra) for content, extra in zip(contents, extras)]

    def documents_per_call(self, operation):
        """How many documents each ``operation`` request carried (batch sizes)."""
        if operation == "SendInvoice":
            return [len(r["request"].get("INVOICE") or []) for r in self.calls(operation)]
        return [
            len(
                (r["request"].get("ArchiveInvoiceExtendedContent") or {}).get("INVOICE_PROPERTIES")
                or []
            )
            for r in self.calls(operation)
        ]

    def op_SendInvoice(self, request):
        invoices = request.get("INVOICE") or []
        if not invoices or len(invoices) > 100:
            raise error(10010, "Bir istek boyutu maksimum 5MB veya 100 adet belge içerebilir")
        contents = [unzip_if_needed(inv.get("CONTENT") or b"") for inv in invoices]
        extra = {"receiver": request.get("RECEIVER") or {}, "sender": request.get("SENDER") or {}}
        for content in contents:  # GİB's envelope rules on the one RECEIVER of the request
            invoice_keys(content)
            refusal = receiver_refusal(
                content, extra["receiver"].get("vkn"), extra["receiver"].get("alias")
            )
            if refusal:
                raise error(10003, f"Belge Şematron Kontrolünden Geçemedi: {refusal}")
        numbers = self._store_all(contents, "efatura", [extra] * len(contents))
        return self._ok(INVOICE_ID=numbers[0])

    def _advance(self, doc):
        if doc["forced"]:
            return doc["forced"]
        status = doc["steps"][doc["step"]]
        doc["step"] = min(doc["step"] + 1, len(doc["steps"]) - 1)
        return status

    def op_GetInvoiceStatus(self, request):
        ref = request.get("INVOICE") or {}
        doc = self.outbox.get(ref.get("UUID")) or next(
            (d for d in self.outbox.values() if d["id"] == ref.get("ID")), None
        )
        if not doc:
            incoming = next((d for d in self.inbox if d["uuid"] == ref.get("UUID")), None)
            if incoming:
                return {
                    "INVOICE_STATUS": {
                        "ID": incoming["id"],
                        "UUID": incoming["uuid"],
                        "STATUS": incoming["status"],
                        "DIRECTION": "IN",
                    }
                }
            raise error(10008, "Belirtilen kriterlere uygun kayıt bulunamamıştır")
        if doc["kind"] != "efatura":
            raise error(10008, "Belirtilen kriterlere uygun kayıt bulunamamıştır")
        status, description, gib_code = self._advance(doc)
        values = {
            "ID": doc["id"],
            "UUID": doc["uuid"],
            "STATUS": status,
            "STATUS_DESCRIPTION": description,
            "CDATE": doc["cdate"].isoformat(),
            "DIRECTION": "OUT",
            "ENVELOPE_IDENTIFIER": doc["uuid"],
        }
        if gib_code:
            values.update(GIB_STATUS_CODE=gib_code, GIB_STATUS_DESCRIPTION="")
        if doc["profile"] == "TICARIFATURA" and status in ("112", "120"):
            values.update(RESPONSE_CODE="KABUL" if status == "112" else "RED")
        return {"INVOICE_STATUS": values}

    def _incoming_row(self, doc, content, compressed):
        return {
            "ID": doc["id"],
            "UUID": doc["uuid"],
            "CONTENT": content if not compressed else zipped(doc["uuid"] + ".xml", content),
            "HEADER": {
                "SENDER": doc["sender_vkn"],
                "SUPPLIER": doc["sender_name"],
                "ISSUE_DATE": doc["issue_date"],
                "PAYABLE_AMOUNT": doc["payable"],
                "PROFILEID": doc["profile"],
                "STATUS": doc["status"],
                "CDATE": doc["cdate"].isoformat(),
            },
        }

    def op_GetInvoice(self, request):
        key = request.get("INVOICE_SEARCH_KEY") or {}
        limit = int(key.get("LIMIT") or 10)
        read_included = (key.get("READ_INCLUDED") or "false").lower() in ("true", "y")
        compressed = (request["REQUEST_HEADER"].get("COMPRESSED") or "Y") != "N"
        header_only = request.get("HEADER_ONLY") == "Y"
        docs = [d for d in self.inbox if read_included or not d["read"]]
        if key.get("UUID"):
            docs = [d for d in docs if d["uuid"] == key["UUID"]]
        rows = [
            self._incoming_row(d, b"" if header_only else d["xml"], compressed)
            for d in docs[:limit]
        ]
        return self._ok(INVOICE=rows)

    def op_MarkInvoice(self, request):
        mark = request.get("MARK") or {}
        wanted = {ref.get("UUID") for ref in mark.get("INVOICE", [])}
        for doc in self.inbox:
            if doc["uuid"] in wanted:
                doc["read"] = mark.get("value", "READ") == "READ"
        return self._ok()

    def op_SendInvoiceResponseWithServerSign(self, request):
        status = request.get("STATUS")
        if status not in ("KABUL", "RED"):
            raise error(10013, "Gönderilen istek geçersizdir. Hata sebebi STATUS")
        for ref in request.get("INVOICE", []):
            doc = next((d for d in self.inbox if d["uuid"] == ref.get("UUID")), None)
            if not doc:
                raise error(10008, "Belirtilen kriterlere uygun kayıt bulunamamıştır")
            if doc["profile"] != "TICARIFATURA":
                raise error(
                    10013,
                    "Gönderilen istek geçersizdir. Hata sebebi: yalnızca "
                    "TICARIFATURA yanıtlanabilir",
                )
            if doc["response"]:
                raise error(10011, "Tekrarlanan işlem: kayıt sistemde mevcuttur")
            if datetime.datetime.now() - doc["cdate"] > datetime.timedelta(days=8):
                raise error(
                    10013, "Gönderilen istek geçersizdir. Hata sebebi: 8 günlük yanıt süresi geçti"
                )
            doc["response"] = status
            doc["status"] = "122" if status == "KABUL" else "130"
            self.responses.append(
                {
                    "uuid": doc["uuid"],
                    "status": status,
                    "description": request.get("DESCRIPTION", ""),
                }
            )
        return self._ok()

    def op_GetInvoiceWithType(self, request):
        key = request.get("INVOICE_SEARCH_KEY") or {}
        ettn = key.get("UUID")
        docs = self.inbox if key.get("DIRECTION") == "IN" else list(self.outbox.values())
        doc = next((d for d in docs if ettn in (d["uuid"], None) or d["id"] == key.get("ID")), None)
        if not doc:
            raise error(10008, "Belirtilen kriterlere uygun kayıt bulunamamıştır")
        kind = (key.get("TYPE") or "PDF").upper()
        content = doc["xml"] if kind == "XML" else fake_pdf(doc["uuid"])
        return self._ok(
            INVOICE=[
                {
                    "ID": doc["id"],
                    "UUID": doc["uuid"],
                    "CONTENT": zipped(f"{doc['uuid']}.{kind.lower()}", content),
                }
            ]
        )

    # --- EIArchiveWS ------------------------------------------------------------------
    def op_WriteToArchieveExtended(self, request):
        content = request.get("ArchiveInvoiceExtendedContent") or {}
        contents, extras = [], []
        for props in content.get("INVOICE_PROPERTIES", []):
            earsiv = props.get("EARSIV_PROPERTIES") or {}
            if earsiv.get("EARSIV_TYPE") not in ("NORMAL", "INTERNET"):
                raise error(10013, "Gönderilen istek geçersizdir. Hata sebebi EARSIV_TYPE")
            contents.append(unzip_if_needed(props.get("INVOICE_CONTENT") or b""))
            extras.append({"earsiv": earsiv})
        if not contents or len(contents) > 100:
            raise error(10013, "Gönderilen istek geçersizdir. Hata sebebi INVOICE_PROPERTIES")
        numbers = self._store_all(contents, "earchive", extras)
        return self._ok(INVOICE_ID=numbers[0])

    def op_GetEArchiveInvoiceStatus(self, request):
        rows = []
        for ettn in request.get("UUID", []):
            doc = self.outbox.get(ettn)
            if not doc or doc["kind"] != "earchive":
                rows.append(
                    {"HEADER": {"UUID": ettn, "STATUS": "200", "STATUS_DESC": "FATURA BULUNAMADI"}}
                )
                continue
            status, description, _gib = self._advance(doc)
            rows.append(
                {
                    "HEADER": {
                        "INVOICE_ID": doc["id"],
                        "UUID": ettn,
                        "PROFILE": "EARSIVFATURA",
                        "STATUS": status,
                        "STATUS_DESC": description,
                        "EMAIL_STATUS": "0",
                        "INVOICE_DATE": doc["issue_date"],
                    }
                }
            )
        return self._ok(INVOICE=rows)

    def op_ReadFromArchive(self, request):
        doc = self.outbox.get(request.get("INVOICEID"))
        if not doc or doc["kind"] != "earchive":
            raise error(10008, "Belirtilen kriterlere uygun kayıt bulunamamıştır")
        profile = (request.get("PROFILE") or "PDF").upper()
        return self._ok(INVOICE=doc["xml"] if profile == "XML" else fake_pdf(doc["uuid"]))

    def op_CancelEArchiveInvoice(self, request):
        content = request.get("CancelEArsivInvoiceContent") or {}
        doc = self.outbox.get(content.get("FATURA_UUID"))
        if not doc or doc["kind"] != "earchive":
            raise error(10008, "Belirtilen kriterlere uygun kayıt bulunamamıştır")
        if doc.get("cancelled"):
            raise error(10011, "Tekrarlanan işlem: fatura zaten iptal edildi")
        doc["cancelled"] = content.get("IPTAL_NOTU") or True
        doc["forced"] = ("150", "İPTAL EDİLDİ", "")
        return self._ok()


def start(port=0, host="127.0.0.1"):
    """Start a fake İzibiz in a background thread; ``.url``, ``.stop()``."""
    return FakeIzibiz(host, port).start()


def main(argv=None):
    serve_cli(FakeIzibiz, "Fake İzibiz SOAP services", 8071, argv)


if __name__ == "__main__":
    main()

"""Fake Uyumsoft "Integration" SOAP service (WCF style), written from the operations of
Uyumsoft's IIntegration contract (one service for e-Fatura and e-Arşiv).

WSDL at ``/Services/Integration?wsdl``; namespace ``http://tempuri.org/``, SOAPAction
``http://tempuri.org/IIntegration/<Op>``, authentication by WS-Security UsernameToken with
PasswordText (PasswordDigest is refused, as by the real service). Operations: TestConnection,
SendInvoice (typed UBL children inside ``InvoiceInfo/Invoice``, ``Scenario`` Automated routes
to e-Fatura or e-Arşiv by the receiver's registration), QueryOutboxInvoiceStatus,
GetInboxInvoiceList, GetInboxInvoiceData, GetInboxInvoicePdf, GetOutboxInvoicePdf,
SetInvoicesTaken, SendDocumentResponse, IsEInvoiceUser, GetUserAliasses,
CancelEArchiveInvoice, CompressedSendInvoice.

Both send operations take several documents and accept or refuse a request as a whole.
``CompressedSendInvoice(data: BinaryRequestData {Data base64Binary, Hash string})`` — the
reference only says "zipped UBL file(s)"; assumed here, after Uyumsoft's public integration
samples: ``Data`` is a zip with one ``<ETTN>.xml`` entry per document, each an unqualified
``InvoiceInfo`` element shaped like SendInvoice's (``LocalDocumentId`` attribute,
``TargetCustomer`` / ``EArchiveInvoiceInfo`` / ``Scenario`` / ``Notification`` children) whose
``Invoice`` child is the UBL ``Invoice`` root itself; ``Hash`` is the MD5 hex digest of the
base64 text of ``Data`` (a wrong hash is refused, an empty one is accepted); the answer is
SendInvoice's ``SendResult``. ``calls(op)`` / ``documents_per_call(op)`` count requests.

Business errors come as ``<OpResult IsSucceded="false" Message="..."/>``; security errors as
SOAP faults. Outgoing documents advance one status per status query (``*_STEPS``).

    python -m tests.fakes.uyumsoft --port 8072
"""

import base64
import datetime
import hashlib
import io
import itertools
import zipfile

from lxml import etree

from .envelope import receiver_refusal
from .izibiz import fake_pdf
from .soapkit import FakeIntegrator, Service, SoapFault, serve_cli

NS = "http://tempuri.org/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
PASSWORD_TEXT = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-"
    "profile-1.0#PasswordText"
)
UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
USERNAME = "Uyumsoft"  # Uyumsoft's public shared test account
PASSWORD = "Uyumsoft"

S = "string"
R = [("@IsSucceded", "boolean"), ("@Message", S)]
TYPES = {
    "InvoiceType": [("_any", "any")],
    "TargetCustomer": [("@VknTckn", S), ("@Alias", S), ("@Title", S)],
    "InternetSalesInfo": [
        ("@WebAddress", S),
        ("@PaymentMidierName", S),
        ("@PaymentType", S),
        ("@PaymentDate", S),
    ],
    "EArchiveInvoiceInfo": [("@DeliveryType", S), ("InternetSalesInfo", "InternetSalesInfo")],
    "MailingInformation": [("@EnableNotification", "boolean"), ("@To", S)],
    "NotificationInformation": [("Mailing", "MailingInformation", "*")],
    "InvoiceInfo": [
        ("@LocalDocumentId", S),
        ("Invoice", "InvoiceType"),
        ("TargetCustomer", "TargetCustomer"),
        ("EArchiveInvoiceInfo", "EArchiveInvoiceInfo"),
        ("Scenario", S),
        ("Notification", "NotificationInformation"),
    ],
    "ArrayOfInvoiceInfo": [("InvoiceInfo", "InvoiceInfo", "*")],
    "ArrayOfString": [("string", S, "*")],
    "InvoiceIdentity": [("@Id", S), ("@Number", S), ("@InvoiceScenario", S)],
    "SendResult": R + [("Value", "InvoiceIdentity", "*")],
    "Result": R,
    "BoolResult": R + [("@Value", "boolean")],
    "InvoiceStatusInfo": [
        ("@InvoiceId", S),
        ("@Number", S),
        ("@Status", S),
        ("@StatusCode", "int"),
        ("@Message", S),
    ],
    "StatusResult": R + [("Value", "InvoiceStatusInfo", "*")],
    "InboxQuery": [
        ("PageIndex", "int"),
        ("PageSize", "int"),
        ("OnlyNewestInvoices", "boolean"),
        ("CreateStartDate", S),
        ("CreateEndDate", S),
    ],
    "InboxItem": [
        ("@InvoiceId", S),
        ("@DocumentId", S),
        ("@TargetTcknVkn", S),
        ("@TargetTitle", S),
        ("@ExecutionDate", S),
        ("@CreateDateUtc", S),
        ("@Type", S),
        ("@InvoiceTipType", S),
        ("@Status", S),
        ("@PayableAmount", "decimal"),
        ("@IsNew", "boolean"),
    ],
    "InboxPage": [
        ("@TotalCount", "int"),
        ("@TotalPages", "int"),
        ("@PageIndex", "int"),
        ("@PageSize", "int"),
        ("Items", "InboxItem", "*"),
    ],
    "InboxListResult": R + [("Value", "InboxPage")],
    "DataValue": [("@FileName", S), ("Data", "base64Binary")],
    "DataResult": R + [("Value", "DataValue")],
    "DocumentResponseInfo": [("@InvoiceId", S), ("@ResponseStatus", S), ("@Reason", S)],
    "ArrayOfDocumentResponseInfo": [("DocumentResponseInfo", "DocumentResponseInfo", "*")],
    "AliasInfo": [("@Alias", S), ("@CreationTime", S), ("@Enabled", "boolean")],
    "UserAliases": [
        ("@Title", S),
        ("Receiverbox", "AliasInfo", "*"),
        ("Senderbox", "AliasInfo", "*"),
    ],
    "AliasResult": R + [("Value", "UserAliases")],
    "CancelRequest": [("InvoiceId", S), ("CancelDate", S), ("Reason", S)],
    "BinaryRequestData": [("Data", "base64Binary"), ("Hash", S)],
}


def _op(params, result_type, op):
    return (params, [(op + "Result", result_type)])


OPERATIONS = {
    "TestConnection": _op([], "Result", "TestConnection"),
    "SendInvoice": _op([("invoices", "ArrayOfInvoiceInfo")], "SendResult", "SendInvoice"),
    "CompressedSendInvoice": _op(
        [("data", "BinaryRequestData")], "SendResult", "CompressedSendInvoice"
    ),
    "QueryOutboxInvoiceStatus": _op(
        [("invoiceIds", "ArrayOfString")], "StatusResult", "QueryOutboxInvoiceStatus"
    ),
    "GetInboxInvoiceList": _op([("query", "InboxQuery")], "InboxListResult", "GetInboxInvoiceList"),
    "GetInboxInvoiceData": _op([("invoiceId", S)], "DataResult", "GetInboxInvoiceData"),
    "GetInboxInvoicePdf": _op([("invoiceId", S)], "DataResult", "GetInboxInvoicePdf"),
    "GetOutboxInvoicePdf": _op([("invoiceId", S)], "DataResult", "GetOutboxInvoicePdf"),
    "SetInvoicesTaken": _op([("invoices", "ArrayOfString")], "BoolResult", "SetInvoicesTaken"),
    "SendDocumentResponse": _op(
        [("responses", "ArrayOfDocumentResponseInfo")], "Result", "SendDocumentResponse"
    ),
    "IsEInvoiceUser": _op([("vknTckn", S), ("alias", S)], "BoolResult", "IsEInvoiceUser"),
    "GetUserAliasses": _op([("vknTckn", S)], "AliasResult", "GetUserAliasses"),
    "CancelEArchiveInvoice": _op(
        [("request", "CancelRequest")], "BoolResult", "CancelEArchiveInvoice"
    ),
}
INTEGRATION = Service(
    "Integration",
    "/Services/Integration",
    NS,
    TYPES,
    OPERATIONS,
    qualified=True,
    request_suffix="",
    action_prefix="http://tempuri.org/IIntegration/",
)

# (Status, StatusCode, Message) after each status query
EFATURA_STEPS = [
    ("Queued", 1000, "Kuyrukta"),
    ("SentToGib", 1200, "GİB'e iletildi"),
    ("Approved", 1300, "Alıcıya ulaştı"),
]
TICARI_STEPS = EFATURA_STEPS[:2] + [("WaitingForAprovement", 1300, "Alıcı yanıtı bekleniyor")]
EARCHIVE_STEPS = [("Queued", 100, "Kuyrukta"), ("Approved", 130, "Raporlandı")]


def failure(message):
    return {"IsSucceded": False, "Message": message}


def unpack_compressed(content):
    """[(UBL root, info dict)] of a CompressedSendInvoice zip (InvoiceInfo entries); the info
    dict has the shape SendInvoice's parser gives."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    entries = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            node = etree.fromstring(archive.read(name), parser)
            root = node.find(f"{{{UBL_INVOICE}}}Invoice")
            if root is None:
                root = etree.Element(f"{{{UBL_INVOICE}}}Invoice")
            detached = etree.Element(node.tag, node.attrib)
            detached.extend([child for child in node if child.tag != root.tag])
            info = INTEGRATION.parse(detached, TYPES["InvoiceInfo"])
            entries.append((root, info))
    return entries


class FakeUyumsoft(FakeIntegrator):
    services = (INTEGRATION,)
    status_options = ("code", "message")

    def reset(self):
        super().reset()
        with self.lock:
            self.outbox = {}
            self.inbox = []
            self.responses = []
            self.users = {
                "4840847211": {
                    "title": "UYUMSOFT TEST",
                    "aliases": ["urn:mail:defaultpk@uyumsoft.com.tr"],
                }
            }
            self.counter = itertools.count(1)

    # --- Python API -------------------------------------------------------------------
    def add_user(self, vkn, title, aliases):
        self.users[vkn] = {"title": title, "aliases": list(aliases)}

    def add_incoming(self, xml, sender_vkn, sender_name="", received=None):
        root = etree.fromstring(xml)
        doc = {
            "uuid": root.findtext(f"{{{CBC}}}UUID"),
            "id": root.findtext(f"{{{CBC}}}ID"),
            "profile": root.findtext(f"{{{CBC}}}ProfileID"),
            "xml": xml,
            "sender_vkn": sender_vkn,
            "sender_name": sender_name,
            "taken": False,
            "payable": root.findtext(".//{*}LegalMonetaryTotal/{*}PayableAmount") or "0",
            "cdate": received or datetime.datetime.now(),
            "response": None,
        }
        return self.file_incoming(doc)

    def set_status(self, ettn, status, code=0, message=""):
        self.outbox[ettn]["forced"] = (status, code, message)

    # --- security + faults ------------------------------------------------------------
    def check_header(self, service, operation, header, request):
        token = header.find(f".//{{{WSSE}}}UsernameToken") if header is not None else None
        if token is None:
            raise SoapFault(
                "An error occurred when verifying security for the message.", "a:InvalidSecurity"
            )
        password = token.find(f"{{{WSSE}}}Password")
        if password is None or password.get("Type", PASSWORD_TEXT) != PASSWORD_TEXT:
            raise SoapFault(
                "PasswordDigest is not supported: use PasswordText.", "a:InvalidSecurity"
            )
        if (token.findtext(f"{{{WSSE}}}Username"), password.text) != (USERNAME, PASSWORD):
            raise SoapFault("Kullanıcı adı veya şifre hatalı.", "a:FailedAuthentication")

    def inject(self, fault, service, operation, request):
        kind = fault["kind"]
        result_key = operation + "Result"
        if kind == "invalid_session":
            raise SoapFault(
                "The security token could not be authenticated or authorized.",
                "a:FailedAuthentication",
            )
        if kind == "duplicate":
            return {
                result_key: failure("Mükerrer kayıt: bu ETTN ile daha önce fatura gönderilmiş.")
            }
        if kind == "schematron":
            return {
                result_key: failure(
                    "Şematron doğrulama hatası: " + fault.get("message", "InvoiceIDCheck-1")
                )
            }
        raise SoapFault(fault.get("message", "Sistem hatası"), fault.get("code", "s:Server"))

    # --- operations -------------------------------------------------------------------
    def op_TestConnection(self, request):
        return {"TestConnectionResult": {"IsSucceded": True, "Message": "OK"}}

    def _document(self, info):
        children = (info.get("Invoice") or {}).get("_any", [])
        root = etree.Element(f"{{{UBL_INVOICE}}}Invoice")
        for child in children:
            root.append(child)
        return root

    def op_SendInvoice(self, request):
        infos = (request.get("invoices") or {}).get("InvoiceInfo", [])
        return {"SendInvoiceResult": self._accept([(self._document(i), i) for i in infos])}

    def op_CompressedSendInvoice(self, request):
        data = request.get("data") or {}
        content = data.get("Data") or b""
        expected = hashlib.md5(base64.b64encode(content)).hexdigest()
        if data.get("Hash") and data["Hash"].lower() != expected:
            return {"CompressedSendInvoiceResult": failure("Hash doğrulanamadı.")}
        try:
            entries = unpack_compressed(content)
        except (zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
            return {"CompressedSendInvoiceResult": failure(f"Sıkıştırılmış veri okunamadı: {exc}")}
        return {"CompressedSendInvoiceResult": self._accept(entries)}

    def documents_per_call(self, operation):
        """How many documents each send request carried (batch sizes)."""
        if operation == "CompressedSendInvoice":
            return [
                len(unpack_compressed(r["request"]["data"]["Data"])) for r in self.calls(operation)
            ]
        return [
            len((r["request"].get("invoices") or {}).get("InvoiceInfo", []))
            for r in self.calls(operation)
        ]

    def _refusal(self, root, info, seen):
        ettn, number = root.findtext(f"{{{CBC}}}UUID"), root.findtext(f"{{{CBC}}}ID")
        profile = root.findtext(f"{{{CBC}}}ProfileID")
        if not ettn or not profile:
            return "Şematron doğrulama hatası: UUID veya ProfileID eksik."
        known = {d["id"] for d in self.outbox.values()} | set(self.outbox) | seen
        if ettn in known or number in known:
            return f"Mükerrer kayıt: {number} / {ettn} daha önce gönderilmiş."
        if info.get("Scenario") == "eInvoice" and profile == "EARSIVFATURA":
            return "Senaryo ile profil uyuşmuyor."
        target = info.get("TargetCustomer") or {}
        refusal = profile != "EARSIVFATURA" and receiver_refusal(
            root, target.get("VknTckn"), target.get("Alias")
        )
        if refusal:
            return f"Şematron doğrulama hatası: {refusal}"
        seen.update((ettn, number))
        return None

    def _accept(self, entries):
        """Validate all (root, info) documents, then store all: a request is refused or
        accepted as a whole."""
        with self.lock:
            seen = set()
            for root, info in entries:
                refusal = self._refusal(root, info, seen)
                if refusal:
                    return failure(refusal)
            identities = [self._store(root, info) for root, info in entries]
        return {"IsSucceded": True, "Message": "", "Value": identities}

    def _store(self, root, info):
        ettn, number = root.findtext(f"{{{CBC}}}UUID"), root.findtext(f"{{{CBC}}}ID")
        profile = root.findtext(f"{{{CBC}}}ProfileID")
        earchive = profile == "EARSIVFATURA"
        steps = (
            EARCHIVE_STEPS
            if earchive
            else (TICARI_STEPS if profile == "TICARIFATURA" else EFATURA_STEPS)
        )
        self.outbox[ettn] = {
            "uuid": ettn,
            "id": number,
            "profile": profile,
            "xml": etree.tostring(root, encoding="utf-8"),
            "target": info.get("TargetCustomer") or {},
            "earchive": info.get("EArchiveInvoiceInfo"),
            "scenario": info.get("Scenario"),
            "notification": info.get("Notification"),
            "steps": steps,
            "step": 0,
            "forced": None,
            "kind": "earchive" if earchive else "efatura",
        }
        return {
            "Id": ettn,
            "Number": number,
            "InvoiceScenario": "eArchive" if earchive else "eInvoice",
        }

    def op_QueryOutboxInvoiceStatus(self, request):
        rows = []
        for ettn in (request.get("invoiceIds") or {}).get("string", []):
            doc = self.outbox.get(ettn)
            if not doc:
                continue
            if doc["forced"]:
                status, code, message = doc["forced"]
            else:
                status, code, message = doc["steps"][doc["step"]]
                doc["step"] = min(doc["step"] + 1, len(doc["steps"]) - 1)
            rows.append(
                {
                    "InvoiceId": ettn,
                    "Number": doc["id"],
                    "Status": status,
                    "StatusCode": code,
                    "Message": message,
                }
            )
        return {
            "QueryOutboxInvoiceStatusResult": {"IsSucceded": True, "Message": "", "Value": rows}
        }

    def op_GetInboxInvoiceList(self, request):
        query = request.get("query") or {}
        size = int(query.get("PageSize") or 20)
        index = int(query.get("PageIndex") or 0)
        docs = [
            d
            for d in self.inbox
            if not d["taken"] or str(query.get("OnlyNewestInvoices")).lower() != "true"
        ]
        page = docs[index * size : (index + 1) * size]
        items = [
            {
                "InvoiceId": d["uuid"],
                "DocumentId": d["id"],
                "TargetTcknVkn": d["sender_vkn"],
                "TargetTitle": d["sender_name"],
                "Type": d["profile"],
                "CreateDateUtc": d["cdate"].isoformat(),
                "Status": d["response"] or "Approved"
                if d["profile"] != "TICARIFATURA"
                else d["response"] or "WaitingForAprovement",
                "PayableAmount": d["payable"],
                "IsNew": not d["taken"],
            }
            for d in page
        ]
        return {
            "GetInboxInvoiceListResult": {
                "IsSucceded": True,
                "Message": "",
                "Value": {
                    "TotalCount": len(docs),
                    "TotalPages": -(-len(docs) // size),
                    "PageIndex": index,
                    "PageSize": size,
                    "Items": items,
                },
            }
        }

    def _inbox_doc(self, ettn):
        return next((d for d in self.inbox if d["uuid"] == ettn), None)

    def op_GetInboxInvoiceData(self, request):
        doc = self._inbox_doc(request.get("invoiceId"))
        if not doc:
            return {"GetInboxInvoiceDataResult": failure("Fatura bulunamadı.")}
        return {
            "GetInboxInvoiceDataResult": {
                "IsSucceded": True,
                "Message": "",
                "Value": {"FileName": doc["uuid"] + ".xml", "Data": doc["xml"]},
            }
        }

    def op_GetInboxInvoicePdf(self, request):
        doc = self._inbox_doc(request.get("invoiceId"))
        if not doc:
            return {"GetInboxInvoicePdfResult": failure("Fatura bulunamadı.")}
        return {
            "GetInboxInvoicePdfResult": {
                "IsSucceded": True,
                "Message": "",
                "Value": {"FileName": doc["uuid"] + ".pdf", "Data": fake_pdf(doc["uuid"])},
            }
        }

    def op_GetOutboxInvoicePdf(self, request):
        doc = self.outbox.get(request.get("invoiceId"))
        if not doc:
            return {"GetOutboxInvoicePdfResult": failure("Fatura bulunamadı.")}
        return {
            "GetOutboxInvoicePdfResult": {
                "IsSucceded": True,
                "Message": "",
                "Value": {"FileName": doc["uuid"] + ".pdf", "Data": fake_pdf(doc["uuid"])},
            }
        }

    def op_SetInvoicesTaken(self, request):
        wanted = set((request.get("invoices") or {}).get("string", []))
        for doc in self.inbox:
            if doc["uuid"] in wanted:
                doc["taken"] = True
        return {"SetInvoicesTakenResult": {"IsSucceded": True, "Message": "", "Value": True}}

    def op_SendDocumentResponse(self, request):
        infos = (request.get("responses") or {}).get("DocumentResponseInfo", [])
        for info in infos:
            doc = self._inbox_doc(info.get("InvoiceId"))
            if not doc:
                return {"SendDocumentResponseResult": failure("Fatura bulunamadı.")}
            if doc["profile"] != "TICARIFATURA":
                return {
                    "SendDocumentResponseResult": failure(
                        "Yalnızca ticari faturalara yanıt verilebilir."
                    )
                }
            if doc["response"]:
                return {
                    "SendDocumentResponseResult": failure("Bu faturaya daha önce yanıt verilmiş.")
                }
            if datetime.datetime.now() - doc["cdate"] > datetime.timedelta(days=8):
                return {"SendDocumentResponseResult": failure("8 günlük yanıt süresi doldu.")}
            if info.get("ResponseStatus") not in ("Approved", "Declined"):
                return {"SendDocumentResponseResult": failure("Geçersiz yanıt durumu.")}
            doc["response"] = info["ResponseStatus"]
            self.responses.append(
                {
                    "uuid": doc["uuid"],
                    "status": info["ResponseStatus"],
                    "reason": info.get("Reason", ""),
                }
            )
        return {"SendDocumentResponseResult": {"IsSucceded": True, "Message": ""}}

    def op_IsEInvoiceUser(self, request):
        user = self.users.get(request.get("vknTckn"))
        alias = request.get("alias")
        registered = bool(user) and (not alias or alias in user["aliases"])
        return {"IsEInvoiceUserResult": {"IsSucceded": True, "Message": "", "Value": registered}}

    def op_GetUserAliasses(self, request):
        user = self.users.get(request.get("vknTckn"))
        if not user:
            return {
                "GetUserAliassesResult": {
                    "IsSucceded": True,
                    "Message": "",
                    "Value": {"Receiverbox": []},
                }
            }
        return {
            "GetUserAliassesResult": {
                "IsSucceded": True,
                "Message": "",
                "Value": {
                    "Title": user["title"],
                    "Receiverbox": [
                        {"Alias": a, "Enabled": True, "CreationTime": "2020-01-01T00:00:00"}
                        for a in user["aliases"]
                    ],
                },
            }
        }

    def op_CancelEArchiveInvoice(self, request):
        ettn = (request.get("request") or {}).get("InvoiceId")
        doc = self.outbox.get(ettn)
        if not doc or doc["kind"] != "earchive":
            return {"CancelEArchiveInvoiceResult": failure("e-Arşiv faturası bulunamadı.")}
        if doc.get("cancelled"):
            return {"CancelEArchiveInvoiceResult": failure("Fatura zaten iptal edilmiş.")}
        doc["cancelled"] = True
        doc["forced"] = ("EArchivedCanceled", 150, "İptal edildi")
        return {"CancelEArchiveInvoiceResult": {"IsSucceded": True, "Message": "", "Value": True}}


def start(port=0, host="127.0.0.1"):
    """Start a fake Uyumsoft in a background thread; ``.url``, ``.stop()``."""
    return FakeUyumsoft(host, port).start()


def main(argv=None):
    serve_cli(FakeUyumsoft, "Fake Uyumsoft Integration SOAP service", 8072, argv)


if __name__ == "__main__":
    main()

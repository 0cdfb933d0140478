"""İzibiz adapter against the local fake İzibiz (real zeep client over 127.0.0.1)."""

import datetime
import functools
import uuid

import pytest
from l10n_tr_efatura.lib.codes import GTB_EXPORT_ALIAS, GTB_NAME, GTB_VKN
from l10n_tr_efatura.lib.integrators import (
    DUPLICATE,
    DUPLICATE_ELSEWHERE,
    FAILED,
    SENT,
    UNKNOWN,
    AuthenticationError,
    DocumentRejected,
    IntegratorError,
    OutcomeUnknown,
    OutgoingDocument,
    ServiceUnavailable,
    get_provider,
)
from l10n_tr_efatura.lib.integrators.izibiz import (
    IzibizProvider,
    map_earchive_status,
    map_efatura_status,
)

from tests import integrator_helpers as helpers
from tests.fakes import izibiz as fake_izibiz
from tests.fakes.httpfake import serving
from tests.fakes.ubl_samples import sample_invoice
from tests.integrator_helpers import invoice, outcomes

BUYER_VKN = "4840847211"
BUYER_PK = fake_izibiz.TEST_PK


@pytest.fixture(scope="module")
def server():
    yield from serving(fake_izibiz.FakeIzibiz())


@pytest.fixture
def fake(server):
    server.reset()
    IzibizProvider.forget_sessions()
    return server


def provider(fake, timeout=5, password=fake_izibiz.PASSWORD, logs=None):
    return get_provider(
        "izibiz",
        username=fake_izibiz.USERNAME,
        password=password,
        timeout=timeout,
        urls={
            "auth": fake.wsdl_url("AuthenticationWS"),
            "einvoice": fake.wsdl_url("EInvoiceWS"),
            "earchive": fake.wsdl_url("EFaturaArchive"),
        },
        sender_vat="4840847211",
        sender_alias=fake_izibiz.TEST_GB,
        log_callback=logs.append if logs is not None else None,
    )


def test_check_user_registered_and_unknown(fake):
    p = provider(fake)
    user = p.check_user(BUYER_VKN)
    assert user.registered and user.default_alias == BUYER_PK
    assert user.aliases == [BUYER_PK]  # the GB (sender) alias is not a receiver mailbox
    assert not p.check_user("1111111111").registered


def test_gib_user_list(fake):
    fake.add_user(
        "1234567803", "ALICI LTD", ["urn:mail:satinalma@alici.com", "urn:mail:defaultpk@alici.com"]
    )
    users = provider(fake).gib_user_list()
    assert users["1234567803"].default_alias == "urn:mail:defaultpk@alici.com"
    assert users[BUYER_VKN].aliases == [BUYER_PK]


def test_session_is_reused(fake):
    p = provider(fake)
    p.check_user(BUYER_VKN)
    p.check_user(BUYER_VKN)
    provider(fake).check_user(BUYER_VKN)  # another instance shares the session
    assert len(fake.calls("Login")) == 1
    assert len(fake.calls("CheckUser")) == 3


def test_invalid_session_logs_in_again(fake):
    p = provider(fake)
    p.check_user(BUYER_VKN)
    fake.add_fault("CheckUser", "invalid_session")
    assert p.check_user(BUYER_VKN).registered
    assert len(fake.calls("Login")) == 2
    assert len(fake.calls("CheckUser")) == 3  # failed call + retry


def test_wrong_password(fake):
    with pytest.raises(AuthenticationError) as info:
        provider(fake, password="wrong").check_user(BUYER_VKN)
    assert info.value.code == "10002"


def test_send_efatura_then_status_to_delivered(fake):
    xml, ettn = invoice()
    p = provider(fake)
    result = p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert (result.state, result.gib_number, result.duplicate) == (
        "sent",
        "EFT2026000000001",
        False,
    )
    request = fake.calls("SendInvoice")[0]["request"]
    assert request["RECEIVER"] == {"vkn": BUYER_VKN, "alias": BUYER_PK}
    assert request["REQUEST_HEADER"]["COMPRESSED"] == "N"
    assert fake.document(ettn)["xml"] == xml
    states = [p.get_status(ettn) for _ in range(3)]
    assert [(s.state, s.final) for s in states] == [
        ("processing", False),
        ("accepted", False),
        ("delivered", True),
    ]
    assert states[2].raw_code == "110/1300"
    assert "ALICIDAN YANIT BEKLİYOR" in states[2].raw_message


def test_commercial_invoice_rejected_by_buyer(fake):
    xml, ettn = invoice(profile="TICARIFATURA")
    p = provider(fake)
    p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert p.get_status(ettn).state == "processing"
    fake.set_status(ettn, "111", "ALICIDAN ONAY BEKLİYOR", "1300")
    waiting = p.get_status(ettn)
    assert (waiting.state, waiting.final) == ("delivered", False)
    fake.set_status(ettn, "120", "RET EDİLDİ", "1300")
    rejected = p.get_status(ettn)
    assert (rejected.state, rejected.final, rejected.response) == ("rejected", True, "RED")


def test_send_twice_is_a_duplicate_not_a_second_document(fake):
    xml, ettn = invoice()
    p = provider(fake)
    p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    again = p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert again.duplicate and again.raw_code == "10009"
    assert len(fake.outbox) == 1


def test_injected_duplicate_answer(fake):
    fake.add_fault("SendInvoice", "duplicate")
    xml, ettn = invoice()
    result = provider(fake).send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert result.duplicate and result.state == "sent"


def test_schematron_rejection(fake):
    fake.add_fault("SendInvoice", "schematron", message="InvoiceIDCheck-1")
    xml, ettn = invoice()
    with pytest.raises(DocumentRejected) as info:
        provider(fake).send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert info.value.code == "10003" and "InvoiceIDCheck-1" in info.value.message
    assert not fake.outbox


def test_broken_xml_is_rejected_by_the_integrator(fake):
    with pytest.raises(DocumentRejected):
        provider(fake).send_invoice(b"<Invoice>", "x", "EFT2026000000001", BUYER_VKN, BUYER_PK)


def test_soap_fault(fake):
    fake.add_fault("SendInvoice", "soap_fault", code="10001", message="Beklenmedik hata")
    xml, ettn = invoice()
    with pytest.raises(IntegratorError) as info:
        provider(fake).send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert (info.value.code, info.value.message) == ("10001", "Beklenmedik hata")
    assert not isinstance(info.value, OutcomeUnknown)


def test_http_error(fake):
    fake.add_fault("GetInvoiceStatus", "http_error", status=503)
    with pytest.raises(IntegratorError) as info:
        provider(fake).get_status(str(uuid.uuid4()))
    assert info.value.code == "HTTP503"


def test_timeout_after_accepting_is_resolved_by_status(fake):
    xml, ettn = invoice()
    p = provider(fake, timeout=0.5)
    p.check_user(BUYER_VKN)  # WSDLs and session ready
    fake.add_fault("SendInvoice", "timeout", delay=1.5)
    with pytest.raises(OutcomeUnknown) as info:
        p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert info.value.code == "TIMEOUT"
    status = p.get_status(ettn)
    assert status.found and status.state == "processing"
    assert len(fake.outbox) == 1


def test_timeout_before_processing_leaves_nothing(fake):
    xml, ettn = invoice()
    p = provider(fake, timeout=0.5)
    p.check_user(BUYER_VKN)
    fake.add_fault("SendInvoice", "timeout", delay=1.0, process=False)
    with pytest.raises(OutcomeUnknown):
        p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert not p.get_status(ettn).found
    assert not fake.outbox


def test_lost_response_after_accepting(fake):
    xml, ettn = invoice()
    p = provider(fake)
    fake.add_fault("SendInvoice", "lost_response")
    with pytest.raises(OutcomeUnknown) as info:
        p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert info.value.code == "LOST"
    assert p.get_status(ettn).found
    # a retry by mistake is answered as a duplicate: still one document
    assert p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK).duplicate
    assert len(fake.outbox) == 1


def test_unreachable_service():
    p = get_provider(
        "izibiz",
        username="u",
        password="p",
        timeout=1,
        urls={"auth": "http://127.0.0.1:9/AuthenticationWS?wsdl"},
    )
    with pytest.raises(ServiceUnavailable):
        p.check_user(BUYER_VKN)


def test_earchive_internet_sale_status_cancel_and_pdf(fake):
    ettn = str(uuid.uuid4())
    xml = sample_invoice(
        number="EAR2026000000001",
        ettn=ettn,
        profile="EARSIVFATURA",
        customer=("11111111111", "Ayşe Yılmaz"),
    )
    p = provider(fake)
    result = p.send_earchive(
        xml,
        ettn,
        "EAR2026000000001",
        internet_sale={
            "website": "https://shop.example.com.tr",
            "payment_method": "KREDIKARTI/BANKAKARTI",
        },
        email="ayse@example.com",
    )
    assert result.state == "sent"
    props = fake.calls("WriteToArchieveExtended")[0]["request"]["ArchiveInvoiceExtendedContent"][
        "INVOICE_PROPERTIES"
    ][0]
    assert props["EARSIV_PROPERTIES"]["EARSIV_TYPE"] == "INTERNET"
    assert props["EARSIV_PROPERTIES"]["EARSIV_EMAIL"] == ["ayse@example.com"]
    assert [p.get_status(ettn, earchive=True).state for _ in range(2)] == ["processing", "accepted"]
    reported = p.get_status(ettn, earchive=True)
    assert (reported.state, reported.final, reported.raw_code) == ("accepted", True, "130")
    assert p.get_pdf(ettn, earchive=True).startswith(b"%PDF")
    assert p.cancel_earchive(ettn, "EAR2026000000001", reason="Müşteri iadesi", amount=240)
    cancelled = p.get_status(ettn, earchive=True)
    assert (cancelled.state, cancelled.final) == ("cancelled", True)
    assert fake.document(ettn)["cancelled"] == "Müşteri iadesi"
    with pytest.raises(IntegratorError) as info:
        p.cancel_earchive(ettn, "EAR2026000000001")
    assert info.value.code == "10011"


def test_earchive_paper_delivery_and_unknown_status(fake):
    ettn = str(uuid.uuid4())
    xml = sample_invoice(number="EAR2026000000002", ettn=ettn, profile="EARSIVFATURA")
    p = provider(fake)
    p.send_earchive(xml, ettn, "EAR2026000000002", delivery="paper", email="x@example.com")
    props = fake.calls("WriteToArchieveExtended")[0]["request"]["ArchiveInvoiceExtendedContent"][
        "INVOICE_PROPERTIES"
    ][0]["EARSIV_PROPERTIES"]
    assert props["EARSIV_TYPE"] == "NORMAL" and props["EARSIV_EMAIL_FLAG"] == "N"
    assert not p.get_status(str(uuid.uuid4()), earchive=True).found


def test_inbox_page_by_page_and_marking(fake):
    for index in range(3):
        fake.add_incoming(
            sample_invoice(
                number=f"SAT202600000000{index + 1}",
                supplier=("1234567803", "SATICI A.Ş."),
                customer=("4840847211", "Biz"),
            ),
            "1234567803",
            "SATICI A.Ş.",
        )
    p = provider(fake)
    first = p.fetch_inbox(limit=2)
    assert len(first.documents) == 2 and first.has_more
    doc = first.documents[0]
    assert (doc.sender_vat, doc.profile, doc.gib_number) == (
        "1234567803",
        "TEMELFATURA",
        "SAT2026000000001",
    )
    assert doc.xml.startswith(b"<?xml") and b"SAT2026000000001" in doc.xml
    p.mark_fetched(first.documents)
    second = p.fetch_inbox(limit=2)
    assert [d.gib_number for d in second.documents] == ["SAT2026000000003"]
    assert not second.has_more
    p.mark_fetched(second.documents)
    assert not p.fetch_inbox(limit=2).documents
    assert p.get_pdf(doc.ettn, direction="IN").startswith(b"%PDF")


def test_commercial_invoice_answers(fake):
    ticari = fake.add_incoming(sample_invoice(profile="TICARIFATURA"), "1234567803")
    temel = fake.add_incoming(sample_invoice(number="SAT2026000000009"), "1234567803")
    late = fake.add_incoming(
        sample_invoice(number="SAT2026000000010", profile="TICARIFATURA"),
        "1234567803",
        received=datetime.datetime.now() - datetime.timedelta(days=9),
    )
    p = provider(fake)
    assert p.respond(ticari["uuid"], accept=False, reason="Fiyat hatalı")
    assert fake.responses == [
        {"uuid": ticari["uuid"], "status": "RED", "description": "Fiyat hatalı"}
    ]
    with pytest.raises(DocumentRejected):
        p.respond(ticari["uuid"], accept=True)  # only one answer per invoice
    with pytest.raises(IntegratorError):
        p.respond(temel["uuid"], accept=True)
    with pytest.raises(IntegratorError) as info:
        p.respond(late["uuid"], accept=True)
    assert "8" in info.value.message


def test_call_log_is_redacted(fake):
    logs = []
    xml, ettn = invoice()
    provider(fake, logs=logs).send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert [e["operation"] for e in logs] == ["Login", "SendInvoice"]
    assert all(e["result"] == "ok" and e["duration_ms"] >= 0 for e in logs)
    assert fake_izibiz.PASSWORD not in logs[0]["payload"]
    assert "<PASSWORD>***</PASSWORD>" in logs[0]["payload"]
    assert "base64 chars" in logs[1]["payload"]


@pytest.mark.parametrize(
    "status,gib,response,expected",
    [
        ("101", "", "", ("processing", False)),
        ("109", "1200", "", ("accepted", False)),
        ("110", "1300", "", ("delivered", True)),
        ("111", "1300", "", ("delivered", False)),
        ("112", "1300", "KABUL", ("delivered", True)),
        ("120", "1300", "RED", ("rejected", True)),
        ("136", "", "", ("error", True)),
        ("109", "1150", "", ("error", True)),
        ("SEND_WAIT_APPLICATION_RESPONSE", "", "", ("delivered", False)),
    ],
)
def test_efatura_status_mapping(status, gib, response, expected):
    assert map_efatura_status(status, gib, response) == expected


def test_earchive_status_mapping():
    assert map_earchive_status("100") == ("processing", False)
    assert map_earchive_status("120") == ("accepted", False)
    assert map_earchive_status("130") == ("accepted", True)
    assert map_earchive_status("150") == ("cancelled", True)


def test_unknown_integrator():
    with pytest.raises(ValueError):
        get_provider("nope", username="u", password="p")


# --- batches ----------------------------------------------------------------------------


documents = functools.partial(helpers.documents, receiver=(BUYER_VKN, BUYER_PK))


def test_batch_efatura_one_request_per_receiver_and_size(fake):
    other_pk = "urn:mail:defaultpk@marmara.example.com"
    docs = documents(5) + documents(2, start=6, receiver=("7345120982", other_pk))
    results = provider(fake).send_documents(docs, batch_size=3)
    assert outcomes(results) == [SENT] * 7
    assert [r.gib_number for r in results] == [d.gib_number for d in docs]
    # 5 for the first mailbox in requests of 3 + 2, 2 for the second mailbox
    assert fake.documents_per_call("SendInvoice") == [3, 2, 2]
    receivers = [c["request"]["RECEIVER"]["alias"] for c in fake.calls("SendInvoice")]
    assert receivers == [BUYER_PK, BUYER_PK, other_pk]
    assert len(fake.outbox) == 7


def test_batch_earchive_in_one_request(fake):
    docs = documents(4, earchive=True)
    results = provider(fake).send_documents(docs)
    assert outcomes(results) == [SENT] * 4
    assert fake.documents_per_call("WriteToArchieveExtended") == [4]
    stored = fake.document(docs[0].ettn)
    assert stored["earsiv"]["EARSIV_EMAIL"] == ["ayse@example.com"]


def test_batch_split_by_size_in_bytes(fake):
    docs = documents(3, earchive=True)
    p = provider(fake)
    p.max_batch_bytes = len(docs[0].xml) * 2 + 10
    assert [len(chunk) for chunk in p.split_batches(docs)] == [2, 1]


def test_batch_with_one_bad_document(fake):
    docs = documents(3, earchive=True)
    docs[1].xml = b"<Invoice>not UBL</Invoice>"
    results = provider(fake).send_documents(docs)
    assert outcomes(results) == [SENT, FAILED, SENT]
    assert results[1].raw_code == "10003"
    # refused as a whole, one status query for all, then one by one
    assert fake.documents_per_call("WriteToArchieveExtended") == [3, 1, 1, 1]
    assert len(fake.calls("GetEArchiveInvoiceStatus")) == 1
    assert sorted(fake.outbox) == sorted([docs[0].ettn, docs[2].ettn])


def test_batch_with_an_already_sent_document(fake):
    docs = documents(3)
    p = provider(fake)
    assert outcomes(p.send_documents(docs[1:2])) == [SENT]
    results = p.send_documents(docs)
    assert outcomes(results) == [SENT, DUPLICATE, SENT]
    assert results[1].status.found and results[1].status.state == "processing"
    assert fake.documents_per_call("SendInvoice") == [1, 3, 1, 1]
    assert len(fake.outbox) == 3


def test_batch_timeout_after_accepting_is_resolved_by_status(fake):
    docs = documents(3)
    p = provider(fake, timeout=0.5)
    p.check_user(BUYER_VKN)
    fake.add_fault("SendInvoice", "timeout", delay=1.5)
    results = p.send_documents(docs)
    assert outcomes(results) == [SENT] * 3
    assert {r.status.state for r in results} == {"processing"}
    assert len(fake.calls("SendInvoice")) == 1
    assert len(fake.calls("GetInvoiceStatus")) == 3


def test_batch_timeout_before_processing_is_never_resent(fake):
    docs = documents(3, earchive=True)
    p = provider(fake, timeout=0.5)
    p.check_user(BUYER_VKN)
    fake.add_fault("WriteToArchieveExtended", "timeout", delay=1.0, process=False)
    results = p.send_documents(docs)
    assert outcomes(results) == [UNKNOWN] * 3
    assert {r.raw_code for r in results} == {"TIMEOUT"}
    assert len(fake.calls("WriteToArchieveExtended")) == 1
    assert not fake.outbox


def test_batch_unreachable_or_wrong_password_fails_every_document(fake):
    docs = documents(2)
    results = provider(fake, password="wrong").send_documents(docs)
    assert outcomes(results) == [FAILED, FAILED]
    assert {r.raw_code for r in results} == {"10002"}
    assert not fake.outbox


def test_duplicate_answer_counts_as_sent_only_for_our_ettn(fake):
    p = provider(fake)
    held = documents(1)[0]
    assert outcomes(p.send_documents([held])) == [SENT]
    # the same ETTN again: the integrator holds it, "already sent" with its status
    again = p.send_documents([held])[0]
    assert again.outcome == DUPLICATE and again.status.found
    # another document (new ETTN) under the number the integrator already holds: an error
    xml, ettn = invoice(held.gib_number)
    clash = OutgoingDocument(
        ettn=ettn,
        gib_number=held.gib_number,
        xml=xml,
        receiver_vat=BUYER_VKN,
        receiver_alias=BUYER_PK,
    )
    result = p.send_documents([clash])[0]
    assert result.outcome == FAILED and not result.ok
    assert result.raw_code == DUPLICATE_ELSEWHERE
    assert ettn in result.raw_message and "10009" not in result.raw_code
    assert list(fake.outbox) == [held.ettn]


# ------------------------------------------------------------------ gateways, lost answers
@pytest.mark.parametrize("html", ["xhtml", "nginx"])
@pytest.mark.parametrize("process", [True, False])
def test_gateway_html_502_is_an_unknown_outcome_not_a_crash(fake, html, process):
    xml, ettn = invoice()
    p = provider(fake)
    fake.add_fault("SendInvoice", "gateway", status=502, html=html, process=process)
    with pytest.raises(OutcomeUnknown) as info:
        p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert info.value.code == "HTTP502"
    assert p.logger.entries[-1]["result"] == "unknown"
    # the status query tells what happened behind the gateway
    assert p.get_status(ettn).found is process
    assert len(fake.outbox) == int(process)


@pytest.mark.parametrize("html", ["xhtml", "nginx"])
def test_send_documents_behind_a_gateway_resolves_by_status(fake, html):
    document = documents(1)[0]
    fake.add_fault("SendInvoice", "gateway", html=html, process=True)
    [result] = provider(fake).send_documents([document])
    assert result.outcome == SENT and result.status.found


def test_lost_send_and_failing_status_query_stay_unknown(fake):
    document = documents(1)[0]
    ettn = document.ettn
    p = provider(fake)
    fake.add_fault("SendInvoice", "lost_response")
    fake.add_fault("GetInvoiceStatus", "http_error", status=503)
    [result] = p.send_documents([document])
    assert result.outcome == UNKNOWN, "the integrator may hold it: never an error"
    assert len(fake.outbox) == 1
    assert p.get_status(ettn).found  # the next poll resolves it


def test_gateway_page_on_a_status_query_is_unknown(fake):
    fake.add_fault("GetInvoiceStatus", "gateway", status=504)
    with pytest.raises(OutcomeUnknown) as info:
        provider(fake).get_status(str(uuid.uuid4()))
    assert info.value.code == "HTTP504"


def _export_invoice(number="IHR2026000000001"):
    """An IHRACAT document: its customer party is the customs administration (GTB)."""
    ettn = str(uuid.uuid4())
    return sample_invoice(
        number=number, ettn=ettn, profile="IHRACAT", customer=(GTB_VKN, GTB_NAME)
    ), ettn


def test_export_invoice_goes_to_the_customs_mailbox(fake):
    docs = []
    for number in ("IHR2026000000001", "IHR2026000000002"):
        xml, ettn = _export_invoice(number)
        docs.append(OutgoingDocument(ettn=ettn, gib_number=number, xml=xml, export=True))
    assert (docs[0].receiver_vat, docs[0].receiver_alias) == (
        "1460415308",
        "urn:mail:ihracatpk@gtb.gov.tr",
    )
    results = provider(fake).send_documents(docs)
    assert [r.outcome for r in results] == [SENT, SENT]
    # one SendInvoice to GTB's mailbox, never to the foreign buyer
    assert fake.documents_per_call("SendInvoice") == [2]
    assert fake.calls("SendInvoice")[0]["request"]["RECEIVER"] == {
        "vkn": "1460415308",
        "alias": "urn:mail:ihracatpk@gtb.gov.tr",
    }
    assert fake.document(docs[1].ettn)["receiver"]["alias"] == GTB_EXPORT_ALIAS


def test_export_invoice_to_the_buyer_is_refused(fake):
    xml, ettn = _export_invoice()
    with pytest.raises(DocumentRejected) as info:
        provider(fake).send_invoice(xml, ettn, "IHR2026000000001", BUYER_VKN, BUYER_PK)
    assert "DocumentReceiverCheck" in info.value.message
    assert not fake.outbox

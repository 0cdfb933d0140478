"""Uyumsoft adapter against the local fake Uyumsoft (real zeep client, WS-Security)."""

import datetime
import functools
import io
import uuid
import zipfile

import pytest
from l10n_tr_efatura.lib.codes import GTB_NAME, GTB_VKN
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
    get_provider,
)
from l10n_tr_efatura.lib.integrators.uyumsoft import compress_documents, data_hash, map_status
from lxml import etree

from tests import integrator_helpers as helpers
from tests.fakes import uyumsoft as fake_uyumsoft
from tests.fakes.httpfake import serving
from tests.fakes.ubl_samples import CBC, sample_invoice
from tests.integrator_helpers import invoice, outcomes

BUYER_VKN = "4840847211"
BUYER_PK = "urn:mail:defaultpk@uyumsoft.com.tr"


@pytest.fixture(scope="module")
def server():
    yield from serving(fake_uyumsoft.FakeUyumsoft())


@pytest.fixture
def fake(server):
    server.reset()
    return server


def provider(fake, timeout=5, password=fake_uyumsoft.PASSWORD, logs=None):
    return get_provider(
        "uyumsoft",
        username=fake_uyumsoft.USERNAME,
        password=password,
        timeout=timeout,
        urls={"integration": fake.wsdl_url("Integration")},
        log_callback=logs.append if logs is not None else None,
    )


def test_ws_security_password_text(fake):
    assert provider(fake).test_connection()
    raw = fake.calls("TestConnection")[0]["raw"]
    assert b"UsernameToken" in raw and b"#PasswordText" in raw


def test_wrong_password(fake):
    with pytest.raises(AuthenticationError):
        provider(fake, password="bad").test_connection()


def test_invalid_session_fault(fake):
    fake.add_fault("GetUserAliasses", "invalid_session")
    with pytest.raises(AuthenticationError):
        provider(fake).check_user(BUYER_VKN)


def test_check_user(fake):
    fake.add_user(
        "1234567803", "ALICI", ["urn:mail:fatura@alici.com", "urn:mail:defaultpk@alici.com"]
    )
    p = provider(fake)
    user = p.check_user("1234567803")
    assert user.registered and user.default_alias == "urn:mail:defaultpk@alici.com"
    assert user.title == "ALICI"
    assert not p.check_user("1111111111").registered
    assert p.is_einvoice_user("1234567803") and not p.is_einvoice_user("1111111111")


def test_send_efatura_typed_ubl_then_status(fake):
    xml, ettn = invoice()
    p = provider(fake)
    result = p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert (result.ettn, result.gib_number, result.duplicate) == (ettn, "EFT2026000000001", False)
    stored = fake.document(ettn)
    assert stored["target"] == {"VknTckn": BUYER_VKN, "Alias": BUYER_PK}
    assert stored["scenario"] == "eInvoice"
    # the UBL travelled as typed XML: same invoice lines on the other side
    assert etree.fromstring(stored["xml"]).findtext(f"{{{CBC}}}UUID") == ettn
    assert etree.fromstring(stored["xml"]).findtext(f".//{{{CBC}}}PayableAmount") == "240.00"
    assert [(s.state, s.final) for s in (p.get_status(ettn) for _ in range(3))] == [
        ("processing", False),
        ("accepted", False),
        ("delivered", True),
    ]


def test_declined_commercial_invoice(fake):
    xml, ettn = invoice(profile="TICARIFATURA")
    p = provider(fake)
    p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    fake.set_status(ettn, "WaitingForAprovement", 1300)
    assert (p.get_status(ettn).state, p.get_status(ettn).final) == ("delivered", False)
    fake.set_status(ettn, "Declined", 1300, "Alıcı reddetti")
    status = p.get_status(ettn)
    assert (status.state, status.final, status.response) == ("rejected", True, "RED")
    assert status.raw_message == "Alıcı reddetti"


def test_duplicate_is_already_sent(fake):
    xml, ettn = invoice()
    p = provider(fake)
    p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK).duplicate
    fake.add_fault("SendInvoice", "duplicate")
    other, other_ettn = invoice("EFT2026000000002")
    assert p.send_invoice(other, other_ettn, "EFT2026000000002", BUYER_VKN, BUYER_PK).duplicate
    assert list(fake.outbox) == [ettn]


def test_schematron_rejection(fake):
    fake.add_fault("SendInvoice", "schematron", message="InvoiceIDCheck-1")
    xml, ettn = invoice()
    with pytest.raises(DocumentRejected) as info:
        provider(fake).send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert "InvoiceIDCheck-1" in info.value.message
    assert not fake.outbox


def test_soap_fault(fake):
    fake.add_fault("QueryOutboxInvoiceStatus", "soap_fault", message="Sunucu hatası")
    with pytest.raises(IntegratorError) as info:
        provider(fake).get_status(str(uuid.uuid4()))
    assert info.value.message == "Sunucu hatası"


def test_timeout_then_status_query(fake):
    xml, ettn = invoice()
    p = provider(fake, timeout=0.5)
    p.test_connection()
    fake.add_fault("SendInvoice", "timeout", delay=1.5)
    with pytest.raises(OutcomeUnknown):
        p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert p.get_status(ettn).found
    assert len(fake.outbox) == 1


def test_lost_response_then_status_query(fake):
    xml, ettn = invoice()
    p = provider(fake)
    fake.add_fault("SendInvoice", "lost_response")
    with pytest.raises(OutcomeUnknown):
        p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert p.get_status(ettn).found


def test_timeout_without_processing_is_not_found(fake):
    xml, ettn = invoice()
    p = provider(fake, timeout=0.5)
    p.test_connection()
    fake.add_fault("SendInvoice", "timeout", delay=1.0, process=False)
    with pytest.raises(OutcomeUnknown):
        p.send_invoice(xml, ettn, "EFT2026000000001", BUYER_VKN, BUYER_PK)
    assert not p.get_status(ettn).found


def test_earchive_internet_sale_cancel_pdf(fake):
    ettn = str(uuid.uuid4())
    xml = sample_invoice(number="EAR2026000000001", ettn=ettn, profile="EARSIVFATURA")
    p = provider(fake)
    p.send_earchive(
        xml,
        ettn,
        "EAR2026000000001",
        internet_sale={
            "website": "https://shop.example.com.tr",
            "payment_method": "KREDIKARTI/BANKAKARTI",
            "payment_agent": "iyzico",
            "payment_date": datetime.date(2026, 1, 15),
        },
        email="ayse@example.com",
    )
    stored = fake.document(ettn)
    assert stored["scenario"] == "eArchive"
    assert stored["earchive"]["DeliveryType"] == "Electronic"
    assert stored["earchive"]["InternetSalesInfo"] == {
        "WebAddress": "https://shop.example.com.tr",
        "PaymentMidierName": "iyzico",
        "PaymentType": "KREDIKARTI/BANKAKARTI",
        "PaymentDate": "2026-01-15",
    }
    assert stored["notification"]["Mailing"][0]["To"] == "ayse@example.com"
    assert [p.get_status(ettn, earchive=True).state for _ in range(2)] == ["processing", "accepted"]
    assert p.get_pdf(ettn).startswith(b"%PDF")
    assert p.cancel_earchive(ettn, "EAR2026000000001", reason="İptal")
    status = p.get_status(ettn, earchive=True)
    assert (status.state, status.final) == ("cancelled", True)
    with pytest.raises(IntegratorError):
        p.cancel_earchive(ettn, "EAR2026000000001")


def test_paper_earchive(fake):
    ettn = str(uuid.uuid4())
    xml = sample_invoice(number="EAR2026000000002", ettn=ettn, profile="EARSIVFATURA")
    provider(fake).send_earchive(xml, ettn, "EAR2026000000002", delivery="paper")
    assert fake.document(ettn)["earchive"] == {"DeliveryType": "Paper"}


def test_inbox_pages_and_taken(fake):
    for index in range(3):
        fake.add_incoming(
            sample_invoice(number=f"SAT202600000000{index + 1}", supplier=("1234567803", "SATICI")),
            "1234567803",
            "SATICI",
        )
    p = provider(fake)
    first = p.fetch_inbox(limit=2)
    assert [d.gib_number for d in first.documents] == ["SAT2026000000001", "SAT2026000000002"]
    assert first.remaining == 1 and first.documents[0].sender_vat == "1234567803"
    assert b"SAT2026000000001" in first.documents[0].xml
    p.mark_fetched(first.documents)
    second = p.fetch_inbox(limit=2)
    assert [d.gib_number for d in second.documents] == ["SAT2026000000003"]
    assert not second.has_more
    p.mark_fetched(second.documents)
    assert not p.fetch_inbox(limit=2).documents
    assert p.get_pdf(first.documents[0].ettn, direction="IN").startswith(b"%PDF")


def test_document_responses(fake):
    ticari = fake.add_incoming(sample_invoice(profile="TICARIFATURA"), "1234567803")
    temel = fake.add_incoming(sample_invoice(number="SAT2026000000002"), "1234567803")
    p = provider(fake)
    assert p.respond(ticari["uuid"], accept=True)
    assert fake.responses[0]["status"] == "Approved"
    with pytest.raises(DocumentRejected):
        p.respond(ticari["uuid"], accept=False, reason="x")
    with pytest.raises(DocumentRejected):
        p.respond(temel["uuid"], accept=False, reason="x")


def test_log_has_no_password(fake):
    logs = []
    provider(fake, logs=logs).test_connection()
    assert logs[0]["operation"] == "TestConnection" and logs[0]["result"] == "ok"
    assert fake_uyumsoft.PASSWORD not in logs[0]["payload"]


@pytest.mark.parametrize(
    "status,earchive,expected",
    [
        ("Queued", False, ("processing", False)),
        ("SentToGib", False, ("accepted", False)),
        ("WaitingForAprovement", False, ("delivered", False)),
        ("Approved", False, ("delivered", True)),
        ("Declined", False, ("rejected", True)),
        ("Error", False, ("error", True)),
        ("Approved", True, ("accepted", True)),
        ("EArchivedCanceled", True, ("cancelled", True)),
    ],
)
def test_status_mapping(status, earchive, expected):
    assert map_status(status, earchive) == expected


# --- batches: CompressedSendInvoice ------------------------------------------------------


documents = functools.partial(
    helpers.documents,
    receiver=(BUYER_VKN, BUYER_PK),
    internet_sale={
        "website": "https://magaza.example.com.tr",
        "payment_method": "KREDIKARTI/BANKAKARTI",
        "payment_agent": "iyzico",
        "payment_date": "2026-03-02",
    },
)


def test_compressed_send_zip_of_invoice_infos(fake):
    docs = documents(3)
    results = provider(fake).send_documents(docs)
    assert outcomes(results) == [SENT] * 3
    assert [r.gib_number for r in results] == [d.gib_number for d in docs]
    assert fake.documents_per_call("CompressedSendInvoice") == [3]
    assert not fake.calls("SendInvoice")
    data = fake.calls("CompressedSendInvoice")[0]["request"]["data"]
    assert data["Hash"] == data_hash(data["Data"])
    with zipfile.ZipFile(io.BytesIO(data["Data"])) as archive:
        assert sorted(archive.namelist()) == sorted(f"{d.ettn}.xml" for d in docs)
        entry = etree.fromstring(archive.read(f"{docs[0].ettn}.xml"))
    assert entry.tag == "InvoiceInfo" and entry.get("LocalDocumentId") == docs[0].ettn
    assert entry[0].tag == "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
    assert entry.find("TargetCustomer").attrib == {"VknTckn": BUYER_VKN, "Alias": BUYER_PK}
    assert entry.findtext("Scenario") == "eInvoice"
    stored = fake.document(docs[0].ettn)
    assert stored["target"] == {"VknTckn": BUYER_VKN, "Alias": BUYER_PK}
    assert stored["xml"] == etree.tostring(etree.fromstring(docs[0].xml), encoding="utf-8")


def test_compressed_send_earchive_internet_sale(fake):
    docs = documents(2, earchive=True)
    assert outcomes(provider(fake).send_documents(docs)) == [SENT, SENT]
    stored = fake.document(docs[1].ettn)
    assert stored["scenario"] == "eArchive"
    assert stored["earchive"]["DeliveryType"] == "Electronic"
    assert stored["earchive"]["InternetSalesInfo"]["PaymentMidierName"] == "iyzico"
    assert stored["notification"]["Mailing"][0]["To"] == "ayse@example.com"
    assert [map_status(fake.document(d.ettn)["steps"][-1][0], True)[0] for d in docs] == [
        "accepted",
        "accepted",
    ]


def test_batches_per_kind_and_size(fake):
    docs = documents(3) + documents(2, earchive=True, start=4)
    results = provider(fake).send_documents(docs, batch_size=2)
    assert outcomes(results) == [SENT] * 5
    assert fake.documents_per_call("CompressedSendInvoice") == [2, 2]
    assert fake.documents_per_call("SendInvoice") == [1]  # a batch of one goes typed


def test_compressed_send_wrong_hash_is_refused(fake):
    docs = documents(2)
    data = compress_documents([(d, {"LocalDocumentId": d.ettn}) for d in docs])
    with pytest.raises(IntegratorError, match="Hash"):
        provider(fake)._call("CompressedSendInvoice", data={"Data": data, "Hash": "0" * 32})
    assert not fake.outbox


def test_batch_with_one_bad_document(fake):
    docs = documents(3)
    docs[2].xml = sample_invoice(
        number="EFT2026000000003", ettn=docs[2].ettn, profile="EARSIVFATURA"
    )  # e-Arşiv in an e-Fatura scenario
    results = provider(fake).send_documents(docs)
    assert outcomes(results) == [SENT, SENT, FAILED]
    assert "Senaryo" in results[2].raw_message
    # refused as a whole, one status query for all, then one by one (typed)
    assert len(fake.calls("CompressedSendInvoice")) == 1
    assert len(fake.calls("QueryOutboxInvoiceStatus")) == 1
    assert fake.documents_per_call("SendInvoice") == [1, 1, 1]
    assert sorted(fake.outbox) == sorted(d.ettn for d in docs[:2])


def test_batch_with_an_already_sent_document(fake):
    docs = documents(3)
    p = provider(fake)
    p.send_documents(docs[:1])
    results = p.send_documents(docs)
    assert outcomes(results) == [DUPLICATE, SENT, SENT]
    assert results[0].status.state == "processing"
    assert len(fake.outbox) == 3


def test_batch_timeout_mid_batch(fake):
    docs = documents(3)
    p = provider(fake, timeout=0.5)
    p.test_connection()
    fake.add_fault("CompressedSendInvoice", "timeout", delay=1.5)
    results = p.send_documents(docs)
    assert outcomes(results) == [SENT] * 3
    assert {r.status.state for r in results} == {"processing"}
    assert len(fake.calls("CompressedSendInvoice")) == 1
    assert len(fake.calls("QueryOutboxInvoiceStatus")) == 1


def test_batch_timeout_before_processing_is_never_resent(fake):
    docs = documents(2)
    p = provider(fake, timeout=0.5)
    p.test_connection()
    fake.add_fault("CompressedSendInvoice", "timeout", delay=1.0, process=False)
    results = p.send_documents(docs)
    assert outcomes(results) == [UNKNOWN, UNKNOWN]
    assert len(fake.calls("CompressedSendInvoice")) == 1
    assert not fake.calls("SendInvoice")
    assert not fake.outbox


def test_duplicate_answer_for_another_ettn_is_an_error(fake):
    held = documents(1)[0]
    p = provider(fake)
    assert outcomes(p.send_documents([held])) == [SENT]
    assert outcomes(p.send_documents([held])) == [DUPLICATE]
    fake.add_fault("SendInvoice", "duplicate")
    xml, ettn = invoice("EFT2026000000002")
    other = OutgoingDocument(
        ettn=ettn,
        gib_number="EFT2026000000002",
        xml=xml,
        receiver_vat=held.receiver_vat,
        receiver_alias=held.receiver_alias,
    )
    result = p.send_documents([other])[0]
    assert (result.outcome, result.raw_code) == (FAILED, DUPLICATE_ELSEWHERE)
    assert list(fake.outbox) == [held.ettn]


def test_call_log_is_redacted(fake):
    """Like İzibiz's: no document content, no buyer's personal data in the call log (KVKK)."""
    logs = []
    ettn = str(uuid.uuid4())
    xml = sample_invoice(
        number="EAR2026000000003",
        ettn=ettn,
        profile="EARSIVFATURA",
        customer=("10000000146", "Ayşe Yılmaz"),
    )
    p = provider(fake, logs=logs)
    p.send_earchive(xml, ettn, "EAR2026000000003", email="ayse@example.com")
    p.check_user("10000000146")
    send = next(e for e in logs if e["operation"] == "SendInvoice")
    assert fake.document(ettn)["notification"]["Mailing"][0]["To"] == "ayse@example.com"
    assert "[UBL document:" in send["payload"] and ettn in send["payload"]
    for secret in (
        "Ayşe Yılmaz",
        "10000000146",
        "ayse@example.com",
        "EAR2026000000003",
        fake_uyumsoft.PASSWORD,
    ):
        assert all(secret not in entry["payload"] for entry in logs), secret
    lookup = next(e for e in logs if e["operation"] == "GetUserAliasses")
    assert "*********46" in lookup["payload"]
    logs.clear()
    p.check_user(BUYER_VKN)  # a company's VKN is no personal data: kept for diagnosis
    assert BUYER_VKN in logs[0]["payload"]


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
    assert p.get_status(ettn).found is process
    assert len(fake.outbox) == int(process)


def test_lost_send_and_failing_status_query_stay_unknown(fake):
    document = documents(1)[0]
    ettn = document.ettn
    p = provider(fake)
    fake.add_fault("SendInvoice", "lost_response")
    fake.add_fault("QueryOutboxInvoiceStatus", "gateway", status=503)
    [result] = p.send_documents([document])
    assert result.outcome == UNKNOWN
    assert len(fake.outbox) == 1
    assert p.get_status(ettn).found


def test_export_invoice_goes_to_the_customs_mailbox(fake):
    ettn = str(uuid.uuid4())
    xml = sample_invoice(
        number="IHR2026000000001", ettn=ettn, profile="IHRACAT", customer=(GTB_VKN, GTB_NAME)
    )
    document = OutgoingDocument(ettn=ettn, gib_number="IHR2026000000001", xml=xml, export=True)
    assert [r.outcome for r in provider(fake).send_documents([document])] == [SENT]
    stored = fake.document(ettn)
    assert stored["target"] == {"VknTckn": "1460415308", "Alias": "urn:mail:ihracatpk@gtb.gov.tr"}
    assert stored["scenario"] == "eInvoice"
    # addressed to the foreign buyer instead: GİB's envelope check refuses it
    other = str(uuid.uuid4())
    xml = sample_invoice(
        number="IHR2026000000002", ettn=other, profile="IHRACAT", customer=(GTB_VKN, GTB_NAME)
    )
    with pytest.raises(DocumentRejected):
        provider(fake).send_invoice(xml, other, "IHR2026000000002", BUYER_VKN, BUYER_PK)
    assert other not in fake.outbox

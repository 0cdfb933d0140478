"""Pure tests of the UBL-TR parser, including hostile documents (XXE, DTD, entity bombs)."""

import base64
from decimal import Decimal

import pytest
from l10n_tr_efatura.lib import ubl
from l10n_tr_efatura.lib.parser import parse_invoice, safe_fromstring

from .test_ubl_builder import PERSON_BUYER, SCENARIOS, invoice

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:ID>&xxe;</cbc:ID></Invoice>"""

REMOTE_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/evil.dtd">
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol3;</Invoice>"""


@pytest.mark.parametrize("document", [XXE, REMOTE_DTD, BOMB])
def test_hostile_documents_are_refused(document):
    with pytest.raises(ValueError, match="DTD|entit"):
        parse_invoice(document)


def test_xxe_never_reads_the_file():
    with pytest.raises(ValueError) as info:
        parse_invoice(XXE)
    assert "root:" not in str(info.value)


def test_not_an_invoice_and_broken_xml_are_refused():
    with pytest.raises(ValueError, match="not a UBL Invoice"):
        parse_invoice(b"<CreditNote xmlns='urn:x'/>")
    with pytest.raises(ValueError, match="well-formed"):
        parse_invoice(b"<Invoice>")


def test_parse_earsiv_internet_sale_with_pdf_attachment():
    values = invoice(**SCENARIOS["earsiv_tckn_internet"])
    values["attachments"] = [
        {
            "id": "PDF",
            "filename": "fatura.pdf",
            "mime": "application/pdf",
            "content": b"%PDF-1.4 test",
        }
    ]
    parsed = parse_invoice(ubl.build_invoice(values))
    assert parsed["profile"] == "EARSIVFATURA"
    assert parsed["customer"]["vat"] == PERSON_BUYER["vat"]
    assert parsed["customer"]["vat_kind"] == "TCKN"
    assert parsed["customer"]["first_name"] == "Ayşe"
    assert parsed["customer"]["name"] == "Ayşe Yılmaz"
    assert parsed["pdf"] == b"%PDF-1.4 test"
    assert parsed["issue_time"] == "10:15:00"
    assert "Bu satış internet üzerinden yapılmıştır." in parsed["notes"]


def test_parse_discounts_and_exchange_rate():
    parsed = parse_invoice(
        ubl.build_invoice(
            invoice(currency="USD", exchange_rate=Decimal("32.5"), **SCENARIOS["discounts"])
        )
    )
    assert parsed["currency"] == "USD"
    assert parsed["exchange_rate"] == Decimal("32.5")
    first = parsed["lines"][0]
    assert first["quantity"] == Decimal("2") and first["unit_code"] == "C62"
    assert first["price_unit"] == Decimal("500.00")
    assert first["discount_amount"] == Decimal("100.00")
    assert first["discount_percent"] == Decimal("10.0000")
    assert parsed["allowances"][0]["amount"] == Decimal("100.00")
    assert parsed["totals"]["tax_exclusive"] == Decimal("900.00")
    assert parsed["totals"]["payable"] == Decimal("1080.00")


def test_parse_iade_references():
    parsed = parse_invoice(ubl.build_invoice(invoice(**SCENARIOS["iade"])))
    assert parsed["billing_references"] == [
        {"id": "ABC2026000000001", "issue_date": "2026-02-20", "type_code": "IADE"}
    ]


def test_safe_fromstring_keeps_plain_documents():
    root = safe_fromstring(b"<a><b>1</b></a>")
    assert root.findtext("b") == "1"
    assert base64.b64decode(base64.b64encode(b"x")) == b"x"

"""Pure tests: hostile incoming invoices are refused with a code Odoo can translate."""

import pytest
from l10n_tr_efatura.lib import parser
from l10n_tr_efatura.lib.parser import InvoiceParseError, parse_invoice

from tests.fakes.ubl_samples import HOSTILE_KINDS, hostile_invoice, sample_invoice


@pytest.mark.parametrize("kind", sorted(HOSTILE_KINDS))
def test_hostile_invoice_is_refused_with_its_code(kind):
    with pytest.raises(InvoiceParseError) as info:
        parse_invoice(hostile_invoice(kind))
    assert info.value.code == HOSTILE_KINDS[kind]
    assert isinstance(info.value, ValueError)


def test_the_untouched_sample_is_read():
    parsed = parse_invoice(sample_invoice(number="BAD2026000000001", ettn="e" * 8))
    assert parsed["id"] == "BAD2026000000001"
    assert parsed["issue_date"] == "2026-01-15"
    assert parsed["supplier"]["vat"] == "4840847211"


def test_errors_carry_their_values():
    with pytest.raises(InvoiceParseError) as info:
        parse_invoice(hostile_invoice("huge_amount"))
    assert info.value.params == {"element": "PriceAmount", "value": "1e309"}
    with pytest.raises(InvoiceParseError) as info:
        parse_invoice(hostile_invoice("absurd_quantity"))
    assert info.value.params["element"] == "InvoicedQuantity"
    assert info.value.params["value"] == "1000000000000"
    with pytest.raises(InvoiceParseError) as info:
        parse_invoice(hostile_invoice("missing_uuid"))
    assert info.value.params == {"element": "UUID"}
    with pytest.raises(InvoiceParseError) as info:
        parse_invoice(hostile_invoice("too_many_lines"))
    assert info.value.params == {"count": 5001, "limit": 5000}


def test_oversized_document_is_refused_before_parsing():
    document = b"<Invoice>" + b" " * (parser.MAX_BYTES + 1) + b"</Invoice>"
    with pytest.raises(InvoiceParseError) as info:
        parse_invoice(document)
    assert info.value.code == "too_large"
    assert info.value.params["limit"] == 10 * 1024 * 1024


@pytest.mark.parametrize("text", ["1e3", "NaN", "-Infinity", "0x10", "1,5", "١٢"])
def test_only_plain_decimals_are_numbers(text):
    with pytest.raises(InvoiceParseError):
        parser._dec(text, "PayableAmount")


def test_plain_decimals_within_bounds_are_read():
    assert str(parser._dec(" 12.50 ", "PayableAmount")) == "12.50"
    assert str(parser._dec("-3", "Amount")) == "-3"
    assert parser._dec("", "Amount") is None
    with pytest.raises(InvoiceParseError):
        parser._dec("1000000000000000.01", "PayableAmount")

"""Pure tests for partner_credit_risk.lib (no Odoo)."""

import pytest
from partner_credit_risk.lib import card, discount, identity, status


def test_status_codes_and_blocking():
    assert [code for code, _label in status.STATUS_CODES] == [
        "AA",
        "BA",
        "DB",
        "DF",
        "LA",
        "PA",
        "YH",
        "XA",
        "ZZ",
    ]
    assert {c for c, _l in status.STATUS_CODES if status.is_blocked(c)} == {"PA", "YH", "ZZ"}


@pytest.mark.parametrize(
    ("old", "new", "approved", "expected"),
    [
        ("DF", "LA", False, "approval"),
        ("DF", "LA", True, None),
        ("DF", "YH", False, "approval"),
        ("DF", "AA", False, "approval"),
        ("DF", "YH", True, None),
        ("AA", "DF", False, None),
        ("AA", "LA", False, None),
        ("LA", "PA", False, None),
        ("LA", "LA", False, "unchanged"),
        ("LA", "QQ", False, "invalid"),
        (False, "BA", False, None),
    ],
)
def test_status_transitions(old, new, approved, expected):
    assert status.check_transition(old, new, approved) == expected


def test_card_parse_keeps_only_last4_and_brand():
    assert card.parse_card_number("4111 1111 1111 1111") == {"last4": "1111", "brand": "visa"}
    assert card.parse_card_number("5555-5555-5555-4444")["brand"] == "mastercard"
    assert card.parse_card_number("378282246310005")["brand"] == "amex"
    assert card.parse_card_number("9792030000000000")["brand"] == "troy"
    assert card.mask("1111") == "**** **** **** 1111"
    assert card.mask("") == ""


@pytest.mark.parametrize("number", ["4111111111111112", "1234", "4111-abcd-1111-1111", "", None])
def test_card_rejects_bad_numbers(number):
    with pytest.raises(card.CardNumberError):
        card.parse_card_number(number)


def test_card_expiry():
    assert card.expiry_valid(12, 2030)
    assert not card.expiry_valid(13, 2030)
    assert not card.expiry_valid(0, 2030)


def test_discounts_sequential_vs_amount_based():
    assert discount.combine_discounts([10, 5]) == pytest.approx(14.5)
    assert discount.combine_discounts([10, 5], discount.AMOUNT_BASED) == pytest.approx(15.0)
    assert discount.combine_discounts([0, 10]) == pytest.approx(10.0)
    assert discount.combine_discounts([60, 60], discount.AMOUNT_BASED) == 100.0
    assert discount.combine_discounts([60, 60]) == pytest.approx(84.0)
    assert discount.discounted_amount(200.0, [10, 10]) == pytest.approx(162.0)
    amount_based = discount.discounted_amount(200.0, [10, 10], discount.AMOUNT_BASED)
    assert amount_based == pytest.approx(160.0)
    with pytest.raises(ValueError):
        discount.combine_discounts([120])
    with pytest.raises(ValueError):
        discount.combine_discounts([10], "weird")


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("10000000146", True),
        ("10000000147", False),
        ("01234567890", False),
        ("1000000014", False),
        ("1000000014a", False),
        ("", False),
        (None, False),
    ],
)
def test_tckn(value, valid):
    assert identity.tckn_valid(value) is valid


@pytest.mark.parametrize(
    ("item", "sale", "purchase"),
    [
        (False, True, False),
        ("sale", True, False),
        ("tariff", True, False),
        ("purchase", False, True),
        ("purchase_sub", False, True),
    ],
)
def test_discount_item_decides_the_document_side(item, sale, purchase):
    assert discount.discount_applies(item, "sale") is sale
    assert discount.discount_applies(item, "purchase") is purchase


def test_discount_side_must_be_known():
    with pytest.raises(ValueError):
        discount.discount_applies("sale", "stock")


@pytest.mark.parametrize(
    ("value", "valid"),
    [("10000000146", True), ("11111111111", True), ("10000000147", False), ("", False)],
)
def test_person_tax_id_accepts_the_gib_placeholder(value, valid):
    assert identity.person_tax_id_valid(value) is valid

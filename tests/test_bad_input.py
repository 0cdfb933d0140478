"""Bad input at the library level: every bad value gives a reason (or a clear library error),
never an internal TypeError/ValueError/OverflowError from deeper down."""

import copy
import json

import pytest
from marketplace_connector.lib import trendyol_mapping as mapping
from partner_credit_risk.lib import card, status

OWN_VKN = "3297552117"


def package(**changes):
    """A valid corporate package; ``changes`` patch the package, ``line__x`` its first line."""
    raw = {
        "shipmentPackageId": 3461298745,
        "orderNumber": "10458839201",
        "status": "Created",
        "orderDate": 1760522400000,
        "lastModifiedDate": 1760512055123,
        "currencyCode": "TRY",
        "customerFirstName": "Ayşe",
        "customerLastName": "Yılmaz",
        "commercial": True,
        "identityNumber": "11111111110",
        "packageGrossAmount": 1499.80,
        "packageSellerDiscount": 150.0,
        "packageTyDiscount": 0.0,
        "packageTotalPrice": 1349.80,
        "invoiceAddress": {
            "firstName": "Ayşe",
            "lastName": "Yılmaz",
            "company": "Örnek Teknoloji A.Ş.",
            "taxOffice": "Zincirlikuyu",
            "taxNumber": "1234567890",
            "city": "İstanbul",
            "countryCode": "TR",
        },
        "lines": [
            {
                "lineId": 5529901234,
                "quantity": 2,
                "barcode": "8691234567890",
                "lineGrossAmount": 1499.80,
                "lineSellerDiscount": 150.0,
                "lineTyDiscount": 0.0,
                "lineUnitPrice": 674.90,
                "vatRate": 10,
            }
        ],
    }
    for key, value in changes.items():
        if key.startswith("line__"):
            raw["lines"][0][key[6:]] = value
        elif key.startswith("invoice__"):
            raw["invoiceAddress"][key[9:]] = value
        else:
            raw[key] = value
    return raw


def test_the_reference_package_is_valid_and_normalizes():
    assert mapping.validate_package(package(), own_tax_numbers=[OWN_VKN]) == []
    assert mapping.normalize_package(package())["total_price"] == 1349.80


NAN, INF = float("nan"), float("inf")
BAD_PACKAGES = [
    # (id, changes, expected words in the reason)
    ("nan total", {"packageTotalPrice": NAN}, "packageTotalPrice is not a finite number"),
    ("infinite total", {"packageTotalPrice": INF}, "packageTotalPrice is not a finite number"),
    ("1e309 total as text", {"packageTotalPrice": "1e309"}, "not a finite number"),
    ("Infinity text", {"packageGrossAmount": "Infinity"}, "not a finite number"),
    ("absurd total", {"packageTotalPrice": 1e15}, "absurd packageTotalPrice"),
    ("negative total", {"packageTotalPrice": -5}, "is below 0"),
    ("list total", {"packageTotalPrice": [1]}, "non-numeric packageTotalPrice"),
    ("text date", {"orderDate": "yesterday"}, "non-numeric orderDate"),
    ("nan date", {"lastModifiedDate": NAN}, "lastModifiedDate is not a finite number"),
    ("year 33658 date", {"orderDate": 1e15}, "absurd orderDate"),
    ("pre-2000 date", {"orderDate": 5}, "orderDate 5 is below"),
    ("nan quantity", {"line__quantity": NAN}, "quantity must be a positive whole number"),
    ("infinite quantity", {"line__quantity": INF}, "quantity must be a positive whole number"),
    ("absurd quantity", {"line__quantity": 10**9}, "absurd quantity"),
    ("text quantity", {"line__quantity": "iki"}, "quantity must be a positive whole number"),
    ("fractional quantity", {"line__quantity": 1.5}, "quantity must be a positive whole number"),
    ("nan line price", {"line__lineUnitPrice": NAN}, "lineUnitPrice is not a finite number"),
    ("absurd line amount", {"line__lineGrossAmount": 1e12}, "absurd lineGrossAmount"),
    ("infinite discount", {"line__lineSellerDiscount": INF}, "not a finite number"),
    ("absurd VAT rate", {"line__vatRate": 1800}, "absurd vatRate"),
    ("bool price", {"line__lineUnitPrice": True}, "non-numeric lineUnitPrice"),
    ("own VKN as buyer", {"invoice__taxNumber": OWN_VKN}, "seller's own VKN"),
    ("own VKN, old field", {"invoiceAddress": {}, "taxNumber": OWN_VKN}, "seller's own VKN"),
]


@pytest.mark.parametrize(
    ("changes", "expected"), [row[1:] for row in BAD_PACKAGES], ids=[row[0] for row in BAD_PACKAGES]
)
def test_bad_packages_are_refused_with_their_reason(changes, expected):
    problems = mapping.validate_package(package(**changes), own_tax_numbers=["TR" + OWN_VKN])
    assert any(expected in problem for problem in problems), problems


def test_nan_read_from_json_is_refused_too():
    """Python's json accepts NaN/Infinity literals: such a payload is still refused."""
    raw = json.loads(json.dumps(package()).replace("1349.8", "NaN"))
    assert mapping.validate_package(raw)


def test_normalize_never_returns_a_non_finite_amount():
    with pytest.raises(ValueError, match="finite"):
        mapping.normalize_package(package(packageTotalPrice=INF))


def test_own_vkn_only_when_given():
    raw = package(invoice__taxNumber=OWN_VKN)
    assert mapping.validate_package(raw) == []
    assert mapping.validate_package(copy.deepcopy(raw), own_tax_numbers=["", None]) == []


@pytest.mark.parametrize(
    "number",
    [
        4111111111111111,
        ["4111111111111111"],
        None,
        4.1e15,
        b"4111111111111111",
        {"n": 1},
        "4111-1111",
        "abcd" * 4,
        "4111111111111112",
    ],
)
def test_bad_card_numbers_raise_card_number_error(number):
    with pytest.raises(card.CardNumberError):
        card.parse_card_number(number)


@pytest.mark.parametrize("code", [["PA"], {"PA": 1}, None, 1, "pa", "", "XX", ("PA",)])
def test_bad_status_codes_are_invalid(code):
    assert not status.is_valid_status(code)
    assert status.check_transition("LA", code) == "invalid"

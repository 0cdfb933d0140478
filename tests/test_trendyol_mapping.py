"""Trendyol package / claim mapping: numbers, identities, keys, validation."""

import copy
import random
from datetime import datetime

import pytest
from marketplace_connector.lib import trendyol_mapping as mapping

from tests.fakes.trendyol import FakeTrendyol, make_tckn, make_vkn


def documented_package():
    """The example package of marketplaces.md §1.2.5 (values invented there)."""
    return {
        "shipmentPackageId": 3461298745,
        "orderNumber": "10458839201",
        "status": "Created",
        "shipmentPackageStatus": "Created",
        "orderDate": 1760522400000,
        "lastModifiedDate": 1760512055123,
        "originShipmentDate": 1760511900000,
        "agreedDeliveryDate": 1760734800000,
        "currencyCode": "TRY",
        "customerId": 512344871,
        "customerFirstName": "Ayşe",
        "customerLastName": "Yılmaz",
        "customerEmail": "pf+k3m9q2@trendyolmail.com",
        "identityNumber": "11111111110",
        "commercial": True,
        "micro": False,
        "3pByTrendyol": False,
        "createdBy": "order-creation",
        "originPackageIds": None,
        "packageGrossAmount": 1499.80,
        "packageSellerDiscount": 150.00,
        "packageTyDiscount": 0.00,
        "packageTotalDiscount": 150.00,
        "packageTotalPrice": 1349.80,
        "cargoProviderName": "Trendyol Express Marketplace",
        "cargoTrackingNumber": 7330012345678,
        "cargoTrackingLink": "https://kargotakip.trendyol.com/?token=abc123",
        "cargoSenderNumber": "733001234567",
        "cargoDeci": 2,
        "whoPays": 1,
        "shipmentAddress": {
            "id": 90123456,
            "firstName": "Ayşe",
            "lastName": "Yılmaz",
            "company": "",
            "address1": "Atatürk Mah. Çiçek Sok. No:5 D:3",
            "address2": "",
            "city": "İstanbul",
            "cityCode": 34,
            "district": "Kadıköy",
            "postalCode": "34710",
            "countryCode": "TR",
            "phone": None,
            "fullName": "Ayşe Yılmaz",
        },
        "invoiceAddress": {
            "id": 90123457,
            "firstName": "Ayşe",
            "lastName": "Yılmaz",
            "company": "Örnek Teknoloji A.Ş.",
            "address1": "Büyükdere Cad. No:100 K:4",
            "address2": "",
            "city": "İstanbul",
            "district": "Şişli",
            "postalCode": "34394",
            "countryCode": "TR",
            "fullName": "Ayşe Yılmaz",
            "taxOffice": "Zincirlikuyu",
            "taxNumber": "1234567890",
            "eInvoiceAvailable": True,
        },
        "lines": [
            {
                "lineId": 5529901234,
                "quantity": 2,
                "barcode": "8691234567890",
                "stockCode": "TSHIRT-BLK-M",
                "contentId": 987654321,
                "productName": "Basic Tişört Siyah, M",
                "lineGrossAmount": 1499.80,
                "lineSellerDiscount": 150.00,
                "lineTyDiscount": 0.00,
                "lineTotalDiscount": 150.00,
                "lineUnitPrice": 674.90,
                "discountDetails": [
                    {
                        "lineItemPrice": 674.90,
                        "lineItemSellerDiscount": 75.00,
                        "lineItemTyDiscount": 0.00,
                    },
                    {
                        "lineItemPrice": 674.90,
                        "lineItemSellerDiscount": 75.00,
                        "lineItemTyDiscount": 0.00,
                    },
                ],
                "vatRate": 10,
                "currencyCode": "TRY",
                "orderLineItemStatusName": "Created",
            }
        ],
        "packageHistories": [
            {"createdDate": 1760511900000, "status": "Awaiting"},
            {"createdDate": 1760512055123, "status": "Created"},
        ],
    }


def test_documented_package_numbers():
    package = mapping.normalize_package(documented_package())
    assert package["marketplace"] == "trendyol"
    assert package["package_id"] == "3461298745"
    assert package["order_number"] == "10458839201"
    assert package["line_ids"] == ["5529901234"]
    assert package["external_key"] == "10458839201:5529901234"
    [line] = package["lines"]
    assert line["quantity"] == 2
    assert line["unit_price"] == 749.90  # 1499.80 / 2, KDV included, before discounts
    assert line["price_unit"] == 674.90  # after the seller discount = lineUnitPrice
    assert line["discount_seller"] == 150.00
    assert line["discount_marketplace"] == 0.0
    assert line["vat_rate"] == 10.0
    assert line["stock_code"] == "TSHIRT-BLK-M" and line["barcode"] == "8691234567890"
    assert package["total_price"] == 1349.80
    assert package["gross_amount"] == 1499.80
    assert package["total_discount"] == 150.00
    assert package["cargo_fee"] == 0.0
    assert package["currency"] == "TRY"


def test_documented_package_dates_in_utc():
    package = mapping.normalize_package(documented_package())
    # orderDate is GMT+3 wall clock: 1760522400000 = 2025-10-15 10:00 "UTC" → 07:00 UTC
    assert package["order_date"] == datetime(2025, 10, 15, 7, 0)
    assert package["last_modified"] == datetime(2025, 10, 15, 7, 7, 35, 123000)
    assert package["agreed_delivery_date"] == datetime(2025, 10, 17, 21, 0)
    assert package["shipment_date"] is None
    shipped = documented_package()
    shipped["packageHistories"].append({"createdDate": 1760600000000, "status": "Shipped"})
    assert mapping.normalize_package(shipped)["shipment_date"] == datetime(2025, 10, 16, 7, 33, 20)


def test_corporate_buyer_vkn_tax_office_and_placeholder_tckn():
    package = mapping.normalize_package(documented_package())
    customer = package["customer"]
    assert customer["is_company"] is True and package["is_corporate"] is True
    assert customer["vkn"] == "1234567890"
    assert customer["tax_office"] == "Zincirlikuyu"
    assert customer["company_name"] == "Örnek Teknoloji A.Ş."
    assert customer["name"] == "Örnek Teknoloji A.Ş."
    assert customer["tckn"] is None  # 11111111110 is a placeholder
    assert customer["customer_id"] == "512344871"
    assert customer["e_invoice_available"] is True
    invoice = package["invoice_address"]
    assert (
        invoice["street"],
        invoice["district"],
        invoice["city"],
        invoice["zip"],
        invoice["country_code"],
    ) == ("Büyükdere Cad. No:100 K:4", "Şişli", "İstanbul", "34394", "TR")
    assert invoice["email"] == "pf+k3m9q2@trendyolmail.com"
    assert package["delivery_address"]["district"] == "Kadıköy"
    assert package["delivery_address"]["phone"] == ""


@pytest.mark.parametrize(
    "identity, expected",
    [
        ("11111111111", None),
        ("11111111110", None),
        ("00000000000", None),
        ("", None),
        (None, None),
        ("0000000000000", None),
        ("12345678901", None),  # bad checksum
        ("10000000146", "10000000146"),
    ],
)
def test_tckn_filter(identity, expected):
    assert mapping.valid_tckn(identity) == expected


def test_individual_buyer_with_real_tckn():
    raw = documented_package()
    raw.update(commercial=False, identityNumber="10000000146")
    for key in ("company", "taxOffice", "taxNumber", "eInvoiceAvailable"):
        raw["invoiceAddress"].pop(key)
    customer = mapping.normalize_package(raw)["customer"]
    assert customer == {
        "name": "Ayşe Yılmaz",
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "email": "pf+k3m9q2@trendyolmail.com",
        "tckn": "10000000146",
        "vkn": None,
        "tax_office": "",
        "company_name": "",
        "is_company": False,
        "customer_id": "512344871",
        "e_invoice_available": False,
    }


def test_sole_proprietor_with_tckn_as_tax_number():
    raw = documented_package()
    raw["invoiceAddress"]["taxNumber"] = "10000000146"
    customer = mapping.normalize_package(raw)["customer"]
    assert customer["vkn"] is None and customer["tckn"] == "10000000146"
    assert customer["is_company"] is False


def test_generated_identities_have_valid_checksums():
    rng = random.Random(1)
    for _i in range(200):
        assert mapping.valid_tckn(make_tckn(rng))
        assert mapping.valid_vkn(make_vkn(rng))


def test_discount_split_seller_vs_marketplace():
    raw = documented_package()
    line = raw["lines"][0]
    line.update(
        lineGrossAmount=1000.0,
        quantity=4,
        lineSellerDiscount=100.0,
        lineTyDiscount=60.0,
        lineTotalDiscount=160.0,
        lineUnitPrice=225.0,
        vatRate=20,
    )
    line.pop("discountDetails")
    raw.update(
        packageGrossAmount=1000.0,
        packageSellerDiscount=100.0,
        packageTyDiscount=60.0,
        packageTotalDiscount=160.0,
        packageTotalPrice=840.0,
    )
    package = mapping.normalize_package(raw)
    [norm] = package["lines"]
    assert norm["unit_price"] == 250.0
    assert norm["price_unit"] == 225.0  # the seller invoices 4 × 225 = 900
    assert norm["discount_seller"] == 100.0
    assert norm["discount_marketplace"] == 60.0  # Trendyol pays this part
    assert norm["amount_paid"] == 840.0
    assert norm["vat_rate"] == 20.0
    assert package["total_discount"] == 160.0
    assert package["seller_discount"] == 100.0 and package["marketplace_discount"] == 60.0
    assert package["cargo_fee"] == 0.0


def test_discounts_from_discount_details_and_old_field_names():
    raw = documented_package()
    old_line = {
        "id": 77,
        "quantity": 2,
        "barcode": "869",
        "merchantSku": "OLD-SKU",
        "productCode": 5,
        "productName": "Eski",
        "amount": 200.0,
        "price": 90.0,
        "vatBaseAmount": 20,
        "discountDetails": [
            {"lineItemPrice": 90.0, "lineItemDiscount": 5.0, "lineItemTyDiscount": 2.5}
        ]
        * 2,
    }
    raw["lines"] = [old_line]
    raw.pop("shipmentPackageId")
    raw["id"] = 42
    package = mapping.normalize_package(raw)
    [line] = package["lines"]
    assert package["package_id"] == "42"
    assert line["line_id"] == "77" and line["stock_code"] == "OLD-SKU"
    assert line["discount_seller"] == 10.0 and line["discount_marketplace"] == 5.0
    assert line["unit_price"] == 100.0 and line["price_unit"] == 95.0
    assert line["vat_rate"] == 20.0


def test_gross_amount_read_per_unit_when_only_that_fits():
    raw = documented_package()
    raw["lines"][0]["lineGrossAmount"] = 749.90  # per-unit reading
    [line] = mapping.normalize_package(raw)["lines"]
    assert line["unit_price"] == 749.90 and line["gross_amount"] == 1499.80


def test_cargo_fee_from_package_total_remainder_and_carrier_table():
    raw = documented_package()
    raw["packageTotalPrice"] = 1349.80 + 39.99
    package = mapping.normalize_package(raw)
    assert package["cargo_fee"] == 39.99
    cargo = package["cargo"]
    assert cargo["provider_name"] == "Trendyol Express Marketplace"
    assert cargo["carrier_name"] == "Trendyol Express" and cargo["carrier_code"] == "TEXMP"
    assert cargo["tracking_number"] == "7330012345678"
    assert cargo["sender_number"] == "733001234567"
    assert cargo["carrier_vkn"] is None  # not published in any available source
    with_vkn = mapping.normalize_package(raw, carriers={"TEX": {"vkn": "8590921777"}})
    assert with_vkn["cargo"]["carrier_vkn"] == "8590921777"


@pytest.mark.parametrize(
    "name, tracking, expected",
    [
        ("Yurtiçi Kargo Marketplace", "", "Yurtiçi Kargo"),
        ("ARAS KARGO", "", "Aras Kargo"),
        ("", "7280001112223", "MNG Kargo"),
        ("PTT Kargo Marketplace", "", "PTT Kargo"),
        ("Bilinmeyen Taşıyıcı", "9990001", "Bilinmeyen Taşıyıcı"),
    ],
)
def test_carrier_lookup(name, tracking, expected):
    assert mapping.carrier_for(name, tracking)["name"] == expected


def test_external_key_ignores_package_id_and_line_order():
    raw = documented_package()
    raw["lines"].append(dict(raw["lines"][0], lineId=998))
    first = mapping.normalize_package(raw)
    assert first["line_ids"] == ["998", "5529901234"]  # numeric order
    assert first["external_key"] == "10458839201:998-5529901234"
    moved = copy.deepcopy(raw)
    moved["shipmentPackageId"] = 3999999999
    moved["lines"].reverse()
    assert mapping.normalize_package(moved)["external_key"] == first["external_key"]
    assert mapping.external_key("X", [10, 9, "9"]) == "X:9-10"


def test_seeded_packages_validate_and_balance():
    fake = FakeTrendyol(seed=7)
    for raw in fake.seed_orders(40, lines_per_order=3):
        assert mapping.validate_package(raw) == []
        package = mapping.normalize_package(raw)
        lines_total = sum(line["amount_paid"] for line in package["lines"])
        assert package["total_price"] == pytest.approx(lines_total, abs=0.02)
        assert package["cargo_fee"] == 0.0
        for line in package["lines"]:
            assert line["vat_rate"] in (10.0, 20.0)
            assert line["price_unit"] * line["quantity"] == pytest.approx(
                line["gross_amount"] - line["discount_seller"], abs=0.02
            )
        if package["is_corporate"]:
            assert package["customer"]["vkn"] and package["customer"]["tax_office"]


def test_validate_package_reasons():
    assert mapping.validate_package([]) == ["package is not a JSON object but list"]
    raw = documented_package()
    raw.pop("shipmentPackageId")
    raw["orderNumber"] = ""
    raw["packageTotalPrice"] = "abc"
    raw["lines"] = [
        {"lineId": 1, "quantity": 0, "barcode": "869", "lineUnitPrice": "on dokuz"},
        {"lineId": 1, "quantity": 1, "lineUnitPrice": -5},
        {"quantity": 1.5, "barcode": "869"},
        "line",
    ]
    problems = mapping.validate_package(raw)
    assert problems == [
        "missing shipmentPackageId",
        "missing orderNumber",
        "non-numeric packageTotalPrice 'abc'",
        "line 1: quantity must be a positive whole number, got 0",
        "line 1: non-numeric lineUnitPrice 'on dokuz'",
        "line 1: duplicate lineId",
        "line 1: neither barcode nor stockCode",
        "line 1: negative lineUnitPrice -5",
        "line #3: missing lineId",
        "line #3: quantity must be a positive whole number, got 1.5",
        "line #3: no price (lineUnitPrice/lineGrossAmount)",
        "line #4 is not a JSON object",
    ]
    no_lines = documented_package()
    no_lines["lines"] = []
    assert mapping.validate_package(no_lines) == ["no lines"]
    assert mapping.validate_package(documented_package()) == []


def test_awaiting_and_cancellation_flags():
    raw = documented_package()
    raw.update(status="Awaiting", shipmentPackageStatus="Awaiting")
    assert mapping.normalize_package(raw)["is_awaiting"] is True
    raw.update(
        status="Cancelled",
        shipmentPackageStatus="Cancelled",
        cancelledBy="customer",
        cancelReason="Vazgeçti",
        createdBy="cancel",
        originPackageIds=[3461298740],
    )
    package = mapping.normalize_package(raw)
    assert (
        package["status"],
        package["cancelled_by"],
        package["created_by"],
        package["origin_package_ids"],
    ) == ("Cancelled", "customer", "cancel", ["3461298740"])
    raw.pop("status")
    assert mapping.normalize_package(raw)["status"] == "Cancelled"  # shipmentPackageStatus


def test_normalize_claim_groups_units_by_status_and_reason():
    fake = FakeTrendyol(seed=3)
    package = fake.add_package(lines=[{"quantity": 3, "price": 100.0, "vat": 20}])
    raw = fake.add_claim(package, quantity=3, claim_date=1760600000000)
    units = raw["items"][0]["claimItems"]
    units[2]["claimItemStatus"] = {"name": "Accepted"}
    claim = mapping.normalize_claim(raw)
    assert claim["claim_id"] == raw["id"]
    assert claim["order_number"] == package["orderNumber"]
    assert claim["package_id"] == str(package["shipmentPackageId"])
    assert claim["claim_date"] == datetime(2025, 10, 16, 7, 33, 20)
    assert claim["status"] == "Mixed"
    waiting, accepted = claim["lines"]
    assert waiting["status"] == "WaitingInAction" and waiting["quantity"] == 2
    assert waiting["claim_line_item_ids"] == [units[0]["id"], units[1]["id"]]
    assert accepted["quantity"] == 1 and accepted["status"] == "Accepted"
    assert waiting["order_line_id"] == str(package["lines"][0]["lineId"])
    assert waiting["barcode"] == package["lines"][0]["barcode"]
    assert waiting["reason"] == "Vazgeçtim" and waiting["vat_rate"] == 20.0
    assert waiting["unit_price"] == package["lines"][0]["lineUnitPrice"]
    assert claim["cargo"]["tracking_number"] == claim["tracking_number"]
    assert claim["tracking_number"].startswith("733")

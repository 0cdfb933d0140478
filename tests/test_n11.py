"""n11: client, mapping and adapter against the fake n11 on 127.0.0.1 (real HTTP and SOAP
through zeep)."""

import json
import math
from datetime import datetime, timedelta, timezone

import pytest
import requests
from marketplace_connector.lib import marketplace as mp
from marketplace_connector.lib import n11 as api
from marketplace_connector.lib import n11_mapping as mapping
from marketplace_connector.lib.http import (
    AuthError,
    ClientError,
    IncompleteFetchError,
    MalformedResponseError,
    RateLimitError,
    ServerError,
    TransientError,
)
from marketplace_connector.lib.marketplace import NotSupported, OutcomeUnknown

from tests.fakes import n11 as fakes
from tests.fakes.httpfake import serving
from tests.fakes.n11 import FakeN11, contract_fake
from tests.marketplace_helpers import (
    ADDRESS_KEYS,
    CARGO_KEYS,
    CUSTOMER_KEYS,
    LINE_KEYS,
    PACKAGE_KEYS,
)

ORDER = "208812345678"
LINE = {
    "line_id": "426659152",
    "barcode": "8690000000011",
    "stock_code": "AYK-BYZ-40",
    "quantity": 2,
    "price": 292.80,
    "seller_discount": 5.80,
    "vat": 20,
}
BUYER = {
    "first_name": "Zeynep",
    "last_name": "Demir",
    "tckn": "10000000146",
    "city": "İstanbul",
    "district": "Kadıköy",
    "street": "Moda Cad. No:45 D:2",
    "email": "zeynep.demir@example.com",
}


@pytest.fixture
def fake():
    yield from serving(FakeN11())


def options(rec, **kwargs):
    return dict({"timeout": 5, "sleep": rec.sleep, "clock": rec.clock}, **kwargs)


def adapter_for(fake, rec, **kwargs):
    credentials = fake.credentials()
    credentials.update(kwargs.pop("credentials", {}))
    return mp.adapter_class("n11")(credentials, logger=rec.log, **options(rec, **kwargs))


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def last_day():
    now = utcnow()
    return now - timedelta(days=1), now + timedelta(minutes=1)


def fetch_all(adapter):
    start, end = last_day()
    return adapter.fetch_packages(start, end)


def package_of(adapter, fake, package_id):
    raw = next(p for p in fetch_all(adapter) if str(p["id"]) == str(package_id))
    return adapter.normalize_package(raw)


# ------------------------------------------------------------------- registry & auth
def test_registry_features_and_limits():
    cls = mp.adapter_class("n11")
    assert ("n11", "n11") in mp.selection()
    assert cls.features == {
        "picking",
        "invoice_link",
        "unsupply",
        "split",
        "own_cargo",
        "stock_price",
        "claims",
        "claim_reject",
    }
    assert cls.max_window == timedelta(days=14)
    assert cls.push_batch_size == 1000
    assert set(cls.unsupply_reasons) == {61, 62, 63, 64, 65}
    assert cls.URLS["production"] == "https://api.n11.com"
    assert {code for code, _name in cls.package_status_names} == set(api.PACKAGE_STATUSES)


def test_features_n11_lacks_raise_not_supported(fake, rec):
    adapter = adapter_for(fake, rec)
    with pytest.raises(NotSupported):
        adapter.label({})
    with pytest.raises(NotSupported):
        adapter.mark_invoiced({}, "ABC2026000000001")
    with pytest.raises(NotSupported):
        adapter.send_invoice_file({}, b"%PDF", "ABC2026000000001", utcnow())
    assert fake.requests == []


def test_rest_auth_headers_are_appkey_and_appsecret(fake, rec):
    adapter = adapter_for(fake, rec)
    fake.add_order(ORDER, [LINE])
    fetch_all(adapter)
    headers = fake.calls("orders.list")[0]["headers"]
    assert headers["Appkey"] == fake.app_key
    assert headers["Appsecret"] == fake.app_secret
    assert "Authorization" not in headers


@pytest.mark.parametrize(
    "call, status",
    [
        (lambda a: fetch_all(a), 403),  # /rest/: 403 text "Authentication failed"
        (lambda a: a.client.get_task(1), 401),  # /ms/: 401 JSON
        (lambda a: a.client.shipment_companies(), 200),  # SOAP: failure in a 200
    ],
)
def test_wrong_secret_is_an_auth_error_everywhere_and_not_retried(fake, rec, call, status):
    adapter = adapter_for(fake, rec, credentials={"api_secret": "wrong"})
    with pytest.raises(AuthError) as error:
        call(adapter)
    assert error.value.status == status
    assert rec.sleeps == []
    assert len([r for r in fake.requests if r["endpoint"] != "soap.wsdl"]) == 1


def test_missing_keys_are_refused_before_any_call():
    with pytest.raises(ValueError):
        api.N11Client("", "secret")


# ------------------------------------------------------------------------ orders
def test_a_month_is_read_in_14_day_windows_one_call_per_status(fake, rec):
    adapter = adapter_for(fake, rec)
    end = utcnow()
    start = end - timedelta(days=30)
    fake.add_order(ORDER, [LINE])
    shipped = fake.add_order("208812345679", [dict(LINE, line_id="426659153")])
    fake.set_state(shipped, "shipped")
    packages = adapter.fetch_packages(start, end + timedelta(minutes=1))
    assert sorted(p["orderNumber"] for p in packages) == [ORDER, "208812345679"]
    calls = fake.calls("orders.list")
    assert len(calls) == 3 * 7  # 3 windows × 7 statuses
    assert {c["query"]["status"] for c in calls} == set(api.PACKAGE_STATUSES)
    for call in calls:
        assert "," not in call["query"]["status"]
        span = int(call["query"]["endDate"]) - int(call["query"]["startDate"])
        assert 0 < span <= 14 * 24 * 3600 * 1000
        assert call["query"]["orderByDirection"] == "ASC"
        assert call["query"]["size"] == "100"
        assert call["status"] == 200


def test_paging_reads_every_page_of_100(fake, rec):
    adapter = adapter_for(fake, rec)
    for index in range(250):
        fake.add_package(f"3000000{index:05d}", [{"stock_code": f"S{index}", "price": 10}])
    packages = fetch_all(adapter)
    assert len(packages) == 250
    assert len({str(p["id"]) for p in packages}) == 250
    created = [c for c in fake.calls("orders.list") if c["query"]["status"] == "Created"]
    assert [c["query"]["page"] for c in created] == ["0", "1", "2"]


@pytest.mark.parametrize(
    "query, message",
    [
        ({"status": "Created,Picking"}, "status tek bir değer"),
        ({"size": 101}, "size en fazla 100"),
        ({"startDate": 0, "endDate": 15 * 24 * 3600 * 1000}, "en fazla 14 gün"),
    ],
)
def test_fake_enforces_the_documented_limits(fake, query, message):
    params = dict({"status": "Created", "startDate": 0, "endDate": 1000, "size": 10}, **query)
    answer = requests.get(
        f"{fake.url}{api.PACKAGES_PATH}",
        params=params,
        headers={"appkey": fake.app_key, "appsecret": fake.app_secret},
        timeout=5,
    )
    assert answer.status_code == 400
    assert message in answer.json()["message"]


def test_client_never_asks_for_more_than_the_limits(fake, rec):
    client = adapter_for(fake, rec).client
    start, end = last_day()
    client.get_packages_page(start, end, "Created", page_size=500)
    assert fake.calls("orders.list")[0]["query"]["size"] == "100"
    with pytest.raises(ValueError):
        client.get_packages_page(start, end, "Created,Picking")


def test_a_malformed_page_is_read_again_then_nothing_is_missing(fake, rec):
    adapter = adapter_for(fake, rec)
    fake.add_order(ORDER, [LINE])
    fake.add_fault("malformed", "orders.list")
    assert [p["orderNumber"] for p in fetch_all(adapter)] == [ORDER]


def test_a_status_never_read_whole_is_an_incomplete_fetch_with_the_rest(fake, rec):
    adapter = adapter_for(fake, rec)
    fake.add_order(ORDER, [LINE])
    picking = fake.add_order("208812345679", [dict(LINE, line_id="426659153")], "picking")
    fake.add_fault("malformed", "orders.list", count=api.WINDOW_READ_ATTEMPTS)  # Created
    with pytest.raises(IncompleteFetchError) as error:
        fetch_all(adapter)
    assert [str(p["id"]) for p in error.value.packages] == [picking]
    assert "Created" in str(error.value)


def test_package_without_id_is_keyed_on_order_and_lines(fake, rec):
    adapter = adapter_for(fake, rec)
    package_id = fake.add_order(ORDER, [LINE])
    fake.packages[package_id]["id"] = None  # "Konuma Özel Teslimat"
    raws = fetch_all(adapter)
    assert len(raws) == 1
    assert adapter.package_ref(raws[0]) is None
    assert adapter.validate_package(raws[0]) == []
    package = adapter.normalize_package(raws[0])
    assert package["package_id"] is None
    assert package["external_key"] == f"{ORDER}:426659152"


# ----------------------------------------------------------------------- mapping
def test_normalised_package_has_every_documented_key_and_real_amounts(fake, rec):
    adapter = adapter_for(fake, rec)
    package_id = fake.add_order(
        ORDER,
        [
            LINE,
            {
                "line_id": "426659160",
                "barcode": "8690000000028",
                "stock_code": "TSH-KRM-M",
                "quantity": 3,
                "price": 149.90,
                "seller_discount": 0,
                "mall_discount": 15.00,
            },
        ],
        buyer=BUYER,
    )
    raw = fetch_all(adapter)[0]
    assert adapter.validate_package(raw) == []
    package = adapter.normalize_package(raw)
    assert set(package) == PACKAGE_KEYS
    assert set(package["customer"]) == CUSTOMER_KEYS
    assert set(package["invoice_address"]) == set(package["delivery_address"]) == ADDRESS_KEYS
    assert set(package["cargo"]) == CARGO_KEYS
    assert all(set(line) == LINE_KEYS for line in package["lines"])
    assert package["package_id"] == package_id
    assert package["line_ids"] == ["426659152", "426659160"]
    assert package["external_key"] == f"{ORDER}:426659152-426659160"
    assert (package["status"], package["state"], package["currency"]) == (
        "Created",
        "created",
        "TRY",
    )
    shoe, shirt = package["lines"]
    # 2 × 292.80 = 585.60, seller discount 5.80 → invoiced 579.80 (289.90 a unit)
    assert shoe["unit_price"] == 292.80
    assert shoe["price_unit"] == 289.90
    assert shoe["gross_amount"] == 585.60
    assert shoe["discount_seller"] == 5.80
    assert shoe["discount_marketplace"] == 0.0
    assert shoe["amount_paid"] == 579.80
    # 3 × 149.90 = 449.70, n11 pays 15.00 of it: the seller invoices 449.70
    assert shirt["price_unit"] == 149.90
    assert shirt["discount_marketplace"] == 15.00
    assert shirt["amount_paid"] == 434.70
    assert shoe["vat_rate"] is None  # n11 sends no VAT on order lines (§4)
    assert package["gross_amount"] == 1035.30
    assert package["seller_discount"] == 5.80
    assert package["marketplace_discount"] == 15.00
    assert package["total_discount"] == 20.80
    assert package["total_price"] == 1014.50
    assert package["cargo_fee"] == 0.0
    assert package["customer"]["tckn"] == "10000000146"
    assert package["customer"]["is_company"] is False
    assert package["delivery_address"]["street"] == BUYER["street"]
    assert package["cargo"]["tracking_number"].startswith("N11Y")
    assert isinstance(package["last_modified"], datetime)


def test_marketplace_discount_from_due_amount_when_not_sent(fake, rec):
    raw_line = {
        "orderLineId": 1,
        "stockCode": "A",
        "quantity": 2,
        "price": 100.0,
        "totalSellerDiscountPrice": 10.0,
        "sellerInvoiceAmount": 190.0,
        "dueAmount": 170.0,
    }
    line = mapping.normalize_line(raw_line)
    assert (line["discount_seller"], line["discount_marketplace"]) == (10.0, 20.0)
    assert (line["price_unit"], line["amount_paid"]) == (95.0, 170.0)


def test_corporate_buyer(fake, rec):
    adapter = adapter_for(fake, rec)
    buyer = dict(BUYER, tckn=None, vkn="1234567890", company="Demir Tasarım Ltd. Şti.")
    fake.add_order(ORDER, [LINE], buyer=buyer)
    package = adapter.normalize_package(fetch_all(adapter)[0])
    customer = package["customer"]
    assert mapping.valid_vkn("1234567890")
    assert customer["vkn"] == "1234567890"
    assert customer["is_company"] is True
    assert customer["name"] == customer["company_name"] == "Demir Tasarım Ltd. Şti."
    assert customer["tax_office"] == "Kadıköy"
    assert package["is_corporate"] is True
    assert package["invoice_address"]["company"] == "Demir Tasarım Ltd. Şti."
    assert adapter.validate_package(package["raw"], own_tax_numbers=["1234567890"]) == [
        "the buyer's tax number 1234567890 is the seller's own VKN"
    ]


def raw_package(**changes):
    line = {
        "orderLineId": 426659152,
        "stockCode": "AYK-BYZ-40",
        "quantity": 2,
        "price": 292.80,
        "totalSellerDiscountPrice": 5.80,
        "sellerInvoiceAmount": 579.80,
        "dueAmount": 579.80,
    }
    line.update(changes.pop("line", {}))
    raw = {
        "id": 1,
        "orderNumber": ORDER,
        "shipmentPackageStatus": "Created",
        "lastModifiedDate": 1760524800000,
        "totalAmount": 579.80,
        "lines": [line],
    }
    raw.update(changes)
    return raw


@pytest.mark.parametrize(
    "raw, problem",
    [
        (raw_package(orderNumber=""), "missing orderNumber"),
        (raw_package(line={"orderLineId": None}), "missing orderLineId"),
        (raw_package(line={"price": math.nan}), "price is not a finite number"),
        (raw_package(line={"price": "inf"}), "price is not a finite number"),
        (raw_package(line={"price": 1e12}), "absurd price"),
        (raw_package(line={"price": -1}), "price -1 is below 0"),
        (raw_package(line={"quantity": 0}), "quantity must be a positive whole number"),
        (raw_package(line={"quantity": 1.5}), "quantity must be a positive whole number"),
        (raw_package(line={"quantity": True}), "quantity must be a positive whole number"),
        (raw_package(line={"quantity": 10**6}), "absurd quantity"),
        (raw_package(line={"stockCode": ""}), "neither stockCode nor barcode"),
        (raw_package(line={"price": None}), "no price"),
        (raw_package(line={"sellerInvoiceAmount": 600.0}), "sellerInvoiceAmount 600.00"),
        (raw_package(line={"totalSellerDiscountPrice": 700.0}), "exceeds"),
        (raw_package(totalAmount="abc"), "non-numeric totalAmount"),
        (raw_package(lastModifiedDate=10**16), "lastModifiedDate"),
        (raw_package(shipmentPackageStatus="Teleported"), "unknown package status"),
        (raw_package(lines=[]), "no lines"),
        ("not a package", "not a JSON object"),
    ],
)
def test_validate_package_refuses_bad_data(raw, problem):
    problems = mapping.validate_package(raw)
    assert any(problem in p for p in problems), problems


def test_validate_duplicate_line_and_a_good_package():
    raw = raw_package()
    assert mapping.validate_package(raw) == []
    raw["lines"].append(dict(raw["lines"][0]))
    assert mapping.validate_package(raw) == ["line 426659152: duplicate orderLineId"]


# ----------------------------------------------------------------- package actions
def test_confirm_picking_moves_created_to_picking_and_repeats_safely(fake, rec):
    adapter = adapter_for(fake, rec)
    package_id = fake.add_order(ORDER, [LINE, dict(LINE, line_id="426659153")])
    package = package_of(adapter, fake, package_id)
    assert adapter.confirm_picking(package) is True
    assert adapter.confirm_picking(package) is True
    assert fake.package_state(package_id) == "picking"
    body = fake.calls("order.update")[0]["json"]
    assert body == {"lines": [{"lineId": 426659152}, {"lineId": 426659153}], "status": "Picking"}
    assert fake.calls("order.update")[0]["method"] == "PUT"


def test_confirm_of_a_shipped_package_is_refused_with_n11s_message(fake, rec):
    adapter = adapter_for(fake, rec)
    package_id = fake.add_order(ORDER, [LINE])
    package = package_of(adapter, fake, package_id)
    fake.set_state(package_id, "shipped")
    with pytest.raises(ClientError, match="Shipped statüsünde onaylanamaz"):
        adapter.confirm_picking(package)


def test_split_by_lines_replaces_the_package_keys_stay_on_line_ids(fake, rec):
    adapter = adapter_for(fake, rec)
    lines = [dict(LINE, line_id=str(426659152 + i), stock_code=f"S{i}") for i in range(3)]
    package_id = fake.add_order(ORDER, lines)
    package = package_of(adapter, fake, package_id)
    adapter.split(package, [["426659152"]])  # a Created package is confirmed first
    assert [c["endpoint"] for c in fake.requests if c["endpoint"] != "orders.list"] == [
        "order.update",
        "package.split",
    ]
    assert fake.calls("package.split")[0]["json"] == {
        "splitGroups": [{"orderLineIds": [426659152]}]
    }
    packages = [adapter.normalize_package(raw) for raw in fetch_all(adapter)]
    by_state = sorted((p["state"], p["external_key"]) for p in packages)
    assert by_state == [
        ("picking", f"{ORDER}:426659152"),
        ("picking", f"{ORDER}:426659153-426659154"),
        ("replaced", f"{ORDER}:426659152-426659153-426659154"),
    ]
    assert len({p["package_id"] for p in packages}) == 3


def test_partial_cancel_is_a_quantity_split_with_a_reason(fake, rec):
    adapter = adapter_for(fake, rec)
    line = dict(LINE, quantity=3, seller_discount=6.00)
    package_id = fake.add_order(ORDER, [line], "picking")
    package = package_of(adapter, fake, package_id)
    adapter.unsupply(package, {"426659152": 1}, 61)
    body = fake.calls("package.split_quantity")[0]["json"]
    assert body == {
        "orderNumber": ORDER,
        "packages": [{"packageDetails": [{"orderLineId": 426659152, "quantities": 2}]}],
        "cancelPackage": {
            "cancelReasonId": 61,
            "packageDetails": [{"orderLineId": 426659152, "quantities": 1}],
        },
    }
    packages = {p["state"]: p for p in map(adapter.normalize_package, fetch_all(adapter))}
    assert set(packages) == {"picking", "unsupplied", "replaced"}
    kept, gone = packages["picking"], packages["unsupplied"]
    assert kept["lines"][0]["quantity"] == 2
    assert kept["lines"][0]["discount_seller"] == 4.00
    assert kept["total_price"] == 581.60  # 2 × 292.80 − 4.00
    assert gone["lines"][0]["quantity"] == 1
    assert gone["lines"][0]["cancel_reason"] == gone["cancel_reason"] == "61"
    assert kept["external_key"] != gone["external_key"]


def test_unsupply_checks_reason_and_quantities_before_calling(fake, rec):
    adapter = adapter_for(fake, rec)
    package_id = fake.add_order(ORDER, [LINE], "picking")
    package = package_of(adapter, fake, package_id)
    with pytest.raises(ValueError, match="61"):
        adapter.unsupply(package, {"426659152": 1}, 500)
    with pytest.raises(ValueError, match="cannot cancel more"):
        adapter.unsupply(package, {"426659152": 3}, 61)
    with pytest.raises(ValueError, match="not in package"):
        adapter.unsupply(package, {"999": 1}, 61)
    assert fake.calls("package.split_quantity") == []


def test_cancel_a_whole_package(fake, rec):
    adapter = adapter_for(fake, rec)
    package_id = fake.add_order(ORDER, [LINE], "picking")
    adapter.unsupply(package_of(adapter, fake, package_id), {"426659152": 2}, 65)
    states = sorted(adapter.normalize_package(p)["state"] for p in fetch_all(adapter))
    assert states == ["replaced", "unsupplied"]


# -------------------------------------------------------------------------- SOAP
def test_wsdl_files_declare_exactly_the_operations_the_client_calls():
    for service in fakes.SERVICES:
        stored = (fakes.WSDL_DIR / f"{service.name}.wsdl").read_text(encoding="utf-8")
        assert stored == fakes.wsdl_text(service)
        assert tuple(service.operations) == api.SOAP_OPERATIONS[service.name]
    assert {s.name for s in fakes.SERVICES} == set(api.SOAP_OPERATIONS)


def test_invoice_link_through_seller_invoice_service(fake, rec):
    adapter = adapter_for(fake, rec)
    package_id = fake.add_order(ORDER, [LINE], "picking")
    package = package_of(adapter, fake, package_id)
    url = "https://ebelge.example.com/ViewDocument.aspx?UUID=1"
    result = adapter.send_invoice_link(package, url, "ABC2026000000001", utcnow())
    assert result == {"done": True, "repeat": False, "message": ""}
    assert fake.invoice_of(package_id) == {"number": None, "link": url, "file": None}
    call = fake.calls("soap.SaveLinkSellerInvoice")[0]
    assert call["soap"]["orderNumber"] == ORDER
    assert call["soap"]["auth"] == {"appKey": fake.app_key, "appSecret": fake.app_secret}
    assert [c["path"] for c in fake.calls("soap.wsdl")] == ["/ws/SellerInvoiceService.wsdl"]
    with pytest.raises(ValueError, match="https"):
        adapter.send_invoice_link(package, "http://insecure/x.pdf", "X", utcnow())


def test_soap_failure_in_a_200_is_a_client_error_with_n11s_message(fake, rec):
    adapter = adapter_for(fake, rec)
    package = {"order_number": "000000000000"}
    with pytest.raises(ClientError, match="Sipariş bulunamadı: 000000000000") as error:
        adapter.send_invoice_link(package, "https://x.example/1.pdf", "X", utcnow())
    assert error.value.status == 200
    assert error.value.body["errorCode"] == "SELLER_API.validationError"
    fake.add_fault("soap_failure", "soap.GetShipmentCompanies", message="Servis bakımda")
    with pytest.raises(ClientError, match="Servis bakımda"):
        adapter.shipment_companies()
    assert rec.sleeps == []


def test_returns_list_approve_and_deny(fake, rec):
    adapter = adapter_for(fake, rec)
    package_id = fake.add_order(ORDER, [LINE, dict(LINE, line_id="426659153")], "picking")
    fake.set_state(package_id, "delivered")
    first = fake.add_claim(package_id, "426659152", 1, "Beden uymadı")
    second = fake.add_claim(package_id, "426659153", 2, "Hasarlı geldi")
    start, end = last_day()
    claims = [adapter.normalize_claim(raw) for raw in adapter.fetch_claims(start, end)]
    assert [(c["claim_id"], c["state"]) for c in claims] == [
        (first, "waiting"),
        (second, "waiting"),
    ]
    line = claims[1]["lines"][0]
    assert (line["order_line_id"], line["quantity"], line["reason"]) == (
        "426659153",
        2,
        "Hasarlı geldi",
    )
    assert line["unit_price"] == 292.80
    assert claims[0]["order_number"] == ORDER
    json.dumps([c["raw"] for c in claims])  # plain values, storable as JSON
    period = fake.calls("soap.ClaimReturnList")[0]["soap"]["searchData"]["period"]
    assert period["startDate"] == api.turkish_day(start)
    adapter.approve_claim(first, line["claim_line_item_ids"])
    assert fake.claim_state(first) == "accepted"
    reasons = dict(adapter.claim_reject_reasons())
    assert 2 in reasons and not adapter.claim_reason_requires_file(2)
    adapter.reject_claim(second, [], 2, "Ürün kullanılmış ve etiketi yok")
    assert fake.claim_state(second) == "rejected"
    deny = fake.calls("soap.ClaimReturnDeny")[0]["soap"]
    assert (deny["denyReasonId"], deny["denyReasonNote"]) == (
        "2",
        "Ürün kullanılmış ve etiketi yok",
    )
    with pytest.raises(ClientError, match="APPROVED durumunda"):
        adapter.approve_claim(first, [])


def test_cancel_requests_approve_and_deny(fake, rec):
    client = adapter_for(fake, rec).client
    package_id = fake.add_order(ORDER, [LINE])
    request = fake.add_cancel_request(package_id, "426659152")
    other = fake.add_cancel_request(package_id, "426659152")
    client.deny_cancel_request(other, 1, "Kargoya verildi")
    client.approve_cancel_request(request)
    assert fake.package_state(package_id) == "cancelled"
    assert fake.cancel_requests[other]["status"] == "DENIED"
    with pytest.raises(ClientError, match="sonuçlanmış"):
        client.approve_cancel_request(request)


def test_own_cargo_shipment_and_delivery(fake, rec):
    adapter = adapter_for(fake, rec)
    package_id = fake.add_order(ORDER, [LINE], "picking")
    package = package_of(adapter, fake, package_id)
    package["cargo"]["carrier_name"] = "Aras Kargo"
    adapter.mark_shipped(package, "ARS123456")  # carrier looked up by name: Aras = 345
    assert fake.package_state(package_id) == "shipped"
    assert fake.shipments == [
        {"line_id": "426659152", "tracking_number": "ARS123456", "company_id": "345"}
    ]
    item = fake.calls("soap.MakeOrderItemShipment")[0]["soap"]["orderItemList"]["orderItem"][0]
    assert item["shipmentInfo"]["trackingNumber"] == "ARS123456"
    with pytest.raises(NotSupported):
        adapter.mark_delivered(package, delivered=False, reason="Adreste yok")
    adapter.mark_delivered(package)
    assert fake.package_state(package_id) == "delivered"
    raw = next(p for p in fetch_all(adapter) if str(p["id"]) == package_id)
    assert raw["cargoTrackingNumber"] == "ARS123456"


def test_shipment_of_a_delivered_item_is_refused(fake, rec):
    adapter = adapter_for(fake, rec)
    package_id = fake.add_order(ORDER, [LINE], "picking")
    package = package_of(adapter, fake, package_id)
    fake.set_state(package_id, "delivered")
    with pytest.raises(ClientError, match="Delivered durumunda"):
        adapter.mark_shipped(package, "ARS1", "345")


# ------------------------------------------------------------------ stock & price
def test_stock_price_task_polled_until_processed_with_per_sku_errors(fake, rec):
    adapter = adapter_for(fake, rec)
    fake.add_order(ORDER, [LINE])
    items = [
        {"barcode": "8690000000011", "stock_code": "AYK-BYZ-40", "quantity": 14, "price": 292.8},
        {"barcode": "8690000000099", "stock_code": "UNKNOWN-1", "quantity": 3},
    ]
    (ref,) = adapter.push_stock_price(items)
    body = fake.calls("price_stock.update")[0]["json"]
    assert body == {
        "payload": {
            "integrator": fake.integrator,
            "skus": [
                {
                    "stockCode": "AYK-BYZ-40",
                    "quantity": 14,
                    "salePrice": 292.8,
                    "listPrice": 292.8,
                    "currencyType": "TL",
                },
                {"stockCode": "UNKNOWN-1", "quantity": 3},
            ],
        }
    }
    first = adapter.push_results(ref)
    assert first["done"] is False
    assert {i["state"] for i in first["items"]} == {"pending"}
    result = adapter.push_results(ref)
    assert result["done"] is True
    by_key = {item["key"]: item for item in result["items"]}
    assert by_key["8690000000011"]["state"] == "done"
    assert by_key["8690000000099"] == {
        "key": "8690000000099",
        "state": "failed",
        "message": "Stok kodu ile eşleşen ürün bulunamadı.",
    }
    assert fake.stock_of("8690000000011") == {"quantity": 14, "price": 292.8}
    assert fake.calls("price_stock.task")[0]["json"]["pageable"] == {"page": 0, "size": 1000}


def test_2500_items_go_in_3_tasks_of_at_most_1000(fake, rec):
    adapter = adapter_for(fake, rec)
    items = [{"barcode": f"B{i}", "stock_code": f"S{i}", "quantity": i} for i in range(2500)]
    refs = adapter.push_stock_price(items)
    assert len(refs) == 3
    sizes = [len(c["json"]["payload"]["skus"]) for c in fake.calls("price_stock.update")]
    assert sizes == [1000, 1000, 500]
    with pytest.raises(ValueError, match="at most 1000"):
        adapter.client.update_price_stock(
            [{"stockCode": f"S{i}", "quantity": 1} for i in range(1001)]
        )


def test_prices_are_sent_together_two_decimals_list_not_below_sale(fake, rec):
    client = adapter_for(fake, rec).client
    client.update_price_stock(
        [
            {"stockCode": "A", "salePrice": 10.556, "listPrice": 9.0},
            {"stockCode": "B", "quantity": 2_000_000},
        ]
    )
    skus = fake.calls("price_stock.update")[0]["json"]["payload"]["skus"]
    assert skus[0] == {
        "stockCode": "A",
        "salePrice": 10.56,
        "listPrice": 10.56,
        "currencyType": "TL",
    }
    assert skus[1] == {"stockCode": "B", "quantity": 999999}
    with pytest.raises(ValueError, match="together"):
        client.update_price_stock([{"stockCode": "A", "listPrice": 9.0}])


def test_a_rejected_task_is_a_client_error_with_n11s_reasons(fake, rec, monkeypatch):
    client = adapter_for(fake, rec).client
    monkeypatch.setattr(api, "_sku", lambda sku: sku)  # send what n11 refuses
    with pytest.raises(ClientError, match="listPrice salePrice'tan küçük olamaz") as error:
        client.update_price_stock([{"stockCode": "A", "salePrice": 10.0, "listPrice": 9.0}])
    assert error.value.body["status"] == "REJECT"


# ------------------------------------------------------------------------ faults
def test_rate_limit_is_retried_after_retry_after(fake, rec):
    adapter = adapter_for(fake, rec)
    fake.add_order(ORDER, [LINE])
    fake.add_fault("rate_limit", "orders.list", count=2)
    assert len(fetch_all(adapter)) == 1
    assert rec.sleeps[:2] == [1.0, 1.0]


def test_rate_limit_after_the_retries_is_a_rate_limit_error(fake, rec):
    adapter = adapter_for(fake, rec, max_retries=1)
    fake.add_fault("rate_limit", "soap.GetShipmentCompanies", count=2)
    with pytest.raises(RateLimitError) as error:
        adapter.shipment_companies()
    assert error.value.retry_after == 1.0
    assert error.value.retryable


@pytest.mark.parametrize("kind, status", [("unavailable", 503), ("server_error", 500)])
def test_5xx_on_a_read_is_retried_then_typed(fake, rec, kind, status):
    adapter = adapter_for(fake, rec, max_retries=2)
    fake.add_fault(kind, "orders.list", count=2)
    fetch_all(adapter)  # two failures, third attempt succeeds
    fake.add_fault(kind, "price_stock.task", count=3)
    with pytest.raises(ServerError) as error:
        adapter.client.get_task(1)
    assert error.value.status == status


def test_server_error_on_a_non_idempotent_post_is_outcome_unknown(fake, rec):
    adapter = adapter_for(fake, rec)
    fake.add_fault("server_error", "price_stock.update")
    with pytest.raises(OutcomeUnknown) as error:
        adapter.push_stock_price([{"barcode": "B", "stock_code": "S", "quantity": 1}])
    assert error.value.maybe_applied and isinstance(error.value, TransientError)
    assert len(fake.calls("price_stock.update")) == 1
    fake.add_fault("unavailable", "price_stock.update")  # 503: not applied, retried
    assert len(adapter.push_stock_price([{"barcode": "B", "stock_code": "S", "quantity": 1}])) == 1


def test_dropped_connection_on_a_read_is_retried(fake, rec):
    adapter = adapter_for(fake, rec)
    fake.add_order(ORDER, [LINE])
    fake.add_fault("drop", "orders.list")
    fake.add_fault("drop", "soap.ClaimReturnList")
    assert len(fetch_all(adapter)) == 1
    assert adapter.fetch_claims(*last_day()) == []


def test_lost_answer_of_a_split_is_outcome_unknown_and_not_repeated(fake, rec):
    adapter = adapter_for(fake, rec)
    package_id = fake.add_order(ORDER, [LINE, dict(LINE, line_id="426659153")], "picking")
    package = package_of(adapter, fake, package_id)
    fake.add_fault("lost_response", "package.split")
    with pytest.raises(OutcomeUnknown):
        adapter.split(package, [["426659152"]])
    assert len(fake.calls("package.split")) == 1
    assert fake.package_state(package_id) == "replaced"  # it was applied


def test_lost_answer_of_a_soap_call_is_outcome_unknown(fake, rec):
    adapter = adapter_for(fake, rec)
    package_id = fake.add_order(ORDER, [LINE], "picking")
    claim = fake.add_claim(package_id, "426659152")
    fake.add_fault("drop", "soap.ClaimReturnApprove")
    with pytest.raises(OutcomeUnknown):
        adapter.approve_claim(claim, [])
    assert fake.claim_state(claim) == "waiting"  # dropped before it was applied
    assert len(fake.calls("soap.ClaimReturnApprove")) == 1


def test_auth_fault_is_an_auth_error_on_rest_and_soap(fake, rec):
    adapter = adapter_for(fake, rec)
    fake.add_fault("auth", "orders.list")
    with pytest.raises(AuthError):
        fetch_all(adapter)
    fake.add_fault("auth", "soap.GetShipmentCompanies")
    with pytest.raises(AuthError, match="authenticationFailed"):
        adapter.shipment_companies()


def test_malformed_soap_answer_is_a_malformed_response_error(fake, rec):
    adapter = adapter_for(fake, rec)
    fake.add_fault("malformed", "soap.GetShipmentCompanies")
    with pytest.raises(MalformedResponseError):
        adapter.shipment_companies()
    assert len(adapter.shipment_companies()) == 4  # the next call works


def test_malformed_task_answer_is_a_malformed_response_error(fake, rec):
    client = adapter_for(fake, rec).client
    fake.add_fault("malformed", "price_stock.update")
    with pytest.raises(MalformedResponseError):
        client.update_price_stock([{"stockCode": "S", "quantity": 1}])


def test_logged_records_hold_no_secret(fake, rec):
    adapter = adapter_for(fake, rec)
    package_id = fake.add_order(ORDER, [LINE], "picking")
    fake.add_fault("rate_limit", "orders.list")
    fake.add_fault("server_error", "soap.SaveLinkSellerInvoice")
    package = package_of(adapter, fake, package_id)
    with pytest.raises(OutcomeUnknown) as error:
        adapter.send_invoice_link(package, "https://x.example/1.pdf", "X", utcnow())
    adapter.push_stock_price([{"barcode": "B", "stock_code": "S", "quantity": 1}])
    with pytest.raises(AuthError) as auth_error:
        adapter_for(fake, rec, credentials={"api_secret": "wrong-secret"}).shipment_companies()
    dump = json.dumps(rec.records, default=str) + str(error.value) + str(auth_error.value)
    assert len(rec.records) >= 6
    assert fake.app_key not in dump and fake.app_secret not in dump
    assert "wrong-secret" not in dump


def test_pacing_keeps_to_five_requests_a_second(fake, rec):
    client = adapter_for(fake, rec).client
    for _i in range(6):
        with pytest.raises(ClientError):
            client.get_task(999)
    assert rec.sleeps and sum(rec.sleeps) >= 0.99


# ------------------------------------------------------------------ harness & control
def test_contract_harness(rec):
    fake = contract_fake().start()
    try:
        adapter = mp.adapter(fake.credentials())
        assert isinstance(adapter, mp.adapter_class("n11"))
        package_id = fake.add_order(ORDER, [LINE], buyer=BUYER)
        assert isinstance(package_id, str)
        assert fake.package_state(package_id) == "created"
        fake.set_state(package_id, "shipped")
        assert fake.package_state(package_id) == "shipped"
        assert fake.invoice_of(package_id) is None
        assert fake.stock_of(LINE["barcode"]) is None
        claim = fake.add_claim(package_id, LINE["line_id"], quantity=1, reason="Beden uymadı")
        assert fake.claim_state(claim) == "waiting"
        fake.add_fault("rate_limit", endpoint="*", count=1)
        assert fake.requests == []
        assert fake.credentials()["marketplace"] == "n11"
    finally:
        fake.stop()


def test_http_control_endpoint(fake, rec):
    seeded = requests.post(
        f"{fake.url}/__fake__/seed",
        json={"orders": [{"order_number": ORDER, "lines": [LINE], "status": "picking"}]},
        timeout=5,
    ).json()
    (package_id,) = seeded["packages"]
    requests.post(
        f"{fake.url}/__fake__/state", json={"package_id": package_id, "state": "shipped"}, timeout=5
    )
    requests.post(
        f"{fake.url}/__fake__/faults",
        json={"kind": "unavailable", "endpoint": "orders.list"},
        timeout=5,
    )
    adapter = adapter_for(fake, rec)
    (raw,) = fetch_all(adapter)
    assert raw["shipmentPackageStatus"] == "Shipped"
    state = requests.get(f"{fake.url}/__fake__/state", timeout=5).json()
    assert state["packages"][0]["orderNumber"] == ORDER
    logged = requests.get(f"{fake.url}/__fake__/requests", timeout=5).json()
    assert logged[0]["fault"] == "unavailable"
    assert all("headers" not in r for r in logged)
    requests.post(f"{fake.url}/__fake__/reset", json={}, timeout=5)
    assert fake.packages == {}


def test_soap_read_is_retried_on_500_a_soap_write_is_outcome_unknown(fake, rec):
    adapter = adapter_for(fake, rec)
    fake.add_fault("server_error", "soap.GetShipmentCompanies")
    assert len(adapter.shipment_companies()) == 4
    assert len(fake.calls("soap.GetShipmentCompanies")) == 2
    package_id = fake.add_order(ORDER, [LINE], "picking")
    package = package_of(adapter, fake, package_id)
    fake.add_fault("server_error", "soap.MakeOrderItemShipment")
    with pytest.raises(OutcomeUnknown):
        adapter.mark_shipped(package, "ARS1", "345")
    assert len(fake.calls("soap.MakeOrderItemShipment")) == 1


def test_dropped_write_is_outcome_unknown_and_nothing_was_applied(fake, rec):
    adapter = adapter_for(fake, rec)
    package_id = fake.add_order(ORDER, [dict(LINE, quantity=3)], "picking")
    package = package_of(adapter, fake, package_id)
    fake.add_fault("drop", "package.split_quantity")
    with pytest.raises(OutcomeUnknown):
        adapter.unsupply(package, {"426659152": 1}, 62)
    assert fake.package_state(package_id) == "picking"
    assert len(fake.calls("package.split_quantity")) == 1


def test_unsupply_of_a_created_package_confirms_it_first(fake, rec):
    adapter = adapter_for(fake, rec)
    package_id = fake.add_order(ORDER, [dict(LINE, quantity=3)])
    adapter.unsupply(package_of(adapter, fake, package_id), {"426659152": 1}, 64)
    writes = [c["endpoint"] for c in fake.requests if c["endpoint"] != "orders.list"]
    assert writes == ["order.update", "package.split_quantity"]
    states = sorted(adapter.normalize_package(p)["state"] for p in fetch_all(adapter))
    assert states == ["picking", "replaced", "unsupplied"]


def test_wsdl_from_the_service_url_with_query(fake, rec):
    url = f"{fake.url}/ws/ShipmentCompanyService?wsdl"
    adapter = adapter_for(fake, rec, wsdl_urls={"ShipmentCompanyService": url})
    assert [c["id"] for c in adapter.shipment_companies()] == ["344", "345", "346", "347"]
    (wsdl,) = fake.calls("soap.wsdl")
    assert wsdl["path"] == "/ws/ShipmentCompanyService" and "wsdl" in wsdl["query"]

"""The contract every marketplace adapter passes (lib/marketplace.py), each against its own
fake server over real HTTP on 127.0.0.1: the same tests, parametrised over the registered
marketplaces. A new marketplace is a new adapter plus a fake whose module offers
``contract_fake()`` (see tests/fakes/trendyol.py, ContractFake); nothing else."""

import importlib
import time
from datetime import datetime, timedelta, timezone

import pytest
from marketplace_connector.lib import marketplace
from marketplace_connector.lib.marketplace import (
    CLAIM_STATES,
    FEATURES,
    STATES,
    AuthError,
    MarketplaceError,
    NotSupported,
)
from marketplace_connector.lib.push import item_states

from tests.fakes.httpfake import serving

CODES = [code for code, _name in marketplace.selection()]
PACKAGE_KEYS = {
    "marketplace", "package_id", "order_number", "line_ids", "external_key", "status",
    "state", "order_date", "last_modified", "currency", "customer", "invoice_address",
    "delivery_address", "lines", "cargo", "cargo_fee", "total_price", "gross_amount",
    "total_discount", "seller_discount", "marketplace_discount",
}  # fmt: skip
LINE_KEYS = {
    "line_id", "barcode", "stock_code", "product_name", "quantity", "unit_price", "price_unit",
    "discount_seller", "discount_marketplace", "gross_amount", "amount_paid", "vat_rate",
    "currency",
}  # fmt: skip
CUSTOMER_KEYS = {"name", "first_name", "last_name", "email", "tckn", "vkn", "is_company"}
ADDRESS_KEYS = {"name", "street", "district", "city", "zip", "country_code", "phone"}
BUYER = {
    "first_name": "Ayşe",
    "last_name": "Yılmaz",
    "tckn": "10000000146",
    "city": "İstanbul",
    "district": "Kadıköy",
    "street": "Moda Cad. No:5",
    "email": "ayse@example.com",
}
LINES = [
    {"line_id": "7001", "barcode": "8690000000011", "stock_code": "SKU-1", "quantity": 1,
     "price": 100.0, "seller_discount": 0.0, "vat": 20},
    {"line_id": "7002", "barcode": "8690000000028", "stock_code": "SKU-2", "quantity": 2,
     "price": 59.9, "seller_discount": 10.0, "vat": 10},
]  # fmt: skip


def _now():
    return datetime.now(timezone.utc).replace(tzinfo=None)


@pytest.fixture(params=CODES)
def fake(request):
    module = importlib.import_module(f"tests.fakes.{request.param}")
    yield from serving(module.contract_fake())


def adapter_of(fake, **options):
    credentials = fake.credentials()
    return marketplace.adapter_class(credentials["marketplace"])(
        credentials, sleep=lambda _seconds: None, **options
    )


def fetch_order(adapter, order_number):
    now = _now()
    raws = adapter.fetch_packages(now - timedelta(hours=6), now + timedelta(minutes=1))
    packages = [
        adapter.normalize_package(raw)
        for raw in raws
        if not adapter.validate_package(raw) and adapter.order_ref(raw) in (None, order_number)
    ]
    return [package for package in packages if package["order_number"] == order_number]


def test_every_feature_offered_is_implemented():
    for code in CODES:
        cls = marketplace.adapter_class(code)
        assert cls.features <= set(FEATURES), code
        assert cls.URLS.get("production", "").startswith("https://"), code
        assert cls.package_status_names, code
        assert {cls.offline().package_state(s) for s, _n in cls.package_status_names} <= set(
            STATES
        ), code


def test_package_normalised_with_real_amounts(fake):
    adapter = adapter_of(fake)
    fake.add_order("C-1001", LINES, buyer=BUYER)
    [package] = fetch_order(adapter, "C-1001")
    assert set(package) >= PACKAGE_KEYS
    assert set(package["customer"]) >= CUSTOMER_KEYS
    assert set(package["delivery_address"]) >= ADDRESS_KEYS
    assert package["marketplace"] == adapter.code
    assert package["state"] == "created"
    assert package["customer"]["tckn"] == "10000000146"
    assert package["customer"]["name"] == "Ayşe Yılmaz"
    by_barcode = {line["barcode"]: line for line in package["lines"]}
    assert all(set(line) >= LINE_KEYS for line in package["lines"])
    first, second = by_barcode["8690000000011"], by_barcode["8690000000028"]
    assert (first["quantity"], first["unit_price"], first["price_unit"]) == (1, 100.0, 100.0)
    assert (second["quantity"], second["unit_price"], second["discount_seller"]) == (2, 59.9, 10.0)
    assert second["price_unit"] == pytest.approx(54.9)
    # None: the marketplace does not send the rate (the product's KDV applies)
    assert (first["vat_rate"], second["vat_rate"]) in ((20, 10), (None, None))
    assert package["total_price"] == pytest.approx(100.0 + 2 * 59.9 - 10.0)
    assert sorted(package["line_ids"]) == sorted(line["line_id"] for line in package["lines"])


def test_the_same_package_fetched_twice_keeps_its_key(fake):
    adapter = adapter_of(fake)
    fake.add_order("C-1002", LINES, buyer=BUYER)
    [first] = fetch_order(adapter, "C-1002")
    [again] = fetch_order(adapter, "C-1002")
    assert first["external_key"] == again["external_key"]
    assert first["package_id"] == again["package_id"]


def test_picking_and_invoice_reach_the_marketplace(fake):
    adapter = adapter_of(fake)
    fake.add_order("C-1003", LINES, buyer=BUYER)
    [package] = fetch_order(adapter, "C-1003")
    if adapter.supports("picking"):
        adapter.confirm_picking(package)
        # the package as the marketplace has it now (Hepsiburada: packed under a new id)
        [package] = fetch_order(adapter, "C-1003")
        assert package["state"] == "picking"
        assert fake.package_state(package["package_id"]) == "picking"
    moment = datetime(2026, 11, 30, 12, 0)
    if adapter.supports("invoice_link"):
        adapter.send_invoice_link(
            package, "https://erp.example.com/inv/1", "GIB2026000000001", moment
        )
        invoice = fake.invoice_of(package["package_id"])
        assert invoice["link"] == "https://erp.example.com/inv/1"
    elif adapter.supports("invoice_file"):
        adapter.send_invoice_file(package, b"%PDF-1.4 test", "GIB2026000000001", moment)
        assert fake.invoice_of(package["package_id"])["file"]
    else:
        pytest.fail("every marketplace takes the invoice back as a link or a file")


def test_stock_and_price_push_with_results(fake):
    adapter = adapter_of(fake)
    if not adapter.supports("stock_price"):
        with pytest.raises(NotSupported):
            adapter.push_stock_price([])
        return
    fake.add_order("C-1004", LINES, buyer=BUYER)  # the marketplace knows the products
    item = {"barcode": "8690000000011", "stock_code": "SKU-1", "quantity": 7}
    item.update(price=120.0, list_price=150.0)
    refs = adapter.push_stock_price([item])
    for _attempt in range(50):
        results = [adapter.push_results(ref) for ref in refs]
        if all(result["done"] for result in results):
            break
        time.sleep(0.1)
    assert item_states(results, [("8690000000011", "SKU-1")]) == {"8690000000011": ("done", "")}
    assert fake.stock_of("8690000000011") == {"quantity": 7, "price": 120.0}


def test_claims_listed_and_approved(fake):
    adapter = adapter_of(fake)
    if not adapter.supports("claims"):
        with pytest.raises(NotSupported):
            adapter.fetch_claims(_now() - timedelta(days=1), _now())
        return
    package_id = fake.add_order("C-1005", LINES, status="delivered", buyer=BUYER)
    claim_id = fake.add_claim(package_id, "7002", quantity=1)
    now = _now()
    claims = [
        adapter.normalize_claim(raw)
        for raw in adapter.fetch_claims(now - timedelta(days=1), now + timedelta(minutes=1))
    ]
    [claim] = [claim for claim in claims if claim["claim_id"] == str(claim_id)]
    assert claim["state"] == "waiting" and claim["order_number"] == "C-1005"
    assert claim["state"] in CLAIM_STATES
    [line] = claim["lines"]
    assert (line["order_line_id"], line["quantity"]) == ("7002", 1)
    adapter.approve_claim(claim["claim_id"], line["claim_line_item_ids"])
    assert fake.claim_state(claim_id) == "accepted"


def test_wrong_credentials_are_an_auth_error(fake):
    credentials = dict(fake.credentials(), api_secret="wrong-secret")
    adapter = marketplace.adapter_class(credentials["marketplace"])(
        credentials, sleep=lambda _seconds: None
    )
    with pytest.raises(AuthError):
        adapter.fetch_packages(_now() - timedelta(hours=1), _now())


def test_rate_limit_is_waited_out(fake):
    adapter = adapter_of(fake)
    fake.add_order("C-1006", LINES, buyer=BUYER)
    fake.add_fault("rate_limit", count=1)
    assert len(fetch_order(adapter, "C-1006")) == 1


def test_unavailable_marketplace_is_a_retryable_error(fake):
    adapter = adapter_of(fake)
    fake.add_fault("unavailable", count=50)
    with pytest.raises(MarketplaceError) as caught:
        adapter.fetch_packages(_now() - timedelta(hours=1), _now())
    assert caught.value.retryable


def test_a_missing_feature_says_so(fake):
    adapter = adapter_of(fake)
    calls = {
        "split": lambda: adapter.split({"package_id": "1", "lines": []}, [["1"]]),
        "labels": lambda: adapter.label({"package_id": "1", "cargo": {"tracking_number": "1"}}),
        "own_cargo": lambda: adapter.mark_shipped({"package_id": "1"}, "1"),
        "unsupply": lambda: adapter.unsupply({"package_id": "1", "lines": []}, {"1": 1}, "1"),
    }
    for feature, call in calls.items():
        if not adapter.supports(feature):
            with pytest.raises(NotSupported):
                call()

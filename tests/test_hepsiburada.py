"""Hepsiburada client, mapping and adapter against the fake Hepsiburada on 127.0.0.1
(real HTTP)."""

import base64
import copy
import json
import math
import re
import zlib
from datetime import datetime, timedelta, timezone

import pytest
import requests
from marketplace_connector.lib import hepsiburada as api
from marketplace_connector.lib import hepsiburada_mapping as mapping
from marketplace_connector.lib import mapping_common, marketplace, trendyol_mapping
from marketplace_connector.lib.adapters.hepsiburada import Hepsiburada
from marketplace_connector.lib.http import (
    AuthError,
    ClientError,
    IncompleteFetchError,
    MalformedResponseError,
    MarketplaceError,
    RateLimitError,
    ServerError,
    TransientError,
)

from tests.fakes.hepsiburada import FakeHepsiburada, contract_fake
from tests.fakes.httpfake import serving
from tests.marketplace_helpers import (
    CARGO_KEYS,
    CUSTOMER_KEYS,
    LINE_KEYS,
    PACKAGE_KEYS,
)

DATE_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$")
BUYER = {
    "first_name": "Mehmet",
    "last_name": "Kaya",
    "tckn": "10000000146",
    "city": "Ankara",
    "district": "Çankaya",
    "street": "Cumhuriyet Mah. Lale Sok. No:12 D:4",
    "email": "mehmet.kaya@example.com",
}
COMPANY = dict(BUYER, tckn=None, vkn="1234567890", company="Kaya Mühendislik Ltd. Şti.")


@pytest.fixture
def fake():
    yield from serving(FakeHepsiburada())


def adapter_for(fake, rec, **credentials):
    return Hepsiburada(
        dict(fake.credentials(), **credentials),
        logger=rec.log,
        sleep=rec.sleep,
        timeout=5,
        max_retries=2,
    )


def now():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def last_day():
    moment = now()
    return moment - timedelta(days=1), moment + timedelta(minutes=1)


def line(line_id, quantity=1, price=100.0, seller=0.0, barcode=None, stock_code=None, **extra):
    return dict(
        {
            "line_id": line_id,
            "barcode": barcode or f"869{zlib.crc32(line_id.encode()):010d}",
            "stock_code": stock_code or f"SKU-{line_id}",
            "quantity": quantity,
            "price": price,
            "seller_discount": seller,
            "vat": 20,
        },
        **extra,
    )


def fetched(adapter, start=None, end=None):
    """``{package_id: normalised package}`` of one fetch."""
    start, end = (start, end) if start else last_day()
    packages = {}
    for raw in adapter.fetch_packages(start, end):
        assert adapter.validate_package(raw) == []
        package = adapter.normalize_package(raw)
        packages[package["package_id"]] = package
    return packages


# ------------------------------------------------------------------------- auth / hosts
def test_hosts_credentials_and_headers(fake, rec):
    assert api.URLS == {
        "production": "https://oms-external.hepsiburada.com",
        "test": "https://oms-external-sit.hepsiburada.com",
    }
    assert api.resolve_hosts("test") == {
        "oms": "https://oms-external-sit.hepsiburada.com",
        "listing": "https://listing-external-sit.hepsiburada.com",
    }
    assert api.resolve_hosts("https://oms-external.hepsiburada.com/")["listing"] == (
        "https://listing-external.hepsiburada.com"
    )
    assert api.resolve_hosts(fake.url) == {"oms": fake.url, "listing": fake.url}
    assert Hepsiburada.URLS is api.URLS and Hepsiburada.max_window == timedelta(hours=24)
    assert "Service key" in Hepsiburada.credential_labels["api_secret"]
    assert Hepsiburada.unsupply_reasons == {83: "Ürün tedarik edilemedi (cannot be supplied)"}
    assert {"invoice_file", "invoiced_status"}.isdisjoint(Hepsiburada.features)
    assert marketplace.adapter_class("hepsiburada") is Hepsiburada
    adapter = adapter_for(fake, rec)
    adapter.fetch_packages(*last_day())
    call = fake.calls("orders.list")[0]
    token = base64.b64encode(f"{fake.merchant_id}:{fake.service_key}".encode()).decode()
    assert call["headers"]["Authorization"] == f"Basic {token}"
    assert call["headers"]["User-Agent"] == "odootr_dev"  # exactly the registered name
    assert call["path"] == f"/orders/merchantid/{fake.merchant_id}"
    with pytest.raises(ValueError, match="integrator user name"):
        api.HepsiburadaClient(fake.merchant_id, "key", fake.url, integrator_name="")
    with pytest.raises(ValueError, match="service key"):
        api.HepsiburadaClient(fake.merchant_id, "", fake.url, integrator_name="x")


def test_wrong_service_key_is_an_auth_error_naming_the_user_agent(fake, rec):
    adapter = adapter_for(fake, rec, api_secret="WrongKey1234")
    with pytest.raises(AuthError) as info:
        adapter.fetch_packages(*last_day())
    assert info.value.status == 401 and not info.value.retryable
    assert "User-Agent 'odootr_dev'" in str(info.value)
    assert "exactly the integrator user name registered" in str(info.value)
    assert len(fake.calls("orders.list")) == 1 and rec.sleeps == []


def test_a_user_agent_other_than_the_registered_name_is_refused(fake, rec):
    adapter = adapter_for(fake, rec, integrator_name=f"{fake.merchant_id} - odootr_dev")
    with pytest.raises(AuthError) as info:
        adapter.fetch_packages(*last_day())
    assert info.value.status == 401 and "User-Agent" in str(info.value)


# ----------------------------------------------------------------------- windows / paging
def test_a_three_day_range_is_read_in_24_hour_windows_in_turkey_time(fake, rec):
    fake.strict_range = True  # a window over 24 h would be a 400
    end = now().replace(second=0, microsecond=0)
    start = end - timedelta(days=3)
    for hours in (60, 36, 12):
        fake.add_order(f"45{hours}", [line(f"o{hours}")], order_date=end - timedelta(hours=hours))
    for hours in (50, 26, 2):
        fake.add_order(
            f"46{hours}",
            [line(f"p{hours}")],
            status="picking",
            order_date=end - timedelta(hours=hours + 1),
            packed_at=end - timedelta(hours=hours),
        )
    adapter = adapter_for(fake, rec)
    packages = fetched(adapter, start, end)
    assert sorted(p["order_number"] for p in packages.values()) == sorted(
        ["4512", "4536", "4560", "462", "4626", "4650"]
    )
    assert {p["state"] for p in packages.values() if p["order_number"].startswith("45")} == {
        "created"
    }
    windows = api.minute_windows(start, end)
    assert len(windows) == 3
    for endpoint in ("orders.list", "packages.list"):
        calls = fake.calls(endpoint)
        assert len(calls) == 3
        spans = []
        for call in calls:
            query = call["query"]
            assert DATE_RE.match(query["begindate"]) and DATE_RE.match(query["enddate"])
            begin = datetime.strptime(query["begindate"], "%Y-%m-%d %H:%M")
            stop = datetime.strptime(query["enddate"], "%Y-%m-%d %H:%M")
            assert stop - begin <= timedelta(hours=24) and not call.get("truncated")
            spans.append((begin, stop))
        # Turkey time: UTC + 3 h, consecutive windows
        assert spans[0][0] == start + timedelta(hours=3)
        assert spans[-1][1] == end + timedelta(hours=3)
        assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_minute_windows_cover_seconds_and_never_exceed_24_hours():
    start = datetime(2026, 10, 15, 10, 0, 30)
    end = datetime(2026, 10, 17, 10, 0, 10)
    windows = api.minute_windows(start, end)
    assert windows[0][0] == datetime(2026, 10, 15, 10, 0)
    assert windows[-1][1] == datetime(2026, 10, 17, 10, 1)
    assert [w[1] - w[0] for w in windows] == [
        timedelta(hours=24),
        timedelta(hours=24),
        timedelta(minutes=1),
    ]
    assert api.hb_date(datetime(2026, 10, 15, 21, 30)) == "2026-10-16 00:30"
    assert api.parse_date("2026-10-16T00:30:00.000") == datetime(2026, 10, 15, 21, 30)
    assert api.parse_date("2026-10-16T00:30:00Z") == datetime(2026, 10, 16, 0, 30)


def test_the_fake_cuts_a_longer_range_silently_like_hepsiburada(fake):
    start = now() - timedelta(hours=40)
    fake.add_order("4700", [line("late")], order_date=now() - timedelta(hours=2))
    answer = requests.get(
        f"{fake.url}/orders/merchantid/{fake.merchant_id}",
        params={
            "offset": 0,
            "limit": 100,
            "begindate": api.hb_date(start),
            "enddate": api.hb_date(now()),
        },
        headers=_auth_headers(fake),
        timeout=5,
    )
    assert answer.status_code == 200 and answer.json()["totalCount"] == 0  # lost silently
    assert fake.requests[-1]["truncated"] is True
    fake.strict_range = True
    refused = requests.get(answer.url, headers=_auth_headers(fake), timeout=5)
    assert refused.status_code == 400 and "24 hours" in refused.json()["message"]


def _auth_headers(fake):
    token = base64.b64encode(f"{fake.merchant_id}:{fake.service_key}".encode()).decode()
    return {"Authorization": f"Basic {token}", "User-Agent": fake.integrator_name}


def test_the_fake_enforces_the_page_limits(fake):
    base = f"{fake.url}/orders/merchantid/{fake.merchant_id}"
    headers = _auth_headers(fake)
    too_big = requests.get(base, params={"offset": 0, "limit": 101}, headers=headers, timeout=5)
    assert too_big.status_code == 400
    missing = requests.get(base, headers=headers, timeout=5)
    assert missing.status_code == 400 and "limit and offset" in missing.json()["message"]
    packages = f"{fake.url}/packages/merchantid/{fake.merchant_id}"
    eleven = requests.get(packages, params={"Offset": 0, "limit": 11}, headers=headers, timeout=5)
    assert eleven.status_code == 400


def test_orders_page_by_100_and_packages_by_10_with_a_capital_offset(fake, rec):
    moment = now() - timedelta(hours=3)
    for number in range(23):
        fake.add_order(f"48{number:03d}", [line(f"pk{number}")], status="picking")
    fake.add_order(
        "4900",
        [line(f"ol{number}", price=10.0 + number) for number in range(250)],
        order_date=moment,
    )
    start = now().replace(second=0, microsecond=0) - timedelta(hours=23)
    packages = fetched(adapter_for(fake, rec), start, start + timedelta(hours=24))
    assert len(packages) == 24
    assert len(packages["4900"]["lines"]) == 250
    orders = fake.calls("orders.list")
    assert [c["query"]["offset"] for c in orders] == ["0", "100", "200"]
    assert {c["query"]["limit"] for c in orders} == {"100"}
    packed = fake.calls("packages.list")
    assert [c["query"]["Offset"] for c in packed] == ["0", "10", "20"]
    assert all("offset" not in c["query"] and c["query"]["limit"] == "10" for c in packed)


def test_a_page_read_that_fails_is_read_again_then_reported_incomplete(fake, rec):
    fake.add_order("5000", [line(f"a{n}") for n in range(120)])
    fake.add_fault("malformed", endpoint="orders.list", count=1)
    packages = fetched(adapter_for(fake, rec))
    assert len(packages["5000"]["lines"]) == 120  # the window was read again, whole
    fake.add_fault("malformed", endpoint="orders.list", count=api.WINDOW_READ_ATTEMPTS)
    fake.add_order("5001", [line("b1")], status="picking")
    with pytest.raises(IncompleteFetchError) as info:
        adapter_for(fake, rec).fetch_packages(*last_day())
    assert "not read consistently after 3 attempts" in str(info.value)
    # what was read comes along: the packages (and feeds) of the window
    assert [mapping.package_id_of(p) for p in info.value.packages] == [
        fake._resolve("5001")["packageNumber"]
    ]


def test_a_window_that_cannot_be_read_does_not_stop_the_others(fake, rec):
    end = now().replace(second=0, microsecond=0)
    start = end - timedelta(days=3)
    for hours in (60, 36, 12):
        fake.add_order(f"49{hours}", [line(f"w{hours}")], order_date=end - timedelta(hours=hours))
    adapter = adapter_for(fake, rec)
    original = adapter.client.get_orders_page
    broken = start + timedelta(days=1)

    def second_window_breaks(begin, stop, offset=0, limit=100):
        if begin == broken:
            raise MalformedResponseError("odd page", status=200)
        return original(begin, stop, offset, limit)

    adapter.client.get_orders_page = second_window_breaks
    with pytest.raises(IncompleteFetchError) as info:
        adapter.fetch_packages(start, end)
    assert "odd page" in str(info.value)
    read = sorted(mapping.package_id_of(raw) for raw in info.value.packages)
    assert read == ["4912", "4960"]  # windows 1 and 3 were read; 36 h ago was not


def test_lines_moving_between_pages_make_the_read_incomplete(fake, rec):
    fake.add_order("5100", [line(f"m{n}") for n in range(150)])
    adapter = adapter_for(fake, rec)
    client = adapter.client
    original = client.get_orders_page

    def page_then_pack(start, end, offset=0, limit=100):
        envelope = original(start, end, offset, limit)
        if offset == 0:  # a line of page 0 is packed while page 1 is read
            first_open = next(li for li in fake.lines.values() if li["_state"] == "open")
            with fake.lock:
                fake._pack([(first_open["id"], first_open["quantity"])])
        return envelope

    client.get_orders_page = page_then_pack
    with pytest.raises(IncompleteFetchError) as info:
        adapter.fetch_packages(*last_day())
    assert "announces" in str(info.value)
    assert info.value.packages  # everything read is handed over


# ----------------------------------------------------------------------------- merging
def test_packed_lines_leave_orders_and_each_line_is_returned_once(fake, rec):
    fake.add_order("5200", [line("x1"), line("x2")])
    adapter = adapter_for(fake, rec)
    before = fetched(adapter)["5200"]
    assert before["state"] == "created" and before["status"] == "ToBePacked"
    assert adapter.confirm_picking(before)["packageNumber"]
    after = fetched(adapter)
    assert list(after) == [fake._resolve("5200")["packageNumber"]]
    package = next(iter(after.values()))
    assert package["state"] == "picking" and package["external_key"] == before["external_key"]
    # a line seen in both feeds of one read (packed between the two reads) is returned once
    lines = [dict(li, id=li["lineItemId"], orderNumber="5200") for li in package["raw"]["items"]]
    merged = api.merge_feeds(lines, [package["raw"]])
    assert [mapping.feed_of(p) for p in merged] == ["packages"]


def test_status_feeds_win_over_the_packages_feed():
    package = {"packageNumber": "1", "status": "Open", "items": [{"lineItemId": "a"}]}
    shipped = dict(package, status="InTransit")
    merged = api.merge_feeds([], [package], {"shipped": [shipped]})
    assert len(merged) == 1 and merged[0]["feed"] == "shipped"
    cancelled = {"lineItemId": "a", "packageNumber": "1", "cancelledBy": "Customer"}
    merged = api.merge_feeds([], [package], {"shipped": [shipped], "cancelled": [cancelled]})
    assert len(merged) == 1 and merged[0]["feed"] == "cancelled"
    assert mapping.status_of(merged[0]) == "Cancelled"


# --------------------------------------------------------------------------- amounts
def test_amounts_discounts_and_vat_are_the_same_unpacked_and_packed(fake, rec):
    fake.add_order(
        "5300",
        [
            line("d1", quantity=2, price=599.0, seller=100.0, hb_discount=50.0),
            line("d2", quantity=1, price=149.5, seller=0.0),
        ],
        buyer=COMPANY,
    )
    adapter = adapter_for(fake, rec)
    unpacked = fetched(adapter)["5300"]
    adapter.confirm_picking(unpacked)
    packed = next(iter(fetched(adapter).values()))
    for package in (unpacked, packed):
        first, second = sorted(package["lines"], key=lambda li: li["line_id"])
        assert (first["unit_price"], first["price_unit"]) == (599.0, 549.0)
        assert (first["discount_seller"], first["discount_marketplace"]) == (100.0, 50.0)
        assert (first["gross_amount"], first["amount_paid"]) == (1198.0, 1048.0)
        assert first["vat_rate"] == 20.0 and first["quantity"] == 2
        assert (second["unit_price"], second["price_unit"], second["amount_paid"]) == (
            149.5,
            149.5,
            149.5,
        )
        assert package["gross_amount"] == 1347.5
        assert package["seller_discount"] == 100.0 and package["marketplace_discount"] == 50.0
        assert package["total_discount"] == 150.0
        assert package["total_price"] == 1197.5 and package["cargo_fee"] == 0.0
        assert package["customer"]["vkn"] == "1234567890"
        assert package["customer"]["is_company"] is True
        assert package["customer"]["name"] == "Kaya Mühendislik Ltd. Şti."
        assert package["delivery_address"]["district"] == "Çankaya"
        assert package["delivery_address"]["city"] == "Ankara"
        assert package["is_corporate"] is True
    assert unpacked["external_key"] == packed["external_key"] == "5300:d1-d2"


def documented_package():
    """The example package of marketplaces.md §2.2 (values invented there)."""
    return {
        "id": "5f8a2c1e-7d4b-4e2a-9b1c-0a1b2c3d4e5f",
        "packageNumber": "4012345678",
        "barcode": "6220134567890",
        "status": "Open",
        "cargoCompany": "HepsiJET",
        "isCargoChangable": True,
        "orderDate": "2026-10-15T13:28:27.451",
        "dueDate": "2026-10-17T12:00:00",
        "estimatedArrivalDate": "2026-10-19T18:00:00",
        "customerId": "c1d2e3f4-0000-4a4a-8b8b-123456789abc",
        "customerName": "Mehmet Kaya",
        "email": "mehmet.kaya@example.com",
        "phoneNumber": "5321234567",
        "recipientName": "Mehmet Kaya",
        "shippingAddressDetail": "Cumhuriyet Mah. Lale Sok. No:12 D:4",
        "shippingCity": "Ankara",
        "shippingTown": "Çankaya",
        "shippingDistrict": "Kızılay",
        "shippingCountryCode": "TR",
        "companyName": "Kaya Mühendislik Ltd. Şti.",
        "billingAddress": "Ziya Gökalp Cad. No:40 K:3",
        "billingCity": "Ankara",
        "billingTown": "Çankaya",
        "billingDistrict": "Kızılay",
        "billingPostalCode": "06420",
        "billingCountryCode": "TR",
        "taxOffice": "Maltepe",
        "taxNumber": "9876543210",
        "identityNo": "",
        "totalPrice": {"amount": 1198.00, "currency": "TRY"},
        "shippingTotalPrice": {"amount": 0.00, "currency": "TRY"},
        "items": [
            {
                "lineItemId": "a1b2c3d4-1111-2222-3333-444455556666",
                "listingId": "l-998877",
                "orderNumber": "4567890123",
                "orderDate": "2026-10-15T13:28:27.451",
                "hbSku": "HBV00000ABCDE",
                "merchantSku": "KLV-USB-C-2M",
                "productBarcode": "8690000123456",
                "productName": "USB-C Kablo 2 m",
                "quantity": 2,
                "price": {"amount": 599.00, "currency": "TRY"},
                "totalPrice": {"amount": 1198.00, "currency": "TRY"},
                "unitMerchantDiscount": {"amount": 0.00, "currency": "TRY"},
                "unitHBDiscount": {"amount": 50.00, "currency": "TRY"},
                "totalHBDiscount": {"amount": 100.00, "currency": "TRY"},
                "discountToBeBilledToHB": 100.00,
                "vat": 199.67,
                "vatRate": 20,
                "commission": {"amount": 179.70, "currency": "TRY"},
                "commissionRate": 15,
                "isMicroExport": False,
                "deci": 1,
            }
        ],
    }


def test_the_documented_package_normalises_to_the_interface_shape(fake, rec):
    adapter = adapter_for(fake, rec)
    raw = documented_package()
    assert adapter.validate_package(raw) == []
    package = adapter.normalize_package(raw)
    assert set(package) == PACKAGE_KEYS
    assert set(package["customer"]) == CUSTOMER_KEYS
    assert set(package["cargo"]) == CARGO_KEYS
    assert set(package["lines"][0]) == LINE_KEYS
    assert package["package_id"] == "4012345678" and package["order_number"] == "4567890123"
    assert package["external_key"] == "4567890123:a1b2c3d4-1111-2222-3333-444455556666"
    assert (package["status"], package["state"]) == ("Open", "picking")
    # dates without a zone are Turkey time: 13:28 there is 10:28 UTC
    assert package["order_date"] == datetime(2026, 10, 15, 10, 28, 27, 451000)
    assert package["agreed_delivery_date"] == datetime(2026, 10, 17, 9, 0)
    first = package["lines"][0]
    assert (first["unit_price"], first["price_unit"], first["discount_marketplace"]) == (
        599.0,
        599.0,
        100.0,
    )
    assert first["amount_paid"] == 1098.0 and first["content_id"] == "HBV00000ABCDE"
    assert package["cargo"]["carrier_name"] == "HepsiJET"
    assert package["cargo"]["tracking_number"] == "6220134567890"
    assert package["cargo"]["deci"] == 1.0
    # 9876543210 fails the VKN check digit: not trusted, so not a company
    assert package["customer"]["vkn"] is None and package["customer"]["is_company"] is False
    assert package["delivery_address"]["district"] == "Çankaya"
    assert package["delivery_address"]["neighborhood"] == "Kızılay"
    assert package["invoice_address"]["zip"] == "06420"


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda raw: (raw.update(feed="shipped"), raw.pop("packageNumber")), "missing packageN"),
        (lambda raw: raw["items"][0].pop("orderNumber"), "missing orderNumber"),
        (lambda raw: raw["items"][0].update(lineItemId=None), "missing lineItemId"),
        (lambda raw: raw["items"].append(copy.deepcopy(raw["items"][0])), "duplicate lineItemId"),
        (lambda raw: raw["items"][0].update(quantity=0), "positive whole number"),
        (lambda raw: raw["items"][0].update(quantity=1.5), "positive whole number"),
        (lambda raw: raw["items"][0].update(quantity=50000), "absurd quantity"),
        (lambda raw: raw["items"][0]["price"].update(amount=math.nan), "not a finite number"),
        (lambda raw: raw["items"][0]["price"].update(amount="inf"), "not a finite number"),
        (lambda raw: raw["items"][0]["price"].update(amount=1e12), "absurd price"),
        (lambda raw: raw["items"][0]["price"].update(amount="abc"), "non-numeric price"),
        (lambda raw: raw["items"][0].pop("price"), "no price"),
        (lambda raw: raw["items"][0]["totalHBDiscount"].update(amount=-5), "below 0"),
        (lambda raw: raw["items"][0]["totalHBDiscount"].update(amount=1500), "exceed"),
        (lambda raw: raw["items"][0].update(vatRate=180), "absurd vatRate"),
        (lambda raw: raw["totalPrice"].update(amount=math.inf), "not a finite number"),
        (lambda raw: raw.update(orderDate="yesterday"), "unreadable orderDate"),
        (lambda raw: raw.update(orderDate="1899-01-01T00:00:00"), "absurd orderDate"),
        (lambda raw: raw.update(items=[]), "no lines"),
        (lambda raw: raw["items"][0].update(deci="two"), "non-numeric deci"),
        (lambda raw: raw.update(totalDeci=-1), "totalDeci -1 is below 0"),
        (
            lambda raw: raw["items"][0].update(productBarcode="", merchantSku=""),
            "neither productBarcode nor merchantSku",
        ),
    ],
)
def test_validate_package_gives_reasons(change, reason):
    raw = documented_package()
    change(raw)
    problems = mapping.validate_package(raw)
    assert any(reason in problem for problem in problems), problems


def test_validate_refuses_the_sellers_own_vkn_and_non_objects():
    raw = documented_package()
    raw["taxNumber"] = "1234567890"
    assert mapping.validate_package(raw, own_tax_numbers=["123 456 7890"]) == [
        "the buyer's tax number 1234567890 is the seller's own VKN"
    ]
    assert mapping.validate_package(["x"]) == ["package is not a JSON object but list"]


def test_validate_reads_the_own_vkn_of_lines_not_packed_yet(fake, rec):
    fake.add_order("5250", [line("g1")], buyer=COMPANY)
    raw = next(r for r in adapter_for(fake, rec).fetch_packages(*last_day()))
    assert mapping.feed_of(raw) == "orders"
    assert mapping.validate_package(raw, own_tax_numbers=["1234567890"]) == [
        "the buyer's tax number 1234567890 is the seller's own VKN"
    ]
    assert mapping.validate_package(raw, own_tax_numbers=["1111111111"]) == []


def test_shared_helpers_live_in_mapping_common():
    assert trendyol_mapping.external_key is mapping_common.external_key
    assert trendyol_mapping.valid_vkn is mapping_common.valid_vkn
    assert mapping_common.external_key("7", ["b", "10", "9"]) == "7:9-10-b"


# ------------------------------------------------------------------------ package actions
def test_split_an_unpacked_order_packs_each_group(fake, rec):
    fake.add_order("5400", [line("s1"), line("s2"), line("s3")])
    adapter = adapter_for(fake, rec)
    order = fetched(adapter)["5400"]
    assert sorted(adapter.client.packable_with("s1")) == ["s1", "s2", "s3"]
    with pytest.raises(ValueError, match="not in 5400"):
        adapter.split(order, [["s1", "other"]])
    created = adapter.split(order, [["s1"], ["s2", "s3"]])
    assert len(created) == 2
    keys = sorted(p["external_key"] for p in fetched(adapter).values())
    assert keys == ["5400:s1", "5400:s2-s3"]
    bodies = [c["json"] for c in fake.calls("packages.create")]
    assert [[r["id"] for r in b["lineItemRequests"]] for b in bodies] == [["s1"], ["s2", "s3"]]


def test_split_a_packed_package_and_unpack(fake, rec):
    number = fake.add_order("5500", [line("t1"), line("t2")], status="picking")
    adapter = adapter_for(fake, rec)
    package = fetched(adapter)[number]
    adapter.split(package, [["t1"]])
    body = fake.calls("package.split")[0]["json"]
    assert body == {
        "packageDetails": [
            {"lines": [{"orderLineId": "t1", "quantity": 1}], "parcelQuantity": 1},
            {"lines": [{"orderLineId": "t2", "quantity": 1}], "parcelQuantity": 1},
        ],
        "cancelledItems": [],
    }
    assert fake.package_state(number) == "replaced"
    packages = fetched(adapter)
    assert sorted(p["external_key"] for p in packages.values()) == ["5500:t1", "5500:t2"]
    first = next(p for p in packages.values() if p["line_ids"] == ["t1"])
    assert adapter.unpack(first) is True
    again = fetched(adapter)
    assert again["5500"]["state"] == "created" and again["5500"]["line_ids"] == ["t1"]
    gone = again[first["package_id"]]  # the unpacked package does not stay open
    assert (gone["status"], gone["state"]) == ("Unpacked", "replaced")
    assert gone["external_key"] == again["5500"]["external_key"] == "5500:t1"
    assert fake.calls("feed.unpacked")[-1]["query"] == {"Offset": "0", "limit": "10"}


def test_unsupply_cancels_unpacked_lines_whole_with_reason_83(fake, rec):
    fake.add_order("5600", [line("u1", quantity=2), line("u2")])
    adapter = adapter_for(fake, rec)
    order = fetched(adapter)["5600"]
    with pytest.raises(ValueError, match="whole"):
        adapter.unsupply(order, {"u1": 1}, 83)
    with pytest.raises(ValueError, match="unknown Hepsiburada cancel reason"):
        adapter.unsupply(order, {"u1": 2}, 500)
    assert fake.calls("line.cancel") == []
    adapter.unsupply(order, {"u1": 2, "u2": 1}, 83)
    assert [c["json"] for c in fake.calls("line.cancel")] == [{"reasonId": 83}] * 2
    cancelled = fetched(adapter)["5600"]
    assert (cancelled["status"], cancelled["state"]) == ("CancelledByMerchant", "unsupplied")
    assert cancelled["external_key"] == order["external_key"]
    assert cancelled["cancelled_by"] == "Merchant" and cancelled["cancel_reason"] == "83"
    assert fake.package_state("5600") == "unsupplied"


def test_unsupply_part_of_a_packed_package_splits_it(fake, rec):
    number = fake.add_order("5700", [line("v1", quantity=3, price=50.0), line("v2")], "picking")
    adapter = adapter_for(fake, rec)
    package = fetched(adapter)[number]
    with pytest.raises(ValueError, match="not in"):
        adapter.unsupply(package, {"zz": 1}, 83)
    with pytest.raises(ValueError, match="only 3 units"):
        adapter.unsupply(package, {"v1": 4}, 83)
    adapter.unsupply(package, {"v1": 1}, 83)
    body = fake.calls("package.split")[0]["json"]
    assert body["cancelledItems"] == [{"orderLineId": "v1", "quantity": 1, "cancelReasonId": 83}]
    assert body["packageDetails"][0]["lines"] == [
        {"orderLineId": "v1", "quantity": 2},
        {"orderLineId": "v2", "quantity": 1},
    ]
    rest = [p for p in fetched(adapter).values() if p["state"] == "picking"]
    assert len(rest) == 1
    v1 = next(li for li in rest[0]["lines"] if li["line_id"] == "v1")
    assert v1["quantity"] == 2 and v1["gross_amount"] == 100.0


def test_invoice_link_per_package(fake, rec):
    number = fake.add_order("5800", [line("w1")], status="picking")
    fake.add_order("5801", [line("w2")])
    adapter = adapter_for(fake, rec)
    packages = fetched(adapter)
    url = "https://efatura.example.com/inv/8c1d.pdf"
    result = adapter.send_invoice_link(packages[number], url, "ABC2026000000001", now())
    assert result["done"] is True and result["status"] == 204
    assert fake.invoice_of(number) == {"number": None, "link": url, "file": None}
    assert fake.calls("package.invoice")[0]["json"] == {"invoiceLink": url}
    with pytest.raises(ValueError, match="not packed yet"):
        adapter.send_invoice_link(packages["5801"], url, "ABC2026000000002", now())
    with pytest.raises(ValueError, match="http"):
        adapter.client.send_invoice_link(number, "ftp://x")
    with pytest.raises(marketplace.NotSupported):
        adapter.send_invoice_file(packages[number], b"%PDF", "ABC2026000000001", now())


def test_labels_in_zpl_and_pdf(fake, rec):
    number = fake.add_order("5900", [line("z1")], status="picking")
    fake.add_order("5901", [line("z2")])
    adapter = adapter_for(fake, rec)
    packages = fetched(adapter)
    content, extension = adapter.label(packages[number])
    assert extension == "zpl" and content.startswith("^XA") and number in content
    assert fake.calls("package.labels")[0]["query"] == {"format": "ZPL"}
    adapter.label_format = "PDF"
    content, extension = adapter.label(packages[number])
    assert extension == "pdf" and content.startswith(b"%PDF")
    assert adapter.label(packages["5901"]) == (None, None)


def test_own_cargo_in_transit_then_delivered_or_undelivered(fake, rec):
    first = fake.add_order("6000", [line("c1")], status="picking")
    second = fake.add_order("6001", [line("c2")], status="picking")
    adapter = adapter_for(fake, rec)
    packages = fetched(adapter)
    with pytest.raises(ClientError, match="not in transit"):
        adapter.mark_delivered(packages[first])
    adapter.mark_shipped(packages[first], "TRK123", tracking_url="https://kargo.example/TRK123")
    body = fake.calls("package.own_cargo")[-1]["json"]
    assert body["trackingNumber"] == "TRK123" and body["shippedDate"].endswith("Z")
    assert fetched(adapter)[first]["state"] == "shipped"
    adapter.mark_delivered(packages[first])
    received_by = fake.calls("package.own_cargo")[-1]["json"]["receivedBy"]
    assert received_by and received_by == packages[first]["delivery_address"]["name"]
    assert fetched(adapter)[first]["state"] == "delivered"
    adapter.mark_shipped(packages[second], "TRK124")
    with pytest.raises(ValueError, match="reason"):
        adapter.mark_delivered(packages[second], delivered=False)
    adapter.mark_delivered(packages[second], delivered=False, reason="Alıcı adreste yok")
    state = fetched(adapter)[second]
    assert (state["status"], state["state"]) == ("Undelivered", "shipped")
    with pytest.raises(ValueError, match="7 days"):
        adapter.client.mark_in_transit(second, "T", shipped_at=now() - timedelta(days=8))


def test_package_tracking_and_order_detail(fake, rec):
    number = fake.add_order("6050", [line("i1"), line("i2")], status="picking")
    client = adapter_for(fake, rec).client
    tracking = client.get_package(number)
    assert tracking["packageNumber"] == number and tracking["status"] == "Open"
    assert tracking["trackingInfoCode"] == fake.packages[number]["barcode"]
    assert sorted(li["id"] for li in client.get_order("6050")["items"]) == ["i1", "i2"]
    with pytest.raises(ClientError) as info:
        client.get_package("404404")
    assert info.value.status == 404
    sit = Hepsiburada(dict(fake.credentials(), base_url="test"))
    assert sit.client.hosts["listing"] == "https://listing-external-sit.hepsiburada.com"
    assert sit.client.base_url == "https://oms-external-sit.hepsiburada.com"


def test_carrier_side_states_come_back_through_the_feeds(fake, rec):
    number = fake.add_order("6100", [line("f1")], status="picking")
    adapter = adapter_for(fake, rec)
    fake.set_state(number, "shipped")
    assert fetched(adapter)[number]["state"] == "shipped"
    fake.set_state(number, "delivered")
    assert fetched(adapter)[number]["state"] == "delivered"
    other = fake.add_order("6101", [line("f2")])
    fake.set_state(other, "cancelled")
    cancelled = fetched(adapter)["6101"]
    assert (cancelled["status"], cancelled["state"]) == ("Cancelled", "cancelled")
    assert cancelled["lines"][0]["cancel_reason"] == "CustomerRequest"
    feeds = {c["path"].rsplit("/", 1)[-1] for c in fake.calls("feed.status")}
    assert feeds == {"shipped", "delivered", "undelivered"}
    assert all("begindate" not in c["query"] for c in fake.calls("feed.status"))


# ----------------------------------------------------------------------- stock & price
def test_stock_and_price_uploads_with_polling_and_row_errors(fake, rec):
    fake.add_listing("SKU-A", "869A", stock=3, price=100.0)
    fake.add_listing("SKU-B", "869B", stock=3, price=100.0)
    fake.add_listing("SKU-FBH", "869F", stock=9, price=100.0, fbh=True)
    adapter = adapter_for(fake, rec)
    listings = {row["merchantSku"]: row for row in adapter.fetch_listings()}
    assert adapter.normalize_listing(listings["SKU-A"])["fulfilled_by_marketplace"] is False
    assert adapter.normalize_listing(listings["SKU-FBH"]) == {
        "stock_code": "SKU-FBH",
        "barcode": listings["SKU-FBH"].get("barcode") or "",
        "fulfilled_by_marketplace": True,
    }
    assert adapter.normalize_listing({})["fulfilled_by_marketplace"] is False
    items = [
        {"barcode": "869A", "stock_code": "SKU-A", "quantity": 7, "price": 119.9},
        {"barcode": "869B", "stock_code": "SKU-B", "quantity": -1, "price": 0},
        {"barcode": "869X", "stock_code": "SKU-UNKNOWN", "quantity": 1},
        {"barcode": "869F", "stock_code": "SKU-FBH", "quantity": 4},
    ]
    refs = adapter.push_stock_price(items)
    assert [ref.split(":")[0] for ref in refs] == ["stock-uploads", "price-uploads"]
    stock_rows = fake.calls("listing.upload")[0]["json"]
    assert stock_rows[0] == {"merchantSku": "SKU-A", "availableStock": 7}
    assert fake.calls("listing.upload")[1]["json"] == [
        {"merchantSku": "SKU-A", "price": 119.9},
        {"merchantSku": "SKU-B", "price": 0.0},
    ]
    pending = adapter.push_results(refs[0])
    assert pending["done"] is False and pending["rest"] == "pending"
    assert {i["key"]: i["state"] for i in pending["items"]} == dict.fromkeys(
        ["869A", "869B", "869X", "869F"], "pending"
    )
    stock = adapter.push_results(refs[0])
    assert stock["done"] is True and stock["rest"] == "done"
    assert {i["key"]: (i["stock_code"], i["state"]) for i in stock["items"]} == {
        "869A": ("SKU-A", "done"),
        "869B": ("SKU-B", "failed"),
        "869X": ("SKU-UNKNOWN", "failed"),
        "869F": ("SKU-FBH", "failed"),
    }
    assert "fulfilled by Hepsiburada" in next(
        i["message"] for i in stock["items"] if i["key"] == "869F"
    )
    # another adapter (the next cron run) knows only the rejected rows, by stock code
    other = adapter_for(fake, rec)
    assert other.push_results(refs[1]) == {"done": False, "items": [], "rest": "pending"}
    price = other.push_results(refs[1])
    assert price == {
        "done": True,
        "items": [
            {
                "key": "SKU-B",
                "stock_code": "SKU-B",
                "state": "failed",
                "message": "price must be a positive number, got 0.0",
            }
        ],
        "rest": "done",
    }
    assert fake.stock_of("869A") == {"quantity": 7, "price": 119.9}
    assert fake.stock_of("869F") == {"quantity": 9, "price": 100.0}
    assert fake.calls("listing.upload.status")[0]["path"].endswith(
        f"/stock-uploads/id/{refs[0].split(':')[1]}"
    )


def test_uploads_are_batched_and_a_sixth_running_upload_is_an_error(fake, rec):
    adapter = adapter_for(fake, rec)
    items = [{"barcode": f"b{n}", "stock_code": f"S{n}", "quantity": n} for n in range(2500)]
    refs = adapter.push_stock_price(items)
    assert len(refs) == 3 and all(ref.startswith("stock-uploads:") for ref in refs)
    assert [len(c["json"]) for c in fake.calls("listing.upload")] == [1000, 1000, 500]
    adapter.push_stock_price(items[:10])
    adapter.push_stock_price(items[:10])
    with pytest.raises(api.UploadRefused, match="En fazla 5") as info:
        adapter.client.upload("stock-uploads", [{"merchantSku": "S1", "availableStock": 1}])
    assert info.value.retryable and info.value.status == 200
    rec.sleeps.clear()
    with pytest.raises(MarketplaceError, match="no upload slot after 60 s") as info:
        adapter.push_stock_price(items[:10])
    assert info.value.refs == [] and len(rec.sleeps) == 30
    with pytest.raises(ValueError, match="stock code"):
        adapter.push_stock_price([{"barcode": "x", "quantity": 1}])


def test_at_most_five_uploads_run_at_once(fake, rec):
    fake.upload_polls = 2  # an upload is final at its third status poll
    adapter = adapter_for(fake, rec)
    items = [{"barcode": f"b{n}", "stock_code": f"S{n}", "quantity": 1} for n in range(6000)]
    refs = adapter.push_stock_price(items)
    assert len(refs) == 6 and rec.sleeps == [2.0, 2.0]
    statuses = fake.calls("listing.upload.status")
    assert len(statuses) == 15  # the five running ones, polled three times
    assert fake.calls("listing.upload")[-1]["time"] > statuses[-1]["time"]
    fake.upload_polls = 1000  # never final: with the sixth one above, five run after four
    adapter.upload_wait = 4.0
    rec.sleeps.clear()
    with pytest.raises(MarketplaceError, match="no upload slot after 4 s") as info:
        adapter.push_stock_price(items)
    assert "En fazla 5 yükleme" in str(info.value) and info.value.retryable
    assert len(info.value.refs) == 4 and rec.sleeps == [2.0, 2.0]
    assert len(fake.calls("listing.upload")) == 6 + 4 + 3  # the fifth tried three times
    with pytest.raises(ValueError, match="stock code"):
        adapter.push_stock_price(items[:3] + [{"barcode": "x", "quantity": 1}])
    assert len(fake.calls("listing.upload")) == 13  # refused before anything was sent


# ------------------------------------------------------------------------------ claims
def test_claims_list_accept_and_reject(fake, rec):
    number = fake.add_order("6200", [line("r1", quantity=2, price=250.0)], status="delivered")
    first = fake.add_claim(number, "r1", quantity=1, reason="Beden uymadı")
    second = fake.add_claim(number, "r1", quantity=1, reason="Ürün hasarlı")
    adapter = adapter_for(fake, rec)
    claims = {
        c["claim_id"]: c for c in map(adapter.normalize_claim, adapter.fetch_claims(*last_day()))
    }
    assert set(claims) == {first, second}
    claim = claims[first]
    assert claim["state"] == "waiting" and claim["status"] == "AwaitingAction"
    assert claim["order_number"] == "6200" and claim["package_id"] == number
    assert claim["lines"][0]["order_line_id"] == "r1" and claim["lines"][0]["quantity"] == 1
    assert (
        claim["lines"][0]["reason"] == "Beden uymadı" and claim["lines"][0]["unit_price"] == 250.0
    )
    assert claim["tracking_number"] == "7" + first
    assert claim["cargo"]["provider_name"] == "Yurtiçi Kargo"
    call = fake.calls("claims.list")[0]
    assert call["path"] == f"/claims/merchantId/{fake.merchant_id}"
    assert DATE_RE.match(call["query"]["beginDate"]) and call["query"]["limit"] == "100"
    adapter.approve_claim(first, claim["lines"][0]["claim_line_item_ids"])
    assert fake.claim_state(first) == "accepted"
    assert ("ProductDamaged", "Product is damaged or defective") in adapter.claim_reject_reasons()
    adapter.reject_claim(
        second,
        [second],
        "ProductDamaged",
        "Kutu açılmış",
        files=[("foto.jpg", b"\xff\xd8", "image/jpeg")],
    )
    assert fake.claim_state(second) == "rejected"
    body = fake.calls("claims.action")[-1]["json"]
    assert body["ClaimRejectionReason"] == "ProductDamaged"
    assert body["MerchantStatement"] == "Kutu açılmış"
    assert body["Reports"][0]["FileName"] == "foto.jpg"
    with pytest.raises(ClientError, match="Accepted"):
        adapter.approve_claim(first, [])


# ------------------------------------------------------------------------------ faults
def test_rate_limit_is_retried_after_retry_after_then_raised(fake, rec):
    fake.add_order("6300", [line("q1")])
    fake.add_fault("rate_limit", endpoint="orders.list", count=1)
    adapter = adapter_for(fake, rec)
    assert "6300" in fetched(adapter)
    assert rec.sleeps == [1.0]
    fake.add_fault("rate_limit", endpoint="orders.list", count=3)
    with pytest.raises(RateLimitError) as info:
        adapter.fetch_packages(*last_day())
    assert info.value.retry_after == 1.0 and info.value.status == 429 and info.value.retryable
    # without Retry-After, X-RateLimit-Reset (seconds) says when to come back
    rec.sleeps.clear()
    fake.add_fault("rate_limit", endpoint="orders.list", count=3, retry_after=False)
    with pytest.raises(RateLimitError) as info:
        adapter.fetch_packages(*last_day())
    assert info.value.retry_after == 2.0 and rec.sleeps == [2.0, 2.0]


def test_unavailable_and_server_errors(fake, rec):
    fake.add_order("6400", [line("e1")])
    adapter = adapter_for(fake, rec)
    fake.add_fault("unavailable", endpoint="orders.list", count=1)
    fake.add_fault("server_error", endpoint="packages.list", count=1)
    assert "6400" in fetched(adapter)  # GETs are retried
    fake.add_fault("unavailable", endpoint="orders.list", count=3)
    with pytest.raises(ServerError) as info:
        adapter.fetch_packages(*last_day())
    assert info.value.status == 503 and not info.value.maybe_applied
    order = fetched(adapter)["6400"]
    fake.add_fault("server_error", endpoint="packages.create", count=1)
    with pytest.raises(ServerError) as info:
        adapter.confirm_picking(order)  # a POST is not repeated: it may have been applied
    assert info.value.status == 500 and info.value.maybe_applied
    assert len(fake.calls("packages.create")) == 1


def test_auth_fault_drop_and_malformed(fake, rec):
    fake.add_order("6500", [line("h1")])
    adapter = adapter_for(fake, rec)
    fake.add_fault("auth", endpoint="orders.list")
    with pytest.raises(AuthError, match="User-Agent"):
        adapter.fetch_packages(*last_day())
    fake.add_fault("drop", endpoint="orders.list")
    assert "6500" in fetched(adapter)  # a dropped GET is read again
    order = fetched(adapter)["6500"]
    fake.add_fault("drop", endpoint="packages.create")
    with pytest.raises(TransientError) as info:
        adapter.confirm_picking(order)
    assert info.value.maybe_applied and len(fake.calls("packages.create")) == 1
    fake.add_fault("malformed", endpoint="claims.list")
    with pytest.raises(MalformedResponseError):
        adapter.fetch_claims(*last_day())
    fake.add_fault("malformed", endpoint="packages.list", count=api.WINDOW_READ_ATTEMPTS)
    with pytest.raises(IncompleteFetchError):
        adapter.fetch_packages(*last_day())


def test_no_secret_in_logs_or_errors(fake, rec):
    fake.add_order("6600", [line("k1")])
    adapter = adapter_for(fake, rec, api_secret="TopSecret999")
    with pytest.raises(AuthError) as info:
        adapter.fetch_packages(*last_day())
    adapter = adapter_for(fake, rec)
    fake.add_fault("server_error", endpoint="orders.list", count=1)
    fetched(adapter)
    token = base64.b64encode(f"{fake.merchant_id}:{fake.service_key}".encode()).decode()
    logged = json.dumps(rec.records, default=str) + str(info.value)
    assert rec.records and "TopSecret999" not in logged
    assert fake.service_key not in logged and token not in logged


# --------------------------------------------------------------- control / contract
def test_control_endpoint_and_contract_harness():
    server = contract_fake().start()
    try:
        control = f"{server.url}/__fake__"
        seeded = requests.post(
            f"{control}/seed",
            json={"orders": [{"order_number": "7000", "lines": [line("n1", barcode="869N")]}]},
            timeout=5,
        ).json()
        assert seeded["packages"] == ["7000"]
        assert requests.post(f"{control}/faults", json={"kind": "drop"}, timeout=5).json() == {
            "queued": 1
        }
        server.faults.clear()
        credentials = server.credentials()
        assert credentials["marketplace"] == "hepsiburada" and credentials["base_url"] == server.url
        adapter = marketplace.adapter(credentials)
        package = fetched(adapter)["7000"]
        assert server.package_state("7000") == "created" == package["state"]
        assert server.stock_of("869N") == {"quantity": 0, "price": 100.0}  # its listing
        adapter.push_stock_price([{"barcode": "869N", "stock_code": "SKU-n1", "quantity": 4}])
        number = adapter.confirm_picking(package)["packageNumber"]
        assert server.package_state("7000") == "picking" == server.package_state(number)
        state = requests.post(
            f"{control}/state", json={"package_id": number, "state": "shipped"}, timeout=5
        ).json()
        assert state == {"state": "shipped"}
        assert server.stock_of("869N") == {"quantity": 4, "price": 100.0}
        assert server.stock_of("869-unknown") is None
        assert server.add_order("7001", [line("n2")], status="unsupplied") == "7001"
        assert server.package_state("7001") == "unsupplied"
        claim = server.add_claim(number, "n1")
        assert server.claim_state(claim) == "waiting"
        assert requests.get(f"{control}/requests", timeout=5).json()[0]["endpoint"] == "orders.list"
        assert requests.post(f"{control}/reset", json={}, timeout=5).json() == {"reset": True}
    finally:
        server.stop()


HOSTILE = [
    None,
    "",
    "abc",
    -1,
    0,
    1e300,
    math.nan,
    math.inf,
    True,
    [],
    {},
    {"amount": "x"},
    "1e999",
]


def _paths(value, prefix=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield prefix + (key,)
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


def _hostile_variants():
    cancelled = {
        "feed": "cancelled",
        "orderNumber": "4567890123",
        "items": [
            {
                "lineItemId": "a1b2c3d4",
                "quantity": 1,
                "cancelDate": "2026-10-15T14:00:00",
                "cancelledBy": "Customer",
                "cancelReasonCode": "CustomerRequest",
                "merchantSku": "KLV-USB-C-2M",
                "orderNumber": "4567890123",
            }
        ],
    }
    for raw in (documented_package(), dict(unpacked_group(), feed="orders"), cancelled):
        for path in _paths(raw):
            for value in HOSTILE:
                variant = copy.deepcopy(raw)
                target = variant
                for key in path[:-1]:
                    target = target[key]
                target[path[-1]] = value
                yield variant


def unpacked_group():
    """One line of ``/orders`` (LineRepresentation, §2.2) as the client groups it."""
    return {
        "orderNumber": "4567890123",
        "items": [
            {
                "id": "a1b2c3d4",
                "orderNumber": "4567890123",
                "orderDate": "2026-10-15T13:28:27.451",
                "dueDate": "2026-10-17T12:00:00",
                "merchantSKU": "KLV-USB-C-2M",
                "productBarcode": "8690000123456",
                "name": "USB-C Kablo 2 m",
                "quantity": 2,
                "unitPrice": {"amount": 599.0, "currency": "TRY"},
                "totalPrice": {"amount": 1198.0, "currency": "TRY"},
                "merchantDiscount": {"unitPrice": {"amount": 10.0}, "totalPrice": {"amount": 20.0}},
                "hbDiscount": {"unitPrice": {"amount": 0.0}, "totalPrice": {"amount": 0.0}},
                "vatRate": 20,
                "customerName": "Mehmet Kaya",
                "shippingAddress": {"address": "Lale Sok. 12", "city": "Ankara", "town": "Çankaya"},
                "invoice": {"address": {"address": "Lale Sok. 12", "city": "Ankara"}},
            }
        ],
    }


def test_hostile_values_give_reasons_or_a_clean_package():
    """Every field of both raw shapes set to odd values: validation names a reason, or the
    package normalises without an error (never an internal TypeError/ValueError)."""
    checked = 0
    for raw in _hostile_variants():
        if mapping.validate_package(raw):
            continue
        package = mapping.normalize_package(raw)
        assert all(math.isfinite(line["price_unit"]) for line in package["lines"])
        assert math.isfinite(package["total_price"]) and package["total_price"] >= 0
        checked += 1
    assert checked > 50

"""TrendyolClient against the fake Trendyol on 127.0.0.1 (real HTTP)."""

import base64
import hashlib
import json
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests
from marketplace_connector.lib import trendyol_mapping as mapping
from marketplace_connector.lib.http import (
    AuthError,
    ClientError,
    IncompleteFetchError,
    MalformedResponseError,
    RateLimitError,
    ServerError,
    TransientError,
)
from marketplace_connector.lib.trendyol import (
    TRENDYOL_URLS,
    WINDOW_READ_ATTEMPTS,
    TrendyolClient,
    claim_issue_requires_file,
)
from marketplace_connector.lib.trendyol import (
    to_epoch_ms as to_ms,
)

from tests.fakes.httpfake import serving
from tests.fakes.trendyol import FakeTrendyol, now_ms


@pytest.fixture
def fake():
    yield from serving(FakeTrendyol())


def client_for(fake, rec, **kwargs):
    kwargs.setdefault("timeout", 5)
    return TrendyolClient(
        fake.supplier_id,
        kwargs.pop("api_key", fake.api_key),
        kwargs.pop("api_secret", fake.api_secret),
        fake.url,
        logger=rec.log,
        sleep=rec.sleep,
        **kwargs,
    )


def utc(ms):
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).replace(tzinfo=None)


def last_day():
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    return now - timedelta(days=1), now + timedelta(minutes=1)


# ------------------------------------------------------------------------- auth / headers
def test_constants_and_headers(fake, rec):
    assert TRENDYOL_URLS == {
        "production": "https://apigw.trendyol.com",
        "stage": "https://stageapigw.trendyol.com",
    }
    client = client_for(fake, rec, integrator_name="OdooTR")
    assert client.user_agent == f"{fake.supplier_id} - OdooTR"
    assert TrendyolClient(1, "k", "s", "stage").base_url == "https://stageapigw.trendyol.com"
    client.fetch_window(*last_day())
    call = fake.calls("orders.list")[0]
    assert call["headers"]["User-Agent"] == f"{fake.supplier_id} - OdooTR"
    assert (
        call["headers"]["Authorization"]
        == "Basic " + base64.b64encode(f"{fake.api_key}:{fake.api_secret}".encode()).decode()
    )
    assert call["path"] == f"/integration/order/sellers/{fake.supplier_id}/orders"
    with pytest.raises(ValueError):
        TrendyolClient(1, "k", "s", fake.url, integrator_name="Odoo Connector!")


def test_wrong_secret_is_401_auth_error_not_retried(fake, rec):
    client = client_for(fake, rec, api_secret="wrong")
    with pytest.raises(AuthError) as info:
        client.fetch_window(*last_day())
    assert info.value.status == 401 and not info.value.retryable
    assert "Unauthorized" in str(info.value)
    assert len(fake.calls("orders.list")) == 1 and rec.sleeps == []


def test_missing_or_bad_user_agent_is_403(fake, rec):
    client = client_for(fake, rec)
    client.session.headers["User-Agent"] = "python-requests/2"
    with pytest.raises(AuthError) as info:
        client.fetch_window(*last_day())
    assert info.value.status == 403 and "User-Agent" in str(info.value)
    other_seller = TrendyolClient(
        999, fake.api_key, fake.api_secret, fake.url, logger=rec.log, sleep=rec.sleep
    )
    with pytest.raises(AuthError) as info:
        other_seller.fetch_window(*last_day())
    assert info.value.status == 403


# ---------------------------------------------------------------------- paging / windows
def test_paging_reads_every_page_sorted_by_last_modified(fake, rec):
    fake.seed_orders(45, spacing_ms=1000)
    client = client_for(fake, rec)
    packages = client.fetch_window(*last_day(), page_size=20)
    assert len(packages) == 45
    assert len({p["shipmentPackageId"] for p in packages}) == 45
    modified = [p["lastModifiedDate"] for p in packages]
    assert modified == sorted(modified)
    calls = fake.calls("orders.list")
    assert [c["query"]["page"] for c in calls] == ["0", "1", "2"]
    assert {c["query"]["orderByField"] for c in calls} == {"PackageLastModifiedDate"}
    assert {c["query"]["size"] for c in calls} == {"20"}


def test_page_size_is_clamped_to_200(fake, rec):
    client_for(fake, rec).fetch_window(*last_day(), page_size=500)
    assert fake.calls("orders.list")[0]["query"]["size"] == "200"


def test_a_month_is_sliced_into_windows_of_at_most_14_days(fake, rec):
    end_ms = now_ms()
    for days_ago in (1, 10, 20, 29):
        fake.add_package(last_modified=end_ms - days_ago * 86400000)
    fake.add_package(last_modified=end_ms - 40 * 86400000)  # outside
    client = client_for(fake, rec)
    packages = client.fetch_window(utc(end_ms) - timedelta(days=30), utc(end_ms))
    assert len(packages) == 4
    calls = fake.calls("orders.list")
    assert len(calls) == 3  # 14 + 14 + 2 days, one page each
    for call in calls:
        span = int(call["query"]["endDate"]) - int(call["query"]["startDate"])
        assert span <= 14 * 86400000


def test_fake_rejects_a_window_longer_than_two_weeks(fake, rec):
    client = client_for(fake, rec)
    start = datetime(2026, 1, 1)
    with pytest.raises(ClientError) as info:
        client.get_packages_page(start, start + timedelta(days=15))
    assert info.value.status == 400 and "2 hafta" in str(info.value)


def test_status_filter_and_window_by_last_modified(fake, rec):
    end_ms = now_ms()
    fresh = fake.add_package(last_modified=end_ms - 3600000, status="Created")
    fake.add_package(last_modified=end_ms - 3600000, status="Cancelled")
    fake.add_package(last_modified=end_ms - 5 * 3600000)  # before the window
    client = client_for(fake, rec)
    start = utc(end_ms) - timedelta(hours=2)
    packages = client.fetch_window(start, utc(end_ms), statuses=["Created", "Picking"])
    assert [p["shipmentPackageId"] for p in packages] == [fresh["shipmentPackageId"]]
    assert fake.calls("orders.list")[0]["query"]["status"] == "Created,Picking"


# ------------------------------------------------------------------ retries and faults
def test_429_with_retry_after_is_honoured(fake, rec):
    fake.seed_orders(3)
    fake.add_fault("rate_limit", endpoint="orders.list", retry_after=7)
    fake.add_fault("rate_limit", endpoint="orders.list", retry_after=2)
    packages = client_for(fake, rec).fetch_window(*last_day())
    assert len(packages) == 3
    assert rec.sleeps == [7.0, 2.0]
    assert [r["status"] for r in rec.records] == [429, 429, 200]
    assert [r["attempt"] for r in rec.records] == [1, 2, 3]
    assert rec.records[0]["retry_in_s"] == 7.0


def test_retry_after_as_http_date(fake, rec):
    target = time.time() + 30
    fake.add_fault(
        "rate_limit",
        endpoint="orders.list",
        retry_after=time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(target)),
    )
    client_for(fake, rec).fetch_window(*last_day())
    assert 27 <= rec.sleeps[0] <= 31


def test_too_long_retry_after_raises_rate_limit_error_at_once(fake, rec):
    fake.add_fault("rate_limit", endpoint="orders.list", retry_after=600)
    with pytest.raises(RateLimitError) as info:
        client_for(fake, rec).fetch_window(*last_day())
    assert info.value.retry_after == 600 and info.value.retryable
    assert rec.sleeps == []


def test_5xx_is_retried_with_backoff_then_succeeds(fake, rec):
    fake.seed_orders(2)
    fake.add_fault("server_error", endpoint="orders.list", status=500)
    fake.add_fault("server_error", endpoint="orders.list", status=502)
    assert len(client_for(fake, rec).fetch_window(*last_day())) == 2
    assert len(rec.sleeps) == 2
    assert 0.5 <= rec.sleeps[0] <= 1.0 and 1.0 <= rec.sleeps[1] <= 2.0


def test_retries_exhausted_raise_a_typed_error(fake, rec):
    fake.add_fault("server_error", endpoint="orders.list", status=503, count=3)
    client = client_for(fake, rec, max_retries=2)
    with pytest.raises(ServerError) as info:
        client.fetch_window(*last_day())
    assert info.value.status == 503 and info.value.retryable
    assert len(fake.calls("orders.list")) == 3 and len(rec.sleeps) == 2


def test_short_timeout_against_a_slow_fake(fake, rec):
    fake.add_fault("slow", endpoint="orders.list", delay=1.0, count=5)
    client = client_for(fake, rec, timeout=0.2, max_retries=1)
    started = time.monotonic()
    with pytest.raises(TransientError) as info:
        client.fetch_window(*last_day())
    assert time.monotonic() - started < 1.5
    assert info.value.retryable and "ReadTimeout" in str(info.value)
    assert len(rec.sleeps) == 1  # a GET is retried once, then given up
    assert rec.records[0]["error"] and rec.records[0]["status"] is None


def test_slow_but_within_timeout_succeeds(fake, rec):
    fake.seed_orders(1)
    fake.add_fault("slow", endpoint="orders.list", delay=0.1)
    assert len(client_for(fake, rec, timeout=2).fetch_window(*last_day())) == 1


def test_malformed_json_raises_malformed_response_error(fake, rec):
    fake.add_fault("malformed", endpoint="orders.list", count=WINDOW_READ_ATTEMPTS)
    with pytest.raises(MalformedResponseError) as info:
        client_for(fake, rec).fetch_window(*last_day())
    assert info.value.status == 200 and info.value.retryable


def test_one_malformed_page_is_read_again_in_the_same_run(fake, rec):
    fake.seed_orders(3)
    fake.add_fault("malformed", endpoint="orders.list")
    assert len(client_for(fake, rec).fetch_window(*last_day())) == 3


@pytest.mark.parametrize(
    "body",
    [
        {},
        [],
        None,
        {"content": None},
        {"content": []},
        {"content": [], "totalElements": "x", "totalPages": 0},
        "Service Unavailable",
    ],
)
def test_an_odd_200_body_is_a_fetch_error_never_an_empty_page(fake, rec, body):
    fake.seed_orders(25, spacing_ms=1000)
    fake.add_fault(
        "odd_body", endpoint="orders.list", page=1, body=body, count=WINDOW_READ_ATTEMPTS
    )
    with pytest.raises(IncompleteFetchError) as info:
        client_for(fake, rec).fetch_window(*last_day(), page_size=10)
    assert info.value.retryable
    # what was read is handed over (storing it is harmless), the window is not complete
    assert len({p["shipmentPackageId"] for p in info.value.packages}) == 10


def test_an_odd_page_once_is_read_again_and_nothing_is_missing(fake, rec):
    fake.seed_orders(25, spacing_ms=1000)
    fake.add_fault("odd_body", endpoint="orders.list", page=1, body={})
    packages = client_for(fake, rec).fetch_window(*last_day(), page_size=10)
    assert len({p["shipmentPackageId"] for p in packages}) == len(packages) == 25


@pytest.mark.parametrize(
    "shift", [{"move": 2}, {"move": 2, "stay": True}, {"backdate": 3}, {"move": 1, "backdate": 1}]
)
def test_packages_moving_between_pages_are_not_lost(fake, rec, shift):
    fake.seed_orders(25, spacing_ms=1000)
    start, end = last_day()
    fake.add_fault("shift", endpoint="orders.list", page=1, **shift)
    packages = client_for(fake, rec).fetch_window(start, end, page_size=10)
    ids = [p["shipmentPackageId"] for p in packages]
    assert len(ids) == len(set(ids)), "each package once"
    inside = {
        p["shipmentPackageId"]
        for p in fake.packages.values()
        if to_ms(start) <= p["lastModifiedDate"] <= to_ms(end)
    }
    assert inside <= set(ids), "every package of the window was read"
    assert len(fake.calls("orders.list")) == 6, "the window was read a second time"


def test_an_odd_claims_page_is_an_error_not_the_end(fake, rec):
    fake.add_fault("odd_body", endpoint="claims.list", body={})
    with pytest.raises(MalformedResponseError) as info:
        list(client_for(fake, rec).iter_claims(*last_day()))
    assert "claims: unexpected answer" in str(info.value)


def test_pages_that_never_settle_fail_the_window(fake, rec):
    fake.seed_orders(25, spacing_ms=1000)
    fake.add_fault("shift", endpoint="orders.list", page=1, backdate=1, count=WINDOW_READ_ATTEMPTS)
    with pytest.raises(IncompleteFetchError) as info:
        client_for(fake, rec).fetch_window(*last_day(), page_size=10)
    assert "not read consistently" in str(info.value)


def test_connection_refused_is_retried_even_for_a_post(rec):
    client = TrendyolClient(
        1, "k", "s", "http://127.0.0.1:9", sleep=rec.sleep, logger=rec.log, max_retries=2, timeout=1
    )
    with pytest.raises(TransientError) as info:
        client.split_package(1, [[1]])
    assert not info.value.maybe_applied
    assert len(rec.sleeps) == 2


def test_lost_response_on_non_idempotent_post_is_not_retried(fake, rec):
    package = fake.add_package(lines=[{"quantity": 1}, {"quantity": 1}, {"quantity": 1}])
    line_id = package["lines"][0]["lineId"]
    fake.add_fault("lost_response", endpoint="package.split")
    client = client_for(fake, rec)
    with pytest.raises(TransientError) as info:
        client.split_package(package["shipmentPackageId"], [[line_id]])
    assert info.value.maybe_applied
    assert len(fake.calls("package.split")) == 1 and rec.sleeps == []
    # it was applied: the old package is UnPacked, two new packages exist
    assert fake.packages[package["shipmentPackageId"]]["status"] == "UnPacked"
    assert len(fake.packages) == 3


def test_lost_response_on_idempotent_put_is_retried(fake, rec):
    package = fake.add_package()
    fake.add_fault("lost_response", endpoint="package.status")
    client = client_for(fake, rec)
    assert (
        client.update_package_status(package["shipmentPackageId"], package["lines"], "Picking")
        is True
    )
    assert len(fake.calls("package.status")) == 2
    assert fake.packages[package["shipmentPackageId"]]["status"] == "Picking"


def test_logged_records_hold_no_secret(fake, rec):
    fake.add_fault("auth", endpoint="invoice.link")
    client = client_for(fake, rec, api_key="KEY-abc123", api_secret="SECRET-xyz789")
    fake.api_key, fake.api_secret = "KEY-abc123", "SECRET-xyz789"
    package = fake.add_package()
    client.fetch_window(*last_day())
    with pytest.raises(AuthError):
        client.send_invoice_link(package["shipmentPackageId"], "https://x.test/inv.pdf")
    dumped = json.dumps(rec.records, default=str)
    token = base64.b64encode(b"KEY-abc123:SECRET-xyz789").decode()
    for secret in ("KEY-abc123", "SECRET-xyz789", token):
        assert secret not in dumped
    assert {
        "method",
        "url",
        "status",
        "duration_ms",
        "attempt",
        "error",
        "request_body_redacted",
    } <= set(rec.records[-1])
    assert rec.records[-1]["request_body_redacted"]["invoiceLink"] == "https://x.test/inv.pdf"


# ------------------------------------------------------------------ package operations
def test_picking_then_invoiced_with_invoice_number(fake, rec):
    package = fake.add_package()
    client = client_for(fake, rec)
    lines = [
        {"line_id": str(line["lineId"]), "quantity": line["quantity"]} for line in package["lines"]
    ]
    with pytest.raises(ValueError):
        client.update_package_status(package["shipmentPackageId"], lines, "Invoiced")
    with pytest.raises(ValueError):
        client.update_package_status(package["shipmentPackageId"], lines, "Shipped")
    client.update_package_status(package["shipmentPackageId"], lines, "Picking")
    client.update_package_status(
        package["shipmentPackageId"], lines, "Invoiced", invoice_number="ABC2026000000123"
    )
    stored = fake.packages[package["shipmentPackageId"]]
    assert stored["status"] == "Invoiced" and stored["invoiceNumber"] == "ABC2026000000123"
    body = fake.calls("package.status")[-1]["json"]
    assert body == {
        "lines": [{"lineId": int(line["line_id"]), "quantity": line["quantity"]} for line in lines],
        "params": {"invoiceNumber": "ABC2026000000123"},
        "status": "Invoiced",
    }


def test_invoice_link_repeat_is_done(fake, rec):
    package = fake.add_package()
    client = client_for(fake, rec)
    when = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(minutes=5)
    first = client.send_invoice_link(
        package["shipmentPackageId"], "https://odoo.test/i/1", "ABC2026000000123", when
    )
    assert first == {"done": True, "repeat": False, "status": 201, "message": ""}
    again = client.send_invoice_link(
        package["shipmentPackageId"], "https://odoo.test/i/1", "ABC2026000000123", when
    )
    assert again["done"] and again["repeat"] and again["status"] == 409
    assert "önceden gönderilmiş" in again["message"]
    assert fake.invoices[package["shipmentPackageId"]]["number"] == "ABC2026000000123"
    body = fake.calls("invoice.link")[0]["json"]
    assert body["invoiceDateTime"] == int(when.replace(tzinfo=timezone.utc).timestamp() * 1000)


def test_invoice_file_upload_then_repeat_is_done(fake, rec):
    package = fake.add_package()
    client = client_for(fake, rec)
    pdf = b"%PDF-1.4 fake invoice\n%%EOF"
    when = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(hours=1)
    result = client.send_invoice_file(package["shipmentPackageId"], pdf, "ABC2026000000124", when)
    assert result == {"done": True, "repeat": False, "status": 201, "message": ""}
    call = fake.calls("invoice.file")[0]
    assert call["form"]["shipmentPackageId"] == str(package["shipmentPackageId"])
    assert call["form"]["invoiceNumber"] == "ABC2026000000124"
    assert call["files"]["file"]["content_type"] == "application/pdf"
    assert call["files"]["file"]["size"] == len(pdf)
    again = client.send_invoice_file(package["shipmentPackageId"], pdf, "ABC2026000000124", when)
    assert again["done"] and again["repeat"] and again["status"] == 400
    # the logged body holds the size, not the PDF
    assert rec.records[0]["request_body_redacted"]["files"] == [f"file: <{len(pdf)} bytes>"]


def test_invoice_file_lost_response_is_retried_and_counts_as_done(fake, rec):
    package = fake.add_package()
    fake.add_fault("lost_response", endpoint="invoice.file")
    result = client_for(fake, rec).send_invoice_file(package["shipmentPackageId"], b"%PDF-1")
    assert result["done"] and result["repeat"]
    assert len(fake.calls("invoice.file")) == 2 and len(fake.invoices) == 1


def test_future_dated_invoice_is_a_client_error(fake, rec):
    package = fake.add_package()
    future = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(days=1)
    with pytest.raises(ClientError) as info:
        client_for(fake, rec).send_invoice_file(
            package["shipmentPackageId"], b"%PDF", "ABC2026000000125", future
        )
    assert "İleri tarihli" in str(info.value)


def test_unsupply_recreates_the_rest_under_a_new_package_id(fake, rec):
    package = fake.add_package(
        lines=[
            {"quantity": 2, "price": 100.0, "seller_discount": 0},
            {"quantity": 1, "price": 50.0, "seller_discount": 0},
        ]
    )
    first, second = (str(line["lineId"]) for line in package["lines"])
    client = client_for(fake, rec)
    with pytest.raises(ValueError):
        client.unsupply_package(package["shipmentPackageId"], [{"lineId": second}], 503)
    client.unsupply_package(package["shipmentPackageId"], [{"lineId": second, "quantity": 1}], 500)
    assert fake.calls("package.unsupplied")[0]["json"]["reasonId"] == 500
    packages = [mapping.normalize_package(p) for p in client.fetch_window(*last_day())]
    by_status = {p["status"]: p for p in packages}
    assert set(by_status) == {"UnSupplied", "Created"}
    assert by_status["UnSupplied"]["package_id"] == str(package["shipmentPackageId"])
    assert by_status["UnSupplied"]["external_key"] == f"{package['orderNumber']}:{second}"
    rest = by_status["Created"]
    assert rest["package_id"] != str(package["shipmentPackageId"])
    assert rest["external_key"] == f"{package['orderNumber']}:{first}"
    assert rest["order_number"] == package["orderNumber"]
    assert rest["total_price"] == 200.0
    assert rest["origin_package_ids"] == [str(package["shipmentPackageId"])]
    assert client.get_unsupplied_reasons()[0] == {"id": 500, "name": "Out of stock"}


def test_split_package_new_ids_same_order_and_line_ids(fake, rec):
    package = fake.add_package(lines=[{"quantity": 1}, {"quantity": 1}, {"quantity": 1}])
    ids = [str(line["lineId"]) for line in package["lines"]]
    original = mapping.normalize_package(package)
    client = client_for(fake, rec)
    client.split_package(package["shipmentPackageId"], [[ids[0]]])
    assert fake.calls("package.split")[0]["path"].endswith("/split")
    assert fake.calls("package.split")[0]["json"] == {"orderLineIds": [int(ids[0])]}
    packages = [mapping.normalize_package(p) for p in client.fetch_window(*last_day())]
    old = next(p for p in packages if p["status"] == "UnPacked")
    assert old["external_key"] == original["external_key"]  # same lines → same key
    new = [p for p in packages if p["status"] == "Created"]
    assert sorted(p["external_key"] for p in new) == sorted(
        [f"{package['orderNumber']}:{ids[0]}", f"{package['orderNumber']}:{ids[1]}-{ids[2]}"]
    )
    assert all(p["package_id"] != original["package_id"] for p in new)
    assert {p["created_by"] for p in new} == {"split"}
    assert sorted(lid for p in new for lid in p["line_ids"]) == sorted(ids)


def test_multi_split_and_quantity_split_requests(fake, rec):
    client = client_for(fake, rec)
    package = fake.add_package(lines=[{"quantity": 1}, {"quantity": 1}, {"quantity": 1}])
    ids = [line["lineId"] for line in package["lines"]]
    client.split_package(package["shipmentPackageId"], [[ids[0]], [ids[1]]])
    assert fake.calls("package.split")[-1]["json"] == {
        "splitGroups": [{"orderLineIds": [ids[0]]}, {"orderLineIds": [ids[1]]}]
    }
    assert len(fake.packages) == 4
    package = fake.add_package(lines=[{"quantity": 4}])
    client.split_package(package["shipmentPackageId"], {package["lines"][0]["lineId"]: [1, 3]})
    assert fake.calls("package.split")[-1]["json"] == {
        "quantitySplit": [{"orderLineId": package["lines"][0]["lineId"], "quantities": [1, 3]}]
    }
    chunks = [
        p
        for p in fake.packages.values()
        if p.get("originPackageIds") == [package["shipmentPackageId"]]
    ]
    assert sorted(p["lines"][0]["quantity"] for p in chunks) == [1, 3]


# ------------------------------------------------------------------------ stock & price
def test_2500_items_go_in_3_batches_with_per_item_results(fake, rec):
    items = [
        {
            "barcode": f"869{i:010d}",
            "quantity": i % 50,
            "price": 100.0 + i,
            "list_price": 120.0 + i,
        }
        for i in range(2500)
    ]
    for item in items[:-2]:
        fake.add_product(item["barcode"])
    items[10]["quantity"] = 25000  # clamped to 20000 by the client
    client = client_for(fake, rec)
    batch_ids = client.update_price_inventory(items)
    assert len(batch_ids) == 3 and len(set(batch_ids)) == 3
    sizes = [len(c["json"]["items"]) for c in fake.calls("inventory.update")]
    assert sizes == [1000, 1000, 500]
    assert fake.calls("inventory.update")[0]["json"]["items"][10]["quantity"] == 20000
    first = client.get_batch_result(batch_ids[0])
    assert first["status"] == "COMPLETED" and first["item_count"] == 1000
    assert first["failed_item_count"] == 0
    last = client.get_batch_result(batch_ids[2])
    failed = [i for i in last["items"] if i["status"] == "FAILED"]
    assert [i["barcode"] for i in failed] == [items[-2]["barcode"], items[-1]["barcode"]]
    assert last["failed_item_count"] == 2
    assert "bulunamadı" in failed[0]["failure_reasons"][0]
    assert {"barcode", "status", "failure_reasons"} <= set(failed[0])


def test_batch_result_in_progress_until_items_are_there(fake, rec):
    fake.batch_delay = 60
    fake.add_product("8690000000001")
    client = client_for(fake, rec)
    [batch_id] = client.update_price_inventory([{"barcode": "8690000000001", "quantity": 3}])
    result = client.get_batch_result(batch_id)
    assert result["status"] == "IN_PROGRESS" and result["items"] == []


def test_identical_inventory_request_within_15_minutes_is_rejected(fake, rec):
    fake.add_product("8690000000001")
    client = client_for(fake, rec)
    items = [{"barcode": "8690000000001", "quantity": 3}]
    client.update_price_inventory(items)
    with pytest.raises(ClientError) as info:
        client.update_price_inventory(items)
    assert "15 dakika" in str(info.value)


# ------------------------------------------------------------------------ common label
def test_common_label_zpl(fake, rec):
    package = fake.add_package(status="Picking")
    tracking = package["cargoTrackingNumber"]
    client = client_for(fake, rec)
    assert client.get_common_label(tracking) == ""
    client.create_common_label(tracking, box_quantity=2)
    assert fake.calls("common_label.create")[0]["json"] == {"format": "ZPL", "boxQuantity": 2}
    zpl = client.get_common_label(tracking)
    assert zpl.count("^XA") == 2 and zpl.count("^XZ") == 2
    assert str(tracking) in zpl


# ------------------------------------------------------------------------------ claims
def test_claims_list_approve_and_reject(fake, rec):
    package = fake.add_package(lines=[{"quantity": 2}, {"quantity": 1}])
    claim = fake.add_claim(package, line_index=0)
    other = fake.add_claim(package, line_index=1)
    client = client_for(fake, rec)
    claims = list(client.iter_claims(*last_day(), status="WaitingInAction"))
    assert {c["id"] for c in claims} == {claim["id"], other["id"]}
    normalized = mapping.normalize_claim(claim)
    item_ids = normalized["lines"][0]["claim_line_item_ids"]
    assert len(item_ids) == 2
    client.approve_claim(claim["id"], item_ids)
    assert fake.calls("claims.approve")[0]["json"] == {
        "claimLineItemIdList": item_ids,
        "params": {},
    }
    assert mapping.normalize_claim(fake.claims[claim["id"]])["status"] == "Accepted"
    reasons = client.get_claim_issue_reasons()
    assert {"id": 1651, "name": "İade paketi elime ulaşmadı"} in reasons
    other_ids = mapping.normalize_claim(other)["lines"][0]["claim_line_item_ids"]
    with pytest.raises(ValueError):
        client.reject_claim(other["id"], other_ids, 51, "Kullanılmış")  # needs a file
    client.reject_claim(other["id"], other_ids, 1651, "İade paketi ulaşmadı")
    call = fake.calls("claims.issue")[0]
    assert call["query"]["claimIssueReasonId"] == "1651"
    assert call["query"]["claimItemIdList"] == ",".join(other_ids)
    assert mapping.normalize_claim(fake.claims[other["id"]])["status"] == "Unresolved"


def test_reject_with_evidence_file_is_multipart(fake, rec):
    package = fake.add_package(lines=[{"quantity": 1}])
    claim = fake.add_claim(package)
    ids = mapping.normalize_claim(claim)["lines"][0]["claim_line_item_ids"]
    client_for(fake, rec).reject_claim(
        claim["id"],
        ids,
        51,
        "Ürün kullanılmış",
        files=[("kanit.jpg", b"\xff\xd8\xff", "image/jpeg")],
    )
    call = fake.calls("claims.issue")[0]
    assert call["files"]["files"]["filename"] == "kanit.jpg"


PNG_BYTES = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU"
    "5ErkJggg=="
)


def test_claim_issue_reasons_that_need_a_file():
    assert [claim_issue_requires_file(code) for code in (1651, 451, 2101, "451")] == [
        False,
        False,
        False,
        False,
    ]
    assert claim_issue_requires_file(51) and claim_issue_requires_file("201")


def test_reject_with_a_file_required_reason_needs_a_file(fake, rec):
    package = fake.add_package(lines=[{"quantity": 2}])
    claim = fake.add_claim(package)
    ids = mapping.normalize_claim(claim)["lines"][0]["claim_line_item_ids"]
    client = client_for(fake, rec)
    with pytest.raises(ValueError, match="evidence file"):
        client.reject_claim(claim["id"], ids, 201, "Yanlış ürün iade edildi")
    assert fake.calls("claims.issue") == []  # refused before anything is sent
    # the fake enforces the rule too (a client skipping the check gets Trendyol's 400)
    with pytest.raises(ClientError) as info:
        client.request(
            "POST",
            client._order_path(f"/claims/{claim['id']}/issue"),
            params={
                "claimIssueReasonId": 201,
                "claimItemIdList": ",".join(ids),
                "description": "Yanlış ürün",
            },
            endpoint="claims.issue",
            idempotent=False,
        )
    assert info.value.status == 400 and "dosya" in str(info.value)
    assert fake.claim_issues == []
    pdf = b"%PDF-1.4\n% kargo tutanagi\n%%EOF\n"
    client.reject_claim(
        claim["id"],
        ids,
        201,
        "Yanlış ürün iade edildi",
        files=[("iade-foto.png", PNG_BYTES, "image/png"), ("tutanak.pdf", pdf, "application/pdf")],
    )
    [issue] = fake.claim_issues
    assert issue["claim_id"] == claim["id"] and issue["reason_id"] == 201
    assert issue["claim_item_ids"] == ids
    assert issue["description"] == "Yanlış ürün iade edildi"
    assert [(f["filename"], f["content_type"], f["size"], f["sha1"]) for f in issue["files"]] == [
        ("iade-foto.png", "image/png", 70, hashlib.sha1(PNG_BYTES).hexdigest()),
        ("tutanak.pdf", "application/pdf", len(pdf), hashlib.sha1(pdf).hexdigest()),
    ]
    assert mapping.normalize_claim(fake.claims[claim["id"]])["status"] == "Unresolved"
    assert rec.records[-1]["request_body_redacted"]["files"] == [
        "files: <70 bytes>",
        f"files: <{len(pdf)} bytes>",
    ]


def test_reject_with_an_empty_file_is_refused_by_the_fake(fake, rec):
    package = fake.add_package(lines=[{"quantity": 1}])
    claim = fake.add_claim(package)
    ids = mapping.normalize_claim(claim)["lines"][0]["claim_line_item_ids"]
    with pytest.raises(ClientError):
        client_for(fake, rec).reject_claim(
            claim["id"], ids, 51, "Kullanılmış", files=[("bos.png", b"", "image/png")]
        )
    assert fake.claim_issues == []


def test_approve_twice_is_a_client_error(fake, rec):
    package = fake.add_package(lines=[{"quantity": 1}])
    claim = fake.add_claim(package)
    ids = mapping.normalize_claim(claim)["lines"][0]["claim_line_item_ids"]
    client = client_for(fake, rec)
    client.approve_claim(claim["id"], ids)
    with pytest.raises(ClientError) as info:
        client.approve_claim(claim["id"], ids)
    assert info.value.status == 400 and not info.value.retryable


# ------------------------------------------------------------------- HTTP control plane
def test_http_control_endpoint_seeds_and_injects_faults(fake, rec):
    answer = requests.post(f"{fake.url}/__fake__/seed", json={"orders": 4}, timeout=5).json()
    assert len(answer["packages"]) == 4
    requests.post(
        f"{fake.url}/__fake__/faults",
        json={"kind": "server_error", "endpoint": "orders.list", "status": 500},
        timeout=5,
    )
    assert len(client_for(fake, rec).fetch_window(*last_day())) == 4
    log = requests.get(f"{fake.url}/__fake__/requests", timeout=5).json()
    assert [r["status"] for r in log if r["endpoint"] == "orders.list"] == [500, 200]
    package_id = answer["packages"][0]
    requests.post(
        f"{fake.url}/__fake__/status",
        json={"package_id": package_id, "status": "Shipped"},
        timeout=5,
    )
    assert fake.packages[package_id]["status"] == "Shipped"


def test_window_over_the_10000_record_limit_is_halved(fake, rec, monkeypatch):
    from marketplace_connector.lib import trendyol as trendyol_lib

    import tests.fakes.trendyol as fake_module

    monkeypatch.setattr(trendyol_lib, "MAX_QUERY_WINDOW_RESULT", 30)
    monkeypatch.setattr(fake_module, "MAX_QUERY_WINDOW_RESULT", 30)
    fake.seed_orders(70, spacing_ms=60000)
    packages = client_for(fake, rec).fetch_window(*last_day(), page_size=10)
    assert len(packages) == 70
    assert len({p["shipmentPackageId"] for p in packages}) == 70
    for call in fake.calls("orders.list"):
        assert (int(call["query"]["page"]) + 1) * 10 <= 30


def test_client_paces_50_requests_per_10_seconds_per_endpoint(fake, rec):
    clock = [0.0]

    def sleep(seconds):
        rec.sleeps.append(round(seconds, 3))
        clock[0] += seconds

    client = TrendyolClient(
        fake.supplier_id,
        fake.api_key,
        fake.api_secret,
        fake.url,
        sleep=sleep,
        clock=lambda: clock[0],
    )
    start, end = last_day()
    for _i in range(51):
        client.get_packages_page(start, end)
    assert rec.sleeps == [10.0]
    client.get_claim_issue_reasons()  # another endpoint: no wait
    assert rec.sleeps == [10.0]

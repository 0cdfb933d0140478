"""Pure tests of the marketplace framework helpers: pacing, Retry-After, redaction, windows,
cursors, the stock/price push planner, carrier matching and discount policies."""

import calendar
import logging
from datetime import datetime, timedelta

import pytest
from marketplace_connector.lib.carriers import carrier_name, fold, match_carrier
from marketplace_connector.lib.http import (
    EndpointPacer,
    MarketplaceHttpClient,
    parse_retry_after,
    redact,
    redact_text,
)
from marketplace_connector.lib.pricing import (
    POLICY_BEFORE,
    POLICY_DEDUCT,
    invoice_line_price,
    invoiced_discount,
)
from marketplace_connector.lib.push import (
    MIN_REPEAT_INTERVAL,
    RESULT_DEADLINE,
    batched,
    normalize_item,
    plan_stock_price_push,
    request_fingerprint,
    result_overdue,
)
from marketplace_connector.lib.windows import (
    fetch_start,
    next_cursor,
    page_problems,
    plan_fetch,
    slice_windows,
    sweep_window,
)

T0 = datetime(2026, 10, 1, 12, 0, 0)


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


# ------------------------------------------------------------------------------- pacing
def test_pacer_allows_50_per_10s_then_waits_for_the_oldest_to_expire():
    clock = FakeClock()
    pacer = EndpointPacer({"orders": [(50, 10.0)]}, clock=clock, sleep=clock.sleep)
    for _i in range(50):
        assert pacer.acquire("orders") == 0.0
        clock.now += 0.1  # 50 requests in 5 s
    assert pacer.acquire("orders") == pytest.approx(5.0)  # first one was at t=1000
    assert clock.sleeps == [pytest.approx(5.0)]


def test_pacer_keys_are_independent_and_unlisted_keys_use_default():
    clock = FakeClock()
    pacer = EndpointPacer(
        {"claims.approve": [(5, 60.0)]}, default=[(2, 1.0)], clock=clock, sleep=clock.sleep
    )
    for _i in range(5):
        pacer.acquire("claims.approve")
    pacer.acquire("other")
    pacer.acquire("other")
    assert clock.sleeps == []
    assert pacer.acquire("other") == pytest.approx(1.0)
    assert pacer.acquire("claims.approve") == pytest.approx(59.0)


def test_pacer_with_two_windows_honours_the_stricter():
    clock = FakeClock()
    pacer = EndpointPacer({"label": [(100, 60.0), (3, 10.0)]}, clock=clock, sleep=clock.sleep)
    for _i in range(3):
        pacer.acquire("label")
    assert pacer.wait_time("label") == pytest.approx(10.0)


# -------------------------------------------------------------------------- Retry-After
def test_retry_after_seconds_and_http_date():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("0") == 0.0
    assert parse_retry_after("-3") == 0.0
    now = calendar.timegm((2026, 10, 21, 7, 27, 30, 0, 0, 0))
    assert parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT", now=now) == 30.0
    assert parse_retry_after("Wed, 21 Oct 2026 07:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


# ----------------------------------------------------------------------------- redaction
def test_redact_masks_secret_keys_recursively_and_optionally_pii():
    body = {
        "apiKey": "K",
        "api_secret": "S",
        "Authorization": "Basic abc",
        "password": "",
        "nested": [{"token": "T", "barcode": "869"}],
        "note": "mail ayse@example.com tel 0532 123 45 67",
    }
    safe = redact(body)
    assert safe["apiKey"] == safe["api_secret"] == safe["Authorization"] == "***"
    assert safe["nested"] == [{"token": "***", "barcode": "869"}]
    assert safe["password"] == ""  # nothing to hide
    assert "ayse@example.com" in safe["note"]
    pii = redact(body, redact_pii=True)
    assert pii["note"] == "mail *** tel ***"
    assert redact_text("key=SECRET1 ok", secrets=["SECRET1"]) == "key=*** ok"


def test_backoff_is_exponential_with_jitter_and_capped():
    client = MarketplaceHttpClient(backoff_base=1.0, backoff_cap=8.0)
    for attempt, full in ((1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (6, 8.0)):
        delays = {client._backoff(attempt) for _i in range(20)}
        assert all(full / 2 <= d <= full for d in delays)
        assert len(delays) > 1  # jitter


def test_logging_logger_receives_json_records(caplog):
    client = MarketplaceHttpClient(logger=logging.getLogger("mp.test"))
    with caplog.at_level(logging.DEBUG, logger="mp.test"):
        client._log({"method": "GET", "url": "u", "status": 200, "error": None})
    assert '"status": 200' in caplog.text


# ---------------------------------------------------------------------------------- windows
def test_page_problems_accepts_only_complete_consistent_reads():
    ids = list(range(250))
    complete = [(250, 2, ids[:200]), (250, 2, ids[200:])]
    assert page_problems(complete, 200) == []
    assert page_problems([(0, 0, [])], 200) == []
    # a page answered with fewer items than announced
    assert page_problems([(250, 2, ids[:200]), (250, 2, ids[200:240])], 200)
    # the second page was never read (an empty/odd answer ended the walk)
    assert page_problems([(250, 2, ids[:200])], 200)
    # totals changed between pages (a package left or joined the window)
    assert page_problems([(250, 2, ids[:200]), (249, 2, ids[200:249])], 200)
    # totalPages that do not match totalElements
    assert page_problems([(250, 1, ids[:200])], 200)
    # an item moved to a later page: another one slid onto page 0 and was missed
    moved = [(250, 2, ids[:200]), (250, 2, ids[201:250] + [0])]
    assert any("moved between pages" in p for p in page_problems(moved, 200))
    assert page_problems([], 200) == ["no page was read"]


def test_slice_windows_respects_max_span_and_overlap():
    windows = slice_windows(T0, T0 + timedelta(days=30), timedelta(days=14), timedelta(minutes=10))
    assert windows[0] == (T0, T0 + timedelta(days=14))
    assert windows[1][0] == T0 + timedelta(days=14) - timedelta(minutes=10)
    assert all(end - start <= timedelta(days=14) for start, end in windows)
    assert windows[-1][1] == T0 + timedelta(days=30)
    assert len(windows) == 3
    assert slice_windows(T0, T0, timedelta(days=1)) == []
    assert slice_windows(T0, T0 + timedelta(hours=1), timedelta(days=14)) == [
        (T0, T0 + timedelta(hours=1))
    ]
    with pytest.raises(ValueError):
        slice_windows(T0, T0 + timedelta(days=1), timedelta(hours=1), timedelta(hours=1))


def test_cursor_helpers():
    now = T0
    assert fetch_start(None, now) == now - timedelta(days=14)
    assert fetch_start(now - timedelta(hours=1), now) == now - timedelta(minutes=70)
    assert fetch_start(
        now - timedelta(days=90), now, max_history=timedelta(days=30)
    ) == now - timedelta(days=30)
    # never backwards, never beyond now
    assert next_cursor(now, now - timedelta(days=3)) == now
    assert next_cursor(now - timedelta(hours=2), now + timedelta(hours=1), now=now) == now
    assert next_cursor(None, now - timedelta(hours=1)) == now - timedelta(hours=1)
    assert sweep_window(now) == (now - timedelta(hours=48), now)
    windows = plan_fetch(now - timedelta(days=20), now, timedelta(days=14))
    assert windows[0][0] == now - timedelta(days=20, minutes=10)
    assert windows[-1][1] == now and len(windows) == 2


# ------------------------------------------------------------------------------- push plan
def test_push_plan_sends_only_changed_items():
    items = [
        {"barcode": "A", "quantity": 5, "price": 100.0, "list_price": 120.0},
        {"barcode": "B", "quantity": 7, "price": 50.0, "list_price": 50.0},
        {"barcode": "C", "quantity": 1, "price": 10.0, "list_price": 9.0},  # list < sale
        {"barcode": "", "quantity": 1},
        {"barcode": "D", "quantity": 30000},
        {"barcode": "A", "quantity": 6},
    ]
    last_sent = {
        "A": (5, 100.0, 120.0, T0 - timedelta(hours=1)),  # unchanged
        "B": {"quantity": 6, "price": 50.0, "list_price": 50.0, "sent_at": T0},  # qty changed
    }
    to_send, skipped = plan_stock_price_push(items, last_sent, T0)
    assert [i["barcode"] for i in to_send] == ["B", "C", "D"]
    assert to_send[1] == {"barcode": "C", "quantity": 1, "price": 10.0, "list_price": 10.0}
    assert to_send[2] == {"barcode": "D", "quantity": 20000}
    reasons = {(s["barcode"], s["reason"].split(":")[0]) for s in skipped}
    assert reasons == {("A", "unchanged"), ("", "invalid"), ("A", "duplicate")}


def test_push_plan_holds_an_identical_request_within_15_minutes():
    items = [{"barcode": "A", "quantity": 3}]
    fingerprint = request_fingerprint([normalize_item(items[0])])
    recent = {fingerprint: T0 - timedelta(minutes=14)}
    to_send, skipped = plan_stock_price_push(items, {}, T0, recent_requests=recent)
    assert to_send == [] and skipped == [{"barcode": "A", "reason": "identical_request"}]
    recent = {fingerprint: T0 - timedelta(minutes=16)}
    to_send, _skipped = plan_stock_price_push(items, {}, T0, recent_requests=recent)
    assert to_send == [{"barcode": "A", "quantity": 3}]


def test_push_plan_price_rounding_counts_as_unchanged():
    items = [{"barcode": "A", "price": 674.899999, "list_price": 749.9}]
    _send, skipped = plan_stock_price_push(items, {"A": (None, 674.90, 749.90, T0)}, T0)
    assert skipped == [{"barcode": "A", "reason": "unchanged"}]


def test_batched_2500_items_gives_1000_1000_500():
    assert [len(b) for b in batched(list(range(2500)))] == [1000, 1000, 500]
    assert batched([]) == []


# ------------------------------------------------------------------ carriers

SEEDED = [
    {"id": 1, "name": "Trendyol Express", "code": "TEXMP", "prefix": "733", "aliases": "TEX"},
    {"id": 2, "name": "Yurtiçi Kargo", "code": "YKMP", "prefix": "725", "aliases": "Yurtiçi"},
    {"id": 3, "name": "Aras Kargo", "code": "ARASMP", "prefix": "726", "aliases": ["Aras"]},
    {"id": 4, "name": "MNG Kargo", "code": None, "prefix": "728", "aliases": "MNG"},
    {
        "id": 5,
        "name": "Kolay Gelsin",
        "code": "SENDEOMP",
        "prefix": None,
        "aliases": "KOLAYGELSINMP, Sendeo",
    },
    {"id": 6, "name": "CEVA Lojistik", "code": "CEVAMP", "prefix": None, "aliases": "CEVA"},
    {
        "id": 7,
        "name": "CEVA Tedarik",
        "code": "CEVATEDARIK",
        "prefix": None,
        "aliases": "Borusan, BORMP",
    },
]


@pytest.mark.parametrize(
    "provider, tracking, expected",
    [
        ("Trendyol Express Marketplace", "7330012345678", 1),  # name inside the provider name
        ("YKMP", None, 2),  # provider code
        ("yurtiçi kargo marketplace", "", 2),  # case and Turkish letters folded
        ("YURTICI KARGO", None, 2),
        ("ARAS KARGO", "7280000000001", 3),  # the name beats the prefix
        ("KOLAYGELSINMP", None, 5),  # an alias code
        ("Sendeo Marketplace", None, 5),
        ("CEVA Tedarik Marketplace", None, 7),  # longest name wins over "CEVA"
        ("CEVA Marketplace", None, 6),
        ("Borusan Lojistik", None, 7),
        ("", "7280001112223", 4),  # tracking-number prefix
        ("Bilinmeyen Taşıyıcı", "7250001", 2),  # unknown name, known prefix
        ("Bilinmeyen Taşıyıcı", "9990001", None),
        (None, None, None),
    ],
)
def test_match_carrier(provider, tracking, expected):
    found = match_carrier(SEEDED, provider, tracking)
    assert (found["id"] if found else None) == expected


def test_match_carrier_whole_words_only():
    # "TEX" must not match inside another word
    assert match_carrier(SEEDED, "Textil Lojistik", None) is None
    assert match_carrier(SEEDED, "TEX Marketplace", None)["id"] == 1


def test_match_carrier_longest_prefix_wins():
    carriers = [{"id": 1, "name": "A", "prefix": "73"}, {"id": 2, "name": "B", "prefix": "733"}]
    assert match_carrier(carriers, None, 7330001)["id"] == 2


def test_carrier_name_and_fold():
    assert carrier_name("Yeni Kargo Marketplace") == "Yeni Kargo"
    assert carrier_name("  Yeni   Kargo  ") == "Yeni Kargo"
    assert carrier_name(None) == ""
    assert fold("Sürat Kargo ") == "SURAT KARGO"


# ------------------------------------------------------------------- pricing
# 2 × 674.90 = 1349.80 gross, 150.00 seller discount, 50.00 Trendyol-funded discount
DISCOUNTED = {
    "quantity": 2,
    "unit_price": 674.90,
    "discount_seller": 150.0,
    "discount_marketplace": 50.0,
}


def test_invoice_price_before_marketplace_discount():
    assert invoiced_discount(DISCOUNTED) == 150.0
    price_unit, discount = invoice_line_price(DISCOUNTED, POLICY_BEFORE)
    assert (price_unit, discount) == (599.90, 0.0)
    assert round(price_unit * 2, 2) == 1199.80  # the buyer paid 1149.80, Trendyol pays 50.00


def test_invoice_price_deducting_marketplace_discount():
    assert invoiced_discount(DISCOUNTED, POLICY_DEDUCT) == 200.0
    price_unit, discount = invoice_line_price(DISCOUNTED, POLICY_DEDUCT)
    assert (price_unit, discount) == (574.90, 0.0)
    assert round(price_unit * 2, 2) == 1149.80


def test_invoice_price_shows_an_exact_percentage():
    line = {
        "quantity": 2,
        "unit_price": 500.0,
        "discount_seller": 100.0,
        "discount_marketplace": 100.0,
    }
    assert invoice_line_price(line) == (500.0, 10.0)
    assert invoice_line_price(line, POLICY_DEDUCT) == (500.0, 20.0)
    assert invoice_line_price({"quantity": 1, "unit_price": 149.5}) == (149.5, 0.0)


def test_invoice_price_unknown_policy():
    with pytest.raises(ValueError):
        invoice_line_price(DISCOUNTED, "whatever")


def test_a_batch_result_is_overdue_after_the_deadline():
    sent = T0
    assert not result_overdue(sent, sent + RESULT_DEADLINE - timedelta(seconds=1))
    assert result_overdue(sent, sent + RESULT_DEADLINE)
    assert result_overdue(None, sent)
    # an expired batch can go out again at once: the identical-request rule has passed
    assert RESULT_DEADLINE > MIN_REPEAT_INTERVAL

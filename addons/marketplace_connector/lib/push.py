"""Stock and price push planning (marketplaces.md §1.5).

Trendyol rejects an identical price-and-inventory body sent again within 15 minutes
("15 dakika boyunca aynı isteği tekrarlı olarak atamazsınız!"), takes at most 1000 items per
request, at most 20,000 units per item and wants the list price >= the sale price. So only items
whose values changed since the last accepted push are sent, and a planned request whose body
equals one sent less than 15 minutes ago is held back.
"""

import hashlib
import json
from datetime import timedelta

MAX_BATCH = 1000
MAX_QUANTITY = 20000
MIN_REPEAT_INTERVAL = timedelta(minutes=15)
# a batch whose per-item results are not all final this long after sending has failed: its
# items are sent again (longer than MIN_REPEAT_INTERVAL, so the repeat is accepted)
RESULT_DEADLINE = timedelta(minutes=30)


def result_overdue(sent_at, now, deadline=RESULT_DEADLINE):
    """Has a batch sent at ``sent_at`` waited too long for its result? (no date: yes)"""
    return not sent_at or now - sent_at >= deadline


def _money(value):
    return None if value is None else round(float(value), 2)


def _last_values(last):
    """``(qty, price, list_price, sent_at)`` from a tuple or a dict (either key style)."""
    if last is None:
        return None
    if isinstance(last, dict):
        return (
            last.get("quantity", last.get("qty")),
            last.get("price"),
            last.get("list_price"),
            last.get("sent_at"),
        )
    values = tuple(last) + (None,) * (4 - len(last))
    return values[:4]


def normalize_item(item):
    """Clean one item ``{barcode, quantity?, price?, list_price?}``: barcode stripped,
    quantity int clamped to 0..20000, prices rounded, ``list_price`` raised to ``price``
    when lower. Raises ValueError on bad data."""
    barcode = str(item.get("barcode") or "").strip()
    if not barcode:
        raise ValueError("missing barcode")
    clean = {"barcode": barcode}
    if str(item.get("stock_code") or "").strip():
        clean["stock_code"] = str(item["stock_code"]).strip()
    if item.get("quantity") is not None:
        quantity = int(float(item["quantity"]))
        clean["quantity"] = max(0, min(MAX_QUANTITY, quantity))
    if item.get("price") is not None:
        sale = _money(item["price"])
        if sale <= 0:
            raise ValueError(f"price must be positive, got {sale}")
        clean["price"] = sale
        list_price = _money(item.get("list_price"))
        clean["list_price"] = max(list_price or sale, sale)
    if not {"quantity", "price"} & set(clean):
        raise ValueError("neither quantity nor price")
    return clean


def _changed(clean, last):
    if last is None:
        return True
    qty, price, list_price, _sent_at = last
    if "quantity" in clean and (qty is None or int(float(qty)) != clean["quantity"]):
        return True
    return "price" in clean and (
        _money(price) != clean["price"] or _money(list_price) != clean["list_price"]
    )


def plan_stock_price_push(
    items, last_sent, now, min_interval=MIN_REPEAT_INTERVAL, recent_requests=None
):
    """Decide what to send now.

    ``items``: ``[{'barcode', 'quantity'?, 'price'?, 'list_price'?}]`` — current values.
    ``last_sent``: ``{barcode: (qty, price, list_price, sent_at)}`` (a dict with the item
    keys + ``sent_at`` is accepted too) — values of the last push the marketplace accepted.
    ``recent_requests``: optional ``{request_fingerprint(batch): sent_at}`` of bodies sent
    recently. Returns ``(to_send, skipped)``: ``to_send`` is the list of cleaned items to
    push (batch it with :func:`batched`), ``skipped`` is ``[{'barcode', 'reason'}]`` with
    reason ``unchanged`` / ``duplicate`` / ``invalid: ...`` / ``identical_request``.
    """
    to_send, skipped, seen = [], [], set()
    for item in items:
        barcode = str((item or {}).get("barcode") or "").strip()
        try:
            clean = normalize_item(item or {})
        except (TypeError, ValueError) as exc:
            skipped.append({"barcode": barcode, "reason": f"invalid: {exc}"})
            continue
        if barcode in seen:
            skipped.append({"barcode": barcode, "reason": "duplicate"})
            continue
        seen.add(barcode)
        if not _changed(clean, _last_values((last_sent or {}).get(barcode))):
            skipped.append({"barcode": barcode, "reason": "unchanged"})
            continue
        to_send.append(clean)
    if recent_requests and to_send:
        held = set()
        for batch in batched(to_send):
            sent_at = recent_requests.get(request_fingerprint(batch))
            if sent_at and now - sent_at < min_interval:
                held.update(item["barcode"] for item in batch)
        if held:
            skipped += [{"barcode": b, "reason": "identical_request"} for b in sorted(held)]
            to_send = [item for item in to_send if item["barcode"] not in held]
    return to_send, skipped


def batched(items, size=MAX_BATCH):
    """Consecutive slices of at most ``size`` items."""
    return [items[index : index + size] for index in range(0, len(items), size)]


def request_fingerprint(batch):
    """Stable hash of a request body (same items in any order → same fingerprint)."""
    canonical = json.dumps(sorted(batch, key=lambda item: item["barcode"]), sort_keys=True)
    return hashlib.sha1(canonical.encode()).hexdigest()


def item_states(results, items):
    """``{barcode: (state, message)}`` of the items of one push from the results of its
    requests (``Marketplace.push_results`` of each reference). ``items``: ``[(barcode,
    stock_code)]``. An item is ``failed`` when a request refused it, ``done`` when every request
    reports it done (listed by barcode or stock code, or covered by the result's ``rest``: the
    state of the items a marketplace does not list), else ``pending``."""
    indexes = []
    for result in results:
        index = {}
        for item in result["items"]:
            index[item["key"]] = item
            if item.get("stock_code"):
                index.setdefault(item["stock_code"], item)
        indexes.append((index, result.get("rest")))
    states = {}
    for barcode, stock_code in items:
        found = [index.get(barcode) or index.get(stock_code) for index, _rest in indexes]
        failed = [item for item in found if item and item["state"] == "failed"]
        if failed:
            states[barcode] = ("failed", "; ".join(i["message"] for i in failed if i["message"]))
            continue
        done = all(
            (item["state"] if item else rest) == "done"
            for item, (_index, rest) in zip(found, indexes)
        )
        states[barcode] = ("done" if done else "pending", "")
    return states

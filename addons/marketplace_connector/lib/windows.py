"""Fetch windows and cursors (connector.md §3.2, §9.3; marketplaces.md §1.2.1, §4).

Rules the fetch cron follows with these helpers:

* one cursor per account and data kind (orders, claims...), holding the end of the last
  window that was **fully stored** — the caller saves it with :func:`next_cursor` only after
  every package of that window is in the inbound table;
* the next run starts ``overlap`` before the cursor (remote timestamps are assigned before the
  remote commit, so a record can show up late with an older last-modified date); duplicates
  from the overlap are absorbed by the inbound table's unique key;
* a range is walked in windows no longer than the API allows (Trendyol: 14 days);
* a nightly sweep re-reads the last 48 h without moving the cursor (:func:`sweep_window`).

All datetimes are naive UTC.
"""

from datetime import timedelta

DEFAULT_OVERLAP = timedelta(minutes=10)
DEFAULT_INITIAL = timedelta(days=14)
SWEEP_SPAN = timedelta(hours=48)


def slice_windows(start, end, max_span, overlap=timedelta(0)):
    """Cut ``[start, end]`` into consecutive ``(window_start, window_end)`` pairs.

    Each window spans at most ``max_span``; each window after the first starts ``overlap``
    before the previous one ended (so a record on a boundary is never missed). Returns ``[]``
    when ``end <= start``.
    """
    if max_span <= timedelta(0):
        raise ValueError("max_span must be positive")
    if overlap < timedelta(0) or overlap >= max_span:
        raise ValueError("overlap must be >= 0 and shorter than max_span")
    windows = []
    window_start = start
    while window_start < end:
        window_end = min(window_start + max_span, end)
        windows.append((window_start, window_end))
        if window_end >= end:
            break
        window_start = window_end - overlap
    return windows


def fetch_start(cursor, now, overlap=DEFAULT_OVERLAP, initial=DEFAULT_INITIAL, max_history=None):
    """Where the next incremental fetch starts: ``cursor - overlap``, or ``now - initial``
    on the first run; never earlier than ``now - max_history`` (the API's retention)."""
    start = cursor - overlap if cursor else now - initial
    if max_history is not None:
        start = max(start, now - max_history)
    return start


def page_problems(pages, page_size):
    """Why a paged read of one window is not complete and consistent (``[]`` when it is).

    ``pages``: one ``(total_elements, total_pages, item_keys)`` per page read, from page 0
    on. The read is complete when every page announces the same totals, ``total_pages``
    matches ``total_elements`` and the page size, every page up to the last one was read
    and holds as many items as announced, and no item shows up twice (an item seen twice
    moved between pages while they were read, which pushed another one onto a page
    already read: that one was missed).
    """
    if not pages:
        return ["no page was read"]
    total, total_pages = pages[0][0], pages[0][1]
    problems = []
    for number, (page_total, page_total_pages, _keys) in enumerate(pages):
        if (page_total, page_total_pages) != (total, total_pages):
            problems.append(
                f"page {number} announces {page_total} items in {page_total_pages} pages, "
                f"page 0 announced {total} in {total_pages}"
            )
    expected_pages = -(-total // page_size)
    if total_pages != expected_pages:
        problems.append(
            f"{total} items in pages of {page_size} are {expected_pages} pages, not {total_pages}"
        )
    if len(pages) < max(expected_pages, 1):
        problems.append(f"{len(pages)} of {expected_pages} pages read")
    for number, (_total, _pages, keys) in enumerate(pages):
        expected = max(0, min(page_size, total - number * page_size))
        if len(keys) != expected:
            problems.append(f"page {number} holds {len(keys)} items, {expected} announced")
    keys = [key for _total, _pages, page_keys in pages for key in page_keys]
    if len(set(keys)) != len(keys):
        problems.append(
            f"{len(keys) - len(set(keys))} item(s) moved between pages while they were read"
        )
    return problems


def next_cursor(current, window_end, now=None):
    """Cursor value to save once the window ending at ``window_end`` is fully stored.

    The cursor never moves backwards (a re-sync of an old window keeps it) nor beyond
    ``now`` (a window ending in the future does not skip what is still to come).
    """
    candidate = window_end if now is None else min(window_end, now)
    if current and current >= candidate:
        return current
    return candidate


def plan_fetch(
    cursor, now, max_span, overlap=DEFAULT_OVERLAP, initial=DEFAULT_INITIAL, max_history=None
):
    """Windows of the next incremental fetch from ``cursor`` up to ``now``."""
    start = fetch_start(cursor, now, overlap, initial, max_history)
    return slice_windows(start, now, max_span, min(overlap, max_span / 2))


def sweep_window(now, span=SWEEP_SPAN):
    """The nightly reconciliation range: ``(now - 48 h, now)``; the cursor is not moved."""
    return now - span, now


def merge_latest(collected, packages, key, modified="lastModifiedDate"):
    """Add the raw ``packages`` read from a window to ``{key(package): package}``, keeping each
    one's latest version by its ``modified`` value (a package read on two pages or two status
    feeds is stored once)."""
    for package in packages:
        ref = key(package)
        known = collected.get(ref)
        if known is None or (package.get(modified) or 0) >= (known.get(modified) or 0):
            collected[ref] = package

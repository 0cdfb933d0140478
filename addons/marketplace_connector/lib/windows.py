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


def fetch_start(cursor, now, overlap=DEFAULT_OVERLAP, initial=DEFAULT_INITIAL,
                max_history=None):
    """Where the next incremental fetch starts: ``cursor - overlap``, or ``now - initial``
    on the first run; never earlier than ``now - max_history`` (the API's retention)."""
    start = cursor - overlap if cursor else now - initial
    if max_history is not None:
        start = max(start, now - max_history)
    return start


def next_cursor(current, window_end, now=None):
    """Cursor value to save once the window ending at ``window_end`` is fully stored.

    The cursor never moves backwards (a re-sync of an old window keeps it) nor beyond
    ``now`` (a window ending in the future does not skip what is still to come).
    """
    candidate = window_end if now is None else min(window_end, now)
    if current and current >= candidate:
        return current
    return candidate


def plan_fetch(cursor, now, max_span, overlap=DEFAULT_OVERLAP, initial=DEFAULT_INITIAL,
               max_history=None):
    """Windows of the next incremental fetch from ``cursor`` up to ``now``."""
    start = fetch_start(cursor, now, overlap, initial, max_history)
    return slice_windows(start, now, max_span, min(overlap, max_span / 2))


def sweep_window(now, span=SWEEP_SPAN):
    """The nightly reconciliation range: ``(now - 48 h, now)``; the cursor is not moved."""
    return now - span, now

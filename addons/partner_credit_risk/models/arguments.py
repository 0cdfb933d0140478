"""Argument checks of the public (XML-RPC) methods of the customer master card.

Each helper returns the cleaned value or raises a translated ``UserError`` naming the argument,
so a bad call ends in a clear message before anything is written.
"""

from odoo.exceptions import UserError

MAX_REASON = 500
MAX_IDS = 10000


def _show(value, limit=80):
    """``repr`` of a bad value, cut so that a huge argument gives a short message."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def check_text(env, value, label, max_length=MAX_REASON):
    """Text (``False``/``None`` read as empty), at most ``max_length`` characters."""
    if value in (None, False):
        return ""
    if not isinstance(value, str):
        raise UserError(
            env._(
                "%(label)s must be text, not %(value)s (%(type)s).",
                label=label,
                value=_show(value),
                type=type(value).__name__,
            )
        )
    if len(value) > max_length:
        raise UserError(
            env._(
                "%(label)s is limited to %(max)s characters (%(length)s given).",
                label=label,
                max=max_length,
                length=len(value),
            )
        )
    return value


def check_selection(env, value, allowed, label):
    """One of ``allowed`` (a list of values or of ``(value, label)`` pairs)."""
    values = [item[0] if isinstance(item, (list, tuple)) else item for item in allowed]
    if not isinstance(value, str) or value not in values:
        raise UserError(
            env._(
                "%(label)s must be one of %(allowed)s, not %(value)s.",
                label=label,
                allowed=", ".join(map(str, values)),
                value=_show(value),
            )
        )
    return value


def check_records(env, model, value, label, single=False):
    """The existing, readable records of ``model`` with these ids (one id or a list; only
    one id when ``single``): a UserError for ids that do not exist, an AccessError for
    records the user may not read."""
    ids = [value] if isinstance(value, int) else value
    if single and (isinstance(value, bool) or not isinstance(value, int)):
        raise UserError(
            env._(
                "%(label)s must be one record id, not %(value)s.", label=label, value=_show(value)
            )
        )
    if isinstance(ids, (list, tuple)) and len(ids) > MAX_IDS:
        raise UserError(
            env._(
                "%(label)s: at most %(max)s records per call (%(count)s given).",
                label=label,
                max=MAX_IDS,
                count=len(ids),
            )
        )
    if (
        isinstance(value, bool)
        or not isinstance(ids, (list, tuple))
        or any(isinstance(i, bool) or not isinstance(i, int) or i < 1 for i in ids)
    ):
        raise UserError(
            env._(
                "%(label)s must be a record id or a list of record ids, not %(value)s.",
                label=label,
                value=_show(value),
            )
        )
    records = env[model].browse(ids)
    # one query for existence and record rules (in SQL: checking them in Python would load
    # every column of the records)
    readable = records.with_context(active_test=False)._search([("id", "in", list(set(ids)))])
    if set(readable.get_result_ids()) == set(ids):
        return records
    missing = set(ids) - set(records.exists().ids)
    if missing:
        raise UserError(
            env._(
                "%(label)s: no %(model)s record with id %(ids)s.",
                label=label,
                model=env[model]._description,
                ids=", ".join(map(str, sorted(missing))),
            )
        )
    records.check_access("read")
    return records


def check_self(records):
    """The records a public method was called on exist (ids from XML-RPC are checked)."""
    return check_records(records.env, records._name, list(records._ids), records._description)


def check_one(records):
    """Exactly one existing record (methods of one document called with [] or many ids)."""
    check_self(records)
    if len(records) != 1:
        raise UserError(
            records.env._(
                "This action works on exactly one %(model)s record, not %(count)s.",
                model=records._description,
                count=len(records),
            )
        )
    return records

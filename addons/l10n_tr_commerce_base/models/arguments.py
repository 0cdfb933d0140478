"""Argument checks of the public (XML-RPC) methods, shared by the Turkish commerce addons.

Each helper returns the cleaned value or raises a translated ``UserError`` naming the argument,
so a bad call ends in a clear message before anything is written or sent. The one
implementation: callers that need other bounds pass them (``max_length``, ``minimum``,
``maximum``, ``single``) rather than keeping their own copy.
"""

import math
from datetime import date, datetime, timezone

from odoo import fields
from odoo.exceptions import UserError

MAX_TEXT = 5000
MAX_REASON = 500  # a reason or explanation typed by a user (status change, cancellation...)
MAX_IDS = 10000


def _show(value, limit=80):
    """``repr`` of a bad value, cut so that a huge argument gives a short message."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _type_name(value):
    return type(value).__name__


def check_int(env, value, label, minimum=None, maximum=None):
    """An integer (an integral float is accepted) within ``[minimum, maximum]``."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError(
            env._(
                "%(label)s must be a whole number, not %(value)s (%(type)s).",
                label=label,
                value=_show(value),
                type=_type_name(value),
            )
        )
    return _check_range(env, value, label, minimum, maximum)


def check_number(env, value, label, minimum=None, maximum=None):
    """A finite number within ``[minimum, maximum]`` (never NaN or infinity)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise UserError(
            env._(
                "%(label)s must be a finite number, not %(value)s.", label=label, value=_show(value)
            )
        )
    return _check_range(env, value, label, minimum, maximum)


def _check_range(env, value, label, minimum, maximum):
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise UserError(
            env._(
                "%(label)s must be between %(min)s and %(max)s, not %(value)s.",
                label=label,
                min=minimum if minimum is not None else "-∞",
                max=maximum if maximum is not None else "∞",
                value=_show(value),
            )
        )
    return value


def check_bool(env, value, label):
    if not isinstance(value, bool):
        raise UserError(
            env._(
                "%(label)s must be true or false, not %(value)s.", label=label, value=_show(value)
            )
        )
    return value


def check_text(env, value, label, required=False, max_length=MAX_TEXT):
    """Text (``False``/``None`` read as empty unless ``required``), at most ``max_length``."""
    if value in (None, False):
        value = ""
    if not isinstance(value, str):
        raise UserError(
            env._(
                "%(label)s must be text, not %(value)s (%(type)s).",
                label=label,
                value=_show(value),
                type=_type_name(value),
            )
        )
    if required and not value.strip():
        raise UserError(env._("%(label)s is required.", label=label))
    if max_length and len(value) > max_length:
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
    if isinstance(value, (list, tuple, dict, set)) or value not in values:
        raise UserError(
            env._(
                "%(label)s must be one of %(allowed)s, not %(value)s.",
                label=label,
                allowed=", ".join(map(str, values)),
                value=_show(value),
            )
        )
    return value


def check_id_list(env, value, label, required=False):
    """A list of record ids (a single id is accepted), at most ``MAX_IDS``."""
    if value in (None, False):
        value = []
    ids = [value] if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(ids, (list, tuple)):
        raise UserError(
            env._(
                "%(label)s must be a list of record ids, not %(value)s.",
                label=label,
                value=_show(value),
            )
        )
    if len(ids) > MAX_IDS:
        raise UserError(
            env._(
                "%(label)s: at most %(max)s records per call (%(count)s given).",
                label=label,
                max=MAX_IDS,
                count=len(ids),
            )
        )
    ids = [check_int(env, item, label, minimum=1) for item in ids]
    if required and not ids:
        raise UserError(env._("%(label)s is required.", label=label))
    return ids


def check_records(env, model, value, label, required=False, single=False):
    """The existing, readable records of ``model`` with these ids (one id or a list; with
    ``single`` exactly one id, never a list nor an empty value)."""
    if single and (isinstance(value, bool) or not isinstance(value, int)):
        raise UserError(
            env._(
                "%(label)s must be one record id, not %(value)s.", label=label, value=_show(value)
            )
        )
    ids = check_id_list(env, [value] if single else value, label, required=required)
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


def check_record(env, model, value, label):
    """The one existing, readable record of ``model`` with this id."""
    return check_records(env, model, check_int(env, value, label, minimum=1), label, required=True)


def check_self(records):
    """The records a public method was called on exist (ids from XML-RPC are checked)."""
    check_records(records.env, records._name, list(records._ids), records._description)
    return records


def check_datetime(env, value, label, required=False):
    """A naive UTC datetime from a datetime/date or a ``'YYYY-MM-DD[ HH:MM:SS]'`` string."""
    if value in (None, False, ""):
        if required:
            raise UserError(env._("%(label)s is required.", label=label))
        return None
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time())
    if isinstance(value, str) and len(value) <= 32:
        try:
            return fields.Datetime.to_datetime(value.strip().replace("T", " ")[:19])
        except ValueError:
            pass
    raise UserError(
        env._(
            "%(label)s must be a date 'YYYY-MM-DD HH:MM:SS' (UTC), not %(value)s.",
            label=label,
            value=_show(value),
        )
    )


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

"""Small helpers shared by the marketplace mappings (plain Python, no ``odoo``): reading
numbers and texts out of marketplace JSON, the plausibility bounds a package must respect,
the external key of a package's lines and the checks of Turkish identity numbers."""

import math
import re
from datetime import datetime, timedelta, timezone

from stdnum.tr import tckimlik, vkn

# What marketplaces send as identity number when the buyer gave none; 11111111110 even passes
# the checksum. (GİB's own placeholders are l10n_tr_efatura's, lib/identity.py.)
TCKN_PLACEHOLDERS = {
    "11111111111",
    "11111111110",
    "00000000000",
    "22222222222",
    "99999999999",
    "0000000000000",
}
# Bounds of a plausible package: beyond them the package is quarantined, never booked.
MAX_QUANTITY = 10000  # units on one line
MAX_AMOUNT = 100_000_000  # TRY (or currency) on a line or a package
MAX_VAT_RATE = 100
MIN_EPOCH_MS = 946684800000  # 2000-01-01
MAX_EPOCH_MS = 4102444800000  # 2100-01-01


def first(mapping, *keys, default=None):
    """The value of the first of ``keys`` that ``mapping`` holds non-empty."""
    for key in keys:
        if isinstance(mapping, dict) and mapping.get(key) not in (None, ""):
            return mapping[key]
    return default


def number(value, default=0.0):
    """A finite float out of ``value`` (``default`` when empty); ValueError otherwise."""
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"not a finite number: {value!r}")
    return result


def is_number(value):
    try:
        number(value)
    except (TypeError, ValueError):
        return False
    return True


def number_problem(label, value, minimum=None, maximum=MAX_AMOUNT):
    """Why ``value`` (present) is not a usable number in ``[minimum, maximum]``, else None."""
    try:
        result = float(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError, OverflowError):
        result = None
    if result is None:
        return f"non-numeric {label} {value!r}"
    if not math.isfinite(result):
        return f"{label} is not a finite number ({value!r})"
    if minimum is not None and result < minimum:
        return f"{label} {value!r} is below {minimum:g}"
    if maximum is not None and abs(result) > maximum:
        return f"absurd {label} {value!r} (over {maximum:g})"
    return None


def quantity_problem(label, quantity):
    """Why a line quantity is not a positive whole number of plausible size, else None."""
    if not is_number(quantity) or number(quantity) <= 0 or number(quantity) % 1:
        return f"{label}: quantity must be a positive whole number, got {quantity!r}"
    if number(quantity) > MAX_QUANTITY:
        return f"{label}: absurd quantity {quantity!r} (over {MAX_QUANTITY})"
    return None


def round2(value):
    return round(value + 0.0, 2)


def epoch_ms(value, shift=timedelta(0)):
    """Epoch milliseconds (int or numeric string) → naive UTC datetime minus ``shift``."""
    if value in (None, "", 0):
        return None
    moment = datetime.fromtimestamp(int(float(value)) / 1000, tz=timezone.utc)
    return moment.replace(tzinfo=None) - shift


def to_epoch_ms(moment):
    """Naive UTC (or aware) datetime → epoch milliseconds."""
    if isinstance(moment, (int, float)):
        return int(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1000)


def text(value):
    return "" if value is None else str(value).strip()


def _natural(line_id):
    return (0, int(line_id), "") if line_id.isdigit() else (1, 0, line_id)


def sorted_line_ids(line_ids):
    """Line ids as strings, numeric ones in numeric order."""
    return sorted({str(i) for i in line_ids}, key=_natural)


def external_key(order_number, line_ids):
    """``"<order number>:<sorted line ids joined by '-'>"``: the inbound table's unique key of
    a package. It leaves the package id out on purpose: marketplaces give a package a new id
    when they split, unsupply or re-pack it, while the order number and line ids stay."""
    return f"{order_number}:{'-'.join(sorted_line_ids(line_ids))}"


def valid_tckn(value):
    """A real T.C. kimlik no (11 digits, checksum: python-stdnum) that is not a placeholder,
    else None."""
    digits = text(value)
    if len(digits) != 11 or digits in TCKN_PLACEHOLDERS or not tckimlik.is_valid(digits):
        return None
    return digits


def valid_vkn(value):
    """A 10-digit vergi kimlik no whose check digit is right (python-stdnum), else None."""
    digits = text(value)
    return digits if len(digits) == 10 and vkn.is_valid(digits) else None


def own_tax_number(candidates, own_tax_numbers):
    """The first of ``candidates`` (the buyer's tax numbers) that is one of the seller's own
    (a package the seller cannot book: it would be its own customer), else None."""
    own = {re.sub(r"\D", "", str(value)) for value in own_tax_numbers or ()} - {""}
    for value in candidates:
        digits = re.sub(r"\D", "", text(value))
        if digits and digits in own:
            return digits
    return None


def package_problems(raw, money_fields, date_fields, own):
    """Why a raw package's own fields are not plausible: amounts (``money_fields``) negative or
    absurd, epoch-millisecond dates (``date_fields``) out of range, the buyer's tax number
    ``own`` being one of the seller's (see :func:`own_tax_number`)."""
    problems = [
        number_problem(key, raw.get(key), minimum=0)
        for key in money_fields
        if raw.get(key) not in (None, "")
    ]
    problems += [
        number_problem(key, raw.get(key), MIN_EPOCH_MS, MAX_EPOCH_MS)
        for key in date_fields
        if raw.get(key) not in (None, "")
    ]
    problems = [problem for problem in problems if problem]
    if own:
        problems.append(f"the buyer's tax number {own} is the seller's own VKN")
    return problems


def lines_problems(lines, validate_line):
    """``validate_line(index, line, seen)`` over a package's lines ("no lines" when none);
    ``seen`` collects the line ids to find duplicates."""
    if not isinstance(lines, list) or not lines:
        return ["no lines"]
    seen, problems = set(), []
    for index, line in enumerate(lines):
        problems += validate_line(index, line, seen)
    return problems

"""Small helpers shared by the marketplace mappings (plain Python, no ``odoo``): reading
loose JSON values, plausibility bounds, epoch dates, the package external key and the Turkish
tax-number checks. Moved out of :mod:`.trendyol_mapping` (which re-imports them)."""

import math
from datetime import datetime, timedelta, timezone

from stdnum.tr import tckimlik, vkn

# What Trendyol sends in identityNumber when the buyer gave none; 11111111110 even passes the
# checksum. (GİB's own placeholders are l10n_tr_efatura's, lib/identity.py.)
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


def _first(mapping, *keys, default=None):
    for key in keys:
        if isinstance(mapping, dict) and mapping.get(key) not in (None, ""):
            return mapping[key]
    return default


def _number(value, default=0.0):
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _is_number(value):
    try:
        _number(value)
    except (TypeError, ValueError):
        return False
    return True


def _number_problem(label, value, minimum=None, maximum=MAX_AMOUNT):
    """Why ``value`` (present) is not a usable number in ``[minimum, maximum]``, else None."""
    try:
        number = float(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError, OverflowError):
        number = None
    if number is None:
        return f"non-numeric {label} {value!r}"
    if not math.isfinite(number):
        return f"{label} is not a finite number ({value!r})"
    if minimum is not None and number < minimum:
        return f"{label} {value!r} is below {minimum:g}"
    if maximum is not None and abs(number) > maximum:
        return f"absurd {label} {value!r} (over {maximum:g})"
    return None


def _round(value):
    return round(value + 0.0, 2)


def epoch_ms(value, shift=timedelta(0)):
    """Epoch milliseconds (int or numeric string) → naive UTC datetime minus ``shift``."""
    if value in (None, "", 0):
        return None
    moment = datetime.fromtimestamp(int(float(value)) / 1000, tz=timezone.utc)
    return moment.replace(tzinfo=None) - shift


def _text(value):
    return "" if value is None else str(value).strip()


def _natural(line_id):
    return (0, int(line_id), "") if line_id.isdigit() else (1, 0, line_id)


def sorted_line_ids(line_ids):
    """Line ids as strings, numeric ones in numeric order."""
    return sorted({str(i) for i in line_ids}, key=_natural)


def external_key(order_number, line_ids):
    """``"<order number>:<sorted line ids joined by '-'>"`` (see the module docstring)."""
    return f"{order_number}:{'-'.join(sorted_line_ids(line_ids))}"


def valid_tckn(value):
    """A real T.C. kimlik no (11 digits, checksum: python-stdnum) that is not a placeholder,
    else None."""
    digits = _text(value)
    if len(digits) != 11 or digits in TCKN_PLACEHOLDERS or not tckimlik.is_valid(digits):
        return None
    return digits


def valid_vkn(value):
    """A 10-digit vergi kimlik no whose check digit is right (python-stdnum), else None."""
    digits = _text(value)
    return digits if len(digits) == 10 and vkn.is_valid(digits) else None

"""GİB document numbers: 3-character series prefix + 4-digit year + 9-digit counter.

``format_gib_number("ABC", 2026, 1) -> "ABC2026000000001"``;
``parse_gib_number("ABC2026000000001") -> ("ABC", 2026, 1)``;
``next_gib_number(last, prefix, year)`` restarts the counter at 1 when the year changes.
Series (e-Fatura, e-Arşiv, export) are separate prefixes.
"""

import re

GIB_NUMBER_RE = re.compile(r"^[A-Z0-9]{3}20[0-9]{2}[0-9]{9}$")
PREFIX_RE = re.compile(r"^[A-Z0-9]{3}$")
MAX_COUNTER = 999_999_999


def check_prefix(prefix):
    """Upper-cased prefix, or ValueError (3 ASCII letters/digits, no Turkish characters)."""
    text = (prefix or "").strip().upper()
    if not PREFIX_RE.match(text):
        raise ValueError(
            f"GİB series prefix must be 3 letters/digits without Turkish characters, got {prefix!r}"
        )
    return text


def format_gib_number(prefix, year, counter):
    prefix = check_prefix(prefix)
    year, counter = int(year), int(counter)
    if not 2000 <= year <= 2099:
        raise ValueError(f"year out of range for a GİB number: {year}")
    if not 1 <= counter <= MAX_COUNTER:
        raise ValueError(f"counter out of range for a GİB number: {counter}")
    return f"{prefix}{year:04d}{counter:09d}"


def is_valid_gib_number(number):
    return bool(number and GIB_NUMBER_RE.match(number))


def parse_gib_number(number):
    if not is_valid_gib_number(number):
        raise ValueError(f"not a GİB invoice number: {number!r}")
    return number[:3], int(number[3:7]), int(number[7:])


def next_gib_number(last_number, prefix, year):
    """Next number in ``prefix``'s series for ``year``; ``last_number`` may be ``None``."""
    prefix = check_prefix(prefix)
    counter = 1
    if last_number:
        last_prefix, last_year, last_counter = parse_gib_number(last_number)
        if last_prefix != prefix:
            raise ValueError(f"{last_number} is not in series {prefix}")
        if last_year == int(year):
            counter = last_counter + 1
        elif last_year > int(year):
            raise ValueError(f"series {prefix} already reached {last_year}; cannot number {year}")
    return format_gib_number(prefix, year, counter)

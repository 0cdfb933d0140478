"""Payment card helpers: only the last four digits, the brand and the expiry are ever kept."""

import re

_NON_DIGITS = re.compile(r"[\s\-.]")
# (brand, prefix regex), first match wins.
_BRANDS = (
    ("amex", re.compile(r"^3[47]")),
    ("troy", re.compile(r"^9792")),
    ("visa", re.compile(r"^4")),
    ("mastercard", re.compile(r"^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))")),
)


class CardNumberError(ValueError):
    """Raised for a number that is not a plausible payment card number."""


def normalize(number):
    """Strip spaces, dashes and dots; raise CardNumberError unless 12-19 digits remain."""
    if not isinstance(number, str):
        raise CardNumberError("a card number is given as text, not as %s" % type(number).__name__)
    digits = _NON_DIGITS.sub("", number or "")
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        raise CardNumberError("a card number has 12 to 19 digits")
    return digits


def luhn_valid(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def detect_brand(digits):
    for brand, pattern in _BRANDS:
        if pattern.match(digits):
            return brand
    return "other"


def mask(last4):
    """Display form of a stored card: ``**** **** **** 1234``."""
    return f"**** **** **** {last4}" if last4 else ""


def parse_card_number(number):
    """Validate a full number and return only what may be stored: {'last4', 'brand'}."""
    digits = normalize(number)
    if not luhn_valid(digits):
        raise CardNumberError("the card number fails the Luhn check")
    return {"last4": digits[-4:], "brand": detect_brand(digits)}


def expiry_valid(month, year):
    return isinstance(month, int) and isinstance(year, int) and 1 <= month <= 12 and year >= 2000

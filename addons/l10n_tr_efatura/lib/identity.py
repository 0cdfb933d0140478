"""Turkish tax identity numbers: VKN (vergi kimlik no, 10 digits) and TCKN (T.C. kimlik no, 11).

``normalize_tax_id("TR 123 456 7890") -> "1234567890"``;
``tax_id_kind(x) -> "VKN" | "TCKN" | None``;
``is_valid_vkn`` / ``is_valid_tckn`` apply the official check-digit algorithms.
"""
import re

_NON_DIGIT = re.compile(r"[\s.\-]")


def normalize_tax_id(value):
    """Strip spaces, dots, dashes and an optional ``TR`` prefix; return ``""`` for empty input."""
    text = _NON_DIGIT.sub("", (value or "").strip()).upper()
    if text.startswith("TR"):
        text = text[2:]
    return text


def is_valid_vkn(value):
    """Check a 10-digit VKN against GİB's check digit."""
    if not (isinstance(value, str) and len(value) == 10 and value.isdigit()):
        return False
    digits = [int(c) for c in value]
    total = 0
    for index in range(9):
        shifted = (digits[index] + 9 - index) % 10
        total += 9 if shifted == 9 else (shifted * 2 ** (9 - index)) % 9
    return (10 - total % 10) % 10 == digits[9]


def is_valid_tckn(value):
    """Check an 11-digit TCKN (first digit not 0, two check digits)."""
    if not (isinstance(value, str) and len(value) == 11 and value.isdigit()) or value[0] == "0":
        return False
    d = [int(c) for c in value]
    tenth = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    return tenth == d[9] and sum(d[:10]) % 10 == d[10]


def tax_id_kind(value):
    """``"VKN"``/``"TCKN"`` by length of the normalised number, ``None`` for anything else."""
    text = normalize_tax_id(value)
    if not text.isdigit():
        return None
    return {10: "VKN", 11: "TCKN"}.get(len(text))


def is_valid_tax_id(value):
    """True when ``value`` is a checksum-valid VKN or TCKN."""
    text = normalize_tax_id(value)
    kind = tax_id_kind(text)
    if kind == "VKN":
        return is_valid_vkn(text)
    if kind == "TCKN":
        return is_valid_tckn(text)
    return False

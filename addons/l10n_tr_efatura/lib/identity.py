"""Turkish tax identity numbers: VKN (vergi kimlik no, 10 digits) and TCKN (T.C. kimlik no, 11).

``normalize_tax_id("TR 123 456 7890") -> "1234567890"``;
``tax_id_kind(x) -> "VKN" | "TCKN" | None``;
``is_valid_vkn`` / ``is_valid_tckn`` apply the official check-digit algorithms (python-stdnum's
``stdnum.tr.vkn`` and ``stdnum.tr.tckimlik``); GİB's placeholder numbers are defined here once.
"""

import re

from stdnum.tr import tckimlik, vkn

_NON_DIGIT = re.compile(r"[\s.\-]")
# GİB's stand-in numbers: a buyer without a TCKN (e-Arşiv consumer, foreign person) and a
# foreign company without a Turkish VKN (export). Not checksum-valid, accepted on partners.
GIB_PLACEHOLDER_TCKN = "11111111111"
GIB_PLACEHOLDER_VKN = "2222222222"
GIB_PLACEHOLDER_IDS = frozenset({GIB_PLACEHOLDER_TCKN, GIB_PLACEHOLDER_VKN})


def normalize_tax_id(value):
    """Strip spaces, dots, dashes and an optional ``TR`` prefix; return ``""`` for empty input."""
    text = _NON_DIGIT.sub("", (value or "").strip()).upper()
    if text.startswith("TR"):
        text = text[2:]
    return text


def is_valid_vkn(value):
    """A 10-digit VKN whose check digit is right (python-stdnum, an Odoo requirement)."""
    return isinstance(value, str) and len(value) == 10 and vkn.is_valid(value)


def is_valid_tckn(value):
    """An 11-digit TCKN (first digit not 0) whose two check digits are right (python-stdnum)."""
    return isinstance(value, str) and len(value) == 11 and tckimlik.is_valid(value)


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

"""Turkish identity number (T.C. Kimlik No, TCKN) check."""


def tckn_valid(value):
    """True for an 11-digit TCKN whose two check digits are right (first digit not 0)."""
    value = (value or "").strip()
    if len(value) != 11 or not value.isdigit() or value[0] == "0":
        return False
    digits = [int(char) for char in value]
    odd = sum(digits[0:9:2])
    even = sum(digits[1:8:2])
    if (odd * 7 - even) % 10 != digits[9]:
        return False
    return sum(digits[:10]) % 10 == digits[10]

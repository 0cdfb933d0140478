"""Amounts in Turkish words for the invoice ``Note`` ("YALNIZ : ...").

``amount_in_words(Decimal("1234.56"), "TRY")`` ->
``"YALNIZ : BİN İKİ YÜZ OTUZ DÖRT TÜRK LİRASI ELLİ ALTI KURUŞ"``.
"""

from decimal import ROUND_HALF_UP, Decimal

_ONES = ["", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz"]
_TENS = ["", "on", "yirmi", "otuz", "kırk", "elli", "altmış", "yetmiş", "seksen", "doksan"]
_SCALES = ["", "bin", "milyon", "milyar", "trilyon", "katrilyon"]

CURRENCY_WORDS = {
    "TRY": ("Türk Lirası", "Kuruş"),
    "USD": ("ABD Doları", "Sent"),
    "EUR": ("Avro", "Sent"),
    "GBP": ("İngiliz Sterlini", "Peni"),
    "CHF": ("İsviçre Frangı", "Santim"),
}


def _hundreds(number):
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    words = []
    if hundreds:
        words += ([] if hundreds == 1 else [_ONES[hundreds]]) + ["yüz"]
    if tens:
        words.append(_TENS[tens])
    if ones:
        words.append(_ONES[ones])
    return words


def integer_in_words(number):
    """Turkish words for a non-negative integer (``0`` -> ``"sıfır"``, ``1000`` -> ``"bin"``)."""
    number = int(number)
    if number < 0:
        raise ValueError("negative amounts have no words")
    if number == 0:
        return "sıfır"
    groups = []
    scale = 0
    while number:
        number, group = divmod(number, 1000)
        if group:
            if scale >= len(_SCALES):
                raise ValueError("amount too large")
            # "bin", never "bir bin"; but "bir milyon"
            words = [] if (scale == 1 and group == 1) else _hundreds(group)
            groups.insert(0, " ".join(words + ([_SCALES[scale]] if scale else [])))
        scale += 1
    return " ".join(groups)


def _upper_tr(text):
    return text.replace("i", "İ").replace("ı", "I").upper()


def amount_in_words(amount, currency="TRY", prefix="YALNIZ : "):
    """The amount with its currency in upper-case Turkish words."""
    amount = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount < 0:
        amount = -amount
    units, cents = divmod(int(amount * 100), 100)
    major, minor = CURRENCY_WORDS.get(currency, (currency, f"{currency} cent"))
    text = f"{integer_in_words(units)} {major}"
    if cents:
        text += f" {integer_in_words(cents)} {minor}"
    return prefix + _upper_tr(text)

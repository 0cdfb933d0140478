"""Matching a package's carrier (marketplaces.md §1.2.4, §1.8).

A carrier is a plain dict ``{"id", "name", "code", "aliases", "prefix"}``: ``code`` is the
marketplace's provider code (Trendyol ``TEXMP``, ``YKMP``...), ``aliases`` other names or codes
the marketplace uses for it (a list, or one comma-separated string), ``prefix`` the first digits
of its tracking numbers (Trendyol: 733 Trendyol Express, 725 Yurtiçi, 726 Aras...).

:func:`match_carrier` looks, in this order, for

1. a carrier whose code or an alias *is* the provider name (``"YKMP"``);
2. a carrier whose name or an alias appears as whole words in the provider name
   (``"Yurtiçi Kargo Marketplace"`` → Yurtiçi Kargo), the longest such name winning;
3. a carrier whose tracking-number prefix starts the tracking number (longest prefix wins);

and returns None when nothing fits: the caller then creates a carrier named
:func:`carrier_name` of the provider name.
"""

import re

_FOLD = str.maketrans("ÇĞİIÖŞÜçğıiöşü", "CGIIOSUCGIIOSU")
# words the marketplace appends to a carrier's name in ``cargoProviderName``
_NOISE = re.compile(r"\s+(marketplace|mp)\s*$", re.I)


def fold(text):
    """Upper case, Turkish letters folded to ASCII, spaces collapsed: 'Sürat ' → 'SURAT'."""
    return " ".join(str(text or "").translate(_FOLD).upper().split())


def _names(carrier):
    aliases = carrier.get("aliases") or []
    if isinstance(aliases, str):
        aliases = aliases.split(",")
    return [fold(name) for name in [carrier.get("name"), *aliases] if fold(name)]


def _codes(carrier):
    return {fold(carrier.get("code"))} - {""} | set(_names(carrier))


def _contains_words(text, words):
    return re.search(rf"(?<![A-Z0-9]){re.escape(words)}(?![A-Z0-9])", text) is not None


def match_carrier(carriers, provider_name=None, tracking_number=None):
    """The carrier dict of ``carriers`` that fits the package's provider name / tracking
    number (see the module docstring), or None."""
    carriers = list(carriers)
    name = fold(provider_name)
    if name:
        for carrier in carriers:
            if name in _codes(carrier):
                return carrier
        best, best_length = None, 0
        for carrier in carriers:
            for candidate in _names(carrier):
                if len(candidate) > best_length and _contains_words(name, candidate):
                    best, best_length = carrier, len(candidate)
        if best:
            return best
    tracking = re.sub(r"\D", "", str(tracking_number or ""))
    if tracking:
        prefixed = [
            c for c in carriers if c.get("prefix") and tracking.startswith(str(c["prefix"]))
        ]
        if prefixed:
            return max(prefixed, key=lambda c: len(str(c["prefix"])))
    return None


def carrier_name(provider_name):
    """A carrier's name from the marketplace's provider name: 'X Kargo Marketplace' → 'X Kargo'."""
    text = " ".join(str(provider_name or "").split())
    return _NOISE.sub("", text) or text


def carrier_of(table, provider_name, tracking_number=None, overrides=None):
    """``{'key', 'name', 'code', 'vkn'}`` of a package's carrier, matched by
    :func:`match_carrier` over a marketplace's ``table`` (``{key: {name, code, prefix,
    aliases}}``); ``overrides`` (e.g. carrier VKNs) replace entries by key or by name. An
    unknown carrier keeps the provider's name (without "Marketplace")."""
    rows = [dict(values, key=key) for key, values in table.items()]
    found = match_carrier(rows, provider_name, tracking_number) or {
        "key": None,
        "name": carrier_name(provider_name) or None,
        "code": None,
    }
    base = dict(found, vkn=None)
    for override in (found["key"], found["name"], provider_name):
        if overrides and override in overrides:
            base.update(overrides[override])
    return {key: base.get(key) for key in ("key", "name", "code", "vkn")}

"""Turkish identity number (T.C. Kimlik No, TCKN) check: python-stdnum's, an Odoo requirement
(l10n_tr_efatura uses the same library; neither addon depends on the other)."""

from stdnum.tr import tckimlik

# GİB's TCKN of a buyer who gave none (e-Arşiv): accepted as a person's tax ID.
GIB_PLACEHOLDER_TCKN = "11111111111"


def tckn_valid(value):
    """True for an 11-digit TCKN whose two check digits are right (first digit not 0)."""
    value = (value or "").strip()
    return len(value) == 11 and tckimlik.is_valid(value)


def person_tax_id_valid(value):
    """True for a person's tax ID that is a valid TCKN or GİB's placeholder TCKN."""
    value = (value or "").strip()
    return value == GIB_PLACEHOLDER_TCKN or tckn_valid(value)

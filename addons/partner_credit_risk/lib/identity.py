"""Turkish identity number (T.C. Kimlik No, TCKN) check: python-stdnum's, an Odoo requirement
(l10n_tr_efatura uses the same library; neither addon depends on the other)."""
from stdnum.tr import tckimlik


def tckn_valid(value):
    """True for an 11-digit TCKN whose two check digits are right (first digit not 0)."""
    value = (value or "").strip()
    return len(value) == 11 and tckimlik.is_valid(value)

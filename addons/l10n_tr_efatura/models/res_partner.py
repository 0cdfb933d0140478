from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import identity


class ResPartner(models.Model):
    _inherit = "res.partner"

    l10n_tr_tax_office = fields.Char(string="Tax Office", help="Vergi Dairesi")
    l10n_tr_district = fields.Char(string="District", help="İlçe")
    l10n_tr_is_efatura_user = fields.Boolean(
        string="Registered e-Fatura User",
        help="The buyer is on GİB's registered e-Fatura user list: invoices go out as "
        "e-Fatura, otherwise as e-Arşiv.",
    )
    l10n_tr_efatura_alias = fields.Char(
        string="e-Fatura Alias", help="Default receiver mailbox (pk), e.g. urn:mail:defaultpk@..."
    )

    def _l10n_tr_is_turkish_tax_id_holder(self):
        self.ensure_one()
        number = identity.normalize_tax_id(self.vat)
        if self.country_id:
            return self.country_id.code == "TR"
        return number.isdigit() and len(number) in (10, 11)

    def _l10n_tr_tax_id(self):
        """Normalised VKN/TCKN ("" when the partner has none)."""
        self.ensure_one()
        return identity.normalize_tax_id(self.vat)

    @api.constrains("vat", "country_id")
    def _check_l10n_tr_vat(self):
        for partner in self:
            if not partner.vat or not partner._l10n_tr_is_turkish_tax_id_holder():
                continue
            number = partner._l10n_tr_tax_id()
            if number in identity.GIB_PLACEHOLDER_IDS or identity.is_valid_tax_id(number):
                continue
            raise ValidationError(
                _(
                    "Invalid Turkish tax number %(number)s (%(partner)s): a VKN has 10 digits, "
                    "a TCKN 11, and the check digits must match.",
                    number=partner.vat,
                    partner=partner.display_name,
                )
            )

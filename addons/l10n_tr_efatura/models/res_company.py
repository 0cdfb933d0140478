from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import numbering

SERIES_KINDS = ("efatura", "earsiv", "export")
DEFAULT_PREFIXES = {"efatura": "EFT", "earsiv": "EAR", "export": "IHR"}


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_tr_efatura_prefix = fields.Char(string="e-Fatura Series", size=3, default="EFT")
    l10n_tr_earsiv_prefix = fields.Char(string="e-Arşiv Series", size=3, default="EAR")
    l10n_tr_export_prefix = fields.Char(string="Export Series", size=3, default="IHR")
    l10n_tr_default_efatura_profile = fields.Selection(
        [("TEMELFATURA", "TEMELFATURA (basic)"), ("TICARIFATURA", "TICARIFATURA (commercial)")],
        string="Default e-Fatura Profile", default="TEMELFATURA")

    @api.constrains("l10n_tr_efatura_prefix", "l10n_tr_earsiv_prefix", "l10n_tr_export_prefix")
    def _check_l10n_tr_prefixes(self):
        for company in self:
            prefixes = [company[f"l10n_tr_{kind}_prefix"] for kind in SERIES_KINDS]
            for prefix in filter(None, prefixes):
                try:
                    numbering.check_prefix(prefix)
                except ValueError as exc:
                    raise UserError(_("Invalid GİB series prefix %(prefix)s: use 3 letters or "
                                      "digits without Turkish characters.",
                                      prefix=prefix)) from exc
            filled = [p.upper() for p in prefixes if p]
            if len(set(filled)) != len(filled):
                raise UserError(_("e-Fatura, e-Arşiv and export need different GİB series."))

    def _l10n_tr_series_sequence(self, kind):
        """The company's ir.sequence for one GİB series (created on first use, yearly ranges)."""
        self.ensure_one()
        prefix = numbering.check_prefix(self[f"l10n_tr_{kind}_prefix"] or DEFAULT_PREFIXES[kind])
        code = f"l10n_tr_efatura.series.{kind}"
        sequence = self.env["ir.sequence"].sudo().search(
            [("code", "=", code), ("company_id", "=", self.id)], limit=1)
        wanted_prefix = prefix + "%(range_year)s"
        if not sequence:
            sequence = sequence.create({
                "name": f"GİB {kind} series ({self.name})", "code": code, "company_id": self.id,
                "prefix": wanted_prefix, "padding": 9, "number_increment": 1,
                "use_date_range": True, "implementation": "no_gap",
            })
        elif sequence.prefix != wanted_prefix:
            sequence.prefix = wanted_prefix
        return sequence

    def _l10n_tr_next_gib_number(self, kind, invoice_date):
        number = self._l10n_tr_series_sequence(kind)._next(sequence_date=invoice_date)
        if not numbering.is_valid_gib_number(number):
            raise UserError(_("The GİB series produced an invalid number %s.", number))
        return number

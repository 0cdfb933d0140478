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
        string="Default e-Fatura Profile",
        default="TEMELFATURA",
    )

    @api.constrains("l10n_tr_efatura_prefix", "l10n_tr_earsiv_prefix", "l10n_tr_export_prefix")
    def _check_l10n_tr_prefixes(self):
        for company in self:
            prefixes = [company[f"l10n_tr_{kind}_prefix"] for kind in SERIES_KINDS]
            for prefix in filter(None, prefixes):
                try:
                    numbering.check_prefix(prefix)
                except ValueError as exc:
                    raise UserError(
                        _(
                            "Invalid GİB series prefix %(prefix)s: use 3 letters or "
                            "digits without Turkish characters.",
                            prefix=prefix,
                        )
                    ) from exc
            filled = [p.upper() for p in prefixes if p]
            if len(set(filled)) != len(filled):
                raise UserError(_("e-Fatura, e-Arşiv and export need different GİB series."))

    def _l10n_tr_series_sequence(self, kind):
        """The company's ir.sequence for one GİB series (created on first use, yearly ranges)."""
        self.ensure_one()
        prefix = numbering.check_prefix(self[f"l10n_tr_{kind}_prefix"] or DEFAULT_PREFIXES[kind])
        code = f"l10n_tr_efatura.series.{kind}"
        domain = [("code", "=", code), ("company_id", "=", self.id)]
        sequence = self.env["ir.sequence"].sudo().search(domain, limit=1)
        wanted_prefix = prefix + "%(range_year)s"
        if not sequence:
            _claim_row(self.env.cr, "res_company", self.id)
            sequence = sequence.search(domain, limit=1)
        if not sequence:
            sequence = sequence.create(
                {
                    "name": f"GİB {kind} series ({self.name})",
                    "code": code,
                    "company_id": self.id,
                    "prefix": wanted_prefix,
                    "padding": 9,
                    "number_increment": 1,
                    "use_date_range": True,
                    "implementation": "no_gap",
                }
            )
        elif sequence.prefix != wanted_prefix:
            sequence.prefix = wanted_prefix
        return sequence

    def _l10n_tr_next_gib_number(self, kind, invoice_date):
        sequence = self._l10n_tr_series_sequence(kind)
        invoice_date = invoice_date or fields.Date.context_today(self)
        _l10n_tr_year_range(sequence, invoice_date)
        number = sequence._next(sequence_date=invoice_date)
        if not numbering.is_valid_gib_number(number):
            raise UserError(_("The GİB series produced an invalid number %s.", number))
        return number


def _claim_row(cr, table, row_id):
    """Serialize the transactions that create something hanging off this row (a series, a
    yearly range): one waits for the other (advisory lock), and one whose snapshot is older
    than the other's commit gets a serialization failure (the row touch, REPEATABLE READ)
    instead of creating a second series or range. Callers retry later, nothing is doubled."""
    cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s), %s)", [table, row_id])
    cr.execute(f"UPDATE {table} SET write_date = write_date WHERE id = %s", [row_id])  # noqa: S608


def _l10n_tr_year_range(sequence, date):
    """The sequence's date range holding ``date``, created race-free when missing: two
    transactions posting the first invoice of a year never both start a range at 1."""
    Range = sequence.env["ir.sequence.date_range"]
    domain = [("sequence_id", "=", sequence.id), ("date_from", "<=", date), ("date_to", ">=", date)]
    found = Range.search(domain, limit=1)
    if not found:
        _claim_row(sequence.env.cr, "ir_sequence", sequence.id)
        found = Range.search(domain, limit=1) or sequence._create_date_range_seq(date)
    return found

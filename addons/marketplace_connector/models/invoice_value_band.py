from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class InvoiceValueBand(models.Model):
    """An order value band of a company: invoices whose total (company currency) is at least
    ``amount_from`` and below ``amount_to`` (no upper bound when ``amount_to`` is 0)."""

    _name = "invoice.value.band"
    _description = "Invoice Order Value Band"
    _order = "company_id, amount_from"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Stable key that segment rules can name (e.g. small, medium, large).")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_from = fields.Monetary(string="From", currency_field="currency_id", required=True)
    amount_to = fields.Monetary(
        string="Below",
        currency_field="currency_id",
        help="Upper bound (excluded); 0 means no upper bound.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "bounds_positive",
            "CHECK(amount_from >= 0 AND amount_to >= 0)",
            "Band bounds cannot be negative.",
        ),
    ]

    @api.constrains("amount_from", "amount_to", "company_id", "active")
    def _check_bands(self):
        for company in self.company_id:
            bands = self.search([("company_id", "=", company.id)], order="amount_from")
            for band in bands:
                if band.amount_to and band.amount_to <= band.amount_from:
                    raise ValidationError(
                        _(
                            "Band %(band)s: the upper bound must be above the lower bound.",
                            band=band.name,
                        )
                    )
            for lower, upper in zip(bands, bands[1:]):
                if not lower.amount_to:
                    raise ValidationError(
                        _(
                            "Band %(band)s has no upper bound but band %(next)s starts above it: "
                            "only the highest band may be open-ended.",
                            band=lower.name,
                            next=upper.name,
                        )
                    )
                if upper.amount_from < lower.amount_to:
                    raise ValidationError(
                        _("Bands %(band)s and %(next)s overlap.", band=lower.name, next=upper.name)
                    )

    @api.model_create_multi
    def create(self, vals_list):
        bands = super().create(vals_list)
        bands._trigger_refill()
        return bands

    def write(self, vals):
        result = super().write(vals)
        self._trigger_refill()
        return result

    def unlink(self):
        self._trigger_refill()
        return super().unlink()

    def _trigger_refill(self):
        """Bands changed: refill the value band of past invoices in the background."""
        cron = self.env.ref(
            "marketplace_connector.ir_cron_segment_refill", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _create_default_bands(self):
        """Small (< 500), medium (500 - 2,500), large (>= 2,500) in each company's currency, for
        companies without bands."""
        for company in self.env["res.company"].search([]):
            if self.with_context(active_test=False).search_count([("company_id", "=", company.id)]):
                continue
            self.create(
                [
                    {
                        "company_id": company.id,
                        "code": "small",
                        "name": _("Small"),
                        "amount_from": 0,
                        "amount_to": 500,
                    },
                    {
                        "company_id": company.id,
                        "code": "medium",
                        "name": _("Medium"),
                        "amount_from": 500,
                        "amount_to": 2500,
                    },
                    {
                        "company_id": company.id,
                        "code": "large",
                        "name": _("Large"),
                        "amount_from": 2500,
                        "amount_to": 0,
                    },
                ]
            )


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["invoice.value.band"].sudo()._create_default_bands()
        return companies

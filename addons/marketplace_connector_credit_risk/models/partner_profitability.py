from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PartnerProfitabilityRule(models.Model):
    """A rule may charge only the sales, orders and deliveries of one marketplace account
    (e.g. that marketplace's commission, a percentage of its sales)."""

    _inherit = "partner.profitability.rule"

    marketplace_account_id = fields.Many2one(
        "marketplace.account",
        index="btree_not_null",
        check_company=True,
        help="Only invoices, orders and deliveries of this marketplace account are charged.",
    )

    @api.constrains("marketplace_account_id", "kind")
    def _check_marketplace_kind(self):
        for rule in self:
            if rule.marketplace_account_id and rule.kind == "vendor_bills":
                raise ValidationError(
                    _(
                        "%(rule)s: vendor bills of an analytic account belong to no marketplace "
                        "account; leave the marketplace account empty.",
                        rule=rule.name,
                    )
                )

    def _applies_to_channel(self, channel):
        if self.marketplace_account_id:
            return channel == self.marketplace_account_id.id
        return super()._applies_to_channel(channel)


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _profitability_channel_sql(self, alias):
        """Invoices and sale orders carry their marketplace account."""
        return f"{alias}.marketplace_account_id"


class PartnerProfitabilityWizard(models.TransientModel):
    _inherit = "partner.profitability.wizard"

    marketplace_account_id = fields.Many2one(
        "marketplace.account",
        help="Only the invoices, orders and deliveries of this marketplace account.",
    )

    def _options(self):
        options = super()._options()
        options["channel"] = self.marketplace_account_id.id or None
        return options

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

RULE_KINDS = [
    ("sales_percent", "Percentage of sales"),
    ("per_order", "Fixed amount per order"),
    ("per_delivery", "Fixed amount per delivery"),
    ("returns_percent", "Percentage of returns"),
    ("vendor_bills", "Vendor bills of the customer's analytic account"),
]
RATE_KINDS = ("sales_percent", "returns_percent", "vendor_bills")
AMOUNT_KINDS = ("per_order", "per_delivery")


class PartnerProfitabilityRule(models.Model):
    """A cost allocated to customers on the profitability report."""

    _name = "partner.profitability.rule"
    _description = "Profitability Cost Allocation Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(RULE_KINDS, required=True, default="sales_percent")
    rate = fields.Float(
        string="Rate (%)",
        digits=(16, 4),
        default=100.0,
        help="Percentage of the sales (untaxed, less refunds), of the refunded amount or of the "
        "vendor bills booked on the customer's analytic account. Between 0 and 100.",
    )
    amount = fields.Monetary(
        help="Cost per confirmed sale order or per done delivery, in the company currency."
    )

    @api.constrains("rate", "amount")
    def _check_rate_amount(self):
        for rule in self:
            if not 0.0 <= rule.rate <= 100.0:
                raise ValidationError(
                    _(
                        "The rate of %(rule)s must be between 0 and 100 %%, not %(rate)s.",
                        rule=rule.name,
                        rate=rule.rate,
                    )
                )
            if rule.amount < 0:
                raise ValidationError(
                    _(
                        "The amount of %(rule)s cannot be negative (%(amount)s).",
                        rule=rule.name,
                        amount=rule.amount,
                    )
                )

    def _applies_to_channel(self, channel):
        """Whether the rule charges sales, orders and deliveries of this sales channel
        (``None`` without a channel; the marketplace bridge uses marketplace accounts)."""
        self.ensure_one()
        return True

    def _allocate(self, figures, currency):
        """The cost of this rule for one customer's ``figures`` (per-channel sales, returns,
        order and delivery counts, vendor bills), rounded in ``currency``."""
        self.ensure_one()
        if self.kind == "vendor_bills":
            return currency.round(figures["vendor_bills"] * self.rate / 100.0)
        base = 0.0
        key = {
            "sales_percent": "sales",
            "returns_percent": "returns",
            "per_order": "orders",
            "per_delivery": "deliveries",
        }[self.kind]
        for channel, value in figures["by_channel"].get(key, {}).items():
            if self._applies_to_channel(channel):
                base += value
        if self.kind in RATE_KINDS:
            return currency.round(base * self.rate / 100.0)
        return currency.round(base * self.amount)

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class DropshipAgreement(models.Model):
    """What was agreed with a partner for dropship orders, on either side of them.

    role "supplier": the partner ships our customers' orders for us (buy side);
    role "retailer": we ship the partner's end customers' orders (sell side).
    """

    _name = "dropship.agreement"
    _description = "Dropship Agreement"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id, role"
    _rec_name = "partner_id"

    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
        ondelete="cascade",
    )
    role = fields.Selection(
        [("supplier", "Supplier ships for us"), ("retailer", "We ship for the retailer")],
        required=True,
        tracking=True,
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        tracking=True,
        default=lambda self: self.env.company.currency_id,
    )
    payment_policy = fields.Selection(
        [("prepaid", "Pay first, ship later"), ("net", "Net terms")],
        required=True,
        default="net",
        tracking=True,
    )
    shipping_policy = fields.Selection(
        [
            ("rate", "Agreed rate per order"),
            ("actual", "Actual cost"),
            ("omit", "Not invoiced (other party's carrier account)"),
        ],
        required=True,
        default="rate",
        tracking=True,
    )
    shipping_rate = fields.Monetary(currency_field="currency_id", tracking=True)
    shipping_product_id = fields.Many2one(
        "product.product",
        help="The product of the shipping line on the invoice or vendor bill.",
    )
    carrier_account = fields.Char(
        string="Carrier account number",
        tracking=True,
        help="The carrier account the goods ship on when shipping is not invoiced: ours on a "
        "supplier agreement (sent on the purchase order), the retailer's on a retailer "
        "agreement (printed on the delivery slip).",
    )
    return_policy = fields.Selection(
        [("credit", "Credit at price"), ("restocking_fee", "Credit less a restocking fee")],
        required=True,
        default="credit",
        tracking=True,
    )
    restocking_fee_percent = fields.Float(string="Restocking fee (%)", tracking=True)
    note = fields.Html()

    _sql_constraints = [
        (
            "partner_role_company_unique",
            "unique(company_id, partner_id, role)",
            "A partner has one dropship agreement per role and company.",
        ),
    ]

    @api.constrains("shipping_policy", "shipping_rate", "carrier_account")
    def _check_shipping(self):
        for agreement in self:
            if agreement.shipping_rate < 0:
                raise ValidationError(_("The shipping rate cannot be negative."))
            if agreement.shipping_policy == "omit" and not agreement.carrier_account:
                raise ValidationError(
                    _("Shipping on another carrier account needs that account's number.")
                )

    @api.constrains("return_policy", "restocking_fee_percent")
    def _check_restocking_fee(self):
        for agreement in self:
            if not 0 <= agreement.restocking_fee_percent <= 100:
                raise ValidationError(_("The restocking fee is a percentage from 0 to 100."))
            if agreement.return_policy == "restocking_fee" and not agreement.restocking_fee_percent:
                raise ValidationError(_("Give the restocking fee percentage."))

    def _restocking_fee(self):
        """The percentage a return is credited less: the restocking fee when agreed, else 0."""
        self.ensure_one()
        return self.restocking_fee_percent if self.return_policy == "restocking_fee" else 0.0

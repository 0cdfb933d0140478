from odoo import fields, models


class PartnerOrderType(models.Model):
    """Order types (Minerva "Sipariş Türleri"), distinct from the sales types of the financial
    accounts: what kind of order it is (standard, consignment, sample...). The order risk of a
    customer can be limited to some of them."""

    _name = "partner.order.type"
    _description = "Order Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_uniq", "unique(code)", "The order type code must be unique.")]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    order_type_id = fields.Many2one(
        "partner.order.type",
        string="Order Type",
        index="btree_not_null",
        tracking=True,
        help="Kind of order (standard, consignment, sample...); a customer's order risk can "
        "count only some order types.",
    )

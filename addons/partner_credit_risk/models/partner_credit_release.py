from odoo import fields, models

HOLD_STAGES = [("order", "Order confirmation"), ("delivery", "Delivery")]


class PartnerCreditRelease(models.Model):
    """A credit manager's release of an order held for credit (history on the partner)."""

    _name = "partner.credit.release"
    _description = "Credit Hold Release"
    _order = "date desc, id desc"
    _rec_name = "order_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    order_id = fields.Many2one(
        "sale.order",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    stage = fields.Selection(HOLD_STAGES, required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Released By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    reason = fields.Text(required=True, readonly=True)
    hold_message = fields.Text(string="Figures at Hold", readonly=True)

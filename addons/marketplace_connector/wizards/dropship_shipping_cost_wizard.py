from odoo import fields, models


class DropshipShippingCostWizard(models.TransientModel):
    _name = "dropship.shipping.cost.wizard"
    _description = "Report a dropship order's actual shipping cost"
    _rec_name = "purchase_id"

    purchase_id = fields.Many2one("purchase.order", required=True, readonly=True)
    currency_id = fields.Many2one(related="purchase_id.currency_id")
    amount = fields.Monetary(string="Actual shipping cost", currency_field="currency_id")

    def action_confirm(self):
        self.ensure_one()
        self.purchase_id.report_shipping_cost(self.amount)
        return {"type": "ir.actions.act_window_close"}

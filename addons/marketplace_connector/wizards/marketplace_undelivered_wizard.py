from odoo import fields, models


class MarketplaceUndeliveredWizard(models.TransientModel):
    _name = "marketplace.undelivered.wizard"
    _inherit = ["marketplace.package.lines.mixin"]
    _description = "Report a marketplace package as not delivered"

    reason = fields.Text(required=True, help="Sent to the marketplace: why delivery failed.")

    def action_confirm(self):
        self.ensure_one()
        self.inbound_id.mark_delivered(False, self.reason)
        return {"type": "ir.actions.act_window_close"}

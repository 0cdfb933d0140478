from odoo import _, api, fields, models

from ..lib.status import STATUS_SELECTION


class PartnerStatusChange(models.TransientModel):
    _name = "partner.status.change"
    _description = "Change Customer Status"

    partner_ids = fields.Many2many("res.partner", string="Partners", required=True)
    new_status = fields.Selection(STATUS_SELECTION, string="New Status", required=True)
    reason = fields.Text(required=True)

    @api.depends("partner_ids")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = _("Change Customer Status")

    def action_apply(self):
        self.ensure_one()
        self.partner_ids.action_change_customer_status(self.new_status, self.reason)
        return {"type": "ir.actions.act_window_close"}

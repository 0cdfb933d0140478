from odoo import fields, models


class L10nTrEdocRejectWizard(models.TransientModel):
    _name = "l10n_tr.edoc.reject.wizard"
    _description = "Reject a Commercial e-Invoice"

    move_ids = fields.Many2many("account.move", required=True)
    reason = fields.Text(required=True)

    def action_reject(self):
        self.move_ids.l10n_tr_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}

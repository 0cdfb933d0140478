from odoo import _, api, fields, models


class L10nTrEdocRejectWizard(models.TransientModel):
    _name = "l10n_tr.edoc.reject.wizard"
    _description = "Reject a Commercial e-Invoice"

    move_ids = fields.Many2many("account.move", required=True)
    reason = fields.Text(required=True)

    @api.depends("move_ids")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = _("Reject %s", ", ".join(wizard.move_ids.mapped("name")))

    def action_reject(self):
        self.move_ids.l10n_tr_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}

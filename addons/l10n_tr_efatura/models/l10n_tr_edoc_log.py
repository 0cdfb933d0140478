from odoo import fields, models


class L10nTrEdocLog(models.Model):
    """One integrator call: what was asked, how long it took, what came back (redacted)."""

    _name = "l10n_tr.edoc.log"
    _description = "e-Document Integrator Call"
    _order = "id desc"

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", index=True, readonly=True,
                              ondelete="set null")
    integrator = fields.Char(readonly=True)
    operation = fields.Char(required=True, readonly=True)
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True)
    result = fields.Selection([("ok", "OK"), ("error", "Error"), ("unknown", "No Answer")],
                              required=True, readonly=True)
    message = fields.Text(readonly=True)
    payload = fields.Text(string="Request (redacted)", readonly=True)

    def _gc_old_logs(self, days=90):
        cutoff = fields.Datetime.subtract(fields.Datetime.now(), days=days)
        self.sudo().search([("create_date", "<", cutoff)]).unlink()

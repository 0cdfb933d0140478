from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    marketplace_summary_emails = fields.Char(
        string="Daily summary recipients",
        config_parameter="marketplace_connector.summary_emails",
        help="Comma-separated e-mail addresses receiving the daily marketplace summary.",
    )
    marketplace_account_count = fields.Integer(compute="_compute_marketplace_account_count")

    def _compute_marketplace_account_count(self):
        count = self.env["marketplace.account"].search_count([])
        for settings in self:
            settings.marketplace_account_count = count

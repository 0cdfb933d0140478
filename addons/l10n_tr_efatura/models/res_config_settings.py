from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_tr_efatura_prefix = fields.Char(
        related="company_id.l10n_tr_efatura_prefix", readonly=False
    )
    l10n_tr_earsiv_prefix = fields.Char(related="company_id.l10n_tr_earsiv_prefix", readonly=False)
    l10n_tr_export_prefix = fields.Char(related="company_id.l10n_tr_export_prefix", readonly=False)
    l10n_tr_default_efatura_profile = fields.Selection(
        related="company_id.l10n_tr_default_efatura_profile", readonly=False
    )

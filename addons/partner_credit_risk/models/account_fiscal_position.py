from odoo import fields, models


class AccountFiscalPosition(models.Model):
    _inherit = "account.fiscal.position"

    credit_exemption_group = fields.Selection(
        [("RSL", "RSL - Reseller"), ("VEL", "VEL - Eligible seller")],
        string="Tax Exemption Group",
        help="Financial accounts marked tax exempt with this group use this fiscal position.",
    )

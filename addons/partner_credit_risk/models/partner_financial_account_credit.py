from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .partner_credit_risk_engine import CREDIT_MANAGER_GROUP

ACCOUNT_CREDIT_FIELDS = (
    "credit_limit",
    "credit_overrun_amount",
    "credit_overrun_percent",
    "risk_include_balance",
    "risk_include_cheque",
    "risk_include_note",
    "risk_include_dispatch",
    "risk_include_order",
)


class PartnerFinancialAccount(models.Model):
    """Each financial account has its own limit and risk parameters, in its own currency."""

    _name = "partner.financial.account"
    _inherit = ["partner.financial.account", "partner.credit.risk.settings.mixin"]

    credit_limit = fields.Monetary(
        string="Credit Limit",
        currency_field="currency_id",
        tracking=True,
        help="Credit limit of this financial account, in its currency (financial-account-based "
        "credit control).",
    )

    @api.constrains("credit_limit")
    def _check_account_credit_limit(self):
        for account in self:
            if account.credit_limit < 0:
                raise ValidationError(_("The credit limit cannot be negative."))

    def write(self, vals):
        if (
            set(vals) & set(ACCOUNT_CREDIT_FIELDS)
            and not self.env.su
            and not self.env.user.has_group(CREDIT_MANAGER_GROUP)
        ):
            raise AccessError(_("Only credit managers can change credit control settings."))
        return super().write(vals)

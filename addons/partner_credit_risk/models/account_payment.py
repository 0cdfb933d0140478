from odoo import api, fields, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    financial_account_id = fields.Many2one(
        "partner.financial.account",
        string="Financial Account",
        compute="_compute_financial_account_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        tracking=True,
        domain="[('partner_id', 'parent_of', partner_id)]",
        help="Sets the currency and the receivable/payable account of the payment.",
    )

    @api.depends("partner_id", "partner_type", "company_id")
    def _compute_financial_account_id(self):
        for pay in self:
            current = pay.financial_account_id
            if current and current.partner_id == pay.partner_id.commercial_partner_id:
                continue
            if not pay.partner_id:
                pay.financial_account_id = False
                continue
            kind = "purchase" if pay.partner_type == "supplier" else "sale"
            pay.financial_account_id = pay.partner_id._get_financial_account(pay.company_id, kind)

    @api.depends("financial_account_id")
    def _compute_currency_id(self):
        super()._compute_currency_id()
        for pay in self:
            if pay.financial_account_id and not pay.journal_id.currency_id:
                pay.currency_id = pay.financial_account_id.currency_id

    @api.depends("financial_account_id")
    def _compute_destination_account_id(self):
        super()._compute_destination_account_id()
        for pay in self.filtered("financial_account_id"):
            account_type = (
                "liability_payable" if pay.partner_type == "supplier" else "asset_receivable"
            )
            account = pay.financial_account_id._gl_account_for(account_type)
            if account:
                pay.destination_account_id = account


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    def _add_financial_account(self, vals, lines):
        """Pay on the financial account of the invoices when they share one."""
        accounts = lines.move_id.financial_account_id
        if len(accounts) == 1:
            vals["financial_account_id"] = accounts.id
        return vals

    def _create_payment_vals_from_wizard(self, batch_result):
        vals = super()._create_payment_vals_from_wizard(batch_result)
        return self._add_financial_account(vals, batch_result["lines"])

    def _create_payment_vals_from_batch(self, batch_result):
        vals = super()._create_payment_vals_from_batch(batch_result)
        return self._add_financial_account(vals, batch_result["lines"])

from odoo import api, models

# partner_credit_risk's financial account type of e-commerce (marketplace) customers
ECOMMERCE_ACCOUNT_TYPE = "CSE"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.model
    def _marketplace_order_values(self, account, package, customer, invoice, delivery):
        """A marketplace order is booked on the buyer's e-commerce financial account."""
        values = super()._marketplace_order_values(account, package, customer, invoice, delivery)
        # An import never opens GL accounts: a foreign-currency financial account without one
        # waits for an accountant (to-do on it), whoever runs the import. The buyer's account
        # is bookkeeping of the import (the Marketplaces user may not create accounts by hand):
        # created as superuser, only its id is used.
        values["financial_account_id"] = (
            customer.sudo()
            .with_company(account.company_id)
            .with_context(no_gl_account_creation=True)
            .ensure_financial_account(ECOMMERCE_ACCOUNT_TYPE, company_id=account.company_id.id)
        )
        return values

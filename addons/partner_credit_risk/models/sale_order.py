from odoo import api, fields, models

from ..lib.discount import combine_discounts


class SaleOrder(models.Model):
    _inherit = "sale.order"

    financial_account_id = fields.Many2one(
        "partner.financial.account", string="Financial Account",
        compute="_compute_financial_account_id", store=True, readonly=False, precompute=True,
        index="btree_not_null", check_company=True, tracking=True,
        domain="[('partner_id', 'parent_of', partner_id), ('is_supplier_account', '=', False)]",
        help="Sets the currency (through the pricelist), payment terms, fiscal position and "
        "the receivable account of the invoices.",
    )

    @api.depends("partner_id", "company_id")
    def _compute_financial_account_id(self):
        for order in self:
            current = order.financial_account_id
            if current and current.partner_id == order.partner_id.commercial_partner_id:
                continue
            order.financial_account_id = order.partner_id._get_financial_account(
                order.company_id, "sale"
            )

    @api.depends("financial_account_id")
    def _compute_pricelist_id(self):
        super()._compute_pricelist_id()
        for order in self.filtered(lambda o: o.state == "draft"):
            if order.financial_account_id.pricelist_id:
                order.pricelist_id = order.financial_account_id.pricelist_id

    @api.depends("financial_account_id")
    def _compute_payment_term_id(self):
        super()._compute_payment_term_id()
        for order in self:
            if order.financial_account_id.payment_term_id:
                order.payment_term_id = order.financial_account_id.payment_term_id

    @api.depends("financial_account_id")
    def _compute_fiscal_position_id(self):
        super()._compute_fiscal_position_id()
        for order in self:
            if order.financial_account_id.fiscal_position_id:
                order.fiscal_position_id = order.financial_account_id.fiscal_position_id

    @api.constrains("partner_id", "partner_invoice_id")
    def _check_partner_customer_status(self):
        for order in self.filtered(lambda o: o.state in ("draft", "sent")):
            (order.partner_id | order.partner_invoice_id)._check_usable_on_documents()

    def _prepare_invoice(self):
        vals = super()._prepare_invoice()
        if self.financial_account_id:
            vals["financial_account_id"] = self.financial_account_id.id
        return vals


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.depends("order_id.financial_account_id")
    def _compute_discount(self):
        super()._compute_discount()
        for line in self:
            account = line.order_id.financial_account_id
            if not account.discount_rate or not line.product_id or line.display_type:
                continue
            line.discount = combine_discounts(
                [line.discount, account.discount_rate], account.discount_method
            )

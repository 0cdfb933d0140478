from odoo import api, fields, models

from ..lib.discount import combine_discounts, discount_applies
from .partner_financial_account import DISPATCH_HELP, DOCUMENT_DISPATCH


class SaleOrder(models.Model):
    _inherit = "sale.order"

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
        domain="[('partner_id', 'parent_of', partner_id), ('is_supplier_account', '=', False)]",
        help="Sets the currency (through the pricelist), payment terms, fiscal position and "
        "the receivable account of the invoices.",
    )
    sale_type_id = fields.Many2one(
        "partner.trade.category",
        string="Sales Type",
        index="btree_not_null",
        compute="_compute_trade_defaults",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('scope', '=', 'sale_type')]",
        tracking=True,
    )
    sale_group_id = fields.Many2one(
        "partner.trade.category",
        string="Sales Group",
        index="btree_not_null",
        compute="_compute_trade_defaults",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('scope', '=', 'sale_group')]",
        tracking=True,
    )
    dispatch_document = fields.Selection(
        DOCUMENT_DISPATCH,
        string="Dispatch Document",
        compute="_compute_trade_defaults",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help=DISPATCH_HELP,
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
    def _compute_trade_defaults(self):
        for order in self:
            account = order.financial_account_id
            order.sale_type_id = account.sale_type_id
            order.sale_group_id = account.sale_group_id
            order.dispatch_document = account.dispatch_document or "SBA"

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
        vals.update(
            sale_type_id=self.sale_type_id.id,
            sale_group_id=self.sale_group_id.id,
            dispatch_document=self.dispatch_document,
        )
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
            if not discount_applies(account.discount_item, "sale"):
                continue
            line.discount = combine_discounts(
                [line.discount, account.discount_rate], account.discount_method
            )

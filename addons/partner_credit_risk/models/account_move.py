from odoo import api, fields, models

from ..lib.discount import discount_applies
from .partner_financial_account import DISPATCH_HELP, DOCUMENT_DISPATCH

BLOCKING_MOVE_TYPES = ("out_invoice", "in_invoice", "out_receipt", "in_receipt")


class AccountMove(models.Model):
    _inherit = "account.move"

    financial_account_id = fields.Many2one(
        "partner.financial.account",
        string="Financial Account",
        compute="_compute_financial_account_id",
        inverse="_inverse_financial_account_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        tracking=True,
        domain="[('partner_id', '=', commercial_partner_id)]",
        help="Sets the currency, payment terms, fiscal position and the receivable/payable "
        "account of the invoice.",
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
    )
    dispatch_document = fields.Selection(
        DOCUMENT_DISPATCH,
        string="Dispatch Document",
        compute="_compute_trade_defaults",
        store=True,
        readonly=False,
        precompute=True,
        help=DISPATCH_HELP,
    )
    purchase_type_id = fields.Many2one(
        "partner.trade.category",
        string="Purchase Type",
        index="btree_not_null",
        compute="_compute_trade_defaults",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('scope', '=', 'purchase_type')]",
    )
    purchase_group_id = fields.Many2one(
        "partner.trade.category",
        string="Purchase Group",
        index="btree_not_null",
        compute="_compute_trade_defaults",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('scope', '=', 'purchase_group')]",
    )

    @api.depends("partner_id", "company_id", "move_type", "origin_payment_id")
    def _compute_financial_account_id(self):
        for move in self:
            if move.origin_payment_id:
                move.financial_account_id = move.origin_payment_id.financial_account_id
                continue
            if not move.is_invoice(include_receipts=True) or not move.partner_id:
                move.financial_account_id = False
                continue
            current = move.financial_account_id
            if current and current.partner_id == move.partner_id.commercial_partner_id:
                continue
            kind = "sale" if move.is_sale_document(include_receipts=True) else "purchase"
            move.financial_account_id = move.partner_id._get_financial_account(
                move.company_id, kind
            )

    @api.depends("financial_account_id", "move_type")
    def _compute_trade_defaults(self):
        for move in self:
            account = move.financial_account_id
            sale = move.is_sale_document(include_receipts=True)
            purchase = move.is_purchase_document(include_receipts=True)
            move.sale_type_id = account.sale_type_id if sale else False
            move.sale_group_id = account.sale_group_id if sale else False
            move.dispatch_document = (account.dispatch_document or "SBA") if sale else False
            move.purchase_type_id = account.purchase_type_id if purchase else False
            move.purchase_group_id = account.purchase_group_id if purchase else False

    @api.onchange("financial_account_id")
    def _inverse_financial_account_id(self):
        # Let Odoo's own account selection run again on the receivable/payable lines.
        self.line_ids._conditional_add_to_compute(
            "account_id", lambda line: line.display_type == "payment_term"
        )

    @api.depends("financial_account_id")
    def _compute_currency_id(self):
        super()._compute_currency_id()
        for move in self:
            if move.financial_account_id and move.is_invoice(include_receipts=True):
                move.currency_id = move.financial_account_id.currency_id

    @api.depends("financial_account_id")
    def _compute_fiscal_position_id(self):
        super()._compute_fiscal_position_id()
        for move in self:
            if move.financial_account_id.fiscal_position_id:
                move.fiscal_position_id = move.financial_account_id.fiscal_position_id

    @api.depends("financial_account_id")
    def _compute_invoice_payment_term_id(self):
        super()._compute_invoice_payment_term_id()
        for move in self:
            if move.financial_account_id.payment_term_id and move.is_invoice(True):
                move.invoice_payment_term_id = move.financial_account_id.payment_term_id

    @api.constrains("partner_id", "move_type")
    def _check_partner_customer_status(self):
        for move in self.filtered(
            lambda m: m.state == "draft" and m.move_type in BLOCKING_MOVE_TYPES
        ):
            move.partner_id._check_usable_on_documents()


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    financial_account_id = fields.Many2one(
        related="move_id.financial_account_id",
        store=True,
        index="btree_not_null",
    )
    discount = fields.Float(
        compute="_compute_discount",
        store=True,
        readonly=False,
        precompute=True,
        default=None,
    )

    @api.depends("product_id", "move_id.financial_account_id")
    def _compute_discount(self):
        """Vendor bill lines take the purchase discount of the supplier's financial account
        (like sale order lines take the sales discount); other lines keep their value."""
        for line in self:
            move = line.move_id
            account = move.financial_account_id
            if (
                line.display_type != "product"
                or move.state != "draft"
                or move.move_type not in ("in_invoice", "in_refund")
                or not account.discount_rate
                or not discount_applies(account.discount_item, "purchase")
            ):
                line.discount = line.discount or 0.0
                continue
            line.discount = account.discount_rate

    def _compute_account_id(self):
        super()._compute_account_id()
        term_lines = self.filtered(
            lambda line: line.display_type == "payment_term" and line.move_id.financial_account_id
        )
        for line in term_lines:
            move = line.move_id
            account_type = (
                "asset_receivable"
                if move.is_sale_document(include_receipts=True)
                else "liability_payable"
            )
            account = move.financial_account_id._gl_account_for(account_type)
            if not account:
                continue
            if move.fiscal_position_id:
                account = move.fiscal_position_id.map_account(account)
            line.account_id = account

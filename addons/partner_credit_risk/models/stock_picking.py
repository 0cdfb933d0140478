from odoo import fields, models

from .partner_financial_account import DISPATCH_HELP


class StockPicking(models.Model):
    _inherit = "stock.picking"

    dispatch_document = fields.Selection(
        related="sale_id.dispatch_document",
        store=True,
        help=DISPATCH_HELP,
    )

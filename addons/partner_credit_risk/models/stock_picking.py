from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    dispatch_document = fields.Selection(
        related="sale_id.dispatch_document", store=True,
        help="SBA: the goods travel with the invoice. SDV: the goods travel with a dispatch "
        "note and are invoiced separately.",
    )

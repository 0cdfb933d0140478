from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    marketplace_package_id = fields.Char(
        string="Marketplace Package", readonly=True, copy=False, index="btree_not_null")
    marketplace_tracking_number = fields.Char(string="Cargo Tracking Number", copy=False)
    marketplace_cargo_provider = fields.Char(string="Cargo Provider", copy=False)

from odoo import fields, models


class SaleReport(models.Model):
    _inherit = "sale.report"

    sale_type_id = fields.Many2one("partner.trade.category", string="Sales Type", readonly=True)
    sale_group_id = fields.Many2one("partner.trade.category", string="Sales Group", readonly=True)

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["sale_type_id"] = "s.sale_type_id"
        res["sale_group_id"] = "s.sale_group_id"
        return res

    def _group_by_sale(self):
        return (
            super()._group_by_sale()
            + """,
            s.sale_type_id,
            s.sale_group_id"""
        )

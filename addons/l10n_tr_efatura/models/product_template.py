from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    l10n_tr_gtip_code = fields.Char(
        string="GTİP Code",
        size=12,
        help="12-digit customs tariff code (Gümrük Tarife İstatistik Pozisyonu), required on "
        "export (IHRACAT) invoices.",
    )

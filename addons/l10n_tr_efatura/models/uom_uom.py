from odoo import api, models, tools

# Odoo UoM xmlid -> UN/ECE Rec 20 unit code used by GİB
UNIT_CODES = {
    "uom.product_uom_unit": "C62",
    "uom.product_uom_dozen": "DZN",
    "uom.product_uom_kgm": "KGM",
    "uom.product_uom_gram": "GRM",
    "uom.product_uom_ton": "TNE",
    "uom.product_uom_litre": "LTR",
    "uom.product_uom_meter": "MTR",
    "uom.product_uom_km": "KMT",
    "uom.product_uom_cm": "CMT",
    "uom.product_uom_millimeter": "MMT",
    "uom.product_uom_square_meter": "MTK",
    "uom.product_uom_cubic_meter": "MTQ",
    "uom.product_uom_hour": "HUR",
    "uom.product_uom_day": "DAY",
}


class UomUom(models.Model):
    _inherit = "uom.uom"

    @api.model
    @tools.ormcache()
    def _l10n_tr_unit_codes_by_id(self):
        codes = {}
        for xmlid, code in UNIT_CODES.items():
            record = self.env.ref(xmlid, raise_if_not_found=False)
            if record:
                codes[record.id] = code
        return codes

    def _l10n_tr_unit_code(self):
        """UN/ECE unit code of this UoM, C62 (piece) when unknown."""
        return self._l10n_tr_unit_codes_by_id().get(self.id, "C62") if self else "C62"

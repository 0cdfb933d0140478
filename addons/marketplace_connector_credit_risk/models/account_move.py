from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _segment_customer_type(self):
        """The partner's own segmentation type first, then its master-card customer type's,
        then the default from its VKN or TCKN."""
        self.ensure_one()
        partner = self.commercial_partner_id
        mapped = partner.sudo().customer_type_id.segment_customer_type
        if not partner.segment_customer_type and mapped:
            return mapped
        return super()._segment_customer_type()

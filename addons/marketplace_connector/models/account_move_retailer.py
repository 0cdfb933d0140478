from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    retailer_order_id = fields.Many2one(
        "sale.order",
        string="Retailer Order",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The dropship retailer's order this invoice or credit note belongs to.",
    )

    def _l10n_tr_delivery_partner(self):
        """A retailer's invoice: the goods went to the retailer's end customer."""
        receiver = super()._l10n_tr_delivery_partner()
        if self.retailer_order_id and self.partner_shipping_id != self.partner_id:
            return self.partner_shipping_id
        return receiver

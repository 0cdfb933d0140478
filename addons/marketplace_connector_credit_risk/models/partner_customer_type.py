from odoo import fields, models
from odoo.addons.marketplace_connector.models.account_move_segment import CUSTOMER_TYPES


class PartnerCustomerType(models.Model):
    _inherit = "partner.customer.type"

    segment_customer_type = fields.Selection(
        CUSTOMER_TYPES,
        string="Segmentation Customer Type",
        help="Customer type of this master-card type's invoices in the Invoice Segmentation; "
        "empty: individual with a TCKN, corporate with a VKN.",
    )

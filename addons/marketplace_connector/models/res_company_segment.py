"""The company-wide naming convention of invoice segments: one prefix per dimension."""

from odoo import api, fields, models

from .invoice_segment import DIMENSIONS, SEPARATOR, check_name_part


def _prefix_field(label):
    return fields.Char(
        string=f"{label} Prefix",
        translate=True,
        help="Names the segments of this dimension; empty: the dimension's name.",
    )


class ResCompany(models.Model):
    _inherit = "res.company"

    segment_prefix_customer_type = _prefix_field("Customer Type")
    segment_prefix_product_category = _prefix_field("Product Category")
    segment_prefix_payment_method = _prefix_field("Payment Method")
    segment_prefix_order_value = _prefix_field("Order Value")
    segment_prefix_order_date = _prefix_field("Order Date")
    segment_prefix_origin = _prefix_field("Sales Origin")
    segment_prefix_other = _prefix_field("Other")

    def segment_prefix(self, dimension):
        """The prefix of ``dimension`` in this company's segment names, in the current
        language: the company's own, else the dimension's name."""
        self.ensure_one()
        own = self[f"segment_prefix_{dimension}"] if dimension else False
        if own:
            return own
        labels = dict(
            self.env["invoice.segment"]._fields["dimension"]._description_selection(self.env)
        )
        return labels.get(dimension, "")

    def write(self, vals):
        result = super().write(vals)
        if any(f"segment_prefix_{key}" in vals for key, _label in DIMENSIONS):
            # the segments of these companies (and those of every company) are renamed at once
            self.env["invoice.segment"].invalidate_model(["prefix", "display_name"])
        return result

    @api.constrains(*(f"segment_prefix_{key}" for key, _label in DIMENSIONS))
    def _check_segment_prefixes(self):
        for company in self:
            for key, _label in DIMENSIONS:
                prefix = company[f"segment_prefix_{key}"]
                if prefix:
                    check_name_part(prefix, f"{prefix}{SEPARATOR}…")


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    segment_prefix_customer_type = fields.Char(
        related="company_id.segment_prefix_customer_type", readonly=False
    )
    segment_prefix_product_category = fields.Char(
        related="company_id.segment_prefix_product_category", readonly=False
    )
    segment_prefix_payment_method = fields.Char(
        related="company_id.segment_prefix_payment_method", readonly=False
    )
    segment_prefix_order_value = fields.Char(
        related="company_id.segment_prefix_order_value", readonly=False
    )
    segment_prefix_order_date = fields.Char(
        related="company_id.segment_prefix_order_date", readonly=False
    )
    segment_prefix_origin = fields.Char(related="company_id.segment_prefix_origin", readonly=False)
    segment_prefix_other = fields.Char(related="company_id.segment_prefix_other", readonly=False)

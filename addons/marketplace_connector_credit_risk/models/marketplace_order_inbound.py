from odoo import _, models


class MarketplaceOrderInbound(models.Model):
    _inherit = "marketplace.order.inbound"

    def _process_one(self):
        """A marketplace order the credit control held stays pending: the next processing
        run takes it again (confirmed, delivered, invoiced once a credit manager released it
        or the customer's credit covers it); nothing of the package is lost."""
        super()._process_one()
        if self.state == "processed" and self.sale_order_id.sudo().credit_hold:
            self.write(
                {
                    "state": "new",
                    "error_reason": _(
                        "Order %s is on credit hold: it is processed again once a credit "
                        "manager releases it.",
                        self.sale_order_id.name,
                    ),
                }
            )

"""A pay-first retailer order whose invoice is unpaid meets the credit hold of the customer
master card at delivery: held with a to-do for every credit manager, who releases it."""

from odoo import models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _retailer_payment_released(self):
        return super()._retailer_payment_released() or self.credit_released


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def button_validate(self):
        unpaid = self._retailer_unpaid()
        if not unpaid:
            return super().button_validate()
        messages = []
        for picking, message in unpaid:
            picking.sale_id._put_on_credit_hold("delivery", {"message": message})
            messages.append(message)
        # no exception: the hold and the credit managers' to-do stay
        return self.env["sale.order"]._credit_notification(messages, "danger")

    def _retailer_check_paid(self):
        """Held orders say so: a credit manager releases them."""
        unpaid = self._retailer_unpaid()
        if unpaid:
            raise UserError(
                "\n".join(message for _picking, message in unpaid)
                + "\n"
                + self.env._("A credit manager can release the credit hold.")
            )

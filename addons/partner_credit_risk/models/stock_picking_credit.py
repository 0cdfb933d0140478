"""Credit check at the validation of outgoing deliveries."""

from odoo import models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _credit_delivery_value(self):
        """Value of the goods leaving, at the order line price including taxes."""
        self.ensure_one()
        total = 0.0
        for move in self.move_ids.filtered(lambda m: m.sale_line_id and m.state != "cancel"):
            line = move.sale_line_id
            if line.product_uom_qty:
                quantity = move.product_uom._compute_quantity(move.quantity, line.product_uom)
                total += quantity * line.price_total / line.product_uom_qty
        return total

    def _credit_check_delivery(self, hold=True):
        """Evaluate the outgoing pickings of sale orders; hold the orders of blocked ones.
        Returns (blocked pickings, messages)."""
        blocked = self.browse()
        messages = []
        pickings = self.filtered(
            lambda p: (
                p.picking_type_code == "outgoing"
                and p.sale_id
                and p.state not in ("done", "cancel")
                and not p.sale_id.credit_released
            )
        )
        for picking in pickings:
            order = picking.sale_id
            # Already counted in the order risk unless orders are left out of it.
            counted = order.partner_id.commercial_partner_id.sudo().risk_include_order
            amount = 0.0 if counted else picking._credit_delivery_value()
            result = order._credit_evaluate("delivery", amount)
            if hold:
                order._credit_note_result(result)
            if not result["message"]:
                continue
            messages.append(self.env["res.partner"]._credit_public_message(result))
            if not result["allowed"]:
                if hold:
                    order._put_on_credit_hold("delivery", result)
                blocked |= picking
        return blocked, messages

    def button_validate(self):
        blocked, messages = self._credit_check_delivery()
        if blocked:
            # no exception: the hold and the credit managers' to-do stay
            return self.env["sale.order"]._credit_notification(messages, "danger")
        res = super().button_validate()
        if messages and res is True:
            return self.env["sale.order"]._credit_notification(messages, "warning")
        return res

    def _action_done(self):
        """Every other path that ships (scripts, automations) meets the same block."""
        blocked, messages = self._credit_check_delivery(hold=False)
        if blocked:
            raise UserError("\n".join(messages))
        return super()._action_done()

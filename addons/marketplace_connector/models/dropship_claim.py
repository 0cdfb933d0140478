"""A customer's return of a dropshipped line: the supplier's refund request, per agreement."""

from collections import defaultdict

from odoo import Command, _, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class MarketplaceClaim(models.Model):
    _inherit = "marketplace.claim"

    dropship_refund_ids = fields.One2many(
        "account.move", "dropship_claim_id", string="Supplier refund requests", readonly=True
    )

    def _create_return_documents(self, items=None):
        super()._create_return_documents(items)
        self._dropship_request_refunds(items or self.line_ids)

    def _dropship_request_refunds(self, items):
        """One draft vendor credit note per dropship purchase order of the returned lines,
        once per return (restocking fee deducted when agreed)."""
        self.ensure_one()
        if self.dropship_refund_ids:
            return
        by_order = defaultdict(list)
        for item in items.filtered("sale_line_id"):
            purchase_lines = item.sale_line_id.sudo().purchase_line_ids.filtered(
                lambda pol: pol.order_id.dropship_agreement_id and pol.state != "cancel"
            )
            if not purchase_lines:
                continue
            self._dropship_check_shipped(item)
            by_order[purchase_lines[0].order_id].append((purchase_lines[0], item.quantity))
        for order, lines in by_order.items():
            self.env["account.move"].create(self._dropship_refund_values(order, lines))

    def _dropship_check_shipped(self, item):
        line = item.sale_line_id
        rounding = line.product_uom.rounding
        if float_compare(item.quantity, line.qty_delivered, precision_rounding=rounding) > 0:
            raise UserError(
                _(
                    "The return %(claim)s takes back %(returned)s × %(product)s but the "
                    "supplier shipped %(shipped)s.",
                    claim=self.claim_ref,
                    returned=item.quantity,
                    product=line.product_id.display_name,
                    shipped=line.qty_delivered,
                )
            )

    def _dropship_refund_values(self, order, lines):
        agreement = order.dropship_agreement_id
        commands = []
        for purchase_line, quantity in lines:
            commands.append(
                Command.create(
                    {
                        "product_id": purchase_line.product_id.id,
                        "name": purchase_line.name,
                        "quantity": quantity,
                        "price_unit": purchase_line.price_unit,
                        "tax_ids": [Command.set(purchase_line.taxes_id.ids)],
                    }
                )
            )
            if percent := agreement._restocking_fee():
                fee = purchase_line.price_unit * quantity * percent / 100
                commands.append(
                    Command.create(
                        {
                            "product_id": purchase_line.product_id.id,
                            "name": _(
                                "Restocking fee %(percent)s %% of %(product)s",
                                percent=percent,
                                product=purchase_line.product_id.display_name,
                            ),
                            "quantity": 1.0,
                            "price_unit": -order.currency_id.round(fee),
                            "tax_ids": [Command.set(purchase_line.taxes_id.ids)],
                        }
                    )
                )
        return {
            "move_type": "in_refund",
            "partner_id": order.partner_id.id,
            "currency_id": order.currency_id.id,
            "company_id": order.company_id.id,
            "invoice_origin": order.name,
            "ref": _("Return %(claim)s of %(order)s", claim=self.claim_ref, order=order.name),
            "invoice_date": fields.Date.context_today(self),
            "dropship_purchase_id": order.id,
            "dropship_claim_id": self.id,
            "invoice_line_ids": commands,
        }

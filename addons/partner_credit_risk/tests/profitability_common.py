from odoo import Command

from .credit_common import CreditCommon


class ProfitabilityCommon(CreditCommon):
    """The worked example of the profitability report.

    Olive oil (FIFO) is received twice: 10 at 10.00 and 10 at 14.00. The customer orders 15
    at 25.00 and one assembly service at 100.00 (standard cost 40.00); the 15 are delivered
    (FIFO cost 10 x 10.00 + 5 x 14.00 = 170.00) and invoiced (475.00 untaxed). 3 come back
    (return valued at the delivery's unit cost: 3 x 170 / 15 = 34.00) and are refunded
    (75.00)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fifo = cls.env["product.category"].create(
            {
                "name": "FIFO",
                "property_cost_method": "fifo",
                "property_valuation": "manual_periodic",
            }
        )
        cls.oil = cls.env["product.product"].create(
            {
                "name": "Zeytinyağı 1 L",
                "type": "consu",
                "is_storable": True,
                "categ_id": cls.fifo.id,
                "invoice_policy": "delivery",
                "list_price": 25.0,
                "standard_price": 9.0,
                "taxes_id": [Command.set(cls.vat20.ids)],
            }
        )
        cls.assembly = cls.env["product.product"].create(
            {
                "name": "Montaj hizmeti",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 100.0,
                "standard_price": 40.0,
                "taxes_id": [Command.set(cls.vat20.ids)],
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls._receive(cls.oil, 10, 10.0)
        cls._receive(cls.oil, 10, 14.0)

    @classmethod
    def _receive(cls, product, qty, unit_cost):
        move = cls.env["stock.move"].create(
            {
                "name": f"Receipt {product.name}",
                "product_id": product.id,
                "product_uom": product.uom_id.id,
                "product_uom_qty": qty,
                "price_unit": unit_cost,
                "location_id": cls.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": cls.warehouse.lot_stock_id.id,
                "company_id": cls.company.id,
            }
        )
        move._action_confirm()
        move.write({"quantity": qty, "picked": True})
        move._action_done()
        return move

    @classmethod
    def _sell(cls, partner, lines, user=None):
        """A confirmed order of ``[(product, qty, price)]``."""
        Order = cls.env["sale.order"].with_user(user) if user else cls.env["sale.order"]
        order = Order.create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "price_unit": price,
                            "tax_id": [Command.set(cls.vat20.ids)],
                        }
                    )
                    for product, qty, price in lines
                ],
            }
        )
        order.sudo().action_confirm()
        return order

    @classmethod
    def _invoice(cls, order):
        move = order.sudo()._create_invoices(final=True)
        move.action_post()
        return move

    @classmethod
    def _return(cls, picking, qty):
        wizard = (
            cls.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        wizard.product_return_moves.write({"quantity": qty})
        returned = cls.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.write({"quantity": qty, "picked": True})
        returned._action_done()
        return returned

    @classmethod
    def _worked_example(cls, partner):
        """Order, delivery, invoice, return and refund of the worked example."""
        order = cls._sell(partner, [(cls.oil, 15, 25.0), (cls.assembly, 1, 100.0)])
        delivery = cls._deliver(order, 15)
        invoice = cls._invoice(order)
        cls._return(delivery, 3)
        refund = cls._invoice(order)
        return order, delivery, invoice, refund

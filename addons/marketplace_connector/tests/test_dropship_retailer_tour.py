from odoo.tests import HttpCase, tagged

from .test_dropship_retailer import RetailerCase


@tagged("post_install", "-at_install")
class TestRetailerTour(RetailerCase, HttpCase):
    """A retailer's pay-first order in the browser: the label's cost reported on the delivery,
    then a sales manager lets the unpaid order ship."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.env.ref("base.user_admin")
        admin.write({"company_ids": [(4, cls.company.id)], "company_id": cls.company.id})

    def test_report_shipping_cost_and_release(self):
        self.agreement.shipping_policy = "actual"
        order = self.order()
        picking = order.picking_ids
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{picking.id}",
            "marketplace_connector_retailer_shipping_cost_tour",
            login="admin",
        )
        self.assertEqual(picking.retailer_shipping_cost, 37.5)
        self.assertEqual(len(order.invoice_ids), 2)
        self.assertAlmostEqual(order.retailer_amount_due, 3007.94, places=2)
        self.start_tour(
            f"/odoo/action-sale.action_orders/{order.id}",
            "marketplace_connector_retailer_release_tour",
            login="admin",
        )
        self.assertTrue(order.retailer_payment_released)
        self.assertTrue(
            any("Havale dekontu görüldü" in message.body for message in order.message_ids)
        )
        self.assertFalse(picking._retailer_unpaid())

from odoo import Command
from odoo.addons.marketplace_connector.tests.test_dropship_retailer import RetailerCase
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRetailerCreditHold(RetailerCase):
    """With the customer master card, an unpaid pay-first delivery is a credit hold: a to-do
    for every credit manager, released once with a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="retailer_credit_manager",
            groups="base.group_user,sales_team.group_sale_manager,"
            "partner_credit_risk.group_credit_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def validate(self, picking):
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        return picking.with_context(skip_backorder=True, skip_sms=True).button_validate()

    def test_unpaid_delivery_held_until_credit_release(self):
        order = self.order()
        picking = order.picking_ids
        result = self.validate(picking)
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("3,022.94", result["params"]["message"])
        self.assertNotEqual(picking.state, "done")
        self.assertEqual((order.credit_hold, order.credit_hold_stage), (True, "delivery"))
        self.assertIn("3,022.94", order.credit_check_message)
        managers = self.env["res.partner"]._credit_managers(self.company)
        self.assertIn(self.manager, managers)
        self.assertEqual(len(order._credit_hold_activities()), len(managers))
        with self.assertRaisesRegex(UserError, "credit manager can release"):
            picking._action_done()
        # validating again keeps one to-do per manager
        self.validate(picking)
        self.assertEqual(len(order._credit_hold_activities()), len(managers))
        order.with_user(self.manager).action_release_credit_hold("Havale dekontu görüldü")
        self.assertTrue(order.credit_released)
        self.assertEqual(order.credit_release_ids.stage, "delivery")
        self.assertIs(self.validate(picking), True)
        self.assertEqual(picking.state, "done")

    def test_paid_delivery_not_held(self):
        order = self.order()
        self.pay(order.invoice_ids)
        self.assertIs(self.validate(order.picking_ids), True)
        self.assertFalse(order.credit_hold)

from odoo import Command
from odoo.addons.marketplace_connector.tests.common import MarketplaceCase, trendyol_package
from odoo.tests import new_test_user, tagged

TCKN = "12345678950"


@tagged("post_install", "-at_install")
class TestMarketplaceCreditHold(MarketplaceCase):
    """Automatically confirmed marketplace orders meet the credit control like any other
    order: a blocked one is held (no delivery, no invoice) and its package processed again
    after the release; the prepaid e-commerce account type (CSE) is exempt by policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Ayşe Yılmaz", "vat": TCKN, "country_id": cls.env.ref("base.tr").id}
        )
        # over the limit: 1 000 TRY of credit for an order of 1 499.30 TRY
        cls.buyer.with_company(cls.company).write(
            {
                "credit_control_mode": "partner",
                "credit_check_order": "block",
                "credit_check_delivery": "block",
                "credit_limit": 1000.0,
            }
        )
        cls.manager = new_test_user(
            cls.env,
            login="marketplace_credit_manager",
            groups="base.group_user,sales_team.group_sale_manager,"
            "partner_credit_risk.group_credit_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.try_ = cls.company.currency_id

    def _package(self):
        return trendyol_package(identity=TCKN)

    def test_blocked_order_held_and_processed_after_release(self):
        self.company.credit_exempt_account_types = "PJC"  # CSE not exempt any more
        self.assertTrue(self.account.auto_confirm)
        package = self._package()
        self.assertEqual(self.store(package), ["created"])
        self.assertEqual(self.process(), {"processed": 1, "failed": 0, "remaining": 0})
        row = self.inbound(package)
        order = row.sale_order_id
        self.assertEqual(order.partner_id, self.buyer)
        self.assertEqual(order.financial_account_id.account_type, "CSE")
        self.assertAlmostEqual(order.amount_total, 1499.30, places=2)
        # held, not confirmed: no delivery, no invoice, nothing reported back
        self.assertEqual(
            (order.state, order.credit_hold, order.credit_hold_stage), ("draft", True, "order")
        )
        self.assertFalse(order.picking_ids)
        self.assertFalse(row.invoice_id)
        self.assertFalse(row.picking_reported)
        message = order.credit_check_message
        self.assertIn("1,000.00", message)  # the limit = the open credit (no risk yet)
        self.assertIn("1,499.30", message)  # this order
        self.assertRegex(message, r"exceeds it by \W*499\.30")
        # the package is not lost: it waits, pending, with the reason
        self.assertEqual(row.state, "new")
        self.assertIn(order.name, row.error_reason)
        self.assertIn("credit hold", row.error_reason)
        managers = self.env["res.partner"]._credit_managers(self.company)
        self.assertIn(self.manager, managers)
        self.assertEqual(len(order._credit_hold_activities()), len(managers))
        # the next runs check it again: still held, no second to-do, no second order
        self.assertEqual(self.process(), {"processed": 1, "failed": 0, "remaining": 0})
        self.assertEqual(row.state, "new")
        self.assertEqual(len(order._credit_hold_activities()), len(managers))
        self.assertEqual(self.orders(package), order)
        self.assertFalse(order.picking_ids)
        # a credit manager releases it; the next run finishes the package
        order.with_user(self.manager).action_release_credit_hold("Ödeme pazaryerinde tahsil edildi")
        self.assertEqual((order.state, order.credit_hold), ("sale", False))
        self.assertEqual(self.process(), {"processed": 1, "failed": 0, "remaining": 0})
        self.assertEqual(row.state, "processed", row.error_reason)
        self.assertFalse(row.error_reason)
        self.assertEqual(len(order.picking_ids), 1)
        self.assertEqual(
            order.picking_ids.marketplace_package_id, str(package["shipmentPackageId"])
        )
        self.assertEqual(row.invoice_id.state, "posted")
        self.assertAlmostEqual(row.invoice_id.amount_total, 1499.30, places=2)
        self.assertEqual(self.orders(package), order)
        self.assertEqual(order.credit_release_ids.reason, "Ödeme pazaryerinde tahsil edildi")

    def test_cse_account_type_exempt_by_policy(self):
        self.assertEqual(self.company.credit_exempt_account_types, "CSE")
        result = self.buyer.with_company(self.company).check_credit(1499.30, self.try_.id)
        self.assertEqual((result["allowed"], result["exceeded_by"]), (False, 499.3))
        package = self._package()
        self.store(package)
        self.assertEqual(self.process(), {"processed": 1, "failed": 0, "remaining": 0})
        row = self.inbound(package)
        order = row.sale_order_id
        self.assertEqual(order.partner_id, self.buyer)
        self.assertEqual(order.financial_account_id.account_type, "CSE")
        self.assertEqual((row.state, order.state, order.credit_hold), ("processed", "sale", False))
        self.assertFalse(order.credit_check_message)
        self.assertFalse(order._credit_hold_activities())
        self.assertEqual(len(order.picking_ids), 1)
        self.assertAlmostEqual(row.invoice_id.amount_total, 1499.30, places=2)

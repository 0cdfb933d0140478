from odoo import Command
from odoo.addons.base.tests.common import new_test_user
from odoo.tests import HttpCase, tagged

from .common import MarketplaceFakeMixin, trendyol_package, with_status


@tagged("post_install", "-at_install")
class TestMarketplaceTours(MarketplaceFakeMixin, HttpCase):
    """The marketplace flows as a seller's administrator clicks them in the browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_fake_marketplace()
        admin = cls.env.ref("base.user_admin")
        admin.write({"company_ids": [(4, cls.company.id)], "company_id": cls.company.id})

    def test_sync_from_the_dashboard_and_open_the_invoice(self):
        self.seed(trendyol_package(), trendyol_package(commercial=True, customer_id=778))
        self.start_tour("/odoo", "marketplace_connector_sync_tour", login="admin")
        rows = self.env["marketplace.order.inbound"].search(
            [("account_id", "=", self.account.id)])
        self.assertEqual(rows.mapped("state"), ["processed", "processed"])
        self.assertEqual(rows.invoice_id.mapped("state"), ["posted", "posted"])

    def test_approve_a_return(self):
        package = with_status(trendyol_package(), "Delivered")
        self.store(package)
        self.process()
        raw = self.fake.add_claim(package, line_index=0,
                                  claim_date=self.fake_module.now_ms() - 60000)
        self.account.sync_claims()
        claim = self.env["marketplace.claim"].search([("claim_ref", "=", raw["id"])])
        self.assertEqual(claim.decision, "to_decide")
        self.start_tour("/odoo", "marketplace_connector_claim_tour", login="admin")
        self.assertEqual(claim.decision, "approved")
        self.assertEqual(claim.credit_note_id.move_type, "out_refund")

    def test_salesperson_works_orders_made_by_the_sync(self):
        """A salesperson (own documents only) with the Marketplaces user role: sync now, then
        the order, its delivery and its invoice, none of them theirs."""
        self.account.user_id = False
        new_test_user(self.env, login="mp_tour_salesperson",
                      groups="base.group_user,sales_team.group_sale_salesman,"
                             "marketplace_connector.group_marketplace_user",
                      company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        self.seed(trendyol_package())
        self.start_tour("/odoo", "marketplace_connector_salesperson_tour",
                        login="mp_tour_salesperson")
        row = self.env["marketplace.order.inbound"].search([("account_id", "=", self.account.id)])
        self.assertEqual(row.state, "processed")
        self.assertEqual(row.invoice_id.state, "posted")
        self.assertNotEqual(row.sale_order_id.user_id.login, "mp_tour_salesperson")

from odoo import Command
from odoo.addons.base.tests.common import new_test_user
from odoo.addons.l10n_tr_efatura.tests.common import load_fake
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
        rows = self.env["marketplace.order.inbound"].search([("account_id", "=", self.account.id)])
        self.assertEqual(rows.mapped("state"), ["processed", "processed"])
        self.assertEqual(rows.invoice_id.mapped("state"), ["posted", "posted"])

    def test_approve_a_return(self):
        package = with_status(trendyol_package(), "Delivered")
        self.store(package)
        self.process()
        raw = self.fake.add_claim(
            package, line_index=0, claim_date=self.fake_module.now_ms() - 60000
        )
        self.account.sync_claims()
        claim = self.env["marketplace.claim"].search([("claim_ref", "=", raw["id"])])
        self.assertEqual(claim.decision, "to_decide")
        self.start_tour("/odoo", "marketplace_connector_claim_tour", login="admin")
        self.assertEqual(claim.decision, "approved")
        self.assertEqual(claim.credit_note_id.move_type, "out_refund")

    def test_salesperson_works_orders_made_by_the_sync(self):
        """A salesperson (own documents only) with the Marketplaces user role: sync now, then
        the order, its delivery and its invoice, none of them theirs."""
        admin = self.env.ref("base.user_admin")
        self.account.user_id = admin  # the orders are the administrator's
        new_test_user(
            self.env,
            login="mp_tour_salesperson",
            groups="base.group_user,sales_team.group_sale_salesman,"
            "marketplace_connector.group_marketplace_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.seed(trendyol_package())
        self.start_tour(
            "/odoo", "marketplace_connector_salesperson_tour", login="mp_tour_salesperson"
        )
        row = self.env["marketplace.order.inbound"].search([("account_id", "=", self.account.id)])
        self.assertEqual(row.state, "processed")
        self.assertEqual(row.invoice_id.state, "posted")
        self.assertEqual(row.sale_order_id.user_id, admin)

    def test_billing_user_sends_a_marketplace_invoice(self):
        """An accountant with Invoicing / Billing only (no marketplace role) sends the
        e-document of an invoice the sync made."""
        izibiz = load_fake("izibiz")
        fake = izibiz.start()
        self.addCleanup(fake.stop)
        self.company.write(
            {
                "l10n_tr_integrator": "izibiz",
                "l10n_tr_integrator_environment": "test",
                "l10n_tr_integrator_username": izibiz.USERNAME,
                "l10n_tr_integrator_password": izibiz.PASSWORD,
                "l10n_tr_sender_alias": izibiz.TEST_GB,
                "l10n_tr_izibiz_auth_url": fake.wsdl_url("AuthenticationWS"),
                "l10n_tr_izibiz_einvoice_url": fake.wsdl_url("EInvoiceWS"),
                "l10n_tr_izibiz_earchive_url": fake.wsdl_url("EFaturaArchive"),
            }
        )
        self.env.ref("marketplace_connector.carrier_trendyol_trendyol_express").vat = "9870012347"
        package = trendyol_package()
        self.store(package)
        self.account.with_context(marketplace_no_report_back=True).process_pending()
        invoice = self.inbound(package).invoice_id
        self.assertEqual(invoice.l10n_tr_edoc_state, "to_send")
        billing = new_test_user(
            self.env,
            login="mp_tour_billing",
            groups="base.group_user,account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertFalse(billing.has_group("marketplace_connector.group_marketplace_user"))
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "marketplace_connector_billing_send_tour",
            login="mp_tour_billing",
        )
        self.assertIn(
            invoice.l10n_tr_edoc_state, ("sent", "accepted"), invoice.l10n_tr_edoc_raw_message
        )
        self.assertTrue(fake.document(invoice.l10n_tr_ettn))

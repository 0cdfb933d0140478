"""The same flow for every marketplace, each against its own fake over real HTTP on
127.0.0.1 (driven through the fake's contract harness, tests/fakes/<code>.py
``contract_fake()``): order → customer → sale order → delivery → posted invoice → invoice
back, fetched twice and in overlapping windows without a duplicate, and a return approved
into an IADE credit note. A new marketplace adds a subclass naming its code."""

import re
from datetime import timedelta

from odoo import Command, fields, sql_db
from odoo.addons.l10n_tr_efatura.tests.common import load_fake
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

BUYER = {
    "first_name": "Ayşe",
    "last_name": "Yılmaz",
    "tckn": "10000000146",
    "city": "İstanbul",
    "district": "Kadıköy",
    "street": "Moda Cad. No:5",
    "email": "ayse@example.com",
}
# demo products' barcodes: 2 × 749.90 less a 150.00 seller discount at 10 % KDV, 1 × 149.50
# at 20 % KDV → the buyer pays 1349.80 + 149.50 = 1499.30
LINES = [
    {"line_id": "01", "barcode": "8691234567890", "stock_code": "SKU-7890", "quantity": 2,
     "price": 749.90, "seller_discount": 150.0, "vat": 10},
    {"line_id": "02", "barcode": "8691234567894", "stock_code": "SKU-7894", "quantity": 1,
     "price": 149.50, "seller_discount": 0.0, "vat": 20},
]  # fmt: skip


def lines_of(order_number):
    """LINES with line ids of their own: marketplaces number order lines across orders."""
    digits = re.sub(r"\D", "", order_number)
    return [dict(line, line_id=f"{digits}{line['line_id']}") for line in LINES]


class FakeMarketplaceAccount:
    """A sandbox account of the Turkish demo company on the fake of ``marketplace`` (its
    contract harness, started for the class)."""

    marketplace = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = load_fake(cls.marketplace).contract_fake().start()
        cls.addClassCleanup(cls.fake.stop)
        cls.company = cls.env.ref("base.demo_company_tr")
        cls.env = cls.env(
            context=dict(
                cls.env.context, allowed_company_ids=[cls.company.id], tracking_disable=True
            )
        )
        cls.env.user.company_ids |= cls.company
        cls.env.user.company_id = cls.company
        # invoice links are public https URLs (n11 refuses others)
        cls.env["ir.config_parameter"].sudo().set_param("web.base.url", "https://erp.example.com")
        template = cls.env.ref("marketplace_connector.account_trendyol_sandbox")
        credentials = cls.fake.credentials()
        cls.account = cls.env["marketplace.account"].create(
            {
                "name": f"{cls.marketplace} flow",
                "marketplace": cls.marketplace,
                "company_id": cls.company.id,
                "environment": "sandbox",
                "sandbox_url": credentials["base_url"],
                "supplier_id": credentials["supplier_id"],
                "api_key": credentials["api_key"],
                "api_secret": credentials["api_secret"],
                "integrator_name": credentials["integrator_name"],
                "warehouse_id": template.warehouse_id.id,
                "team_id": template.team_id.id,
                "auto_send_edocument": False,
                "invoice_send_mode": "file",
            }
        )


class MarketplaceFlowMixin(FakeMarketplaceAccount):
    """The flow tests; a subclass per marketplace names its ``marketplace`` code."""

    allow_inherited_tests_method = True

    def order_rows(self, order_number):
        return self.env["marketplace.order.inbound"].search(
            [("account_id", "=", self.account.id), ("order_number", "=", order_number)]
        )

    def test_order_to_invoice_and_back_exactly_once(self):
        package_id = self.fake.add_order("MF-1001", lines_of("MF-1001"), buyer=BUYER)
        counters = self.account.sync_now()
        self.assertFalse(counters["failed"] or counters["quarantined"], counters)
        row = self.order_rows("MF-1001")
        self.assertEqual(row.state, "processed", row.error_reason)
        self.assertEqual(row.package_state, "created")
        order = row.sale_order_id
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.partner_id.vat, "10000000146")
        self.assertAlmostEqual(order.amount_total, 1499.30, places=2)
        self.assertEqual(
            sorted(order.order_line.mapped("product_uom_qty")), [1.0, 2.0], "one line per line"
        )
        self.assertTrue(order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing"))
        invoice = row.invoice_id
        self.assertEqual(invoice.state, "posted")
        self.assertAlmostEqual(invoice.amount_total, 1499.30, places=2)
        # fetched again, and again over an overlapping forced window: nothing new
        self.assertEqual(self.account.sync_now()["created"], 0)
        now = fields.Datetime.now()
        again = self.account.sync_orders(
            self.account.id,
            fields.Datetime.to_string(now - timedelta(hours=3)),
            fields.Datetime.to_string(now),
        )
        self.assertEqual(again["created"], 0, again)
        self.assertEqual(len(self.order_rows("MF-1001")), 1)
        self.assertEqual(
            self.env["sale.order"].search_count(
                [
                    ("marketplace_account_id", "=", self.account.id),
                    ("marketplace_order_number", "=", "MF-1001"),
                ]
            ),
            1,
        )
        # the next fetch brings the package as the marketplace has it after our picking
        # report (Hepsiburada: packed under a package number of its own)
        self.account.sync_now()
        # GİB accepted the e-document: the invoice goes back once
        invoice.write({"l10n_tr_edoc_state": "accepted", "l10n_tr_gib_number": "GIB2026000000042"})
        result = self.account.report_back()
        self.assertEqual(result["invoices_sent"], 1, result)
        sent = self.fake.invoice_of(package_id)
        self.assertTrue(sent and (sent["link"] or sent["file"]))
        if sent["number"] is not None:
            self.assertEqual(sent["number"], "GIB2026000000042")
        self.assertEqual(self.account.report_back()["invoices_sent"], 0, "sent once")

    def test_stock_and_price_pushed_and_confirmed(self):
        if not self.account.offers_stock_price:
            return
        self.fake.add_order("MF-1007", lines_of("MF-1007"), buyer=BUYER)  # known products
        self.account.sync_now()
        listing = self.env["marketplace.listing"].search(
            [("account_id", "=", self.account.id), ("barcode", "=", "8691234567894")]
        )
        self.assertTrue(listing.product_id)
        listing.write({"stock_code": "SKU-7894", "sale_price": 159.90})
        self.account.write({"push_stock": True, "push_price": True})
        result = self.account.push_stock_prices()
        self.assertFalse(result.get("error"), result)
        self.assertGreaterEqual(result["sent"], 1, result)
        self.account.push_stock_prices()  # polls what is still pending
        self.assertEqual(listing.push_state, "done", listing.push_error)
        self.assertEqual(listing.last_sent_price, 159.90)
        remote = self.fake.stock_of("8691234567894")
        self.assertEqual(remote["price"], 159.90)
        self.assertEqual(remote["quantity"], int(listing.last_sent_qty))

    def test_cargo_label_kept_on_the_delivery(self):
        if not self.account.offers_labels:
            return
        self.fake.add_order("MF-1008", lines_of("MF-1008"), buyer=BUYER)
        self.account.sync_now()
        self.account.sync_now()  # the package as the marketplace has it after the picking
        row = self.order_rows("MF-1008")
        self.assertTrue(row.tracking_number, "the marketplace gave the package a tracking number")
        result = row.action_get_label()
        attachment = self.env["ir.attachment"].browse(result["attachment_id"])
        self.assertTrue(attachment.raw)
        self.assertIn(result["format"], ("zpl", "pdf"))
        self.assertEqual(attachment.res_model, "stock.picking")

    def test_unsupplied_line_leaves_the_order(self):
        if not self.account.offers_unsupply:
            return
        self.fake.add_order("MF-1009", lines_of("MF-1009"), buyer=BUYER)
        self.account.sync_now()
        self.account.sync_now()  # the package as the marketplace has it after the picking
        row = self.order_rows("MF-1009")
        reason = next(iter(self.account._adapter_class().unsupply_reasons))
        self.assertTrue(row.unsupply({"100902": 1}, reason))
        line = row.sale_order_id.order_line.filtered(
            lambda sol: sol.marketplace_line_id == "100902"
        )
        self.assertEqual(line.product_uom_qty, 0.0)
        self.assertEqual(row.sale_order_id.amount_total, 1349.80)

    def test_second_fetch_skips_while_the_first_runs(self):
        """A second worker fetching the same account at the same time skips cleanly: it sends
        no request and stores nothing; the package is stored once when the first ends."""
        self.fake.add_order("MF-1006", lines_of("MF-1006"), buyer=BUYER)
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(other.close)
        other.execute(
            "SELECT pg_try_advisory_xact_lock(hashtext(%s))",
            [f"marketplace-sync:{self.account.id}:fetch"],
        )
        self.assertTrue(other.fetchone()[0])
        requests = len(self.fake.requests)
        result = self.account.sync_orders()
        self.assertEqual((result["skipped"], result["fetched"]), (1, 0), result)
        self.assertEqual(len(self.fake.requests), requests, "no request while the first runs")
        other.rollback()  # the first run ends
        self.assertEqual(self.account.sync_orders()["skipped"], 0)
        self.assertEqual(len(self.order_rows("MF-1006")), 1)

    def test_cancelled_package_cancels_the_order(self):
        package_id = self.fake.add_order("MF-1002", lines_of("MF-1002"), buyer=BUYER)
        self.account.sync_now()
        order = self.order_rows("MF-1002").sale_order_id
        self.assertEqual(order.state, "sale")
        self.fake.set_state(package_id, "cancelled")
        now = fields.Datetime.now()
        self.account.sync_orders(
            self.account.id,
            fields.Datetime.to_string(now - timedelta(hours=1)),
            # a forced window may end a little ahead: the change is of this very second
            fields.Datetime.to_string(now + timedelta(minutes=1)),
        )
        self.account.process_pending()
        self.assertIn(self.order_rows("MF-1002")[:1].package_state, ("cancelled", "unsupplied"))
        self.assertEqual(order.state, "cancel")

    def test_own_carrier_reports_shipped_then_delivered(self):
        if not self.account.offers_own_cargo:
            return
        self.account.own_cargo = True
        package_id = self.fake.add_order("MF-1004", lines_of("MF-1004"), buyer=BUYER)
        self.account.sync_now()
        row = self.order_rows("MF-1004")
        picking = row.sale_order_id.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.marketplace_tracking_number = "OWN-7730012"
        picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
        self.account.sync_now()  # the package as the marketplace has it after the picking
        row.invoice_id.write(
            {"l10n_tr_edoc_state": "accepted", "l10n_tr_gib_number": "GIB2026000000043"}
        )
        result = self.account.report_back()
        self.assertEqual(result["shipped"], 1, result)
        self.assertFalse(row.backchannel_error)
        self.assertEqual(self.fake.package_state(package_id), "shipped")
        self.assertTrue(row.backchannel_done)
        self.assertEqual(self.account.report_back()["shipped"], 0, "reported once")
        self.assertTrue(row.mark_delivered())
        self.assertEqual(self.fake.package_state(package_id), "delivered")
        self.assertEqual(row.delivery_reported, "delivered")

    def _user(self, login, groups, company):
        return new_test_user(
            self.env,
            login=f"{self.marketplace}_{login}",
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    def test_listings_and_deliveries_only_for_users_of_the_account(self):
        """Fetching listings and reporting a delivery use the account's credentials: a
        salesperson without Marketplaces rights and another company's Marketplaces manager are
        refused before the marketplace hears of it; a Marketplaces user reaches it."""
        outsiders = (
            self._user("salesman", "base.group_user,sales_team.group_sale_salesman", self.company),
            self._user(
                "stranger",
                "base.group_user,marketplace_connector.group_marketplace_manager",
                self.env.ref("base.main_company"),
            ),
        )
        row = None
        if self.account.offers_own_cargo:
            self.fake.add_order("MF-1011", lines_of("MF-1011"), buyer=BUYER)
            self.account.sync_now()
            row = self.order_rows("MF-1011")
            row.shipped_reported = True
        for user in outsiders:
            heard = len(self.fake.requests)
            env = self.env(
                user=user, context=dict(self.env.context, allowed_company_ids=user.company_ids.ids)
            )
            if self.account.offers_listings:
                with self.assertRaises(AccessError):
                    env["marketplace.account"].browse(self.account.id).sync_listings()
            if row:
                with self.assertRaises(AccessError):
                    env["marketplace.order.inbound"].browse(row.id).mark_delivered()
            self.assertEqual(len(self.fake.requests), heard, f"{user.login}: no request sent")
        if self.account.offers_listings:
            user = self._user(
                "mp_user",
                "base.group_user,marketplace_connector.group_marketplace_user",
                self.company,
            )
            heard = len(self.fake.requests)
            totals = self.account.with_user(user).sync_listings()
            self.assertEqual(set(totals), {"read", "fulfilled", "unknown"})
            self.assertGreater(len(self.fake.requests), heard)

    def test_return_rejected_with_a_reason_and_evidence(self):
        if not self.account.offers_claim_reject:
            return
        package_id = self.fake.add_order("MF-1005", lines_of("MF-1005"), buyer=BUYER)
        self.account.sync_now()
        claim_ref = self.fake.add_claim(package_id, "100501", quantity=1)
        self.account.sync_claims()
        claim = self.env["marketplace.claim"].search(
            [("account_id", "=", self.account.id), ("claim_ref", "=", str(claim_ref))]
        )
        reasons, _warning = self.env["marketplace.claim.reason"]._ensure_reasons(self.account)
        self.assertTrue(reasons)
        reason = reasons[0]
        photo = self.env["ir.attachment"].create(
            {"name": "kutu.png", "raw": b"\x89PNG\r\n\x1a\n" + b"0" * 64, "mimetype": "image/png"}
        )
        claim.reject(reason.marketplace_ref, "Ürün kullanılmış", attachment_ids=photo.ids)
        self.assertEqual(claim.decision, "rejected")
        # Trendyol opens an issue: disputed until its decision
        self.assertIn(self.fake.claim_state(claim_ref), ("rejected", "disputed"))

    def test_return_approved_gives_an_iade_credit_note(self):
        if not self.account.offers_claims:
            return
        package_id = self.fake.add_order("MF-1003", lines_of("MF-1003"), buyer=BUYER)
        self.account.sync_now()
        invoice = self.order_rows("MF-1003").invoice_id
        self.assertEqual(invoice.state, "posted")
        claim_ref = self.fake.add_claim(package_id, "100301", quantity=1)
        self.account.sync_claims()
        claim = self.env["marketplace.claim"].search(
            [("account_id", "=", self.account.id), ("claim_ref", "=", str(claim_ref))]
        )
        self.assertEqual(claim.decision, "to_decide")
        result = claim.approve()
        self.assertEqual(self.fake.claim_state(claim_ref), "accepted")
        credit_note = self.env["account.move"].browse(result["credit_note_id"])
        self.assertEqual(credit_note.move_type, "out_refund")
        # one of the two units at 749.90 less its share of the 150.00 seller discount
        self.assertAlmostEqual(credit_note.amount_total, 674.90, places=2)


@tagged("post_install", "-at_install")
class TestTrendyolFlow(MarketplaceFlowMixin, TransactionCase):
    marketplace = "trendyol"


@tagged("post_install", "-at_install")
class TestN11Flow(MarketplaceFlowMixin, TransactionCase):
    marketplace = "n11"


@tagged("post_install", "-at_install")
class TestHepsiburadaFlow(MarketplaceFlowMixin, TransactionCase):
    marketplace = "hepsiburada"

    def test_listing_stocked_by_hepsiburada_is_never_pushed(self):
        self.fake.add_order("MF-1010", lines_of("MF-1010"), buyer=BUYER)  # known products
        self.account.sync_now()
        Listing = self.env["marketplace.listing"]
        own, fbh = (
            Listing.search([("account_id", "=", self.account.id), ("barcode", "=", barcode)])
            for barcode in ("8691234567890", "8691234567894")
        )
        own.stock_code, fbh.stock_code = "SKU-7890", "SKU-7894"
        self.fake.add_listing("SKU-7890", "8691234567890", stock=1, price=100.0)
        self.fake.add_listing("SKU-7894", "8691234567894", stock=9, price=100.0, fbh=True)
        self.fake.listings["SKU-7894"].update(isFulfilledByHB=True, availableStock=9)
        # the fake outlives the test: the other tests push this listing
        self.addCleanup(self.fake.listings["SKU-7894"].update, isFulfilledByHB=False)
        self.assertEqual(self.account.sync_listings(), {"read": 2, "fulfilled": 1, "unknown": 0})
        self.assertTrue(fbh.fulfilled_by_marketplace)
        self.assertFalse(own.fulfilled_by_marketplace)
        self.account.write({"push_stock": True, "push_price": False})
        self.account.push_stock_prices()
        self.assertIn(own.push_state, ("pending", "done"))
        self.assertEqual(fbh.push_state, "never", "stocked by Hepsiburada: never pushed")
        self.assertEqual(self.fake.listings["SKU-7894"]["availableStock"], 9)

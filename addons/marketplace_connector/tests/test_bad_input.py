"""Every public method of the connector, called with bad arguments: a clear UserError (or
ValidationError/AccessError/MissingError, all UserErrors), nothing written, nothing sent."""

import json
from datetime import datetime, timedelta

from odoo.addons.l10n_tr_efatura.tests.common import RefusalChecks
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import MarketplaceCase, trendyol_package, with_status

NAN, INF = float("nan"), float("inf")


@tagged("post_install", "-at_install")
class TestBadInput(RefusalChecks, MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake.reset()
        cls.package = trendyol_package()
        cls.fake.add_packages([cls.package])
        cls.Inbound._store_package(cls.account, cls.package)
        cls.account.process_pending()
        cls.row = cls.Inbound.search(
            [("account_id", "=", cls.account.id), ("order_number", "=", cls.package["orderNumber"])]
        )
        delivered = with_status(trendyol_package(), "Delivered")
        cls.fake.add_packages([delivered])
        cls.Inbound._store_package(cls.account, delivered)
        cls.account.process_pending()
        raw = cls.fake.add_claim(
            delivered, line_index=0, claim_date=cls.fake_module.now_ms() - 60000
        )
        cls.account.sync_claims(cls.account.id)
        cls.claim = cls.env["marketplace.claim"].search([("claim_ref", "=", raw["id"])])
        cls.reason = cls.env["marketplace.claim.reason"]._ensure_reasons(cls.account)[0][:1]
        cls.carrier = cls.env["marketplace.carrier"].search([], limit=1)
        cls.sync_run = cls.env["marketplace.sync.run"].search(
            [("account_id", "=", cls.account.id)], limit=1
        )

    WATCHED = (
        "marketplace.order.inbound",
        "marketplace.claim",
        "sale.order",
        "marketplace.sync.run",
        "marketplace.sync.cursor",
        "account.move",
        "ir.attachment",
        "marketplace.claim.reason",
    )

    def test_account_methods(self):
        Account = self.env["marketplace.account"]
        account = self.account
        now = datetime.utcnow()
        cases = [
            ("sync_orders account id as text", lambda: Account.sync_orders("abc")),
            ("sync_orders unknown account", lambda: Account.sync_orders(999999)),
            ("sync_orders account id list of text", lambda: Account.sync_orders(["1"])),
            ("sync_orders bad date", lambda: account.sync_orders(None, "2026-13-45 00:00:00")),
            ("sync_orders date as list", lambda: account.sync_orders(None, [2026, 1, 1])),
            ("sync_orders date as number", lambda: account.sync_orders(None, 1760522400000)),
            ("sync_orders text date", lambda: account.sync_orders(None, "yesterday")),
            (
                "sync_orders end before start",
                lambda: account.sync_orders(None, "2026-10-05 00:00:00", "2026-10-01 00:00:00"),
            ),
            (
                "sync_orders 200-day period",
                lambda: account.sync_orders(None, now - timedelta(days=200), now),
            ),
            (
                "sync_orders future end",
                lambda: account.sync_orders(None, now - timedelta(days=1), now + timedelta(days=3)),
            ),
            (
                "sync_orders end without start",
                lambda: account.sync_orders(None, None, "2026-10-05 00:00:00"),
            ),
            (
                "sync_orders move_cursor as text",
                lambda: account.sync_orders(None, None, None, "yes"),
            ),
            ("sync_orders on a text id", lambda: Account.browse(["x"]).sync_orders()),
            ("process_pending negative batch", lambda: account.process_pending(batch_size=-1)),
            ("process_pending zero batch", lambda: account.process_pending(batch_size=0)),
            ("process_pending text batch", lambda: account.process_pending(batch_size="50")),
            ("process_pending NaN limit", lambda: account.process_pending(limit=NAN)),
            ("process_pending huge limit", lambda: account.process_pending(limit=10**12)),
            ("process_pending negative limit", lambda: account.process_pending(limit=-5)),
            ("process_pending unknown account", lambda: Account.browse(999999).process_pending()),
            ("sync_claims text id", lambda: Account.sync_claims("1")),
            ("sync_claims unknown id", lambda: Account.sync_claims([999999])),
            ("action_sync_now unknown id", lambda: Account.browse(999999).action_sync_now()),
            ("action_sweep unknown id", lambda: Account.browse(999999).action_sweep()),
            ("report_back unknown id", lambda: Account.browse(999999).report_back()),
            ("push_stock_prices unknown id", lambda: Account.browse(999999).push_stock_prices()),
            ("poll_push_results unknown id", lambda: Account.browse(999999).poll_push_results()),
            ("send_daily_summary unknown id", lambda: Account.browse(999999).send_daily_summary()),
            (
                "action_test_connection unknown id",
                lambda: Account.browse(999999).action_test_connection(),
            ),
        ]
        for label, call in cases:
            self.assert_refused(label, call)

    def test_inbound_methods(self):
        row = self.row
        line_id = str(self.package["lines"][0]["lineId"])
        cases = [
            ("unsupply quantities as list", lambda: row.unsupply([[line_id, 1]], 500)),
            ("unsupply quantity as text", lambda: row.unsupply({line_id: "bir"}, 500)),
            ("unsupply quantity NaN", lambda: row.unsupply({line_id: NAN}, 500)),
            ("unsupply quantity infinite", lambda: row.unsupply({line_id: INF}, 500)),
            ("unsupply negative quantity", lambda: row.unsupply({line_id: -1}, 500)),
            ("unsupply more than ordered", lambda: row.unsupply({line_id: 99}, 500)),
            ("unsupply unknown line", lambda: row.unsupply({"123": 1}, 500)),
            ("unsupply reason as text", lambda: row.unsupply({line_id: 1}, "stok yok")),
            ("unsupply unknown reason", lambda: row.unsupply({line_id: 1}, 999)),
            ("unsupply reason as list", lambda: row.unsupply({line_id: 1}, [500])),
            ("unsupply nothing", lambda: row.unsupply({}, 500)),
            ("split groups as text", lambda: row.split("abc")),
            ("split group not a list", lambda: row.split([line_id])),
            ("split quantity text line", lambda: row.split([["x"]])),
            ("split line twice", lambda: row.split([[line_id], [line_id]])),
            ("split nothing", lambda: row.split([])),
            ("unsupply on no package", lambda: self.Inbound.browse().unsupply({line_id: 1}, 500)),
            ("action_retry unknown id", lambda: self.Inbound.browse(999999).action_retry()),
            ("action_reprocess unknown id", lambda: self.Inbound.browse(999999).action_reprocess()),
            ("action_get_label unknown id", lambda: self.Inbound.browse(999999).action_get_label()),
            (
                "action_retry_failed unknown run",
                lambda: self.sync_run.browse(999999).action_retry_failed(),
            ),
            (
                "action_send_waiting_invoices unknown carrier",
                lambda: self.carrier.browse(999999).action_send_waiting_invoices(),
            ),
        ]
        for label, call in cases:
            self.assert_refused(label, call)

    def test_claim_methods(self):
        claim, reason = self.claim, self.reason
        Claim, Reason = self.env["marketplace.claim"], self.env["marketplace.claim.reason"]
        self.assertEqual(claim.decision, "to_decide")
        cases = [
            ("reject reason id as text", lambda: claim.reject("neden", "Kullanılmış")),
            ("reject reason id as list", lambda: claim.reject([451], "Kullanılmış")),
            ("reject reason NaN", lambda: claim.reject(NAN, "Kullanılmış")),
            ("reject description as number", lambda: claim.reject(451, 12345)),
            ("reject description empty", lambda: claim.reject(451, "  ")),
            ("reject unknown items", lambda: claim.reject(451, "x", claim_item_refs=["nope"])),
            ("reject items as text", lambda: claim.reject(451, "x", claim_item_refs="abc")),
            ("reject unknown attachment", lambda: claim.reject(451, "x", attachment_ids=[999999])),
            ("reject attachments as text", lambda: claim.reject(451, "x", attachment_ids="a")),
            (
                "reject_with_evidence reason as text",
                lambda: Claim.reject_with_evidence(claim.ids, "neden", "Kullanılmış"),
            ),
            (
                "reject_with_evidence unknown reason",
                lambda: Claim.reject_with_evidence(claim.ids, 999999, "Kullanılmış"),
            ),
            (
                "reject_with_evidence claims as text",
                lambda: Claim.reject_with_evidence("abc", reason.id, "Kullanılmış"),
            ),
            (
                "reject_with_evidence unknown claim",
                lambda: Claim.reject_with_evidence([999999], reason.id, "Kullanılmış"),
            ),
            (
                "reject_with_evidence no claims",
                lambda: Claim.reject_with_evidence([], reason.id, "Kullanılmış"),
            ),
            (
                "reject_with_evidence 51 returns",
                lambda: Claim.reject_with_evidence([claim.id] * 51, reason.id, "Kullanılmış"),
            ),
            (
                "reject_with_evidence description as dict",
                lambda: Claim.reject_with_evidence(claim.ids, reason.id, {"a": 1}),
            ),
            ("approve items as number", lambda: claim.approve(12.5)),
            ("approve unknown items", lambda: claim.approve(["nope"])),
            ("approve unknown claim", lambda: Claim.browse(999999).approve()),
            ("approve no claim", lambda: Claim.browse().approve()),
            (
                "reject two claims at once",
                lambda: Claim.browse([claim.id, claim.id]).reject(451, "x"),
            ),
            ("refresh reasons text id", lambda: Reason.refresh_from_marketplace("abc")),
            ("refresh reasons unknown account", lambda: Reason.refresh_from_marketplace([999999])),
        ]
        for label, call in cases:
            self.assert_refused(label, call)

    def test_account_settings_bounds(self):
        for values in (
            {"fetch_overlap_minutes": -1},
            {"fetch_overlap_minutes": 10**6},
            {"initial_fetch_days": 0},
            {"initial_fetch_days": 3650},
            {"low_stock_threshold": -3},
        ):
            with self.subTest(values), self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.account.write(values)

    def test_an_old_cursor_catches_up_in_bounded_steps(self):
        """A cursor 200 days old: one run reads 90 days (7 windows of 14 days at most),
        moves the cursor there, and the next runs continue."""
        cursor = self.account._get_cursor("orders")
        now = datetime.utcnow()
        cursor.last_sync = now - timedelta(days=200)
        self.fake.reset()
        result = self.account.sync_orders()
        self.assertEqual(result["windows"], 7)
        self.assertLessEqual(
            len(self.fake.calls("orders.list")) + len(self.fake.calls("orders.stream")), 7 * 2
        )
        self.assertAlmostEqual(
            cursor.last_sync, now - timedelta(days=110, minutes=10), delta=timedelta(minutes=2)
        )

    def test_valid_calls_still_work(self):
        """The bounds leave room for real use: a 30-day re-read and a real unsupply."""
        now = datetime.utcnow().replace(microsecond=0)
        result = self.account.sync_orders(
            None,
            (now - timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S"),
            now.strftime("%Y-%m-%d %H:%M:%S"),
        )
        self.assertNotIn("error", result)
        self.assertEqual(result["windows"], 3)
        self.seed(self.package)
        line_id = str(self.package["lines"][0]["lineId"])
        self.assertTrue(self.row.unsupply({line_id: 1}, 500))
        self.assertEqual(len(self.fake.calls("package.unsupplied")), 1)


@tagged("post_install", "-at_install")
class TestBadPayloads(MarketplaceCase):
    """Packages with impossible numbers or our own VKN as buyer are quarantined."""

    def assert_quarantined(self, package, words):
        self.assertEqual(self.store(package), ["quarantined"])
        row = self.inbound(package) or self.Inbound.search(
            [("account_id", "=", self.account.id), ("external_key", "like", "invalid:%")],
            order="id desc",
            limit=1,
        )
        self.assertEqual(row.state, "error")
        self.assertIn(words, row.error_reason)
        self.process()
        self.assertFalse(self.orders(package))

    def test_non_finite_and_absurd_numbers(self):
        cases = [
            ("packageTotalPrice", INF, "not a finite number"),
            ("packageGrossAmount", NAN, "not a finite number"),
            ("packageTotalPrice", 1e15, "absurd packageTotalPrice"),
        ]
        for key, value, words in cases:
            with self.subTest(key=key, value=value):
                self.assert_quarantined(trendyol_package(**{key: value}), words)
        package = trendyol_package()
        package["lines"][0]["quantity"] = 10**9
        self.assert_quarantined(package, "absurd quantity")
        package = trendyol_package()
        package["lines"][0]["lineUnitPrice"] = NAN
        self.assert_quarantined(package, "not a finite number")

    def test_own_vkn_as_corporate_buyer(self):
        own = "".join(c for c in self.company.vat or "" if c.isdigit())
        self.assertTrue(own, "the demo company has a VKN")
        package = trendyol_package(commercial=True)
        package["invoiceAddress"]["taxNumber"] = own
        self.assert_quarantined(package, "seller's own VKN")

    def test_own_vkn_set_after_storing_is_caught_when_processing(self):
        """A row stored before the check (or re-read) is refused by the processing too."""
        package = trendyol_package(commercial=True)
        self.assertEqual(self.store(package), ["created"])
        row = self.inbound(package)
        payload = row._payload()
        payload["invoiceAddress"]["taxNumber"] = "".join(c for c in self.company.vat if c.isdigit())
        row.raw = json.dumps(payload)
        self.process()
        row = self.inbound(package)
        self.assertEqual(row.state, "error")
        self.assertIn("our own company", row.error_reason)
        self.assertFalse(self.orders(package))

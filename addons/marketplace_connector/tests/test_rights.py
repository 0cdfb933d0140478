"""Rights before the marketplace is called: every public method that calls out, tried by
every kind of user, is either refused before any request reaches the fake Trendyol, or
allowed (and then reaches it)."""

import itertools
from unittest.mock import patch

from lxml import etree

from odoo import Command
from odoo.addons.base.tests.common import new_test_user
from odoo.addons.l10n_tr_efatura.tests.common import refused_or_allowed
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MarketplaceCase, trendyol_package, with_status

MP_USER = "marketplace_connector.group_marketplace_user"
MP_MANAGER = "marketplace_connector.group_marketplace_manager"
USERS = {
    "portal": ["base.group_portal"],
    "salesperson": ["base.group_user", "sales_team.group_sale_salesman"],
    "sales_admin": ["base.group_user", "sales_team.group_sale_manager"],
    "billing": ["base.group_user", "account.group_account_invoice"],
    "accountant": ["base.group_user", "account.group_account_manager"],
    "inventory": ["base.group_user", "stock.group_stock_user"],
    "mp_user": ["base.group_user", MP_USER],
    "mp_manager": ["base.group_user", MP_MANAGER],
    # a Marketplaces manager who may also invoice and move stock: everything
    "mp_full": [
        "base.group_user",
        MP_MANAGER,
        "account.group_account_invoice",
        "stock.group_stock_user",
    ],
    "other_company": [
        "base.group_user",
        MP_MANAGER,
        "account.group_account_manager",
        "stock.group_stock_user",
    ],
}
METHODS = (
    "test_connection",
    "sync_orders",
    "sync_claims",
    "report_back",
    "push_stock_prices",
    "poll_push_results",
    "approve",
    "reject",
    "reject_with_evidence",
    "get_label",
    "unsupply",
    "split",
    "action_report_back",
    "refresh_reasons",
    "push_now",
)
# a Marketplaces user works the whole flow of the company's marketplace orders: fetching,
# the orders, deliveries and invoices (implied rights), returns with their credit notes
ALLOWED = {
    "mp_user": set(METHODS),
    "mp_manager": set(METHODS),
    "mp_full": set(METHODS),
}


@tagged("post_install", "-at_install")
class TestMarketplaceRights(MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env.ref("base.main_company")
        cls.account.user_id = False  # packages' orders belong to no salesperson
        cls.users = {}
        for key, groups in USERS.items():
            company = cls.other_company if key == "other_company" else cls.company
            cls.users[key] = new_test_user(
                cls.env,
                login=f"mp_rights_{key}",
                groups=",".join(groups),
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )
        cls.Claim = cls.env["marketplace.claim"]
        cls.Reason = cls.env["marketplace.claim.reason"]

    def _as(self, records, user):
        """``records`` as ``user`` would reach them over XML-RPC (all their companies)."""
        return records.with_user(user).with_context(allowed_company_ids=user.company_ids.ids)

    # ------------------------------------------------------------------ fixtures

    def _processed_row(self, user, status="Created", invoice=True, report=False):
        """A processed package whose order is ``user``'s own, reported back (Picking,
        Invoiced) when ``report``."""
        self.account.auto_invoice = invoice
        package = (
            with_status(trendyol_package(), status) if status != "Created" else trendyol_package()
        )
        self.store(package)
        self.account.with_context(marketplace_no_report_back=not report).process_pending()
        row = self.inbound(package)
        self.assertEqual(row.state, "processed", row.error_reason)
        if user._is_internal():
            row.sale_order_id.user_id = user
        return row, package

    def _claim(self, user):
        _row, package = self._processed_row(user, "Delivered")
        raw = self.fake.add_claim(
            package, line_index=0, claim_date=self.fake_module.now_ms() - 60000
        )
        self.account.sync_claims(self.account.id)
        claim = self.Claim.search([("claim_ref", "=", raw["id"])])
        self.assertEqual(claim.decision, "to_decide")
        return claim

    def _no_file_reason(self):
        self.Reason._ensure_reasons(self.account)
        return self.Reason.search(
            [("account_id", "=", self.account.id), ("marketplace_ref", "=", "451")]
        )

    def _fresh_listings(self):
        """Listings never pushed (a push sends them all), the tea one waiting for a batch."""
        self.account.push_request_log = False
        self.account.listing_ids.write({"last_sent_at": False, "push_state": "never"})
        listing = self.env.ref("marketplace_connector.listing_tea_500")
        listing.write({"push_state": "pending", "last_batch_id": "rights-batch"})
        return listing

    def _prepare(self, method, user):
        """Build the records of ``method`` as superuser (this may call the fake); return
        the call of ``method`` by ``user``."""
        account = self._as(self.account, user)
        if method in (
            "test_connection",
            "sync_orders",
            "sync_claims",
            "report_back",
            "push_stock_prices",
        ):
            self.seed(trendyol_package())
            if method == "report_back":
                self._processed_row(user)
            if method == "push_stock_prices":
                self._fresh_listings()
            return {
                "test_connection": account.action_test_connection,
                "sync_orders": lambda: account.sync_orders(account_id=self.account.id),
                "sync_claims": lambda: account.sync_claims(self.account.id),
                "report_back": account.report_back,
                "push_stock_prices": account.push_stock_prices,
            }[method]
        if method in ("poll_push_results", "push_now"):
            listing = self._as(self._fresh_listings(), user)
            return (
                account.poll_push_results
                if method == "poll_push_results"
                else listing.action_push_now
            )
        if method in ("approve", "reject", "reject_with_evidence"):
            claim = self._claim(user)
            reason = self._no_file_reason()
            mine = self._as(claim, user)
            return {
                "approve": mine.approve,
                "reject": lambda: mine.reject(451, "Ürün kullanılmış"),
                "reject_with_evidence": lambda: self._as(self.Claim, user).reject_with_evidence(
                    claim.ids, reason.id, "Ürün kullanılmış"
                ),
            }[method]
        if method == "refresh_reasons":
            return lambda: self._as(self.Reason, user).refresh_from_marketplace(self.account.ids)
        row, package = self._processed_row(
            user, invoice=method not in ("unsupply", "split"), report=method == "get_label"
        )
        row = self._as(row, user)
        first_line = package["lines"][0]["lineId"]
        return {
            "get_label": row.action_get_label,
            "unsupply": lambda: row.unsupply({str(first_line): 1}, 500),
            "split": lambda: row.split([[first_line]]),
            "action_report_back": row.action_report_back,
        }[method]

    # ------------------------------------------------------------------ matrix

    def test_rights_matrix(self):
        """10 kinds of user × 15 methods that call the marketplace: refused before any
        request reaches it, or allowed and reaching it."""
        outcomes = {}
        for (key, user), method in itertools.product(self.users.items(), METHODS):
            with self.subTest(user=key, method=method):
                self.fake.reset()
                outcomes[key, method] = refused_or_allowed(
                    self,
                    self._prepare(method, user),
                    method in ALLOWED.get(key, ()),
                    self.fake.requests,
                    "marketplace",
                )
        allowed = sum(len(methods) for methods in ALLOWED.values())
        self.assertEqual(list(outcomes.values()).count("allowed"), allowed)
        self.assertEqual(
            list(outcomes.values()).count("refused"), len(USERS) * len(METHODS) - allowed
        )

    def test_approval_refused_when_the_credit_note_cannot_follow(self):
        """A user who may not create invoices cannot approve a return on the marketplace:
        nothing is sent, the claim stays to decide."""
        claim = self._claim(self.users["mp_full"])
        before = len(self.fake.requests)
        Move = type(self.env["account.move"])
        check_access = Move.check_access

        def no_invoice_creation(records, operation):
            if operation == "create":
                raise AccessError("no invoices")
            return check_access(records, operation)

        with (
            self.assertRaises(AccessError),
            mute_logger("odoo.models"),
            patch.object(Move, "check_access", no_invoice_creation),
        ):
            self._as(claim, self.users["mp_user"]).approve()
        self.assertFalse(self.fake.calls("claims.approve"))
        self.assertEqual(len(self.fake.requests), before)
        self.assertEqual(claim.decision, "to_decide")
        result = self._as(claim, self.users["mp_user"]).approve()
        self.assertEqual(claim.decision, "approved")
        self.assertTrue(result["credit_note_id"])
        self.assertTrue(result["return_picking_id"])

    def test_carrier_send_waiting_invoices_needs_invoice_rights(self):
        carrier = self.env.ref("marketplace_connector.carrier_trendyol_trendyol_express")
        row, _package = self._processed_row(self.users["mp_full"])
        invoice = row.invoice_id
        invoice.l10n_tr_send()  # held back: the carrier has no VKN yet
        self.assertEqual(invoice.l10n_tr_edoc_raw_code, "NO_CARRIER_VKN")
        carrier.vat = "9870012347"
        # their own invoice, which they may read but not send
        for key in ("salesperson", "inventory"):
            invoice.invoice_user_id = self.users[key]
            with (
                self.subTest(user=key),
                self.assertRaises(AccessError),
                mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"),
            ):
                self._as(carrier, self.users[key]).action_send_waiting_invoices()
            self.assertEqual(invoice.l10n_tr_edoc_raw_code, "NO_CARRIER_VKN")
        # another company's user does not even see it
        self.assertEqual(
            self._as(carrier, self.users["other_company"]).action_send_waiting_invoices(), []
        )
        self.assertEqual(invoice.l10n_tr_edoc_raw_code, "NO_CARRIER_VKN")
        summary = self._as(carrier, self.users["mp_user"]).action_send_waiting_invoices()
        self.assertEqual(summary[0]["id"], invoice.id)
        self.assertNotEqual(invoice.l10n_tr_edoc_raw_code, "NO_CARRIER_VKN")

    def test_roles_work_the_flow_of_orders_created_by_others(self):
        """Orders made by the sync (OdooBot, no salesperson): a Marketplaces user opens the
        order, its delivery and invoice; a Billing user sends the invoice's e-document."""
        row, _package = self._processed_row(self.env.ref("base.public_user"))
        order, invoice = row.sale_order_id, row.invoice_id
        mp_user = self.users["mp_user"]
        self.assertNotEqual(order.user_id, mp_user)
        self.assertTrue(mp_user.has_group("stock.group_stock_user"))
        self.assertTrue(mp_user.has_group("account.group_account_invoice"))
        for records in (row, order, order.picking_ids, invoice, order.order_line):
            self._as(records, mp_user).check_access("write")
        self.assertEqual(self._as(order, mp_user).picking_ids.state, "assigned")
        self.assertEqual(self._as(invoice, mp_user).marketplace_order_number, row.order_number)
        # the Billing user never reads the account's secrets (with the customer master card it
        # reads the account's name for the profitability report) ...
        billing = self.users["billing"]
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self._as(self.account, billing).read(["api_key", "api_secret"])
        # ... and sends the invoice: held for the carrier VKN, then sent once it is filled
        self.assertEqual(self._as(invoice, billing).l10n_tr_send()[0]["code"], "NO_CARRIER_VKN")
        self.assertTrue(invoice.marketplace_carrier_id.activity_ids)
        invoice.marketplace_carrier_id.vat = "9870012347"
        result = self._as(invoice, billing).l10n_tr_send()[0]
        self.assertNotEqual(result["code"], "NO_CARRIER_VKN")
        self.assertEqual(invoice.l10n_tr_carrier_vat, "9870012347")
        # but may not fetch or report to the marketplace
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self._as(self.account, billing).report_back()

    # ------------------------------------------------------------------ cache, routing

    def test_credentials_read_leaves_no_record_in_the_cache(self):
        """After the superuser built the client (credentials read), a user of another
        company still cannot read the account."""
        other = self.users["other_company"]
        self.env.invalidate_all()
        self.account.sudo()._adapter()
        for field in ("supplier_id", "environment", "sandbox_url", "name"):
            with (
                self.subTest(field=field),
                self.assertRaises(AccessError),
                mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"),
            ):
                self._as(self.account, other)[field]  # noqa: B018 - the read is the test
        credentials = self.account._credentials()
        self.assertEqual(
            (credentials["base_url"], credentials["api_key"]),
            (self.fake.url.rstrip("/"), self.fake.api_key),
        )

    def test_only_settings_admins_decide_where_credentials_go(self):
        manager = self.users["mp_manager"]
        account = self._as(self.account, manager)
        for values in ({"sandbox_url": "http://127.0.0.1:9/steal"}, {"environment": "stage"}):
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(AccessError, "Settings administrator"),
            ):
                account.write(values)
        with self.assertRaisesRegex(AccessError, "Settings administrator"):
            self._as(self.env["marketplace.account"], manager).create(
                {
                    "name": "Kendi sunucum",
                    "environment": "sandbox",
                    "sandbox_url": "http://127.0.0.1:9/steal",
                    "supplier_id": "999",
                }
            )
        self.assertEqual(self.account.sandbox_url, self.fake.url)
        self.assertEqual(self.account.environment, "sandbox")
        account.write({"fetch_overlap_minutes": 15})
        self.assertEqual(self.account.fetch_overlap_minutes, 15)
        # the form shows both fields read-only to him, editable to a Settings administrator
        admin = new_test_user(
            self.env,
            login="mp_rights_system",
            groups=f"base.group_system,{MP_MANAGER}",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        for user, readonly in ((manager, True), (admin, False)):
            arch = self._as(self.env["marketplace.account"], user).get_views([(False, "form")])[
                "views"
            ]["form"]["arch"]
            for name in ("environment", "sandbox_url"):
                nodes = etree.fromstring(arch).xpath(f"//field[@name='{name}']")
                self.assertEqual(len(nodes), 1, (user.login, name))
                self.assertEqual(
                    nodes[0].get("readonly") in ("1", "True"), readonly, (user.login, name)
                )
        self._as(self.account, admin).write({"sandbox_url": self.fake.url + "/"})
        self.assertEqual(self.account.sandbox_url, self.fake.url + "/")

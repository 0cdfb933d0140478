import json
from collections import Counter
from datetime import timedelta
from unittest.mock import patch

import psycopg2

from odoo import fields, sql_db
from odoo.tests import tagged

from .common import MarketplaceCase, trendyol_package

ATTEMPTS = 3  # lib.trendyol.WINDOW_READ_ATTEMPTS


@tagged("post_install", "-at_install")
class TestFetchFaults(MarketplaceCase):
    """A hostile proxy between Odoo and the marketplace: after the faults stop and one
    normal run, no package is missing and none is stored twice."""

    def orders_cursor(self):
        return self.account.cursor_ids.filtered(lambda c: c.kind == "orders")

    def assert_all_stored_once(self):
        keys = Counter(
            self.Inbound.search([("account_id", "=", self.account.id)]).mapped("package_id")
        )
        remote = {str(package_id) for package_id in self.fake.packages}
        self.assertEqual(remote - set(keys), set(), "missing packages")
        self.assertEqual([key for key, count in keys.items() if count > 1], [], "duplicates")
        self.assertEqual(len(keys), len(remote))

    def seed_many(self, count=250):
        # 250 packages over the last hours: two pages of 200
        return self.fake.seed_orders(count, spacing_ms=20000)

    def test_odd_200_bodies_keep_the_window_for_the_next_run(self):
        self.seed_many()
        for body in ({}, {"content": []}, []):
            self.fake.add_fault(
                "odd_body", endpoint="orders.list", page=1, body=body, count=ATTEMPTS
            )
            result = self.account.sync_orders()
            self.assertIn("pages not read consistently", result.get("error", ""), result)
            self.assertFalse(self.orders_cursor().last_sync, "the window is read again")
            # what page 0 held is stored anyway
            self.assertEqual(result["fetched"], 200, result)
        run = self.env["marketplace.sync.run"].search(
            [("account_id", "=", self.account.id), ("kind", "=", "fetch")], limit=1
        )
        self.assertEqual(run.state, "failed")
        result = self.account.sync_orders()
        self.assertNotIn("error", result)
        self.assertTrue(self.orders_cursor().last_sync)
        self.assert_all_stored_once()

    def test_an_odd_page_once_costs_nothing(self):
        self.seed_many()
        self.fake.add_fault("odd_body", endpoint="orders.list", page=1, body={})
        result = self.account.sync_orders()
        self.assertNotIn("error", result)
        self.assert_all_stored_once()

    def test_429_and_5xx_on_a_page_keep_the_window_for_the_next_run(self):
        self.seed_many()
        self.fake.add_fault(
            "server_error", endpoint="orders.list", page=1, status=503, retry_after=0, count=5
        )
        result = self.account.sync_orders()
        self.assertIn("error", result)
        self.assertFalse(self.orders_cursor().last_sync)
        self.fake.add_fault("rate_limit", endpoint="orders.list", page=1, retry_after=0, count=5)
        result = self.account.sync_orders()
        self.assertIn("error", result)
        self.assertFalse(self.orders_cursor().last_sync)
        self.assertNotIn("error", self.account.sync_orders())
        self.assert_all_stored_once()

    def test_packages_moving_between_pages_are_not_lost(self):
        self.seed_many()
        # status changes push 3 packages of page 0 to the end, 2 back-dated ones appear
        self.fake.add_fault("shift", endpoint="orders.list", page=1, move=3, backdate=2)
        first = self.account.sync_orders()
        self.assertNotIn("error", first)
        self.fake.add_fault("shift", endpoint="orders.list", page=1, move=2, stay=True)
        self.account.sync_orders(
            self.account.id,
            fields.Datetime.to_string(fields.Datetime.now() - timedelta(days=1)),
            fields.Datetime.to_string(fields.Datetime.now() + timedelta(minutes=5)),
        )
        # one normal run afterwards
        self.assertNotIn("error", self.account.sync_orders())
        self.assert_all_stored_once()

    def test_pages_that_never_settle_keep_the_cursor(self):
        self.seed_many()
        self.fake.add_fault("shift", endpoint="orders.list", page=1, backdate=1, count=ATTEMPTS)
        result = self.account.sync_orders()
        self.assertIn("error", result)
        self.assertFalse(self.orders_cursor().last_sync)
        self.assertNotIn("error", self.account.sync_orders())
        self.assert_all_stored_once()


@tagged("post_install", "-at_install")
class TestConcurrentRuns(MarketplaceCase):
    """A second worker at the same time: it skips cleanly, nothing ends in error."""

    def other_transaction(self):
        cursor = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(cursor.close)
        self.addCleanup(cursor.rollback)
        return cursor

    def hold_fetch_lock(self, cursor, kind="fetch"):
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(hashtext(%s))",
            [f"marketplace-sync:{self.account.id}:{kind}"],
        )
        self.assertTrue(cursor.fetchone()[0])

    def test_second_sync_skips_while_the_first_runs(self):
        self.fake.seed_orders(3)
        other = self.other_transaction()
        self.hold_fetch_lock(other)
        runs = self.env["marketplace.sync.run"].search_count([])
        result = self.account.sync_orders()
        self.assertEqual((result["skipped"], result["fetched"]), (1, 0), result)
        self.assertIn("another fetch", result["message"])
        self.assertNotIn("error", result)
        self.assertEqual(self.env["marketplace.sync.run"].search_count([]), runs)
        self.assertEqual(len(self.fake.calls("orders.list")), 0, "no request left")
        other.rollback()  # the first run ends
        result = self.account.sync_orders()
        self.assertEqual((result["skipped"], result["created"]), (0, 3), result)

    def test_stale_running_runs_are_marked(self):
        Run = self.env["marketplace.sync.run"]
        old = Run._start(self.account, "process")
        old.date_start = fields.Datetime.now() - timedelta(hours=2)
        recent_process = Run._start(self.account, "process")
        killed = Run._start(self.account, "sweep")
        alive = Run._start(self.account, "fetch")
        other = self.other_transaction()
        self.hold_fetch_lock(other, "fetch")  # the fetch is still running elsewhere
        self.assertEqual(Run._mark_stale_runs(), old | killed)
        self.assertEqual((old.state, killed.state), ("failed", "failed"))
        self.assertIn("Stopped without finishing", killed.error)
        self.assertEqual((alive.state, recent_process.state), ("running", "running"))

    def test_transient_database_errors_leave_rows_pending(self):
        packages = [self.fake.add_package() for _i in range(3)]
        self.account.sync_orders()
        Inbound = type(self.Inbound)
        original = Inbound._process_one
        failing = {self.inbound(packages[0]).id}

        def process_one(row):
            if row.id in failing:
                failing.discard(row.id)
                raise psycopg2.errors.SerializationFailure("could not serialize access")
            return original(row)

        with patch.object(Inbound, "_process_one", process_one):
            result = self.process()
        self.assertEqual(result, {"processed": 2, "failed": 0, "remaining": 1})
        row = self.inbound(packages[0])
        self.assertEqual(row.state, "new")
        self.assertIn("SerializationFailure", row.error_reason)
        self.assertEqual(self.process(), {"processed": 1, "failed": 0, "remaining": 0})
        self.assertEqual(row.state, "processed")

    def test_edocuments_leave_only_after_their_batch_is_committed(self):
        self.account.auto_send_edocument = True
        events = []
        Move = type(self.env["account.move"])

        def send(moves, commit=False):
            events.append(("send", moves.l10n_tr_gib_number, moves.l10n_tr_edoc_state))

        with (
            patch.object(type(self.Inbound), "_commit_batch", lambda rows: events.append("commit")),
            patch.object(Move, "_marketplace_send_edocument", send),
        ):
            self.store(trendyol_package(), trendyol_package())
            self.process(batch_size=50)
        self.assertEqual(events[0], "commit", "numbered invoices are committed first")
        self.assertEqual(len(events), 3, events)
        self.assertTrue(all(event[1] and event[2] == "to_send" for event in events[1:]))

    def test_rows_in_error_from_a_transient_cause_are_retried(self):
        package = self.fake.add_package()
        self.account.sync_orders()
        row = self.inbound(package)
        row.write(
            {
                "state": "error",
                "retry_count": 1,
                "error_reason": "SerializationFailure: could not serialize access due to "
                "concurrent update",
            }
        )
        self.assertEqual(self.process()["processed"], 1)
        self.assertEqual(row.state, "processed")


@tagged("post_install", "-at_install")
class TestPushFaults(MarketplaceCase):
    """Stock/price batches whose result never arrives are sent again."""

    def setUp(self):
        super().setUp()
        self.listings = self.env["marketplace.listing"].search(
            [("account_id", "=", self.account.id), ("product_id", "!=", False)]
        )
        for listing in self.listings:
            self.fake.add_product(listing.barcode)

    def let_time_pass(self, minutes):
        """``minutes`` later: the listings' last push and the 15-minute request log age."""
        earlier = fields.Datetime.now() - timedelta(minutes=minutes)
        self.listings.write({"last_sent_at": earlier})
        log = json.loads(self.account.sudo().push_request_log or "{}")
        self.account.sudo().push_request_log = json.dumps(
            dict.fromkeys(log, fields.Datetime.to_string(earlier))
        )
        self.fake.inventory_bodies.clear()

    def test_lost_batch_expires_and_is_sent_again(self):
        self.fake.add_fault("lost_batch", endpoint="inventory.update")
        first = self.account.push_stock_prices()
        count = len(self.listings)
        self.assertEqual((first["sent"], first["succeeded"]), (count, 0), first)
        self.assertEqual(set(self.listings.mapped("push_state")), {"pending"})
        # still within the deadline: waiting, not resent
        second = self.account.push_stock_prices()
        self.assertEqual(second["sent"], 0, second)
        self.let_time_pass(31)
        third = self.account.push_stock_prices()
        self.assertEqual(
            (third["failed"], third["sent"], third["succeeded"]), (count, count, count), third
        )
        self.assertEqual(set(self.listings.mapped("push_state")), {"done"})
        for listing in self.listings:
            remote = self.fake.products[listing.barcode]
            self.assertEqual(remote["quantity"], int(listing.qty_available_to_push))
            self.assertEqual(remote["salePrice"], listing.last_sent_price)

    def test_failed_push_reports_the_error(self):
        self.fake.add_fault(
            "http_error",
            endpoint="inventory.update",
            status=400,
            body={"errors": [{"message": "Geçersiz istek"}]},
        )
        result = self.account.push_stock_prices()
        self.assertIn("Geçersiz istek", result.get("error", ""), result)
        self.assertEqual(result["sent"], 0)

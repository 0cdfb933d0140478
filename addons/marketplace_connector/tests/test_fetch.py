from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import MarketplaceCase, trendyol_package


@tagged("post_install", "-at_install")
class TestFetchOverHttp(MarketplaceCase):
    """The connector against the fake Trendyol on 127.0.0.1 (real HTTP, real client)."""

    def orders_cursor(self):
        return self.account.cursor_ids.filtered(lambda c: c.kind == "orders")

    def test_full_flow_fetch_to_posted_invoice_and_status_updates(self):
        individual = trendyol_package()
        corporate = trendyol_package(commercial=True, customer_id=777)
        self.seed(individual, corporate)
        counters = self.account.sync_now()
        self.assertEqual(
            (counters["created"], counters["processed"], counters["failed"]), (2, 2, 0), counters
        )
        self.assertTrue(self.orders_cursor().last_sync)
        for package in (individual, corporate):
            row = self.inbound(package)
            self.assertEqual(row.state, "processed", row.error_reason)
            self.assertEqual(row.sale_order_id.state, "sale")
            invoice = row.invoice_id
            self.assertEqual(invoice.state, "posted")
            self.assertFalse(row.backchannel_error)
            self.assertTrue(row.picking_reported)
            remote = self.fake.packages[package["shipmentPackageId"]]
            if "l10n_tr_edoc_state" in invoice._fields:
                # the GİB number goes out once GİB accepted the e-document
                self.assertEqual(remote["status"], "Picking")
                self.assertFalse(row.invoiced_reported)
            if "l10n_tr_is_internet_sale" in invoice._fields:
                self.assertTrue(invoice.l10n_tr_is_internet_sale)
                self.assertEqual(invoice.l10n_tr_payment_method, "ODEMEARACISI")
                self.assertEqual(invoice.l10n_tr_carrier_name, "Trendyol Express")
                self.assertTrue(invoice.l10n_tr_tracking_number)
                self.assertEqual(invoice.l10n_tr_tracking_number, row.tracking_number)
        self.assertTrue(self.inbound(corporate).partner_id.is_company)
        # the e-document is accepted: the PDF goes back once, a repeat counts as done
        invoice = self.inbound(individual).invoice_id
        if "l10n_tr_edoc_state" in invoice._fields:
            self.assertNotIn(individual["shipmentPackageId"], self.fake.invoices)
            (invoice | self.inbound(corporate).invoice_id).l10n_tr_edoc_state = "accepted"
        result = self.account.report_back()
        self.assertEqual(result["invoices_sent"], 2, result)
        for package in (individual, corporate):
            row = self.inbound(package)
            self.assertTrue(row.invoiced_reported)
            remote = self.fake.packages[package["shipmentPackageId"]]
            self.assertEqual(remote["status"], "Invoiced")
            self.assertEqual(remote["invoiceNumber"], row.invoice_id._marketplace_invoice_number())
        sent = self.fake.invoices[individual["shipmentPackageId"]]
        self.assertEqual(
            (sent["kind"], sent["number"]), ("file", invoice._marketplace_invoice_number())
        )
        self.assertEqual(self.account.report_back()["invoices_sent"], 0)
        repeat = self.account._adapter().send_invoice_file(
            self.inbound(individual)._normalized(), b"%PDF-1.4", sent["number"], None
        )
        self.assertTrue(repeat["done"] and repeat["repeat"])
        # the carrier took the parcel: the next fetch validates the delivery
        self.fake.set_status(individual["shipmentPackageId"], "Shipped")
        counters = self.account.sync_now()
        # both changed remotely: one Shipped, the other one Invoiced by our own report
        self.assertEqual((counters["updated"], counters["created"]), (2, 0), counters)
        order = self.inbound(individual).sale_order_id
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(len(order.invoice_ids), 1)
        run = self.env["marketplace.sync.run"].search(
            [("account_id", "=", self.account.id), ("kind", "=", "fetch")], limit=1
        )
        self.assertEqual(run.state, "done")

    def test_same_window_fetched_twice(self):
        packages = [trendyol_package() for _i in range(3)]
        self.seed(*packages)
        end = fields.Datetime.now() + timedelta(minutes=5)
        start = end - timedelta(days=2)
        window = (fields.Datetime.to_string(start), fields.Datetime.to_string(end))
        first = self.account.sync_orders(self.account.id, *window)
        second = self.account.sync_orders(self.account.id, *window)
        self.assertEqual((first["created"], first["fetched"]), (3, 3), first)
        self.assertEqual((second["created"], second["unchanged"]), (0, 3), second)
        self.process()
        self.process()
        for package in packages:
            self.assertEqual(len(self.orders(package)), 1)
            self.assertEqual(len(self.orders(package).invoice_ids), 1)
        # a forced window does not move the cursor
        self.assertFalse(self.orders_cursor().last_sync)

    def test_failed_fetch_keeps_cursor_and_is_logged(self):
        self.seed(trendyol_package())
        self.account.sync_orders()
        cursor = self.orders_cursor().last_sync
        self.assertTrue(cursor)
        self.fake.add_fault("auth", endpoint="orders.list")
        result = self.account.sync_orders()
        self.assertIn("error", result)
        self.assertEqual(self.orders_cursor().last_sync, cursor, "cursor not moved")
        run = self.env["marketplace.sync.run"].search(
            [("account_id", "=", self.account.id), ("kind", "=", "fetch")], limit=1
        )
        self.assertEqual(run.state, "failed")
        self.assertTrue(run.error)
        # a 429 with Retry-After is retried by the client and the fetch completes
        self.fake.add_fault("rate_limit", endpoint="orders.list", retry_after=1)
        late = trendyol_package()
        self.seed(late)
        result = self.account.sync_orders()
        self.assertNotIn("error", result)
        self.assertEqual(result["created"], 1)
        self.assertTrue(self.inbound(late))

    def test_malformed_json_answer_fails_the_run_not_the_data(self):
        self.fake.add_fault("malformed", endpoint="orders.list", count=10)
        result = self.account.sync_orders()
        self.assertIn("error", result)
        self.assertFalse(self.orders_cursor().last_sync)

from unittest.mock import patch

from odoo.tests import tagged

from .common import MarketplaceCase, trendyol_package, with_status


class Crash(BaseException):
    """Stands for a worker killed in the middle of a batch (not caught per package)."""


@tagged("post_install", "-at_install")
class TestProcessing(MarketplaceCase):
    def test_package_to_sale_order_delivery_invoice(self):
        package = trendyol_package()
        self.assertEqual(self.store(package), ["created"])
        result = self.process()
        self.assertEqual(result, {"processed": 1, "failed": 0, "remaining": 0})
        row = self.inbound(package)
        self.assertEqual(row.state, "processed", row.error_reason)
        order = row.sale_order_id
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.client_order_ref, package["orderNumber"])
        self.assertEqual(order.warehouse_id, self.account.warehouse_id)
        lines = order.order_line.sorted("marketplace_line_id")
        self.assertEqual(len(lines), 2)
        tshirt = lines.filtered(lambda line: line.product_id.barcode == "8691234567890")
        self.assertEqual(tshirt.product_uom_qty, 2)
        # 2 × 749.90 with 150.00 seller discount = 1349.80, VAT 10 % included
        self.assertAlmostEqual(tshirt.price_total, 1349.80, places=2)
        self.assertAlmostEqual(tshirt.price_subtotal, 1227.09, places=2)
        self.assertAlmostEqual(tshirt.marketplace_seller_discount, 150.0)
        self.assertEqual(tshirt.tax_id.amount, 10)
        self.assertTrue(tshirt.tax_id.price_include)
        mug = lines - tshirt
        self.assertEqual(mug.tax_id.amount, 20)
        self.assertAlmostEqual(order.amount_total, 1499.30, places=2)
        # individual buyer with the placeholder TCKN: no VAT; the invoice and delivery
        # addresses are the buyer's own, so the buyer itself (no "Ayşe Yılmaz, Ayşe Yılmaz")
        partner = order.partner_id
        self.assertFalse(partner.is_company)
        self.assertFalse(partner.vat)
        self.assertEqual(order.partner_invoice_id, partner)
        self.assertEqual(order.partner_shipping_id, partner)
        self.assertFalse(partner.child_ids)
        # Created: not shipped yet, invoice posted with the internet-sale data
        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(picking.marketplace_package_id, str(package["shipmentPackageId"]))
        invoice = row.invoice_id
        self.assertEqual(invoice.state, "posted")
        self.assertAlmostEqual(invoice.amount_total, 1499.30, places=2)
        self.assertEqual(invoice.marketplace_account_id, self.account)
        if "l10n_tr_is_internet_sale" in invoice._fields:
            self.assertTrue(invoice.l10n_tr_is_internet_sale)
            self.assertEqual(invoice.l10n_tr_sale_website, "www.trendyol.com")
            self.assertEqual(invoice.l10n_tr_payment_method, "ODEMEARACISI")
            self.assertTrue(invoice.l10n_tr_carrier_name)
        # the carrier picks it up: the next status validates the delivery
        shipped = with_status(package, "Shipped")
        self.assertEqual(self.store(shipped), ["updated"])
        self.assertEqual(self.store(shipped), ["unchanged"])
        self.process()
        self.assertEqual(row.state, "processed")
        self.assertEqual(picking.state, "done")
        self.assertEqual(tshirt.qty_delivered, 2)
        self.assertEqual(len(order.invoice_ids), 1, "no second invoice")

    def test_same_package_twice_and_two_runs(self):
        package = trendyol_package()
        self.assertEqual(self.store(package, package), ["created", "unchanged"])
        self.process()
        self.assertEqual(self.process(), {"processed": 0, "failed": 0, "remaining": 0})
        # re-processing the stored package changes nothing
        self.inbound(package).action_reprocess()
        order = self.orders(package)
        self.assertEqual(len(order), 1)
        self.assertEqual(len(order.order_line), 2)
        self.assertEqual(len(order.invoice_ids), 1)
        self.assertEqual(
            self.Inbound.search_count([("order_number", "=", package["orderNumber"])]), 1
        )

    def test_malformed_package_quarantined_others_processed(self):
        good = trendyol_package()
        bad = trendyol_package()
        del bad["lines"]
        broken = trendyol_package(
            lines=[{"barcode": "8691234567890", "quantity": 1, "gross": 100.0, "vat": 33}]
        )
        self.assertEqual(self.store(good, bad, broken), ["created", "quarantined", "created"])
        result = self.process()
        self.assertEqual(result["processed"], 1)
        self.assertEqual(result["failed"], 1)
        bad_row = self.Inbound.search([("order_number", "=", bad["orderNumber"])])
        self.assertEqual(bad_row.state, "error")
        self.assertIn("lines", bad_row.error_reason)
        broken_row = self.inbound(broken)
        self.assertEqual(broken_row.state, "error")
        self.assertIn("33", broken_row.error_reason)
        self.assertFalse(self.orders(broken), "the failed package left nothing behind")
        self.assertEqual(self.inbound(good).state, "processed")
        run = self.env["marketplace.sync.run"].search(
            [("account_id", "=", self.account.id), ("kind", "=", "process")], limit=1
        )
        self.assertEqual((run.processed, run.failed, run.state), (1, 1, "partial"))
        # the cause is fixed (a 33 % KDV appears): Retry failed processes it, once
        tax_20 = self.env["account.tax"].search(
            [
                ("company_id", "=", self.company.id),
                ("type_tax_use", "=", "sale"),
                ("amount", "=", 20),
                ("amount_type", "=", "percent"),
            ],
            limit=1,
        )
        tax_20.copy({"name": "KDV 33 (test)", "amount": 33})
        result = run.action_retry_failed()
        self.assertEqual(result["processed"], 1)
        self.assertEqual(broken_row.state, "processed")
        self.assertEqual(bad_row.state, "error", "still malformed")
        self.assertEqual(len(self.orders(broken)), 1)

    def test_payment_journal_registers_payment(self):
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "bank")], limit=1
        )
        self.account.payment_journal_id = journal
        package = trendyol_package()
        self.store(package)
        self.process()
        invoice = self.inbound(package).invoice_id
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_crash_in_the_middle_of_a_batch(self):
        packages = [trendyol_package() for _i in range(5)]
        self.store(*packages)
        original = type(self.Inbound)._process_one
        calls = {"count": 0}

        def crashing(inbound):
            calls["count"] += 1
            if calls["count"] == 4:
                raise Crash()
            return original(inbound)

        # (not assertRaises: Odoo's version rolls the whole block back, a real crash does not
        # undo the batches committed before it)
        crashed = False
        with patch.object(type(self.Inbound), "_process_one", crashing):
            try:
                self.process(batch_size=2)
            except Crash:
                crashed = True
        self.assertTrue(crashed)
        states = [self.inbound(p).state for p in packages]
        self.assertEqual(states.count("processed"), 3)
        self.assertEqual(states.count("new"), 2)
        self.process()
        for package in packages:
            self.assertEqual(self.inbound(package).state, "processed")
            order = self.orders(package)
            self.assertEqual(len(order), 1)
            self.assertEqual(len(order.invoice_ids), 1)
        partners = self.orders(packages[0]).partner_id
        self.assertEqual(len(partners), 1)
        buyers = self.env["res.partner"].search(
            [("marketplace_customer_ref", "=", "trendyol:512344871")]
        )
        self.assertEqual(len(buyers), 1, "same buyer on five orders: one partner")

    def test_split_packages_of_one_order_one_sale_order(self):
        order_number = "10459990001"
        first = trendyol_package(
            order_number=order_number,
            lines=[
                {
                    "barcode": "8691234567890",
                    "quantity": 1,
                    "gross": 349.90,
                    "vat": 10,
                    "line_id": 91001,
                }
            ],
        )
        second = trendyol_package(
            order_number=order_number,
            lines=[
                {
                    "barcode": "8691234567892",
                    "quantity": 1,
                    "gross": 899.00,
                    "vat": 10,
                    "line_id": 91002,
                }
            ],
        )
        self.store(first, second)
        self.process()
        orders = self.orders(first)
        self.assertEqual(len(orders), 1)
        self.assertEqual(
            sorted(orders.order_line.mapped("marketplace_line_id")), ["91001", "91002"]
        )
        # a new package id for the same lines (re-created package) is the same inbound row
        moved = dict(
            first,
            shipmentPackageId=first["shipmentPackageId"] + 77,
            lastModifiedDate=first["lastModifiedDate"] + 1000,
        )
        self.assertEqual(self.store(moved), ["updated"])
        self.process()
        self.assertEqual(len(self.orders(first).order_line), 2)
        # only the shipped package's line leaves the warehouse; the other one waits
        self.store(with_status(moved, "Shipped"))
        self.process()
        by_line = {line.marketplace_line_id: line for line in orders.order_line}
        self.assertEqual(by_line["91001"].qty_delivered, 1)
        self.assertEqual(by_line["91002"].qty_delivered, 0)
        done = orders.picking_ids.filtered(lambda p: p.state == "done")
        waiting = orders.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self.assertEqual(done.move_ids.sale_line_id, by_line["91001"])
        self.assertEqual(waiting.move_ids.sale_line_id, by_line["91002"])

    def test_corporate_buyer_matched_without_duplicates(self):
        one = trendyol_package(commercial=True, customer_id=1)
        two = trendyol_package(commercial=True, customer_id=2)
        self.store(one, two)
        self.process()
        first, second = self.orders(one), self.orders(two)
        self.assertEqual(first.partner_id, second.partner_id)
        company = first.partner_id
        self.assertTrue(company.is_company)
        self.assertEqual(company.name, "Örnek Teknoloji A.Ş.")
        self.assertIn("1234567890", company.vat or company.comment or "")
        if "l10n_tr_tax_office" in company._fields:
            self.assertEqual(company.l10n_tr_tax_office, "Zincirlikuyu")
            self.assertTrue(company.l10n_tr_is_efatura_user)
        self.assertEqual(
            first.partner_invoice_id, second.partner_invoice_id, "same invoice address reused"
        )

    def test_person_buyer_not_duplicated_a_different_delivery_address_is_a_child(self):
        first = trendyol_package(customer_id=77)
        second = trendyol_package(customer_id=77)
        second["shipmentAddress"].update(
            address1="Atatürk Cad. No:5", district="Kadıköy", postalCode="34710"
        )
        self.store(first, second)
        self.process()
        one, two = self.orders(first), self.orders(second)
        buyer = one.partner_id
        self.assertEqual(two.partner_id, buyer)
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("name", "=", "Ayşe Yılmaz"), ("marketplace_customer_ref", "=", "trendyol:77")]
            ),
            1,
        )
        self.assertEqual((one.partner_invoice_id, one.partner_shipping_id), (buyer, buyer))
        self.assertEqual(two.partner_invoice_id, buyer)
        delivery = two.partner_shipping_id
        self.assertEqual((delivery.parent_id, delivery.type), (buyer, "delivery"))
        self.assertEqual(delivery.street, "Atatürk Cad. No:5")
        self.assertEqual(buyer.child_ids, delivery)

    def test_buyer_is_a_customer_the_carrier_is_not(self):
        if "customer_status" not in self.env["res.partner"]._fields:
            self.skipTest("partner_credit_risk is not installed")
        package = trendyol_package(customer_id=78)
        self.store(package)
        self.process()
        self.assertEqual(self.orders(package).partner_id.customer_status, "LA")
        carrier = self.env["marketplace.carrier"]._marketplace_create(
            self.account, "Deneme Kargo", "Deneme Kargo Marketplace"
        )
        self.assertFalse(carrier.partner_id.customer_status)
        self.assertEqual(carrier.partner_id.customer_rank, 0)

    def test_unknown_barcode_uses_fallback_and_flags(self):
        package = trendyol_package(
            lines=[
                {
                    "barcode": "0000000000001",
                    "quantity": 1,
                    "gross": 50.0,
                    "vat": 20,
                    "stock_code": "NOPE",
                }
            ]
        )
        self.store(package)
        self.process()
        row = self.inbound(package)
        self.assertEqual(row.state, "processed")
        self.assertTrue(row.flagged)
        self.assertTrue(row.sale_order_id.marketplace_flagged)
        self.assertEqual(row.sale_order_id.order_line.product_id, self.account.fallback_product_id)
        listing = self.env["marketplace.listing"].search(
            [("account_id", "=", self.account.id), ("barcode", "=", "0000000000001")]
        )
        self.assertTrue(listing)
        self.assertFalse(listing.product_id)

    def test_awaiting_never_delivered(self):
        package = trendyol_package(status="Awaiting")
        self.store(package)
        self.process()
        self.assertEqual(self.inbound(package).state, "processed")
        self.assertFalse(self.orders(package))
        self.store(with_status(package, "Created"))
        self.process()
        self.assertEqual(self.orders(package).state, "sale")

    def test_cancel_before_invoicing_cancels_order(self):
        self.account.auto_invoice = False
        package = trendyol_package()
        self.store(package)
        self.process()
        order = self.orders(package)
        self.assertEqual(order.state, "sale")
        self.store(with_status(package, "Cancelled"))
        self.process()
        self.assertEqual(self.inbound(package).state, "cancelled")
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.picking_ids.mapped("state"), ["cancel"])

    def test_cancel_after_invoice_and_delivery_reverses_everything(self):
        package = trendyol_package()
        self.store(with_status(package, "Shipped"))
        self.process()
        order = self.orders(package)
        invoice = order.invoice_ids
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(invoice.state, "posted")
        self.store(with_status(package, "Cancelled"))
        self.process()
        self.assertEqual(order.state, "cancel")
        refund = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(len(refund), 1)
        self.assertEqual(refund.state, "posted")
        self.assertAlmostEqual(refund.amount_total, invoice.amount_total, places=2)
        self.assertEqual(refund.reversed_entry_id, invoice)
        returns = order.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        self.assertEqual(returns.state, "done")
        self.assertEqual(sum(returns.move_ids.mapped("quantity")), 3)
        # the same cancellation again changes nothing
        self.inbound(package).action_reprocess()
        self.assertEqual(len(order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")), 1)

    def test_partial_cancellation_credits_the_line(self):
        order_number = "10459990002"
        package = trendyol_package(order_number=order_number)
        self.store(package)
        self.process()
        order = self.orders(package)
        mug_line = package["lines"][1]
        cancelled = trendyol_package(
            order_number=order_number,
            status="Cancelled",
            lines=[
                {
                    "barcode": "8691234567894",
                    "quantity": 1,
                    "gross": 149.50,
                    "vat": 20,
                    "line_id": mug_line["lineId"],
                }
            ],
        )
        remaining = trendyol_package(
            order_number=order_number,
            status="Created",
            lines=[
                {
                    "barcode": "8691234567890",
                    "quantity": 2,
                    "gross": 749.90,
                    "seller_discount": 150.0,
                    "vat": 10,
                    "line_id": package["lines"][0]["lineId"],
                }
            ],
        )
        self.store(cancelled, remaining)
        self.process()
        self.assertEqual(order.state, "sale")
        refund = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(len(refund), 1)
        self.assertAlmostEqual(refund.amount_total, 149.50, places=2)
        mug = order.order_line.filtered(
            lambda line: line.marketplace_line_id == str(mug_line["lineId"])
        )
        self.assertEqual(mug.product_uom_qty, 0)

    # -------------------------------------------------- seller vs marketplace-funded discounts
    def discounted_package(self):
        """2 × 674.90 = 1349.80 with 150.00 seller and 50.00 Trendyol-funded discount: the
        buyer pays 1149.80."""
        package = trendyol_package(
            lines=[
                {
                    "barcode": "8691234567890",
                    "quantity": 2,
                    "gross": 674.90,
                    "seller_discount": 150.0,
                    "ty_discount": 50.0,
                    "vat": 10,
                }
            ]
        )
        self.assertEqual(package["lines"][0]["lineUnitPrice"], 574.90)
        self.assertEqual(package["packageTotalPrice"], 1149.80)
        return package

    def test_marketplace_funded_discount_paid_by_the_marketplace(self):
        self.assertEqual(self.account.marketplace_discount_policy, "before_marketplace_discount")
        package = self.discounted_package()
        self.store(package)
        self.process()
        row = self.inbound(package)
        line = row.sale_order_id.order_line
        self.assertEqual(len(line), 1, "no cargo line out of the Trendyol discount")
        self.assertAlmostEqual(line.price_unit, 599.90, places=2)
        self.assertAlmostEqual(line.marketplace_seller_discount, 150.0, places=2)
        self.assertAlmostEqual(line.marketplace_funded_discount, 50.0, places=2)
        self.assertAlmostEqual(line.price_total, 1199.80, places=2)
        # 1199.80 incl. 10 % KDV
        self.assertAlmostEqual(row.invoice_id.amount_total, 1199.80, places=2)
        self.assertAlmostEqual(row.invoice_id.amount_untaxed, 1090.73, places=2)

    def test_marketplace_funded_discount_deducted_on_the_invoice(self):
        self.account.marketplace_discount_policy = "deduct_marketplace_discount"
        package = self.discounted_package()
        self.store(package)
        self.process()
        row = self.inbound(package)
        line = row.sale_order_id.order_line
        self.assertAlmostEqual(line.price_unit, 574.90, places=2)
        self.assertAlmostEqual(line.marketplace_funded_discount, 50.0, places=2)
        self.assertAlmostEqual(row.invoice_id.amount_total, 1149.80, places=2)
        self.assertAlmostEqual(row.invoice_id.amount_untaxed, 1045.27, places=2)

    def test_shipped_package_sends_no_sms_to_the_masked_buyer_phone(self):
        """Validating a marketplace delivery switches Odoo's delivery SMS off."""
        from odoo.addons.stock.models.stock_picking import Picking

        seen = []
        original = Picking._send_confirmation_email

        def record(pickings):
            seen.append(pickings.env.context.get("skip_sms"))
            return original(pickings)

        package = trendyol_package()
        self.store(package)
        self.process()
        with patch.object(Picking, "_send_confirmation_email", record):
            self.store(with_status(package, "Shipped"))
            self.process()
        picking = self.inbound(package).sale_order_id.picking_ids
        self.assertEqual(picking.state, "done")
        self.assertTrue(seen)
        self.assertEqual(set(seen), {True}, "every confirmation ran with skip_sms")

"""Buy side of dropshipping (issue 16 §1), through a marketplace's fake over real HTTP on
127.0.0.1 (its contract harness): a supplier ships the dropshipped line of our marketplace
orders, under its dropship agreement."""

from contextlib import contextmanager

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged

from .test_marketplaces import BUYER, FakeMarketplaceAccount, lines_of

DROPSHIPPED = "8691234567890"  # line 01: 2 units
STOCKED = "8691234567894"  # line 02: 1 unit
COST = 400.0  # the supplier's unit price of the dropshipped product


@tagged("post_install", "-at_install")
class TestDropshipBuySide(FakeMarketplaceAccount, TransactionCase):
    marketplace = "n11"  # offers own cargo and returns

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.dropshipped = Product.search([("barcode", "=", DROPSHIPPED)], limit=1)
        cls.stocked = Product.search([("barcode", "=", STOCKED)], limit=1)
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Tedarik Toptan A.Ş.", "email": "siparis@tedarik.example.com"}
        )
        cls.shipping = Product.create(
            {
                "name": "Tedarikçi kargo",
                "type": "service",
                "purchase_method": "purchase",
                "supplier_taxes_id": [Command.clear()],
            }
        )
        cls.dropshipped.supplier_taxes_id = [Command.clear()]
        cls.agreement = cls.env["dropship.agreement"].create(
            {
                "partner_id": cls.supplier.id,
                "role": "supplier",
                "company_id": cls.company.id,
                "currency_id": cls.company.currency_id.id,
                "payment_policy": "net",
                "shipping_policy": "rate",
                "shipping_rate": 50.0,
                "shipping_product_id": cls.shipping.id,
            }
        )
        cls.env["product.supplierinfo"].create(
            {
                "partner_id": cls.supplier.id,
                "product_tmpl_id": cls.dropshipped.product_tmpl_id.id,
                "price": COST,
                "dropship": True,
                "company_id": cls.company.id,
            }
        )
        cls.bank = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
        )

    @contextmanager
    def raises(self, error, text):
        """assertRaises (rolled back to a savepoint) with a part of the message."""
        with self.assertRaises(error) as catcher:
            yield
        self.assertIn(text, str(catcher.exception))

    def order_of(self, number, lines=None):
        """The marketplace order ``number`` fetched and processed into a sale order."""
        package_id = self.fake.add_order(number, lines or lines_of(number), buyer=BUYER)
        counters = self.account.sync_now()
        self.assertFalse(counters["failed"] or counters["quarantined"], counters)
        row = self.env["marketplace.order.inbound"].search(
            [("account_id", "=", self.account.id), ("order_number", "=", number)]
        )
        self.assertEqual(row.state, "processed", row.error_reason)
        return row, package_id

    def mails_to_supplier(self, order):
        return self.env["mail.mail"].search(
            [("model", "=", "purchase.order"), ("res_id", "=", order.id)]
        )

    def pay(self, bill, currency=None):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create(
                {
                    "journal_id": self.bank.id,
                    "currency_id": (currency or bill.currency_id).id,
                }
            )
            .action_create_payments()
        )

    # ------------------------------------------------------------------ tests
    def test_one_purchase_order_per_sale_order_for_the_dropship_line_only(self):
        row, package_id = self.order_of("MF-2001")
        order = row.sale_order_id
        self.assertEqual(order.state, "sale")
        purchase = order.dropship_purchase_ids
        self.assertEqual(len(purchase), 1, "one purchase order, for the dropship line only")
        self.assertEqual(purchase.partner_id, self.supplier)
        self.assertEqual(purchase.order_line.product_id, self.dropshipped)
        self.assertEqual(purchase.order_line.product_qty, 2.0)
        self.assertEqual(purchase.order_line.price_unit, COST)
        self.assertEqual(purchase.dest_address_id, order.partner_shipping_id)
        self.assertIn(order.name, purchase.origin)
        self.assertEqual(purchase.dropship_sale_id, order)
        self.assertEqual(purchase.dropship_package_ref, package_id)
        self.assertEqual(purchase.dropship_agreement_id, self.agreement)
        deliveries = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(len(deliveries), 1, "one delivery from our stock")
        self.assertEqual(deliveries.move_ids.product_id, self.stocked)
        # another customer's order: a purchase order of its own, never merged
        other = self.order_of("MF-2002")[0].sale_order_id
        self.assertEqual(len(other.dropship_purchase_ids), 1)
        self.assertNotEqual(other.dropship_purchase_ids, purchase)
        # net terms: the order goes to the supplier at confirmation, with the agreed shipping
        purchase.button_confirm()
        self.assertEqual(purchase.dropship_state, "released")
        self.assertEqual(len(self.mails_to_supplier(purchase)), 1)
        self.assertAlmostEqual(purchase.amount_untaxed, 2 * COST + 50.0, places=2)
        purchase._dropship_release()
        self.assertEqual(len(self.mails_to_supplier(purchase)), 1, "sent once")
        # the margin of the dropshipped line counts the supplier's price and shipping
        sold = order.order_line.filtered(lambda sol: sol.product_id == self.dropshipped)
        self.assertAlmostEqual(order.dropship_cost, 2 * COST + 50.0, places=2)
        self.assertAlmostEqual(
            order.dropship_margin, sold.price_subtotal - 2 * COST - 50.0, places=2
        )

    def test_manual_sale_order_line_takes_the_dropship_route(self):
        customer = self.env["res.partner"].create({"name": "Elif Kaya", "vat": "10000000146"})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [Command.create({"product_id": self.stocked.id})],
            }
        )
        self.assertFalse(order.order_line.route_id)
        order.order_line.product_id = self.dropshipped  # changed to a dropshipped product
        route = self.env.ref("stock_dropshipping.route_drop_shipping")
        self.assertEqual(order.order_line.route_id, route)
        order.action_confirm()
        self.assertEqual(order.dropship_purchase_ids.partner_id, self.supplier)
        self.assertFalse(order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing"))

    def test_pay_first_order_waits_for_its_bill_to_be_paid(self):
        self.agreement.write(
            {"payment_policy": "prepaid", "shipping_policy": "omit", "carrier_account": "YK-991"}
        )
        purchase = self.order_of("MF-2003")[0].sale_order_id.dropship_purchase_ids
        with self.raises(UserError, "pay-first"):
            purchase.action_rfq_send()
        purchase.button_confirm()
        self.assertEqual(purchase.dropship_state, "waiting_payment")
        self.assertIn("YK-991", purchase.notes, "our carrier account sent on the order")
        self.assertEqual(purchase.dropship_carrier_account, "YK-991")
        bill = purchase.dropship_bill_id
        self.assertEqual(bill.state, "posted")
        self.assertAlmostEqual(bill.amount_untaxed, 2 * COST, places=2, msg="no shipping line")
        self.assertFalse(self.mails_to_supplier(purchase), "not sent before payment")
        with self.raises(UserError, "waits for the payment"):
            purchase.action_dropship_release()
        with self.raises(UserError, "not released"):
            purchase.report_tracking("TR-1")
        euro = self.env.ref("base.EUR")
        euro.active = True
        with self.raises(UserError, "as agreed"):
            self.pay(bill, euro)
        self.assertEqual(purchase.dropship_state, "waiting_payment")
        self.pay(bill)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        self.assertEqual(purchase.dropship_state, "released")
        self.assertEqual(len(self.mails_to_supplier(purchase)), 1)
        with self.raises(UserError, "not waiting"):
            purchase.action_dropship_release()

    def test_actual_shipping_cost_adjusts_a_posted_bill(self):
        self.agreement.write(
            {"payment_policy": "prepaid", "shipping_policy": "actual", "shipping_rate": 40.0}
        )
        order = self.order_of("MF-2004")[0].sale_order_id
        purchase = order.dropship_purchase_ids
        purchase.button_confirm()
        bill = purchase.dropship_bill_id
        self.assertAlmostEqual(bill.amount_untaxed, 2 * COST + 40.0, places=2, msg="estimate")
        self.pay(bill)
        result = purchase.report_shipping_cost(55.0)
        self.assertAlmostEqual(result["difference"], 15.0, places=2)
        supplement = self.env["account.move"].browse(result["adjustment_id"])
        self.assertEqual(supplement.move_type, "in_invoice")
        self.assertAlmostEqual(supplement.amount_untaxed, 15.0, places=2)
        self.assertEqual(supplement.dropship_purchase_id, purchase)
        self.assertAlmostEqual(purchase.amount_untaxed, 2 * COST + 55.0, places=2)
        self.assertAlmostEqual(order.dropship_cost, 2 * COST + 55.0, places=2)
        with self.raises(UserError, "already reported"):
            purchase.report_shipping_cost(60.0)
        self.assertEqual(len(purchase.dropship_adjustment_ids), 1)
        # cheaper than the estimate: a credit note for the difference
        other = self.order_of("MF-2005")[0].sale_order_id.dropship_purchase_ids
        other.button_confirm()
        refund = self.env["account.move"].browse(other.report_shipping_cost(25.0)["adjustment_id"])
        self.assertEqual(refund.move_type, "in_refund")
        self.assertAlmostEqual(refund.amount_untaxed, 15.0, places=2)

    def test_actual_shipping_cost_updates_a_draft_bill(self):
        self.agreement.write({"shipping_policy": "actual", "shipping_rate": 0.0})
        purchase = self.order_of("MF-2006")[0].sale_order_id.dropship_purchase_ids
        purchase.button_confirm()
        self.assertFalse(purchase._dropship_shipping_line(), "no estimate: no line yet")
        purchase.action_create_invoice()
        bill = purchase.invoice_ids
        self.assertEqual(bill.state, "draft")
        self.assertAlmostEqual(bill.amount_untaxed, 2 * COST, places=2)
        result = purchase.report_shipping_cost(32.5)
        self.assertFalse(result["adjustment_id"], "the draft bill is updated")
        self.assertAlmostEqual(bill.amount_untaxed, 2 * COST + 32.5, places=2)
        # an agreed rate is not reported
        self.agreement.shipping_policy = "rate"
        with self.raises(UserError, "actual cost"):
            purchase.copy().report_shipping_cost(10.0)

    def test_supplier_tracking_goes_back_like_our_own_shipments(self):
        self.account.own_cargo = True
        row, package_id = self.order_of("MF-2007", lines_of("MF-2007")[:1])
        order = row.sale_order_id
        purchase = order.dropship_purchase_ids
        purchase.button_confirm()
        receipt = purchase.picking_ids
        self.assertTrue(receipt.is_dropship)
        self.assertEqual(receipt.marketplace_package_id, package_id)
        result = purchase.report_tracking("SUP-4410023", "Yurtiçi Kargo")
        self.assertEqual(result["picking_id"], receipt.id)
        self.assertEqual(receipt.state, "done")
        self.assertEqual(receipt.marketplace_tracking_number, "SUP-4410023")
        with self.raises(UserError, "already reported"):
            purchase.report_tracking("SUP-4410024")
        invoice = row.invoice_id
        self.assertEqual(invoice.l10n_tr_shipment_date, fields.Date.context_today(invoice))
        self.assertEqual(invoice.l10n_tr_tracking_number, "SUP-4410023")
        xml, result = invoice._l10n_tr_build_xml()
        self.assertTrue(result["valid"], result["errors"])
        delivery = etree.fromstring(xml).find(
            "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}Delivery"
        )
        self.assertEqual(
            delivery.findtext(
                "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}TrackingID"
            ),
            "SUP-4410023",
        )
        self.account.sync_now()
        invoice.write({"l10n_tr_edoc_state": "accepted", "l10n_tr_gib_number": "GIB2026000000071"})
        result = self.account.report_back()
        self.assertEqual(result["shipped"], 1, result)
        self.assertFalse(row.backchannel_error)
        self.assertEqual(self.fake.package_state(package_id), "shipped")
        self.assertEqual(self.fake.shipments[-1]["tracking_number"], "SUP-4410023")

    def test_return_credited_by_us_and_by_the_supplier(self):
        self.agreement.write({"return_policy": "restocking_fee", "restocking_fee_percent": 10.0})
        row, package_id = self.order_of("MF-2008", lines_of("MF-2008")[:1])
        purchase = row.sale_order_id.dropship_purchase_ids
        purchase.button_confirm()
        # returned before the supplier shipped: more than shipped, nothing credited
        claim_ref = self.fake.add_claim(package_id, "200801", quantity=1)
        self.account.sync_claims()
        claim = self.env["marketplace.claim"].search(
            [("account_id", "=", self.account.id), ("claim_ref", "=", str(claim_ref))]
        )
        claim.approve()
        self.assertIn("supplier shipped 0", claim.error)
        self.assertFalse(claim.credit_note_id or claim.dropship_refund_ids)
        purchase.report_tracking("SUP-4410025")
        claim.action_create_return_documents()
        self.assertFalse(claim.error)
        self.assertEqual(claim.credit_note_id.move_type, "out_refund")
        refund = claim.dropship_refund_ids
        self.assertEqual(len(refund), 1)
        self.assertEqual((refund.move_type, refund.state), ("in_refund", "draft"))
        self.assertEqual(refund.partner_id, self.supplier)
        # one unit at the purchase price less the 10 % restocking fee
        self.assertAlmostEqual(refund.amount_untaxed, COST * 0.9, places=2)
        claim.action_create_return_documents()
        self.assertEqual(len(claim.dropship_refund_ids), 1, "never twice")
        form = claim.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="dropship_refund_ids"', form, "the return shows the supplier's")

    def test_bad_input(self):
        stranger = self.env["res.partner"].create({"name": "Anlaşmasız Ltd."})
        with self.raises(ValidationError, "dropship agreement"):
            self.env["product.supplierinfo"].create(
                {
                    "partner_id": stranger.id,
                    "product_tmpl_id": self.stocked.product_tmpl_id.id,
                    "dropship": True,
                }
            )
        orphan = self.env["product.product"].create({"name": "Tedarikçisiz ürün", "type": "consu"})
        route = self.env.ref("stock_dropshipping.route_drop_shipping")
        order = self.env["sale.order"].create(
            {
                "partner_id": stranger.id,
                "order_line": [Command.create({"product_id": orphan.id, "route_id": route.id})],
            }
        )
        with self.raises(UserError, "has no supplier"):
            order.action_confirm()
        purchase = self.order_of("MF-2009")[0].sale_order_id.dropship_purchase_ids
        with self.raises(UserError, "actual cost"):
            purchase.report_shipping_cost(10.0)
        self.agreement.shipping_policy = "actual"
        with self.raises(UserError, "Confirm"):
            purchase.report_shipping_cost(10.0)
        with self.assertRaises(UserError):
            purchase.report_shipping_cost(-5.0)
        with self.assertRaises(UserError):
            purchase.report_shipping_cost("ten")
        with self.assertRaises(UserError):
            purchase.report_tracking("")
        euro = self.env.ref("base.EUR")
        euro.active = True
        purchase.currency_id = euro
        with self.raises(UserError, "agreement"):
            purchase.button_confirm()
        self.assertEqual(purchase.state, "draft")
        self.assertFalse(self.mails_to_supplier(purchase))


@tagged("post_install", "-at_install")
class TestDropshipTour(HttpCase):
    """A purchaser reports a pay-first dropship order's shipping cost in the browser."""

    def test_report_the_shipping_cost_of_a_waiting_order(self):
        company = self.env.ref("base.demo_company_tr")
        admin = self.env.ref("base.user_admin")
        admin.write({"company_ids": [(4, company.id)], "company_id": company.id})
        env = self.env(context=dict(self.env.context, allowed_company_ids=[company.id]))
        supplier = env["res.partner"].create({"name": "Tedarik Toptan A.Ş."})
        shipping = env["product.product"].create(
            {"name": "Tedarikçi kargo", "type": "service", "purchase_method": "purchase"}
        )
        env["dropship.agreement"].create(
            {
                "partner_id": supplier.id,
                "role": "supplier",
                "company_id": company.id,
                "payment_policy": "prepaid",
                "shipping_policy": "actual",
                "shipping_rate": 40.0,
                "shipping_product_id": shipping.id,
            }
        )
        product = env["product.product"].search([("barcode", "=", DROPSHIPPED)], limit=1)
        env["product.supplierinfo"].create(
            {
                "partner_id": supplier.id,
                "product_tmpl_id": product.product_tmpl_id.id,
                "price": COST,
                "dropship": True,
                "company_id": company.id,
            }
        )
        order = env["sale.order"].create(
            {
                "partner_id": env["res.partner"].create({"name": "Elif Kaya"}).id,
                "company_id": company.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        order.action_confirm()
        purchase = order.dropship_purchase_ids
        purchase.button_confirm()
        self.assertEqual(purchase.dropship_state, "waiting_payment")
        self.start_tour(
            f"/odoo/action-purchase.purchase_form_action/{purchase.id}",
            "marketplace_connector_dropship_tour",
            login="admin",
        )
        self.assertTrue(purchase.dropship_shipping_reported)
        self.assertEqual(purchase.dropship_shipping_cost, 55.0)
        self.assertAlmostEqual(purchase.dropship_adjustment_ids.amount_untaxed, 15.0, places=2)

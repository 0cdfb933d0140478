"""A retailer sells, we ship for them: pay-first deliveries, the slip in the retailer's name,
shipping at the rate or at cost, returns credited per the agreement, the e-document's
delivery address."""

from lxml import etree

from odoo import Command
from odoo.addons.l10n_tr_efatura.lib import ubl
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
PRICE = 1234.56


class RetailerCase(TransactionCase):
    """The TR demo company ships for a retailer (VKN, İzmir) to its end customer (İstanbul)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.demo_company_tr")
        cls.env.user.company_ids |= cls.company
        cls.env.user.company_id = cls.company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        tr = cls.env.ref("base.tr")
        cls.retailer = cls.env["res.partner"].create(
            {
                "name": "Moda Butik Ltd. Şti.",
                "is_company": True,
                "vat": "4567891233",
                "l10n_tr_tax_office": "Konak",
                "street": "Cumhuriyet Bulvarı No: 12",
                "city": "İzmir",
                "zip": "35210",
                "country_id": tr.id,
                "email": "siparis@modabutik.example.com",
            }
        )
        cls.end_customer = cls.env["res.partner"].create(
            {
                "name": "Ayşe Yılmaz",
                "vat": "10234567828",
                "street": "Bağdat Caddesi No: 5",
                "city": "İstanbul",
                "zip": "34710",
                "country_id": tr.id,
            }
        )
        cls.tax = cls.env["account.tax"].search(
            [
                ("company_id", "=", cls.company.id),
                ("type_tax_use", "=", "sale"),
                ("amount", "=", 20.0),
                ("amount_type", "=", "percent"),
            ],
            limit=1,
        )
        cls.shipping = cls.env["product.product"].create(
            {
                "name": "Kargo",
                "type": "service",
                "invoice_policy": "order",
                "taxes_id": [Command.set(cls.tax.ids)],
            }
        )
        cls.scarf = cls.env["product.product"].create(
            {
                "name": "İpek Eşarp",
                "is_storable": True,
                "list_price": PRICE,
                "invoice_policy": "order",
                "taxes_id": [Command.set(cls.tax.ids)],
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.scarf, cls.warehouse.lot_stock_id, 20.0
        )
        cls.agreement = cls.env["dropship.agreement"].create(
            {
                "partner_id": cls.retailer.id,
                "role": "retailer",
                "company_id": cls.company.id,
                "payment_policy": "prepaid",
                "shipping_policy": "rate",
                "shipping_rate": 50.0,
                "shipping_product_id": cls.shipping.id,
                "return_policy": "restocking_fee",
                "restocking_fee_percent": 10.0,
            }
        )
        cls.bank = cls.env["account.journal"].search(
            [("company_id", "=", cls.company.id), ("type", "=", "bank")], limit=1
        )

    def order(self, quantity=2.0, partner=None, confirm=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.retailer).id,
                "partner_shipping_id": self.end_customer.id,
                "company_id": self.company.id,
                "warehouse_id": self.warehouse.id,
                "client_order_ref": "MB-1001",
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.scarf.id,
                            "product_uom_qty": quantity,
                            "price_unit": PRICE,
                        }
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def pay(self, invoices):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({"journal_id": self.bank.id})._create_payments()

    def ship(self, picking, quantity=None):
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if quantity is None else quantity
            move.picked = True
        picking.with_context(skip_backorder=True, skip_sms=True)._action_done()
        return picking

    def give_back(self, picking, quantity):
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        wizard.product_return_moves.quantity = quantity
        returned = wizard._create_return()
        for move in returned.move_ids:
            move.quantity = quantity
            move.picked = True
        return returned


@tagged("post_install", "-at_install")
class TestRetailerPayFirst(RetailerCase):
    def test_invoice_posted_at_confirmation_and_delivery_blocked_until_paid(self):
        order = self.order()
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual((invoice.state, invoice.move_type), ("posted", "out_invoice"))
        self.assertEqual(invoice.partner_id, self.retailer)
        self.assertEqual(invoice.partner_shipping_id, self.end_customer)
        self.assertEqual(invoice.retailer_order_id, order)
        # 2 x 1 234.56 + 50.00 shipping at the agreed rate, 20 % KDV
        self.assertAlmostEqual(invoice.amount_untaxed, 2519.12, places=2)
        self.assertAlmostEqual(invoice.amount_total, 3022.94, places=2)
        self.assertAlmostEqual(order.retailer_amount_due, 3022.94, places=2)
        picking = order.picking_ids
        self.assertEqual(picking.partner_id, self.end_customer)
        with self.assertRaisesRegex(UserError, r"3,022\.94.*%s" % invoice.name):
            picking._retailer_check_paid()
        with self.assertRaisesRegex(UserError, "still due"):
            self.ship(picking)
        self.assertEqual(picking.state, "assigned")
        self.pay(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(order.retailer_amount_due, 0.0)
        self.ship(picking)
        self.assertEqual(picking.state, "done")
        # everything was invoiced up front: nothing left to invoice, no credit note offered
        self.assertEqual(order.order_line.mapped("qty_to_invoice"), [0.0, 0.0])
        self.assertEqual(order.invoice_status, "invoiced")

    def test_sales_manager_releases_unpaid_order(self):
        order = self.order()
        salesman = new_test_user(
            self.env,
            login="retailer_salesman",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        manager = new_test_user(
            self.env,
            login="retailer_sales_manager",
            groups="base.group_user,sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError):
            order.with_user(salesman).action_release_payment_hold("Known retailer")
        with self.assertRaisesRegex(UserError, "reason"):
            order.with_user(manager).action_release_payment_hold("   ")
        with self.assertRaisesRegex(UserError, "not confirmed pay-first"):
            self.order(confirm=False).with_user(manager).action_release_payment_hold("x")
        self.assertTrue(
            order.with_user(manager).action_release_payment_hold("Bank transfer receipt seen")
        )
        self.assertTrue(order.retailer_payment_released)
        body = order.message_ids.filtered(lambda m: "Bank transfer receipt seen" in m.body).body
        self.assertIn("3,022.94", body)
        picking = self.ship(order.picking_ids)
        self.assertEqual(picking.state, "done")

    def test_copy_gets_its_shipping_from_the_agreement(self):
        order = self.order()
        copy = order.copy()
        self.assertEqual(copy.order_line.product_id, self.scarf)
        copy.action_confirm()
        self.assertEqual(copy.order_line.filtered("retailer_shipping").price_unit, 50.0)
        self.assertAlmostEqual(copy.invoice_ids.amount_untaxed, 2519.12, places=2)

    def test_net_terms_ship_without_payment(self):
        self.agreement.payment_policy = "net"
        self.shipping.invoice_policy = "delivery"  # the shipping line is delivered at once
        order = self.order()
        self.assertFalse(order.invoice_ids)
        self.assertFalse(order.retailer_prepaid)
        self.assertEqual(self.ship(order.picking_ids).state, "done")
        invoice = order._create_invoices()
        self.assertAlmostEqual(invoice.amount_untaxed, 2519.12, places=2)


@tagged("post_install", "-at_install")
class TestRetailerSlip(RetailerCase):
    def render(self, picking):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "stock.action_report_delivery", picking.ids
        )
        return html.decode()

    def test_slip_in_retailer_name_without_prices(self):
        order = self.order()
        html = self.render(order.picking_ids)
        self.assertIn("Moda Butik Ltd. Şti.", html)
        self.assertIn("Ayşe Yılmaz", html)
        self.assertIn("Bağdat Caddesi", html)
        self.assertIn("dropship_retailer_header", html)
        self.assertNotIn(self.company.name, html)
        self.assertNotIn(order.name, html)  # our order number: the retailer's reference stays
        self.assertIn("MB-1001", html)
        for price in ("1,234.56", "1234.56", "2,469.12", "3,022.94"):
            self.assertNotIn(price, html)
        self.assertNotIn("carrier account", html)

    def test_retailer_carrier_account_on_slip(self):
        self.agreement.write({"shipping_policy": "omit", "carrier_account": "YK-7788-99"})
        order = self.order()
        self.assertAlmostEqual(order.invoice_ids.amount_untaxed, 2469.12, places=2)
        html = self.render(order.picking_ids)
        self.assertIn("YK-7788-99", html)
        self.assertIn("carrier account", html)

    def test_own_customer_slip_unchanged(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.end_customer.id,
                "company_id": self.company.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [Command.create({"product_id": self.scarf.id})],
            }
        )
        order.action_confirm()
        self.assertFalse(order.retailer_agreement_id)
        self.assertFalse(order.invoice_ids)
        html = self.render(order.picking_ids)
        self.assertNotIn("dropship_retailer_header", html)
        self.assertIn(self.company.name, html)


@tagged("post_install", "-at_install")
class TestRetailerShippingCost(RetailerCase):
    def test_actual_cost_after_posting_is_a_supplementary_invoice(self):
        self.agreement.shipping_policy = "actual"
        order = self.order()
        invoice = order.invoice_ids
        self.assertAlmostEqual(invoice.amount_untaxed, 2469.12, places=2)
        picking = order.picking_ids
        result = picking.report_shipping_cost(37.5)
        supplementary = order.invoice_ids - invoice
        self.assertEqual(result, {"invoice_id": supplementary.id, "mode": "supplementary"})
        self.assertEqual(supplementary.state, "posted")
        self.assertAlmostEqual(supplementary.amount_untaxed, 37.5, places=2)
        self.assertAlmostEqual(supplementary.amount_total, 45.0, places=2)
        self.assertEqual(picking.retailer_shipping_cost, 37.5)
        # pay first: both invoices, 2 962.94 + 45.00
        self.assertAlmostEqual(order.retailer_amount_due, 3007.94, places=2)
        self.pay(invoice)
        with self.assertRaisesRegex(UserError, r"45\.00"):
            picking._retailer_check_paid()
        with self.assertRaisesRegex(UserError, r"already reported \(.*37\.50"):
            picking.report_shipping_cost(40.0)
        self.assertEqual(len(order.invoice_ids), 2)

    def test_warehouse_user_reports_the_cost(self):
        """A warehouse user (no sales or invoicing role) buys the label and reports it."""
        self.agreement.shipping_policy = "actual"
        order = self.order()
        clerk = new_test_user(
            self.env,
            login="retailer_stock_clerk",
            groups="base.group_user,stock.group_stock_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        picking = order.picking_ids.with_user(clerk)
        result = picking.report_shipping_cost(20.0)
        self.assertEqual(result["mode"], "supplementary")
        supplementary = self.env["account.move"].browse(result["invoice_id"])
        self.assertEqual(supplementary.state, "posted")
        self.assertAlmostEqual(supplementary.amount_total, 24.0, places=2)
        with self.assertRaisesRegex(UserError, "still due"):
            picking._retailer_check_paid()

    def test_actual_cost_adjusts_the_draft_invoice(self):
        self.agreement.write({"shipping_policy": "actual", "payment_policy": "net"})
        order = self.order()
        draft = order._create_invoices()
        self.assertAlmostEqual(draft.amount_untaxed, 2469.12, places=2)
        result = order.picking_ids.report_shipping_cost(42)
        self.assertEqual(result, {"invoice_id": draft.id, "mode": "draft"})
        self.assertEqual(order.invoice_ids, draft)
        self.assertAlmostEqual(draft.amount_untaxed, 2511.12, places=2)
        self.assertAlmostEqual(draft.amount_total, 3013.34, places=2)

    def test_actual_cost_before_any_invoice_waits_on_the_order(self):
        self.agreement.write({"shipping_policy": "actual", "payment_policy": "net"})
        order = self.order()
        self.assertEqual(
            order.picking_ids.report_shipping_cost(30.0), {"invoice_id": False, "mode": "order"}
        )
        self.ship(order.picking_ids)
        invoice = order._create_invoices()
        self.assertAlmostEqual(invoice.amount_untaxed, 2499.12, places=2)

    def test_rate_and_bad_reports_refused(self):
        order = self.order()
        picking = order.picking_ids
        with self.assertRaisesRegex(UserError, "Agreed rate per order"):
            picking.report_shipping_cost(10.0)
        self.agreement.shipping_policy = "actual"
        for bad in ("12", -5, 0, None):
            with self.assertRaises(UserError):
                picking.report_shipping_cost(bad)
        with self.assertRaisesRegex(UserError, "exactly one"):
            (picking | self.order().picking_ids).report_shipping_cost(10.0)
        own = self.env["sale.order"].create(
            {
                "partner_id": self.end_customer.id,
                "company_id": self.company.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [Command.create({"product_id": self.scarf.id})],
            }
        )
        own.action_confirm()
        with self.assertRaisesRegex(UserError, "no retailer agreement"):
            own.picking_ids.report_shipping_cost(10.0)
        self.assertFalse(picking.retailer_shipping_line_id)


@tagged("post_install", "-at_install")
class TestRetailerReturns(RetailerCase):
    def test_return_credited_less_restocking_fee(self):
        order = self.order(quantity=3.0)
        self.pay(order.invoice_ids)
        picking = self.ship(order.picking_ids)
        returned = self.give_back(picking, 1.0)
        self.ship(returned, 1.0)
        credit_note = returned.retailer_credit_note_id
        self.assertEqual(
            (credit_note.move_type, credit_note.state, credit_note.partner_id),
            ("out_refund", "posted", self.retailer),
        )
        # 1 x 1 234.56 less 10 %: 1 111.10 + 20 % KDV
        self.assertAlmostEqual(credit_note.amount_untaxed, 1111.10, places=2)
        self.assertAlmostEqual(credit_note.amount_total, 1333.32, places=2)
        self.assertEqual(credit_note.retailer_order_id, order)
        self.assertIn("restocking fee", credit_note.invoice_line_ids.name)
        # no second credit note from the order
        self.assertEqual(order.order_line.mapped("qty_to_invoice"), [0.0, 0.0])
        self.assertTrue(order.message_ids.filtered(lambda m: credit_note.name in m.body))

    def test_return_at_price(self):
        self.agreement.return_policy = "credit"
        order = self.order()
        self.pay(order.invoice_ids)
        returned = self.ship(self.give_back(self.ship(order.picking_ids), 2.0), 2.0)
        self.assertAlmostEqual(returned.retailer_credit_note_id.amount_untaxed, 2469.12, places=2)

    def test_return_larger_than_shipped_refused(self):
        order = self.order()
        self.pay(order.invoice_ids)
        picking = self.ship(order.picking_ids)
        returned = self.give_back(picking, 2.0)
        returned.move_ids.quantity = 3.0
        with self.assertRaisesRegex(UserError, "takes back 3.0 .* only 2.0 were shipped"):
            returned.with_context(skip_backorder=True)._action_done()
        self.assertNotEqual(returned.state, "done")
        self.assertFalse(returned.retailer_credit_note_id)


@tagged("post_install", "-at_install")
class TestRetailerBadInput(RetailerCase):
    def test_retailer_without_end_customer(self):
        order = self.order(confirm=False)
        order.partner_shipping_id = self.retailer
        with self.assertRaisesRegex(UserError, "end customer as the delivery address"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_rate_without_shipping_product(self):
        self.agreement.shipping_product_id = False
        order = self.order(confirm=False)
        with self.assertRaisesRegex(UserError, "give it a shipping product"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.invoice_ids)


@tagged("post_install", "-at_install")
class TestRetailerEdocument(RetailerCase):
    def test_ubl_buyer_is_retailer_delivery_is_end_customer(self):
        invoice = self.order().invoice_ids
        xml, result = invoice._l10n_tr_build_xml()
        self.assertTrue(xml, result)
        self.assertTrue(result["valid"], result)
        root = etree.fromstring(xml)
        buyer = root.find(f"{CAC}AccountingCustomerParty/{CAC}Party")
        self.assertEqual(buyer.findtext(f"{CAC}PartyIdentification/{CBC}ID"), "4567891233")
        self.assertEqual(buyer.findtext(f"{CAC}PartyName/{CBC}Name"), "Moda Butik Ltd. Şti.")
        self.assertEqual(buyer.findtext(f"{CAC}PostalAddress/{CBC}CityName"), "İzmir")
        delivery = root.find(f"{CAC}Delivery")
        address = delivery.find(f"{CAC}DeliveryAddress")
        self.assertEqual(address.findtext(f"{CBC}StreetName"), "Bağdat Caddesi No: 5")
        self.assertEqual(address.findtext(f"{CBC}CityName"), "İstanbul")
        party = delivery.find(f"{CAC}DeliveryParty")
        self.assertEqual(party.findtext(f"{CAC}PartyIdentification/{CBC}ID"), "10234567828")
        self.assertEqual(party.findtext(f"{CAC}Person/{CBC}FirstName"), "Ayşe")
        self.assertEqual(party.findtext(f"{CAC}Person/{CBC}FamilyName"), "Yılmaz")

    def test_ordinary_invoice_has_no_delivery_party(self):
        self.agreement.active = False
        order = self.order(partner=self.retailer)
        self.assertFalse(order.retailer_agreement_id)
        invoice = order._create_invoices()
        invoice.action_post()
        xml, result = invoice._l10n_tr_build_xml()
        self.assertTrue(result["valid"], result)
        self.assertIsNone(etree.fromstring(xml).find(f"{CAC}Delivery/{CAC}DeliveryParty"))

    def test_delivery_contact_of_the_retailer_never_states_its_vkn(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Mehmet Demir",
                "parent_id": self.retailer.id,
                "type": "delivery",
                "street": "Atatürk Caddesi No: 9",
                "city": "Bursa",
                "country_id": self.env.ref("base.tr").id,
            }
        )
        self.assertEqual(contact.vat, self.retailer.vat)  # a commercial field of the company
        order = self.order(confirm=False)
        order.partner_shipping_id = contact
        order.action_confirm()
        xml, result = order.invoice_ids._l10n_tr_build_xml()
        self.assertTrue(result["valid"], result)
        party = etree.fromstring(xml).find(f"{CAC}Delivery/{CAC}DeliveryParty")
        self.assertEqual(
            party.findtext(f"{CAC}PartyIdentification/{CBC}ID"), ubl.GIB_PLACEHOLDER_TCKN
        )
        self.assertEqual(party.findtext(f"{CAC}Person/{CBC}FamilyName"), "Demir")
        self.assertEqual(party.findtext(f"{CAC}PostalAddress/{CBC}CityName"), "Bursa")

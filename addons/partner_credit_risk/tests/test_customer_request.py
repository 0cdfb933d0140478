from datetime import datetime, timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CustomerMasterCommon


class CustomerRequestCommon(CustomerMasterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Request = cls.env["customer.request"].with_company(cls.company)
        cls.customer.email = "satinalma@marmara.example.com"
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Ayşe Yılmaz",
                "parent_id": cls.customer.id,
                "email": "ayse@marmara.example.com",
            }
        )
        cls.service_product = cls.env["product.product"].create(
            {
                "name": "Kombi bakımı",
                "type": "service",
                "list_price": 750.0,
                "taxes_id": False,
                "company_id": cls.company.id,
            }
        )
        cls.boiler = cls.env["product.product"].create(
            {
                "name": "Kombi",
                "is_storable": True,
                "tracking": "serial",
                "list_price": 12000.0,
                "company_id": cls.company.id,
            }
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "SN-0001", "product_id": cls.boiler.id, "company_id": cls.company.id}
        )

    def _other_company(self):
        other = self.env["res.company"].create({"name": "Ege Ticaret A.Ş."})
        self.env.user.company_ids += other
        return other

    def _request(self, request_type, **vals):
        return self.Request.create(
            {
                "subject": f"{request_type} request",
                "request_type": request_type,
                "partner_id": self.customer.id,
                **vals,
            }
        )

    def _documents(self):
        return (
            self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)]),
            self.env["account.move"].search_count([("partner_id", "=", self.customer.id)]),
        )


@tagged("post_install", "-at_install")
class TestCustomerRequestConversion(CustomerRequestCommon):
    def test_tracking_number_per_company(self):
        first = self._request("help")
        second = self._request("help")
        year = fields.Date.today().year
        self.assertRegex(first.name, rf"^REQ/{year}/\d{{5}}$")
        self.assertEqual(int(second.name[-5:]), int(first.name[-5:]) + 1)
        other = self._other_company()
        customer = self.env["res.partner"].create({"name": "Other Co", "company_id": other.id})
        foreign = self.Request.with_company(other).create(
            {"subject": "x", "partner_id": customer.id, "company_id": other.id}
        )
        self.assertEqual(foreign.name, f"REQ/{year}/00001")
        sequences = self.env["ir.sequence"].search([("code", "=", "customer.request")])
        self.assertEqual(
            sequences.filtered(lambda s: s.company_id in (self.company, other)).company_id,
            self.company | other,
        )

    def test_contact_given_as_customer(self):
        request = self._request("help", partner_id=self.contact.id)
        self.assertEqual((request.partner_id, request.contact_id), (self.customer, self.contact))
        self.assertEqual(self.customer.customer_request_count, 1)
        self.assertEqual(self.contact.customer_request_count, 1)
        self.assertIn(self.contact, request.message_partner_ids)

    def test_service_converts_to_quotation(self):
        when = datetime(2026, 3, 10, 9, 0)
        request = self._request(
            "service",
            product_id=self.service_product.id,
            service_date=when,
            service_location="Kadıköy şubesi",
        )
        result = request.action_convert()
        order = request.sale_order_id
        self.assertEqual(
            result,
            [
                {
                    "request_id": request.id,
                    "number": request.name,
                    "model": "sale.order",
                    "res_id": order.id,
                    "name": order.name,
                }
            ],
        )
        self.assertEqual(
            (order.state, order.partner_id, order.origin, order.commitment_date),
            ("draft", self.customer, request.name, when),
        )
        product_line = order.order_line.filtered("product_id")
        self.assertEqual(
            (product_line.product_id, product_line.product_uom_qty, order.amount_total),
            (self.service_product, 1.0, 750.0),
        )
        note = order.order_line.filtered(lambda line: line.display_type == "line_note")
        self.assertIn(request.name, note.name)
        self.assertIn("Kadıköy şubesi", note.name)
        self.assertEqual(request.stage, "in_progress")
        self.assertFalse(request.can_convert)

    def test_charged_warranty_converts_with_serial(self):
        request = self._request(
            "warranty", product_id=self.boiler.id, lot_id=self.lot.id, warranty_charged=True
        )
        [result] = request.action_convert()
        order = self.env["sale.order"].browse(result["res_id"])
        self.assertEqual(order.order_line.filtered("product_id").product_id, self.boiler)
        self.assertIn("SN-0001", order.order_line.filtered("display_type").name)
        self.assertEqual(order.amount_untaxed, 12000.0)

    def test_account_request_converts_to_sale_order(self):
        invoice = self.init_invoice("out_invoice", self.customer, amounts=[100.0], post=True)
        request = self._request("account", document_ref=f"account.move,{invoice.id}")
        [result] = request.action_convert()
        self.assertEqual(result["model"], "sale.order")
        self.assertEqual(request.sale_order_id.origin, request.name)

    def test_fee_converts_to_invoice_or_credit_note(self):
        invoice_request = self._request("fee", fee_amount=250.0)
        [result] = invoice_request.action_convert()
        invoice = invoice_request.invoice_id
        self.assertEqual(
            (result["model"], result["res_id"], invoice.move_type, invoice.state),
            ("account.move", invoice.id, "out_invoice", "draft"),
        )
        self.assertEqual(
            (invoice.amount_untaxed, invoice.amount_total, invoice.invoice_origin),
            (250.0, 250.0, invoice_request.name),
        )
        refund_request = self._request("fee", fee_amount=80.5, fee_document="refund")
        refund_request.action_convert()
        refund = refund_request.invoice_id
        self.assertEqual((refund.move_type, refund.amount_total), ("out_refund", 80.5))

    def test_converting_twice_is_refused(self):
        request = self._request("service")
        request.action_convert()
        before = self._documents()
        with self.assertRaisesRegex(UserError, "already converted"):
            request.action_convert()
        self.assertEqual(self._documents(), before)

    def test_one_bad_request_converts_none(self):
        good = self._request("service")
        uncharged = self._request("warranty", product_id=self.boiler.id)
        before = self._documents()
        with self.assertRaisesRegex(UserError, "without charge"):
            (good | uncharged).action_convert()
        self.assertEqual(self._documents(), before)
        self.assertFalse(good.sale_order_id)
        with self.assertRaisesRegex(UserError, "help request"):
            self._request("help").action_convert()
        with self.assertRaisesRegex(UserError, "has no amount"):
            self._request("fee").action_convert()
        self.assertEqual(self._documents(), before)

    def test_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._request("fee", fee_amount=-5.0)
        other = self._other_company()
        foreign = self.env["res.partner"].create({"name": "Başka Şirket", "company_id": other.id})
        with self.assertRaisesRegex(ValidationError, "belongs to company Ege Ticaret"):
            self._request("help", partner_id=foreign.id)
        with self.assertRaisesRegex(ValidationError, "not the contact"):
            self.Request.create(
                {"subject": "x", "partner_id": self.customer.id, "contact_id": self.contact.id}
            ).partner_id = self.contact
        stranger = self.env["res.partner"].create({"name": "Yabancı Kişi", "email": "y@x.com"})
        with self.assertRaisesRegex(ValidationError, "does not belong"):
            self._request("help", contact_id=stranger.id)
        invoice = self.init_invoice("out_invoice", stranger, amounts=[10.0])
        with self.assertRaisesRegex(ValidationError, "is not one of customer"):
            self._request("account", document_ref=f"account.move,{invoice.id}")
        with self.assertRaisesRegex(UserError, "no Customer request record with id 999999"):
            self.Request.browse(999999).action_convert()
        with self.assertRaisesRegex(UserError, "Stage must be one of"):
            self._request("help").action_set_stage("closed")

    def test_partner_card_button(self):
        request = self._request("help")
        self._request("service", partner_id=self.contact.id)
        action = self.contact.action_open_customer_requests()
        self.assertEqual(self.Request.search(action["domain"]).partner_id, self.customer)
        self.assertEqual(len(self.Request.search(action["domain"])), 2)
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        self.assertEqual(self.customer.customer_request_count, 2)
        request.stage = "cancelled"
        self.assertFalse(request.can_convert)
        with self.assertRaisesRegex(UserError, "is cancelled"):
            request.action_convert()

    def test_other_company_requests_are_hidden(self):
        other = self._other_company()
        customer = self.env["res.partner"].create({"name": "Other Co", "company_id": other.id})
        foreign = self.Request.with_company(other).create(
            {"subject": "x", "partner_id": customer.id, "company_id": other.id}
        )
        salesman = new_test_user(
            self.env,
            login="request_salesman_a",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        own = self._request("help", user_id=salesman.id)
        visible = self.env["customer.request"].with_user(salesman).search([])
        self.assertIn(own, visible)
        self.assertNotIn(foreign, visible)
        with self.assertRaises(AccessError):
            self.env["customer.request"].with_user(salesman).browse(foreign.id).action_convert()
        self.assertFalse(foreign.sale_order_id)

    def test_salesman_sees_own_and_unassigned(self):
        salesman = new_test_user(
            self.env,
            login="request_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        mine = self._request("help", user_id=salesman.id)
        unassigned = self._request("help", user_id=False)
        others = self._request("help", user_id=self.env.user.id)
        visible = self.Request.with_user(salesman).search([("partner_id", "=", self.customer.id)])
        self.assertEqual(visible, mine | unassigned)
        with self.assertRaises(AccessError):
            others.with_user(salesman).action_convert()
        self.assertFalse(others.sale_order_id)


@tagged("post_install", "-at_install")
class TestCustomerRequestConfirmation(CustomerRequestCommon):
    def _confirmations(self, request, partner):
        return request.message_ids.filtered(
            lambda m: partner in m.partner_ids and request.name in m.body
        )

    def test_manual_confirmation_to_the_contact(self):
        request = self._request("help", contact_id=self.contact.id)
        self.assertFalse(self._confirmations(request, self.contact))
        [message_id] = request.action_send_confirmation()
        message = self.env["mail.message"].browse(message_id)
        self.assertEqual(message.partner_ids, self.contact)
        self.assertIn(request.name, message.subject)
        self.assertIn(request.name, message.body)
        self.assertIn(f"/my/requests/{request.id}", message.body)
        self.assertEqual(
            message.notification_ids.filtered(
                lambda n: n.notification_type == "email"
            ).res_partner_id,
            self.contact,
        )
        self.assertTrue(request.confirmation_sent)

    def test_automatic_confirmation_setting(self):
        request = self._request("help")
        self.assertFalse(request.confirmation_sent)
        self.company.customer_request_auto_confirm = True
        request = self._request("help")
        self.assertTrue(request.confirmation_sent)
        self.assertEqual(len(self._confirmations(request, self.customer)), 1)
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.customer_request_auto_confirm)

    def test_no_email_address(self):
        self.contact.email = False
        request = self._request("help", contact_id=self.contact.id)
        with self.assertRaisesRegex(UserError, "has no e-mail address"):
            request.action_send_confirmation()
        self.company.customer_request_auto_confirm = True
        request = self._request("help", contact_id=self.contact.id)  # created, just not sent
        self.assertFalse(request.confirmation_sent)


@tagged("post_install", "-at_install")
class TestCustomerRequestRules(CustomerRequestCommon):
    """Worked example, today = the day the rules run:

    - Ada (last confirmed sale 100 days ago) and Bora (120 days ago, salesperson Cem): the
      "we miss you" rule (90 days) opens one request each; Can (sale 10 days ago) and Dila
      (no sale at all) get none.
    - Overdue rule (above 1 000, 30 days): Ece owes 1 500 due 45 days ago -> a request;
      Fuat owes 800 due 45 days ago (below); Gül owes 5 000 due 10 days ago (not late enough);
      Hale owes 1 500 due 60 days ago and paid 600 (900 left) -> none.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.collector = new_test_user(
            cls.env,
            login="collector",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.cem = new_test_user(
            cls.env,
            login="cem",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        names = ["Ada", "Bora", "Can", "Dila", "Ece", "Fuat", "Gül", "Hale"]
        cls.p = {
            name: cls.env["res.partner"].create({"name": f"{name} Ltd.", "is_company": True})
            for name in names
        }
        cls.p["Bora"].user_id = cls.cem
        for name, days_ago in (("Ada", 100), ("Bora", 120), ("Can", 10)):
            cls._sale(cls.p[name], days_ago)
        for name, amount, days_ago in (
            ("Ece", 1500.0, 45),
            ("Fuat", 800.0, 45),
            ("Gül", 5000.0, 10),
            ("Hale", 1500.0, 60),
        ):
            cls._invoice(cls.p[name], amount, days_ago)
        hale_invoice = cls.env["account.move"].search([("partner_id", "=", cls.p["Hale"].id)])
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=hale_invoice.ids
        ).create({"amount": 600.0}).action_create_payments()
        Rule = cls.env["customer.request.rule"].with_company(cls.company)
        cls.miss_you = Rule.create(
            {
                "name": "We miss you",
                "kind": "no_sale",
                "days": 90,
                "assign_to": "salesperson",
                "user_id": cls.collector.id,
                "deadline_days": 5,
            }
        )
        cls.collection = Rule.create(
            {
                "name": "Collection follow-up",
                "kind": "overdue",
                "days": 30,
                "amount": 1000.0,
                "assign_to": "user",
                "user_id": cls.collector.id,
            }
        )

    @classmethod
    def _sale(cls, partner, days_ago):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product_a.id, "price_unit": 10.0, "tax_id": False}
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = fields.Datetime.now() - timedelta(days=days_ago)

    @classmethod
    def _invoice(cls, partner, amount, days_ago):
        day = cls.today - timedelta(days=days_ago)
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "invoice_date": day,
                "invoice_date_due": day,
                "invoice_line_ids": [
                    Command.create({"name": "Mal", "price_unit": amount, "tax_ids": False})
                ],
            }
        )
        invoice.action_post()

    def _rule_requests(self, rule):
        return self.env["customer.request"].search([("rule_id", "=", rule.id)], order="id")

    def test_we_miss_you(self):
        ids = self.miss_you.action_generate()
        requests = self._rule_requests(self.miss_you)
        self.assertEqual(sorted(ids), requests.ids)
        self.assertEqual(requests.partner_id, self.p["Ada"] | self.p["Bora"])
        by_customer = {r.partner_id.name: r for r in requests}
        self.assertEqual(by_customer["Bora Ltd."].user_id, self.cem)
        self.assertEqual(by_customer["Ada Ltd."].user_id, self.collector)  # no salesperson
        ada = by_customer["Ada Ltd."]
        self.assertEqual(
            (ada.request_type, ada.stage, ada.subject, ada.date_deadline, ada.company_id),
            ("help", "new", "We miss you", self.today + timedelta(days=5), self.company),
        )
        last_sale = (self.today - timedelta(days=100)).isoformat()
        self.assertIn(last_sale, ada.description)
        self.assertFalse(ada.confirmation_sent)
        # the second run opens nothing; a closed request lets the next run open a new one
        self.assertEqual(self.miss_you.action_generate(), [])
        ada.stage = "done"
        [again] = self.miss_you.action_generate()
        self.assertEqual(self.env["customer.request"].browse(again).partner_id, self.p["Ada"])

    def test_collection_follow_up(self):
        self.collection.action_generate()
        request = self._rule_requests(self.collection)
        self.assertEqual(request.partner_id, self.p["Ece"])
        self.assertEqual((request.request_type, request.user_id), ("account", self.collector))
        self.assertIn("1500.00", request.description)
        self.assertEqual(self.collection.open_request_count, 1)
        self.assertEqual(self.collection.action_generate(), [])

    def test_cron_runs_every_rule_once(self):
        cron = self.env.ref("partner_credit_risk.ir_cron_customer_request_rules")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        cron.method_direct_trigger()
        cron.method_direct_trigger()
        self.assertEqual(len(self._rule_requests(self.miss_you)), 2)
        self.assertEqual(len(self._rule_requests(self.collection)), 1)

    def test_rule_bad_input(self):
        with self.assertRaises(ValidationError):
            self.env["customer.request.rule"].create(
                {"name": "x", "kind": "overdue", "days": 30, "assign_to": "user"}
            )
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["customer.request.rule"].create(
                {"name": "x", "kind": "overdue", "days": 0, "assign_to": "salesperson"}
            )
            self.env.flush_all()

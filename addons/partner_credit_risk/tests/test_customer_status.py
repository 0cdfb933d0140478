from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import BaseModel
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import CustomerMasterCommon

STATUS_ACTIONS = {
    "action_customer_active": "LA",
    "action_customer_blocked": "PA",
    "action_customer_cancelled": "YH",
    "action_customer_potential": "BA",
    "action_customer_lead": "AA",
    "action_customer_former": "XA",
    "action_customer_archive": "ZZ",
}


@tagged("post_install", "-at_install")
class TestCustomerStatus(CustomerMasterCommon):
    def _order_vals(self, partner):
        return {
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": 1})],
        }

    def test_blocked_partner_refused_on_new_order_and_invoice(self):
        for code in ("PA", "YH", "ZZ"):
            partner = self.Partner.create({"name": f"Customer {code}", "customer_status": code})
            contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": partner.id})
            with self.assertRaisesRegex(ValidationError, "cannot be used on new sale orders"):
                self.env["sale.order"].create(self._order_vals(partner))
            with self.assertRaisesRegex(ValidationError, "cannot be used on new sale orders"):
                self.env["sale.order"].create(self._order_vals(contact))
            with self.assertRaisesRegex(ValidationError, "cannot be used on new sale orders"):
                self.init_invoice("out_invoice", partner=partner, products=self.product_a)
        for code in ("AA", "BA", "DB", "DF", "LA", "XA"):
            partner = self.Partner.create({"name": f"Customer {code}", "customer_status": code})
            order = self.env["sale.order"].create(self._order_vals(partner))
            self.assertEqual(order.partner_id, partner)

    def test_blocking_an_existing_customer(self):
        order = self.env["sale.order"].create(self._order_vals(self.customer))
        self.customer.action_change_customer_status("PA", "Unpaid cheques")
        self.assertTrue(self.customer.customer_status_blocked)
        self.assertIn(
            self.customer, self.env["res.partner"].search([("customer_status_blocked", "=", True)])
        )
        with self.assertRaises(ValidationError):
            order.copy()
        # the existing order keeps its lines
        self.assertEqual(len(order.order_line), 1)

    def test_status_history_and_chatter(self):
        partner = self.customer.with_user(self.master_user).with_context(
            tracking_disable=False, mail_notrack=False
        )
        self.env.cr.precommit.clear()
        partner.action_change_customer_status("DB", "Credit bureau check")
        partner.env.flush_all()
        partner.env.cr.precommit.run()
        history = self.customer.status_history_ids.sorted("id")[-1]
        self.assertEqual(
            (history.old_status, history.new_status, history.reason, history.user_id),
            ("LA", "DB", "Credit bureau check", self.master_user),
        )
        tracking = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.res_id", "=", self.customer.id),
                    ("mail_message_id.model", "=", "res.partner"),
                    ("field_id.name", "=", "customer_status"),
                ]
            )
        )
        self.assertEqual(tracking[:1].old_value_char, "LA - Active customer")
        self.assertEqual(tracking[:1].new_value_char, "DB - Under investigation")

    def test_status_wizard(self):
        wizard = (
            self.env["partner.status.change"]
            .with_user(self.master_user)
            .create(
                {
                    "partner_ids": [Command.set(self.customer.ids)],
                    "new_status": "XA",
                    "reason": "Closed the shop",
                }
            )
        )
        wizard.action_apply()
        self.assertEqual(self.customer.customer_status, "XA")
        last = self.customer.status_history_ids.sorted("id")[-1]
        self.assertEqual(last.reason, "Closed the shop")

    def test_df_to_la_needs_manager_approval(self):
        partner = self.Partner.create({"name": "Yeni Bayi", "customer_status": "DF"})
        for user in (self.master_user, self.master_manager):
            with self.assertRaisesRegex(UserError, "awaiting approval"):
                partner.with_user(user).write({"customer_status": "LA"})
            with self.assertRaisesRegex(UserError, "awaiting approval"):
                partner.with_user(user).action_change_customer_status("LA", "try")
        # a forged context value over RPC is a plain string, not the approval token
        with self.assertRaisesRegex(UserError, "awaiting approval"):
            partner.with_user(self.master_manager).with_context(customer_status_approval="1").write(
                {"customer_status": "LA"}
            )
        with self.assertRaises(AccessError):
            partner.with_user(self.master_user).action_approve_customer()
        partner.with_user(self.master_manager).action_approve_customer("Documents complete")
        self.assertEqual(partner.customer_status, "LA")
        last = partner.status_history_ids.sorted("id")[-1]
        self.assertEqual(
            (last.old_status, last.new_status, last.user_id), ("DF", "LA", self.master_manager)
        )
        with self.assertRaisesRegex(UserError, "Only partners awaiting approval"):
            partner.with_user(self.master_manager).action_approve_customer()

    def test_status_menus_default_their_status(self):
        for xmlid, code in STATUS_ACTIONS.items():
            action = self.env["ir.actions.act_window"]._for_xml_id(f"partner_credit_risk.{xmlid}")
            context = dict(eval(action["context"]))  # noqa: S307 - literal dict from our XML
            partner = self.env["res.partner"].with_context(**context).create({"name": xmlid})
            self.assertEqual(partner.customer_status, code, xmlid)
            self.assertTrue(partner.is_company)
            self.assertIn(partner, self.env["res.partner"].search(eval(action["domain"])))  # noqa: S307
            # "New person" from this menu keeps the status default and opens a person form
            new_person = self.env["res.partner"].with_context(**context).action_new_person()
            self.assertEqual(new_person["context"]["default_customer_status"], code)
            self.assertFalse(new_person["context"]["default_is_company"])
        all_action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_credit_risk.action_customer_all"
        )
        found = self.env["res.partner"].search(eval(all_action["domain"]))  # noqa: S307
        self.assertIn(self.customer, found)
        company_action = self.env["res.partner"].action_new_company()
        self.assertTrue(company_action["context"]["default_is_company"])
        self.assertEqual(company_action["res_model"], "res.partner")

    def test_status_menus_offer_new_buttons_in_list_and_kanban(self):
        list_view = self.env.ref("partner_credit_risk.view_partner_list_customer_master")
        kanban_view = self.env.ref("partner_credit_risk.view_partner_kanban_customer_master")
        for xmlid in ("action_customer_all", *STATUS_ACTIONS):
            action = self.env.ref(f"partner_credit_risk.{xmlid}")
            self.assertEqual(
                [(v.view_mode, v.view_id) for v in action.view_ids.sorted("sequence")],
                [("list", list_view), ("kanban", kanban_view), ("form", self.env["ir.ui.view"])],
                xmlid,
            )
        views = self.env["res.partner"].get_views(
            [(list_view.id, "list"), (kanban_view.id, "kanban")]
        )["views"]
        for view_type in ("list", "kanban"):
            arch = views[view_type]["arch"]
            self.assertIn('name="action_new_company"', arch, view_type)
            self.assertIn('name="action_new_person"', arch, view_type)
        # the kanban keeps the status badge of the partner kanban it extends
        self.assertIn('name="customer_status"', views["kanban"]["arch"])

    def test_tckn_is_the_tax_id_of_a_person(self):
        person = self.Partner.create({"name": "Ali Veli", "vat": "10000000146"})
        self.assertEqual(person.vat, "10000000146")
        # wrong check digits (the message is base_vat's when it is installed, else ours)
        with self.assertRaisesRegex(ValidationError, "10000000147"):
            person.write({"vat": "10000000147"})
        # GİB's placeholder TCKN of an anonymous buyer is accepted
        anonymous = self.Partner.create({"name": "Nihai Tüketici", "vat": "11111111111"})
        self.assertEqual(anonymous.vat, "11111111111")


@tagged("post_install", "-at_install")
class TestWhoIsACustomer(CustomerMasterCommon):
    def test_only_customers_get_a_status(self):
        self.assertEqual(self.customer.customer_status, "LA")
        vendor = (
            self.env["res.partner"]
            .with_context(res_partner_search_mode="supplier")
            .create({"name": "Ambalaj Tedarik A.Ş.", "is_company": True})
        )
        carrier = self.env["res.partner"].create({"name": "Yurtiçi Kargo", "is_company": True})
        for partner in (vendor, carrier, self.company.partner_id, self.master_user.partner_id):
            with self.subTest(partner=partner.name):
                self.assertFalse(partner.customer_status)
        # a first invoice makes a partner a customer, with the first status (LA) and its history
        invoice = self.init_invoice("out_invoice", partner=carrier, products=self.product_a)
        invoice.action_post()
        self.assertEqual(carrier.customer_status, "LA")
        self.assertEqual(carrier.status_history_ids.mapped("new_status"), ["LA"])
        # our own company and our users stay out of the customer lists, even when invoiced
        for partner in (self.company.partner_id, self.master_user.partner_id):
            self.init_invoice("out_invoice", partner=partner, products=self.product_a).action_post()
            self.assertGreater(partner.customer_rank, 0)
            self.assertFalse(partner.customer_status, partner.name)
        # vendor bills do not make a customer either
        self.init_invoice("in_invoice", partner=vendor, products=self.product_a).action_post()
        self.assertFalse(vendor.customer_status)

    def test_all_customers_lists_approved_customers_without_invoices(self):
        waiting = self.Partner.create({"name": "Yeni Bayi", "customer_status": "DF"})
        waiting.action_approve_customer("Referanslar iyi")
        vendor = (
            self.env["res.partner"]
            .with_context(res_partner_search_mode="supplier")
            .create({"name": "Ambalaj Tedarik A.Ş.", "is_company": True})
        )
        Partner = self.env["res.partner"]
        for xmlid in ("action_customer_all", "action_customer_active"):
            action = self.env.ref(f"partner_credit_risk.{xmlid}")
            found = Partner.search(safe_eval(action.domain))
            with self.subTest(action=xmlid):
                self.assertIn(waiting, found)
                self.assertIn(self.customer, found)
                self.assertNotIn(vendor, found)
                self.assertNotIn(self.company.partner_id, found)
                self.assertNotIn(self.master_user.partner_id, found)

    def test_status_code_next_to_its_name(self):
        labels = dict(
            self.env["res.partner"]._fields["customer_status"]._description_selection(self.env)
        )
        self.assertEqual(labels["LA"], "LA - Active customer")
        self.assertEqual(labels["DF"], "DF - Awaiting approval")
        self.assertEqual(len(labels), 9)


@tagged("post_install", "-at_install")
class TestRecordTitles(CustomerMasterCommon):
    def test_every_record_of_the_card_has_a_title(self):
        untitled = []
        for ir_model in self.env["ir.model"].search([]):
            model = self.env.get(ir_model.model)
            if model is None or model._abstract or model._original_module != "partner_credit_risk":
                continue
            own_compute = type(model)._compute_display_name is not BaseModel._compute_display_name
            if not (model._rec_name or own_compute):
                untitled.append(ir_model.model)
        self.assertFalse(untitled)
        self.customer.action_change_customer_status("PA", "Karşılıksız çek")
        history = self.customer.status_history_ids[:1]
        self.assertEqual(history.display_name, "Marmara Gıda A.Ş.: PA - Blocked customer")
        responsible = self.env["partner.responsible"].create(
            {"partner_id": self.customer.id, "user_id": self.master_user.id}
        )
        self.assertEqual(responsible.display_name, self.master_user.name)

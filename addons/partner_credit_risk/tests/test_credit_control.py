from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .credit_common import CreditCommon

MODES = ("partner", "account", "contact_account")


@tagged("post_install", "-at_install")
class TestCreditControl(CreditCommon):
    """Each control mode × check point × warn/block, holds and releases."""

    def _exceeding(self, mode, stage, action):
        """A customer whose relevant limit (100 TRY) an order of 1 200 TRY exceeds;
        returns (partner ordering, financial account)."""
        other = "nothing"
        partner = self._customer(
            f"{mode} {stage} {action}",
            mode=mode,
            order=action if stage == "order" else other,
            delivery=action if stage == "delivery" else other,
            limit=100.0 if mode == "partner" else 1000000.0,
        )
        account = self._account(partner)
        account.credit_limit = 100.0 if mode == "account" else 1000000.0
        if mode == "contact_account":
            contact = self.Partner.create(
                {"name": f"Buyer {partner.name}", "parent_id": partner.id}
            )
            contact.with_company(self.company).credit_limit = 100.0
            return contact, account
        return partner, account

    def test_order_confirmation_modes(self):
        for mode in MODES:
            for action in ("warn", "block"):
                with self.subTest(mode=mode, action=action):
                    partner, account = self._exceeding(mode, "order", action)
                    order = self._order(partner, account=account)
                    order.action_confirm()
                    held = action == "block"
                    self.assertEqual(order.state, "draft" if held else "sale")
                    self.assertEqual(order.credit_hold, held)
                    self.assertIn("exceeds it by", order.credit_check_message)
                    self.assertIn("1,100.00", order.credit_check_message)  # 1 200 − 100
                    managers = self.Partner._credit_managers(self.company) if held else []
                    self.assertEqual(len(order._credit_hold_activities()), len(managers))

    def test_delivery_modes(self):
        for mode in MODES:
            for action in ("warn", "block"):
                with self.subTest(mode=mode, action=action):
                    partner, account = self._exceeding(mode, "delivery", action)
                    order = self._order(partner, account=account)
                    order.action_confirm()
                    self.assertEqual(order.state, "sale")
                    picking = order.picking_ids
                    picking.move_ids.write({"quantity": 10, "picked": True})
                    result = picking.button_validate()
                    held = action == "block"
                    self.assertEqual(picking.state, "assigned" if held else "done")
                    self.assertEqual(order.credit_hold, held)
                    self.assertEqual(order.credit_hold_stage, "delivery" if held else False)
                    self.assertEqual(result["params"]["type"], "danger" if held else "warning")
                    if held:
                        with self.assertRaisesRegex(UserError, "exceeds it by"):
                            picking._action_done()

    def test_nothing_and_within_limit(self):
        partner = self._customer("Quiet", order="nothing", delivery="nothing", limit=1.0)
        order = self._order(partner)
        self.assertIs(order.action_confirm(), True)
        self.assertFalse(order.credit_check_message)
        partner = self._customer("Good payer", limit=5000.0)
        order = self._order(partner)
        self.assertIs(order.action_confirm(), True)
        self.assertEqual(order.state, "sale")

    def test_total_credit_limit(self):
        partner = self._customer(
            "Group", mode="account", limit=1000000.0, credit_total_limit=1000.0
        )
        account = self._account(partner)
        account.credit_limit = 1000000.0
        order = self._order(partner, account=account)
        order.action_confirm()
        self.assertTrue(order.credit_hold)
        self.assertIn("total credit limit", order.credit_check_message)

    def test_contact_counted_on_commercial_partner_too(self):
        partner = self._customer("Parent", mode="contact_account", limit=1000000.0)
        account = self._account(partner)
        account.credit_limit = 1000.0
        contact = self.Partner.create({"name": "Buyer", "parent_id": partner.id})
        order = self._order(contact, account=account)
        order.action_confirm()
        self.assertTrue(order.credit_hold)

    def test_cse_accounts_exempt_by_policy(self):
        partner = self._customer("Pazaryeri Alıcısı")
        account = self._account(partner, account_type="CSE")
        order = self._order(partner, account=account)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.company.credit_exempt_account_types = "PJC"
        order = self._order(partner, account=account)
        order.action_confirm()
        self.assertTrue(order.credit_hold)

    def test_hold_todo_for_every_credit_manager(self):
        """One to-do per credit manager of the order's company, none twice on a re-check,
        all closed by the release."""
        second = new_test_user(
            self.env,
            login="credit_manager_2",
            groups="base.group_user,partner_credit_risk.group_credit_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        other_company = self.env["res.company"].create({"name": "Başka Şirket"})
        elsewhere = new_test_user(
            self.env,
            login="credit_manager_other_company",
            groups="base.group_user,partner_credit_risk.group_credit_manager",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        # the to-do leads to the order: every credit manager sees all orders
        self.assertTrue(second.has_group("sales_team.group_sale_salesman_all_leads"))
        order = self._order(self._customer("Team"))
        order.action_confirm()
        managers = self.Partner._credit_managers(self.company)
        self.assertLessEqual(self.credit_manager | second, managers)
        self.assertNotIn(elsewhere, managers)
        self.assertNotIn(self.salesperson, managers)
        todos = order._credit_hold_activities()
        self.assertEqual(len(todos), len(managers))
        self.assertEqual(todos.user_id, managers)
        self.assertEqual(set(todos.mapped("summary")), {"Credit hold"})
        self.assertIn("1,200.00", todos[0].note)
        # re-checks add none; a manager appointed since gets hers
        order.action_confirm()
        order.action_confirm()
        self.assertEqual(len(order._credit_hold_activities()), len(managers))
        third = new_test_user(
            self.env,
            login="credit_manager_3",
            groups="base.group_user,partner_credit_risk.group_credit_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        order.action_confirm()
        todos = order._credit_hold_activities()
        self.assertEqual(len(todos), len(managers) + 1)
        self.assertEqual(todos.user_id, managers | third)
        held_posts = order.message_ids.filtered(lambda m: "Put on credit hold" in (m.body or ""))
        self.assertEqual(len(held_posts), 1)
        order.with_user(second).action_release_credit_hold("Çek teminatı alındı")
        self.assertFalse(order._credit_hold_activities())
        self.assertEqual(order.state, "sale")

    def test_release_by_credit_manager(self):
        partner = self._customer("Held")
        order = self._order(partner)
        order.action_confirm()
        self.assertTrue(order.credit_hold)
        with self.assertRaises(AccessError):
            order.with_user(self.salesperson).action_release_credit_hold("please")
        with self.assertRaisesRegex(UserError, "reason"):
            order.with_user(self.credit_manager).action_release_credit_hold("  ")
        order.with_user(self.credit_manager).action_release_credit_hold("Teminat mektubu geldi")
        self.assertEqual(
            (order.state, order.credit_hold, order.credit_released), ("sale", False, True)
        )
        release = partner.credit_release_ids
        self.assertEqual(
            (release.order_id, release.user_id, release.reason, release.stage),
            (order, self.credit_manager, "Teminat mektubu geldi", "order"),
        )
        self.assertIn("1,200.00", release.hold_message)
        self.assertIn(
            "Teminat mektubu geldi",
            order.message_ids[:3].mapped("body")[0] + "".join(order.message_ids.mapped("body")),
        )
        self.assertFalse(order._credit_hold_activities())
        # released once: its delivery passes, a second release is refused
        order.picking_ids.move_ids.write({"quantity": 10, "picked": True})
        order.picking_ids.button_validate()
        self.assertEqual(order.picking_ids.state, "done")
        with self.assertRaisesRegex(UserError, "not on credit hold"):
            order.with_user(self.credit_manager).action_release_credit_hold("again")

    def test_release_wizard(self):
        order = self._order(self._customer("Wizard"))
        order.action_confirm()
        wizard = (
            self.env["sale.credit.release.wizard"]
            .with_user(self.credit_manager)
            .create({"order_ids": order.ids, "reason": "Ön ödeme alındı"})
        )
        wizard.action_release()
        self.assertEqual(order.state, "sale")

    def test_check_credit(self):
        partner = self._customer("Checked", limit=1000.0, credit_overrun_percent=10.0)
        result = partner.check_credit(1500.0, self.try_.id)
        self.assertEqual(
            result,
            {
                "allowed": False,
                "action": "block",
                "open_credit": 1100.0,
                "exceeded_by": 400.0,
                "message": result["message"],
            },
        )
        self.assertIn("400.00", result["message"])
        self.assertEqual(partner.check_credit(1100.0, self.try_.id)["allowed"], True)
        # 30 USD = 1 200 TRY
        self.assertEqual(partner.check_credit(30.0, self.usd.id)["exceeded_by"], 100.0)

    def test_salesperson_confirms_without_risk_rights(self):
        partner = self._customer("Open credit", limit=100000.0)
        order = self._order(partner, user=self.salesperson)
        order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "sale")
        with self.assertRaises(AccessError):
            partner.with_user(self.salesperson).get_credit_risk()
        blocked = self._customer("No credit")
        result = blocked.with_user(self.salesperson).check_credit(10.0, self.try_.id)
        self.assertEqual(
            (result["allowed"], result["open_credit"], result["exceeded_by"]), (False, False, False)
        )
        self.assertNotIn("0.00", result["message"])
        order = self._order(blocked, user=self.salesperson)
        order.with_user(self.salesperson).action_confirm()
        self.assertTrue(order.credit_hold)
        with self.assertRaises(AccessError):
            blocked.with_user(self.salesperson).write({"credit_control_mode": "none"})


@tagged("post_install", "-at_install")
class TestCreditBadInput(CreditCommon):
    def test_bad_limits_and_factors(self):
        partner = self._customer("Bad")
        for vals in (
            {"credit_limit": -1.0},
            {"credit_overrun_amount": -5.0},
            {"credit_overrun_percent": -1.0},
            {"credit_total_limit": -1.0},
            {"risk_note_factor": 1.5},
            {"risk_own_cheque_factor": -0.1},
            {"risk_cheque_margin_days": -3},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                partner.with_company(self.company).write(vals)
        account = self._account(partner)
        with self.assertRaises(ValidationError):
            account.credit_limit = -10.0
        with self.assertRaises(AccessError):
            account.with_user(self.salesperson).credit_limit = 10.0

    def test_bad_documents(self):
        partner = self._customer("Bad docs")
        with self.assertRaisesRegex(ValidationError, "due date"):
            self._document(partner, 100.0, due_date=False)
        with self.assertRaisesRegex(ValidationError, "positive"):
            self._document(partner, 0.0)
        usd_account = self._account(partner, self.usd)
        with self.assertRaisesRegex(ValidationError, "currency"):
            self._document(partner, 10.0, financial_account_id=usd_account.id)
        cheque = self._document(partner, 10.0)
        cheque.action_collect()
        with self.assertRaisesRegex(UserError, "cannot go from"):
            cheque.action_bounce()
        with self.assertRaisesRegex(UserError, "supplier"):
            self._document(partner, 11.0).action_endorse()

    def test_bad_check_and_release_arguments(self):
        partner = self._customer("Bad calls")
        account = self._account(partner, self.usd)
        with self.assertRaisesRegex(UserError, "differs"):
            partner.check_credit(10.0, self.try_.id, financial_account_id=account.id)
        with self.assertRaisesRegex(UserError, "amount"):
            partner.check_credit(-5, self.try_.id)
        order = self._order(self._customer("Fine", limit=1e9))
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "not on credit hold"):
            order.with_user(self.credit_manager).action_release_credit_hold("x")

    def test_hold_cleared_when_the_check_passes(self):
        partner = self._customer("Paid up later")
        order = self._order(partner)
        order.action_confirm()
        self.assertTrue(order.credit_hold)
        partner.with_company(self.company).credit_limit = 5000.0
        self.assertIs(order.action_confirm(), True)
        self.assertEqual(
            (order.state, order.credit_hold, order.credit_check_message), ("sale", False, False)
        )

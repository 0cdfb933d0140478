from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCustomerCardTour(HttpCase):
    """The customer master card as a customer-master manager clicks it."""

    def test_block_customer_and_add_financial_account(self):
        admin = self.env.ref("base.user_admin")
        customer = (
            self.env["res.partner"]
            .with_company(admin.company_id)
            .create(
                {
                    "name": "Ege Tekstil Ltd. Şti.",
                    "is_company": True,
                    "customer_rank": 1,
                    "company_id": admin.company_id.id,
                }
            )
        )
        self.start_tour(
            f"/odoo/res.partner/{customer.id}", "partner_credit_risk_card_tour", login="admin"
        )
        self.assertEqual(customer.customer_status, "PA")
        self.assertEqual(customer.status_history_ids[:1].reason, "Ödenmemiş faturalar")
        account = customer.financial_account_ids.filtered(lambda a: a.account_type == "CSE")
        self.assertEqual(len(account), 1)
        self.assertEqual(account.currency_id, admin.company_id.currency_id)


@tagged("post_install", "-at_install")
class TestCreditHoldTours(HttpCase):
    """Credit hold as users click it: the hold with its figures, the release by a credit
    manager, the Customer Risk report."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.user_admin").company_id
        cls.product = cls.env["product.product"].create(
            {"name": "Tour item", "type": "consu", "list_price": 100.0, "taxes_id": False}
        )
        cls.credit_manager = new_test_user(
            cls.env,
            login="tour_credit_manager",
            groups="base.group_user,sales_team.group_sale_manager,"
            "partner_credit_risk.group_credit_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def _customer(self, name, order_action="block"):
        customer = self.env["res.partner"].create(
            {"name": name, "is_company": True, "customer_rank": 1}
        )
        customer.with_company(self.company).write(
            {"credit_control_mode": "partner", "credit_check_order": order_action}
        )
        customer.with_company(self.company).credit_limit = 100.0
        return customer

    def _order(self, customer):
        """1 200 for a customer with 100 of credit: exceeds it by 1 100."""
        return self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 12,
                            "price_unit": 100.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )

    def test_confirm_over_the_limit_shows_the_hold(self):
        order = self._order(self._customer("Tour Held Ltd."))
        self.start_tour(
            f"/odoo/sale.order/{order.id}", "partner_credit_risk_hold_tour", login="admin"
        )
        self.assertEqual(
            (order.state, order.credit_hold, order.credit_hold_stage), ("draft", True, "order")
        )
        self.assertIn("1,100.00", order.credit_check_message)
        managers = self.env["res.partner"]._credit_managers(self.company)
        self.assertIn(self.credit_manager, managers)
        self.assertEqual(order._credit_hold_activities().user_id, managers)

    def test_credit_manager_releases_with_a_reason(self):
        customer = self._customer("Tour Release Ltd.")
        order = self._order(customer)
        order.action_confirm()
        self.assertTrue(order.credit_hold)
        self.start_tour(
            f"/odoo/sale.order/{order.id}",
            "partner_credit_risk_release_tour",
            login=self.credit_manager.login,
        )
        self.assertEqual(
            (order.state, order.credit_hold, order.credit_released), ("sale", False, True)
        )
        release = customer.credit_release_ids
        self.assertEqual(
            (release.user_id, release.reason, release.stage),
            (self.credit_manager, "Teminat mektubu alındı", "order"),
        )
        self.assertFalse(order._credit_hold_activities())

    def test_customer_risk_report_opens(self):
        customer = self._customer("Tour Over Limit Ltd.", order_action="warn")
        order = self._order(customer)
        order.action_confirm()
        self.assertEqual(order.state, "sale")  # warned only: 1 200 of risk on 100 of credit
        self.start_tour(
            "/odoo/action-partner_credit_risk.action_partner_credit_risk_report",
            "partner_credit_risk_report_tour",
            login="admin",
        )
        row = self.env["partner.credit.risk.report"].search(
            [
                ("partner_id", "=", customer.id),
                ("create_uid", "=", self.env.ref("base.user_admin").id),
            ]
        )
        self.assertEqual(
            (row.order_risk, row.total_risk, row.credit_limit, row.open_credit, row.over_limit),
            (1200.0, 1200.0, 100.0, -1100.0, True),
        )


@tagged("post_install", "-at_install")
class TestCustomerRequestTour(HttpCase):
    """A service request recorded in the backend and converted into a quotation."""

    def test_create_and_convert_a_request(self):
        admin = self.env.ref("base.user_admin")
        customer = self.env["res.partner"].create({"name": "Tour Talep Ltd.", "is_company": True})
        self.start_tour(
            "/odoo/action-partner_credit_risk.action_customer_request",
            "partner_credit_risk_customer_request_tour",
            login="admin",
        )
        request = self.env["customer.request"].search([("partner_id", "=", customer.id)])
        self.assertEqual(
            (request.request_type, request.subject, request.service_location, request.stage),
            ("service", "Kombi yıllık bakımı", "Kadıköy şubesi", "in_progress"),
        )
        order = request.sale_order_id
        self.assertEqual(
            (order.partner_id, order.origin, order.state, order.company_id),
            (customer, request.name, "draft", admin.company_id),
        )

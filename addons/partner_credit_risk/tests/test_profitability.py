import base64
import io
import zipfile

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .profitability_common import ProfitabilityCommon


@tagged("post_install", "-at_install")
class TestProfitability(ProfitabilityCommon):
    """The worked example: sales 475.00 - 75.00 = 400.00; COGS 170.00 (FIFO delivery) + 40.00
    (service at standard cost) - 34.00 (valued return) = 176.00; gross profit 224.00 (56 %);
    allocated: commission 10 % of sales = 40.00 and cargo 25.00 x 1 delivery = 25.00, total
    65.00 (16.25 %); net profit 159.00 (39.75 %)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a = cls._customer("Ege Market", mode="none", user_id=cls.salesperson.id)
        cls.customer_b = cls._customer("Trakya Toptan", mode="none")
        cls.order, cls.delivery, cls.invoice, cls.refund = cls._worked_example(cls.customer_a)
        cls.Rule = cls.env["partner.profitability.rule"]
        cls.commission = cls.Rule.create(
            {"name": "Pazaryeri komisyonu", "kind": "sales_percent", "rate": 10.0}
        )
        cls.cargo = cls.Rule.create({"name": "Kargo", "kind": "per_delivery", "amount": 25.0})
        cls.today = fields.Date.today()
        cls.year_start = cls.today.replace(month=1, day=1)

    def _figures(self, partner, **kwargs):
        return partner.get_profitability(str(self.year_start), str(self.today), **kwargs)[
            str(partner.id)
        ]

    def test_worked_example(self):
        figures = self._figures(self.customer_a)
        self.assertEqual(
            {key: value for key, value in figures.items() if key != "allocations"},
            {
                "currency": "TRY",
                "partner_id": self.customer_a.id,
                "date_from": str(self.year_start),
                "date_to": str(self.today),
                "sales": 400.0,
                "returns": 75.0,
                "cogs": 176.0,
                "cogs_valuation": 136.0,
                "cogs_standard": 40.0,
                "gross_profit": 224.0,
                "gross_margin": 56.0,
                "allocated_cost": 65.0,
                "net_profit": 159.0,
                "net_margin": 39.75,
                "cogs_share": 44.0,
                "allocated_share": 16.25,
                "sales_share": 100.0,
            },
        )
        self.assertEqual(
            figures["allocations"],
            [
                {
                    "rule_id": self.commission.id,
                    "name": "Pazaryeri komisyonu",
                    "kind": "sales_percent",
                    "amount": 40.0,
                },
                {"rule_id": self.cargo.id, "name": "Kargo", "kind": "per_delivery", "amount": 25.0},
            ],
        )

    def test_contact_gets_company_figures_and_empty_customer_zero(self):
        contact = self.Partner.create({"name": "Ayşe Yılmaz", "parent_id": self.customer_a.id})
        result = (contact | self.customer_b).get_profitability(
            str(self.year_start), str(self.today)
        )
        self.assertEqual(result[str(contact.id)]["net_profit"], 159.0)
        self.assertEqual(result[str(contact.id)]["sales_share"], 100.0)
        self.assertEqual(result[str(self.customer_b.id)]["sales"], 0.0)
        self.assertEqual(result[str(self.customer_b.id)]["net_margin"], 0.0)

    def test_period_outside_the_documents_is_empty(self):
        figures = self.customer_a.get_profitability("2001-01-01", "2001-12-31")[
            str(self.customer_a.id)
        ]
        self.assertEqual((figures["sales"], figures["cogs"], figures["allocated_cost"]), (0, 0, 0))

    def test_currency_conversion(self):
        """1 TRY = 0.025 USD: each amount converted and rounded, percentages unchanged."""
        figures = self._figures(self.customer_a, currency="USD")
        self.assertEqual(figures["currency"], "USD")
        self.assertEqual(
            [
                figures[key]
                for key in ("sales", "cogs", "gross_profit", "allocated_cost", "net_profit")
            ],
            [10.0, 4.4, 5.6, 1.63, 3.98],
        )
        self.assertEqual((figures["gross_margin"], figures["net_margin"]), (56.0, 39.75))
        self.assertEqual([item["amount"] for item in figures["allocations"]], [1.0, 0.63])
        by_id = self._figures(self.customer_a, currency=self.usd.id)
        self.assertEqual(by_id["net_profit"], 3.98)

    def test_order_returns_and_vendor_bill_rules(self):
        """Per order 5.00 x 1 order; 10 % of the 75.00 returned; the 50.00 vendor bill booked
        with the customer's analytic account, 100 %."""
        plan = self.env["account.analytic.plan"].create({"name": "Müşteriler"})
        analytic = self.env["account.analytic.account"].create(
            {"name": "Ege Market masrafları", "plan_id": plan.id, "company_id": self.company.id}
        )
        self.customer_a.profitability_analytic_account_id = analytic
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.customer_b.id,
                "invoice_date": self.today,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Özel ambalaj",
                            "quantity": 1,
                            "price_unit": 50.0,
                            "tax_ids": [],
                            "analytic_distribution": {str(analytic.id): 100},
                        }
                    )
                ],
            }
        )
        bill.action_post()
        (self.commission | self.cargo).active = False
        self.Rule.create({"name": "Sipariş", "kind": "per_order", "amount": 5.0})
        self.Rule.create({"name": "İade", "kind": "returns_percent", "rate": 10.0})
        self.Rule.create({"name": "Masraf", "kind": "vendor_bills", "rate": 100.0})
        figures = self._figures(self.customer_a)
        self.assertEqual([item["amount"] for item in figures["allocations"]], [5.0, 7.5, 50.0])
        self.assertEqual((figures["allocated_cost"], figures["net_profit"]), (62.5, 161.5))

    def test_rules_of_another_company_ignored(self):
        other = self.env["res.company"].create({"name": "Başka Şirket"})
        self.Rule.create(
            {"name": "Başka", "kind": "sales_percent", "rate": 50.0, "company_id": other.id}
        )
        self.assertEqual(self._figures(self.customer_a)["allocated_cost"], 65.0)

    def test_bad_input(self):
        with self.assertRaisesRegex(UserError, "start date 2026-12-31 is after the end date"):
            self.customer_a.get_profitability("2026-12-31", "2026-01-01")
        with self.assertRaisesRegex(UserError, "Start date must be a date"):
            self.customer_a.get_profitability("31/12/2026", "2026-12-31")
        with self.assertRaisesRegex(UserError, "End date must be a date"):
            self.customer_a.get_profitability("2026-01-01", None)
        with self.assertRaisesRegex(UserError, "no currency with the code XYZ"):
            self.customer_a.get_profitability("2026-01-01", "2026-12-31", currency="XYZ")
        with self.assertRaises(UserError):
            self.Partner.browse(999999999).get_profitability("2026-01-01", "2026-12-31")
        for rate in (-1.0, 100.5, 250.0):
            with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
                self.Rule.create({"name": "Kötü", "kind": "sales_percent", "rate": rate})
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.Rule.create({"name": "Kötü", "kind": "per_order", "amount": -5.0})
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"), self.cr.savepoint():
            self.commission.rate = 101.0
        wizard = self.env["partner.profitability.wizard"].create(
            {"date_from": "2026-12-31", "date_to": "2026-01-01"}
        )
        with self.assertRaisesRegex(UserError, "after the end date"):
            wizard.action_compute()

    def test_access(self):
        """A salesperson sees their own customers only; other employees see nothing."""
        own = self.customer_a.with_user(self.salesperson).get_profitability(
            str(self.year_start), str(self.today)
        )
        self.assertEqual(own[str(self.customer_a.id)]["net_profit"], 159.0)
        with self.assertRaisesRegex(AccessError, "your own customers"):
            self.customer_b.with_user(self.salesperson).get_profitability(
                str(self.year_start), str(self.today)
            )
        employee = new_test_user(
            self.env, login="employee_only", groups="base.group_user", company_id=self.company.id
        )
        with self.assertRaises(AccessError):
            self.customer_a.with_user(employee).get_profitability(
                str(self.year_start), str(self.today)
            )
        card = self.customer_b.with_user(self.salesperson)
        self.assertFalse(card.profit_allowed)
        self.assertEqual(card.profit_sales, 0.0)
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.salesperson).create(
                {"name": "Satışçı", "kind": "sales_percent", "rate": 1.0}
            )

    def test_partner_card(self):
        card = self.customer_a.with_user(self.salesperson)
        self.assertTrue(card.profit_allowed)
        self.assertEqual(
            (card.profit_sales, card.profit_cogs, card.profit_cogs_standard, card.profit_gross),
            (400.0, 176.0, 40.0, 224.0),
        )
        self.assertEqual(
            (card.profit_allocated, card.profit_net, card.profit_net_margin), (65.0, 159.0, 39.75)
        )
        action = card.action_open_profitability()
        self.assertEqual(action["res_model"], "partner.profitability.report")
        rows = self.env["partner.profitability.report"].with_user(self.salesperson).search([])
        self.assertEqual(rows.partner_id, self.customer_a)

    def test_report_and_xlsx(self):
        self._invoice(self._sell(self.customer_b, [(self.assembly, 1, 100.0)]))
        wizard = self.env["partner.profitability.wizard"].create(
            {"date_from": self.year_start, "date_to": self.today}
        )
        wizard.action_compute()
        rows = self.env["partner.profitability.report"].search(
            [("partner_id", "in", (self.customer_a | self.customer_b).ids)]
        )
        row_a = rows.filtered(lambda row: row.partner_id == self.customer_a)
        row_b = rows.filtered(lambda row: row.partner_id == self.customer_b)
        self.assertEqual(
            (row_a.sales, row_a.cogs, row_a.gross_profit, row_a.allocated_cost, row_a.net_profit),
            (400.0, 176.0, 224.0, 65.0, 159.0),
        )
        self.assertTrue(row_a.standard_cost_used)
        # B: 100.00 sales, 40.00 standard cost, commission 10.00, no delivery
        self.assertEqual((row_b.net_profit, row_b.net_margin, row_b.cogs_share), (50.0, 50.0, 40.0))
        self.assertEqual(row_a.user_id, self.salesperson)
        grouped = self.env["partner.profitability.report"].with_user(self.salesperson)
        # a salesperson's own computation only holds their customers
        wizard.with_user(self.salesperson).action_compute()
        self.assertEqual(grouped.search([]).partner_id, self.customer_a)
        by_user = wizard.copy({"user_id": self.salesperson.id})
        by_user.action_compute()
        self.assertEqual(
            self.env["partner.profitability.report"].search([]).partner_id, self.customer_a
        )
        action = wizard.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        content = base64.b64decode(attachment.datas)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            strings = archive.read("xl/sharedStrings.xml").decode()
        self.assertIn("Ege Market", strings)
        self.assertIn("Trakya Toptan", strings)

    def test_query_count_constant_in_customers(self):
        self._invoice(self._sell(self.customer_b, [(self.assembly, 1, 100.0)]))
        Partner = self.env["res.partner"]
        options = Partner._profitability_options(self.year_start, self.today)
        both_ids = set(self.customer_a.ids + self.customer_b.ids)
        for partner_ids in ({self.customer_a.id}, both_ids):  # Odoo's own caches
            self.env.invalidate_all()
            Partner._profitability_compute(options, partner_ids)
        self.env.invalidate_all()
        with self.assertQueryCount(6):
            one = Partner._profitability_compute(options, {self.customer_a.id})
        self.env.invalidate_all()
        with self.assertQueryCount(6):
            both = Partner._profitability_compute(options, both_ids)
        self.assertEqual(one[self.customer_a.id], both[self.customer_a.id])
        self.assertEqual(both[self.customer_b.id]["net_profit"], 50.0)

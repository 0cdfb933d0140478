from odoo.exceptions import AccessError
from odoo.tests import tagged

from .credit_common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditRiskEngine(CreditCommon):
    """Worked example (company currency TRY; 1 USD = 40 TRY):

    open balance   invoice 1 000 + 20% = 1 200, vendor bill −100            →  1 100
    cheques        own 500 ×1, third-party 1 000 ×0.5, USD 50 (2 000) ×1     →  3 000
                   (a cheque 10 days past due with a 5-day margin is out)
    notes          400 × 0.5                                                →    200
    dispatch       4 of 10 delivered at 120 incl. VAT                        →    480
    orders         6 × 120 = 720 + USD order 120 USD (4 800)                 →  5 520
    total                                                                    → 10 300
    limit 10 000 + tolerance (500 + 1% = 600) − 10 300                        → open 300
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._customer(
            "Ege Toptan Ltd.", mode="partner", limit=10000.0, credit_overrun_amount=500.0,
            credit_overrun_percent=1.0, risk_endorsed_cheque_factor=0.5, risk_note_factor=0.5,
            risk_cheque_margin_days=5,
        )
        cls.usd_account = cls._account(cls.partner, cls.usd)
        cls.init_invoice("out_invoice", cls.partner, amounts=[1000.0], taxes=cls.vat20,
                         post=True)
        cls.init_invoice("in_invoice", cls.partner, amounts=[100.0], post=True, taxes=[])
        order = cls._order(cls.partner, qty=10, price=100.0)
        order.action_confirm()
        cls._deliver(order, 4)
        usd_order = cls._order(cls.partner, qty=1, price=100.0, account=cls.usd_account)
        usd_order.action_confirm()
        cls.usd_order = usd_order
        cls._document(cls.partner, 500.0)
        cls._document(cls.partner, 1000.0, third_party=True)
        cls._document(cls.partner, 777.0, days=-10)
        cls._document(cls.partner, 50.0, currency=cls.usd,
                      financial_account_id=cls.usd_account.id)
        cls._document(cls.partner, 400.0, kind="customer_note", days=60)
        cls._document(cls.partner, 999.0, kind="own_cheque")  # ours: not customer risk

    def test_worked_example(self):
        risk = self.partner.get_credit_risk()[str(self.partner.id)]
        self.assertEqual(self.usd_order.currency_id, self.usd)
        expected = {
            "currency": "TRY", "open_balance": 1100.0, "cheque_risk": 3000.0,
            "note_risk": 200.0, "shipment_risk": 480.0, "order_risk": 5520.0,
            "total_risk": 10300.0, "credit_limit": 10000.0, "risk_tolerance": 600.0,
            "open_credit": 300.0, "total_credit_limit": 0.0,
        }
        self.assertEqual({key: risk[key] for key in expected}, expected)

    def test_foreign_currency_account(self):
        risk = self.partner.get_credit_risk(financial_account_id=self.usd_account.id)
        account = risk[str(self.partner.id)]["accounts"]
        self.assertEqual(list(account), [str(self.usd_account.id)])
        usd = account[str(self.usd_account.id)]
        self.assertEqual(
            (usd["currency"], usd["order_risk"], usd["cheque_risk"], usd["total_risk"]),
            ("USD", 120.0, 50.0, 170.0),
        )

    def test_component_switches(self):
        self.partner.risk_include_order = False
        self.usd_account.risk_include_cheque = False
        risk = self.partner.get_credit_risk()[str(self.partner.id)]
        self.assertEqual((risk["order_risk"], risk["total_risk"]), (0.0, 4780.0))
        usd = risk["accounts"][str(self.usd_account.id)]
        self.assertEqual((usd["cheque_risk"], usd["order_risk"], usd["total_risk"]),
                         (0.0, 0.0, 0.0))

    def test_cheque_margin_and_states(self):
        self.partner.risk_cheque_margin_days = 15
        risk = self.partner.get_credit_risk()[str(self.partner.id)]
        self.assertEqual(risk["cheque_risk"], 3777.0)
        cheque = self.env["partner.portfolio.document"].search(
            [("partner_id", "=", self.partner.id), ("amount", "=", 500.0)])
        cheque.action_deposit()
        cheque.action_collect()
        self.assertEqual(cheque.state, "collected")
        risk = self.partner.get_credit_risk()[str(self.partner.id)]
        self.assertEqual(risk["cheque_risk"], 3277.0)

    def test_one_query_per_component(self):
        """The engine's cost does not grow with the number of partners."""
        customers = self.env["res.partner"]
        for index in range(4):
            customer = self._customer(f"Ege {index}")
            self._order(customer, account=self._account(customer, self.usd)).action_confirm()
            self._document(customer, 10.0 + index)
            customers |= customer

        def queries(partners):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            partners._credit_risk_data(self.company)
            return self.env.cr.sql_log_count - before

        queries(customers)  # warm the ormcaches (access rules)
        self.assertEqual(queries(customers[:1]), queries(customers))

    def test_customer_risk_report(self):
        action = self.env["partner.credit.risk.report"].action_open_report()
        rows = self.env["partner.credit.risk.report"].search(action["domain"])
        row = rows.filtered(lambda r: r.partner_id == self.partner)
        self.assertEqual(
            (row.total_risk, row.open_credit, row.order_risk, row.over_limit, row.exceeded_by),
            (10300.0, 300.0, 5520.0, False, 0.0),
        )
        self.partner.with_company(self.company).credit_limit = 9000.0
        action = self.partner.action_open_credit_risk()
        row = self.env["partner.credit.risk.report"].search(action["domain"])
        self.assertEqual((row.partner_id, row.over_limit, row.exceeded_by),
                         (self.partner, True, 710.0))  # 9 000 + 590 − 10 300
        with self.assertRaises(AccessError):
            self.env["partner.credit.risk.report"].with_user(self.salesperson).action_open_report()

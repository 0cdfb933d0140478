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
            "Ege Toptan Ltd.",
            mode="partner",
            limit=10000.0,
            credit_overrun_amount=500.0,
            credit_overrun_percent=1.0,
            risk_endorsed_cheque_factor=0.5,
            risk_note_factor=0.5,
            risk_cheque_margin_days=5,
        )
        cls.usd_account = cls._account(cls.partner, cls.usd)
        cls.init_invoice("out_invoice", cls.partner, amounts=[1000.0], taxes=cls.vat20, post=True)
        cls.init_invoice("in_invoice", cls.partner, amounts=[100.0], post=True, taxes=[])
        order = cls._order(cls.partner, qty=10, price=100.0)
        order.action_confirm()
        cls._deliver(order, 4)
        cls.try_order = order
        usd_order = cls._order(cls.partner, qty=1, price=100.0, account=cls.usd_account)
        usd_order.action_confirm()
        cls.usd_order = usd_order
        cls._document(cls.partner, 500.0)
        cls._document(cls.partner, 1000.0, third_party=True)
        cls._document(cls.partner, 777.0, days=-10)
        cls._document(cls.partner, 50.0, currency=cls.usd, financial_account_id=cls.usd_account.id)
        cls._document(cls.partner, 400.0, kind="customer_note", days=60)
        cls._document(cls.partner, 999.0, kind="own_cheque")  # ours: not customer risk

    def test_worked_example(self):
        risk = self.partner.get_credit_risk()[str(self.partner.id)]
        self.assertEqual(self.usd_order.currency_id, self.usd)
        expected = {
            "currency": "TRY",
            "open_balance": 1100.0,
            "cheque_risk": 3000.0,
            "note_risk": 200.0,
            "shipment_risk": 480.0,
            "order_risk": 5520.0,
            "total_risk": 10300.0,
            "credit_limit": 10000.0,
            "risk_tolerance": 600.0,
            "open_credit": 300.0,
            "total_credit_limit": 0.0,
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
        self.assertEqual(
            (usd["cheque_risk"], usd["order_risk"], usd["total_risk"]), (0.0, 0.0, 0.0)
        )

    def test_cheque_margin_and_states(self):
        self.partner.risk_cheque_margin_days = 15
        risk = self.partner.get_credit_risk()[str(self.partner.id)]
        self.assertEqual(risk["cheque_risk"], 3777.0)
        cheque = self.env["partner.portfolio.document"].search(
            [("partner_id", "=", self.partner.id), ("amount", "=", 500.0)]
        )
        cheque.action_deposit()
        cheque.action_collect()
        self.assertEqual(cheque.state, "collected")
        risk = self.partner.get_credit_risk()[str(self.partner.id)]
        self.assertEqual(risk["cheque_risk"], 3277.0)

    def test_order_and_sales_types(self):
        """The order risk counts only the order types (and sales types) the card lists; the
        shipment risk is not filtered."""
        standard = self.env.ref("partner_credit_risk.order_type_standard")
        sample = self.env.ref("partner_credit_risk.order_type_sample")
        wholesale = self.env.ref("partner_credit_risk.trade_sale_type_wholesale")
        self.try_order.write({"order_type_id": standard.id, "sale_type_id": wholesale.id})
        self.usd_order.order_type_id = sample

        def figures():
            risk = self.partner.get_credit_risk()[str(self.partner.id)]
            return risk["order_risk"], risk["shipment_risk"], risk["total_risk"]

        self.partner.risk_order_type_ids = standard
        self.assertEqual(figures(), (720.0, 480.0, 5500.0))  # USD order (4 800) left out
        self.partner.risk_order_type_ids = sample
        self.assertEqual(figures(), (4800.0, 480.0, 9580.0))
        self.partner.write(
            {
                "risk_order_type_ids": [(6, 0, (standard | sample).ids)],
                "risk_sale_type_ids": wholesale,
            }
        )
        self.assertEqual(figures(), (720.0, 480.0, 5500.0))  # the USD order has no sales type
        self.partner.write({"risk_order_type_ids": [(5,)], "risk_sale_type_ids": [(5,)]})
        self.assertEqual(figures(), (5520.0, 480.0, 10300.0))

    def test_order_type_rights(self):
        """Order types are master data: everyone reads them, customer-master managers keep
        them, only credit managers choose which count in the risk."""
        standard = self.env.ref("partner_credit_risk.order_type_standard")
        self.assertEqual(standard.with_user(self.salesperson).name, "Standard order")
        with self.assertRaises(AccessError):
            self.env["partner.order.type"].with_user(self.salesperson).create(
                {"name": "Kampanya", "code": "KMP"}
            )
        campaign = (
            self.env["partner.order.type"]
            .with_user(self.master_manager)
            .create({"name": "Kampanya siparişi", "code": "KMP"})
        )
        with self.assertRaises(AccessError):
            self.partner.with_user(self.master_manager).risk_order_type_ids = campaign
        order = self._order(self.partner, user=self.salesperson)
        order.with_user(self.salesperson).order_type_id = campaign
        self.assertEqual(order.order_type_id, campaign)

    def test_check_credit_fixed_queries(self):
        """An accountant's check, once the request has its user and companies: the partner
        and the currency (existence and record rules in one query each), the card's risk
        parameters, the currency's rounding, then one statement for every component: 5
        queries, however many documents (a refused check also reads what its message
        names)."""
        self.assertFalse(self.env.su)

        def queries():
            self.env.flush_all()
            self.env.invalidate_all()
            self.env.user.tz, self.env.companies.mapped("parent_path")  # the request's
            before = self.env.cr.sql_log_count
            result = self.partner.check_credit(1.0, self.try_.id)  # allowed: no message
            return self.env.cr.sql_log_count - before, result["open_credit"]

        queries()  # warm the ormcaches (groups, rules, the company's exemption policy)
        self.assertEqual(queries(), (5, 300.0))
        for days in (10, 20):
            self._document(self.partner, 50.0, days=days)  # 2 × 50 cheques
        self.init_invoice("out_invoice", self.partner, amounts=[100.0], taxes=self.vat20, post=True)
        self.assertEqual(queries(), (5, 80.0))  # 300 − 100 − 120

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
        self.assertEqual(
            (row.partner_id, row.over_limit, row.exceeded_by), (self.partner, True, 710.0)
        )  # 9 000 + 590 − 10 300
        with self.assertRaises(AccessError):
            self.env["partner.credit.risk.report"].with_user(self.salesperson).action_open_report()
        # each figure opens the documents behind it
        documents = self.env["partner.portfolio.document"].search(
            row.action_open_documents()["domain"]
        )
        self.assertEqual(sorted(documents.mapped("amount")), [50.0, 400.0, 500.0, 777.0, 1000.0])
        orders = self.env["sale.order"].search(row.action_open_orders()["domain"])
        self.assertEqual(len(orders), 2)
        items = self.env["account.move.line"].search(row.action_open_balance_lines()["domain"])
        self.assertEqual(sum(items.mapped("amount_residual")), 1100.0)

    def test_due_reminder(self):
        soon = self._document(self.partner, 90.0, days=2)
        self.env["partner.portfolio.document"]._cron_due_reminder(days=3)
        self.env["partner.portfolio.document"]._cron_due_reminder(days=3)
        self.assertEqual(len(soon.activity_ids), 1)
        self.assertEqual(soon.activity_ids.date_deadline, soon.due_date)
        later = self.env["partner.portfolio.document"].search(
            [("partner_id", "=", self.partner.id), ("amount", "=", 400.0)]
        )
        self.assertFalse(later.activity_ids)


@tagged("post_install", "-at_install")
class TestPortfolioJournal(CreditCommon):
    """With a portfolio journal, each transition posts its entry and the risk stays whole:
    a received cheque leaves the open balance and enters the cheque risk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"]
        cls.cheque_account = Account.create(
            {"code": "101901", "name": "Alınan Çekler", "account_type": "asset_current"}
        )
        cls.note_account = Account.create(
            {"code": "121901", "name": "Alacak Senetleri", "account_type": "asset_current"}
        )
        cls.own_account = Account.create(
            {"code": "103901", "name": "Verilen Çekler", "account_type": "liability_current"}
        )
        cls.company.write(
            {
                "portfolio_journal_id": cls.company_data["default_journal_misc"].id,
                "portfolio_cheque_account_id": cls.cheque_account.id,
                "portfolio_note_account_id": cls.note_account.id,
                "portfolio_own_account_id": cls.own_account.id,
                "portfolio_bank_journal_id": cls.company_data["default_journal_bank"].id,
            }
        )
        cls.partner = cls._customer("Çekle Öder A.Ş.")
        cls.init_invoice("out_invoice", cls.partner, amounts=[1000.0], taxes=cls.vat20, post=True)
        cls.supplier = cls.Partner.create({"name": "Tedarikçi Ltd.", "is_company": True})

    def _risk(self):
        risk = self.partner.get_credit_risk()[str(self.partner.id)]
        return risk["open_balance"], risk["cheque_risk"], risk["total_risk"]

    def _lines(self, document):
        return sorted((line.account_id.code, line.balance) for line in document.move_ids.line_ids)

    def test_receipt_collection(self):
        cheque = self._document(self.partner, 500.0)
        receivable = self.partner.property_account_receivable_id
        self.assertEqual(
            self._lines(cheque), sorted([("101901", 500.0), (receivable.code, -500.0)])
        )
        self.assertEqual(self._risk(), (700.0, 500.0, 1200.0))
        cheque.action_deposit()
        cheque.action_collect()
        bank = self.company_data["default_journal_bank"].default_account_id
        self.assertIn((bank.code, 500.0), self._lines(cheque))
        self.assertEqual(self._risk(), (700.0, 0.0, 700.0))

    def test_endorse_and_bounce(self):
        cheque = self._document(self.partner, 300.0, third_party=True)
        cheque.action_endorse(self.supplier.id)
        payable = self.supplier.property_account_payable_id
        self.assertIn((payable.code, 300.0), self._lines(cheque))
        cheque.action_bounce()
        self.assertEqual(len(cheque.move_ids), 3)
        self.assertIn((payable.code, -300.0), self._lines(cheque))
        # back in the receivable, no longer a cheque risk: counted once
        self.assertEqual(self._risk(), (1200.0, 0.0, 1200.0))

    def test_own_cheque_paid(self):
        cheque = self._document(self.supplier, 250.0, kind="own_cheque")
        cheque.action_pay()
        bank = self.company_data["default_journal_bank"].default_account_id
        self.assertEqual(len(cheque.move_ids), 2)
        self.assertIn((bank.code, -250.0), self._lines(cheque))
        self.assertIn(("103901", 250.0), self._lines(cheque))

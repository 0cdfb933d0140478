from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CustomerMasterCommon

PERSONAL_FIELDS = (
    "identity_serial",
    "birth_date",
    "birth_place",
    "father_name",
    "mother_name",
    "marital_status",
    "education_level",
)


@tagged("post_install", "-at_install")
class TestCompanyIsolationAndPersonalData(CustomerMasterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Ege Ticaret A.Ş.")["company"]
        master = "partner_credit_risk.group_customer_master_user"
        cls.other_company_user = new_test_user(
            cls.env,
            login="ege_master",
            groups=f"base.group_user,{master}",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.own_salesperson = new_test_user(
            cls.env,
            login="own_docs_sales",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.accountant = new_test_user(
            cls.env,
            login="muhasebe",
            groups="base.group_user,account.group_account_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.person = cls.Partner.create(
            {
                "name": "Ayşe Yılmaz",
                "company_id": cls.company.id,
                "vat": "10000000146",
                "identity_serial": "A12B34567",
                "birth_date": "1985-04-23",
                "father_name": "Mehmet",
                "mother_name": "Fatma",
                "marital_status": "married",
            }
        )

    # --- multi-company rules -------------------------------------------------------------
    def test_other_company_reads_no_sub_record_of_our_partners(self):
        partner = self.person
        values = {"partner_id": partner.id}
        records = {
            "partner.inquiry": self.env["partner.inquiry"].create(
                dict(values, subject="Kredi kaydı", result="negative")
            ),
            "partner.shareholder": self.env["partner.shareholder"].create(
                dict(values, name="Ortak", share_ratio=40.0)
            ),
            "partner.reference": self.env["partner.reference"].create(
                dict(values, name="Referans")
            ),
            "partner.responsible": self.env["partner.responsible"].create(
                dict(values, user_id=self.master_user.id)
            ),
            "partner.credit.card": self.env["partner.credit.card"].create(
                dict(
                    values,
                    holder_name="AYSE YILMAZ",
                    card_number="4111111111111111",
                    expiry_month=12,
                    expiry_year=2030,
                )
            ),
            "partner.status.history": partner.status_history_ids[:1],
        }
        for model, record in records.items():
            with self.subTest(model=model):
                self.assertEqual(record.company_id, self.company)
                self.assertEqual(
                    record.with_user(self.master_user).search([("id", "=", record.id)]), record
                )
                other = self.env[model].with_user(self.other_company_user)
                self.assertFalse(other.search([("partner_id", "=", partner.id)]))
                with self.assertRaises(AccessError):
                    record.with_user(self.other_company_user).read(["partner_id"])

    # --- transactions and balances with the caller's rights ------------------------------
    def test_transactions_only_of_documents_the_user_may_read(self):
        mine, theirs = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "user_id": user.id,
                    "order_line": [
                        Command.create({"product_id": self.product_a.id, "price_unit": 100.0})
                    ],
                }
                for user in (self.own_salesperson, self.master_manager)
            ]
        )
        self.env.flush_all()
        Transaction = self.env["partner.transaction"]
        rows = Transaction.search([("kind", "=", "sale"), ("partner_id", "=", self.customer.id)])
        self.assertEqual(set(rows.mapped("res_id")), {mine.id, theirs.id})
        as_sales = Transaction.with_user(self.own_salesperson)
        visible = as_sales.search([("kind", "=", "sale"), ("partner_id", "=", self.customer.id)])
        self.assertEqual(visible.mapped("res_id"), [mine.id])
        groups = as_sales._read_group(
            [("kind", "=", "sale"), ("partner_id", "=", self.customer.id)], [], ["amount:sum"]
        )
        self.assertAlmostEqual(groups[0][0], mine.amount_total)
        hidden = rows.filtered(lambda row: row.res_id == theirs.id)
        with self.assertRaises(AccessError):
            hidden.with_user(self.own_salesperson).read(["amount"])
        # someone else's invoice: no row for the salesperson
        invoice = self.init_invoice("out_invoice", partner=self.customer, amounts=[50.0], post=True)
        domain = [("res_model", "=", "account.move"), ("res_id", "=", invoice.id)]
        self.assertTrue(Transaction.search(domain))
        self.assertFalse(as_sales.search(domain))

    def test_balance_computed_with_the_callers_rights(self):
        invoice = self.init_invoice("out_invoice", partner=self.customer, amounts=[300.0])
        invoice.invoice_user_id = self.master_manager
        invoice.action_post()
        account = invoice.financial_account_id
        self.assertTrue(account)
        total = invoice.amount_total
        self.assertAlmostEqual(account.balance, total)
        self.assertAlmostEqual(account.with_user(self.accountant).balance, total)
        # a salesperson seeing their own documents only does not see someone else's invoice
        self.assertAlmostEqual(account.with_user(self.own_salesperson).balance, 0.0)
        self.assertEqual(
            self.customer.with_user(self.own_salesperson).get_financial_balances()[0]["balance"],
            0.0,
        )

    # --- personal data ---------------------------------------------------------------------
    def test_personal_fields_need_the_personal_data_group(self):
        group = self.env.ref("partner_credit_risk.group_customer_personal_data")
        self.assertIn(group, self.master_manager.groups_id)
        self.assertNotIn(group, self.master_user.groups_id)
        for field in PERSONAL_FIELDS:
            self.assertEqual(
                self.env["res.partner"]._fields[field].groups,
                "partner_credit_risk.group_customer_personal_data",
            )
        as_user = self.person.with_user(self.master_user)
        with self.assertRaises(AccessError):
            as_user.read(["identity_serial"])
        with self.assertRaises(AccessError):
            as_user.search([("identity_serial", "=", "A12B34567")])
        # the TCKN is the person's tax ID, as GİB and l10n_tr read it: no second copy
        self.assertNotIn("identity_number", self.env["res.partner"]._fields)
        self.assertEqual(as_user.read(["vat"])[0]["vat"], "10000000146")
        with self.assertRaises(AccessError):
            as_user.search([("mother_name", "ilike", "Fatma")])
        self.assertNotIn("birth_date", as_user.fields_get())
        self.assertFalse(
            self.env["partner.shareholder"]
            .with_user(self.master_user)
            .fields_get(["identity_number"])
        )
        # the form still opens, without the fields
        arch = as_user.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn('name="father_name"', arch)
        self.master_user.groups_id += group
        as_user = self.person.with_user(self.master_user)
        self.assertEqual(as_user.read(["identity_serial"])[0]["identity_serial"], "A12B34567")
        self.assertEqual(as_user.search([("mother_name", "ilike", "Fatma")]), self.person)
        arch = as_user.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="father_name"', arch)

    # --- DF: only the manager's decision leaves it ------------------------------------------
    def test_awaiting_approval_cannot_be_bypassed(self):
        partner = self.Partner.create({"name": "Yeni Bayi", "customer_status": "DF"})
        for user in (self.master_user, self.master_manager):
            for target in ("AA", "BA", "DB", "PA", "YH", "XA"):
                with self.assertRaisesRegex(UserError, "awaiting approval"):
                    partner.with_user(user).action_change_customer_status(target, "yol")
        self.assertEqual(partner.customer_status, "DF")
        with self.assertRaises(AccessError):
            partner.with_user(self.master_user).action_reject_customer("Belge eksik")
        partner.with_user(self.master_manager).action_reject_customer("Belge eksik")
        last = partner.status_history_ids.sorted("id")[-1]
        self.assertEqual(
            (last.old_status, last.new_status, last.reason, last.user_id),
            ("DF", "YH", "Belge eksik", self.master_manager),
        )
        # entering DF and moving elsewhere from other statuses stays free
        partner.with_user(self.master_user).action_change_customer_status("DF", "Tekrar")
        self.assertEqual(partner.customer_status, "DF")

    # --- GL accounts: accountants only -------------------------------------------------------
    def test_gl_account_opened_only_by_an_accountant(self):
        eur = self.setup_other_currency("EUR", rates=[("2000-01-01", 0.02)])
        Account = self.env["account.account"]
        before = Account.search_count([("currency_id", "=", eur.id)])
        account_id = self.customer.with_user(self.master_user).ensure_financial_account(
            "CSW", eur.id, self.company.id
        )
        financial = self.env["partner.financial.account"].browse(account_id)
        self.assertFalse(financial.account_id)
        self.assertEqual(Account.search_count([("currency_id", "=", eur.id)]), before)
        activity = financial.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn("EUR", activity.summary)
        self.assertTrue(activity.user_id.has_group("account.group_account_manager"))
        with self.assertRaises(AccessError):
            financial.with_user(self.master_user).action_open_gl_account()
        # the same call in a marketplace import by an accountant still opens nothing
        supplier = self.Partner.create({"name": "Pazar Alıcısı", "is_company": True})
        imported = self.env["partner.financial.account"].browse(
            supplier.with_context(no_gl_account_creation=True).ensure_financial_account(
                "CSE", eur.id, self.company.id
            )
        )
        self.assertFalse(imported.account_id)
        self.assertEqual(Account.search_count([("currency_id", "=", eur.id)]), before)
        # the accountant opens it, once, and the to-do is done
        financial.with_user(self.accountant).action_open_gl_account()
        self.assertEqual(financial.account_id.currency_id, eur)
        self.assertFalse(financial.activity_ids)
        imported.with_user(self.accountant).action_open_gl_account()
        self.assertEqual(imported.account_id, financial.account_id)
        self.assertEqual(Account.search_count([("currency_id", "=", eur.id)]), before + 1)

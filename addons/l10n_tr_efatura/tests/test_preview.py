"""The e-document preview is served inline as HTML, only to users who may read the invoice."""

from datetime import date

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.l10n_tr_efatura.tests.common import setup_turkish_seller
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestEdocumentPreview(AccountTestInvoicingHttpCommon):
    @classmethod
    @AccountTestInvoicingHttpCommon.setup_country("tr")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = setup_turkish_seller(cls.company_data["company"])
        cls.buyer = cls.env["res.partner"].create(
            {
                "name": "Marmara Elektronik Ltd. Şti.",
                "is_company": True,
                "vat": "7345120982",
                "l10n_tr_tax_office": "Kadıköy",
                "l10n_tr_is_efatura_user": True,
                "street": "Bağdat Caddesi No: 210",
                "city": "Kadıköy",
                "country_id": cls.env.ref("base.tr").id,
                "state_id": cls.env.ref("base.state_tr_34").id,
            }
        )
        kdv20 = cls.env["account.chart.template"].with_company(cls.company).ref("tr_s_20")
        cls.move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.buyer.id,
                "invoice_date": date(2026, 3, 2),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Bluetooth Kulaklık",
                            "quantity": 2,
                            "price_unit": 150,
                            "tax_ids": [Command.set(kdv20.ids)],
                        }
                    )
                ],
            }
        )
        cls.move.action_post()
        cls.url = f"/l10n_tr_efatura/preview/{cls.move.id}"
        cls.accountant = new_test_user(
            cls.env,
            login="tr_preview_accountant",
            password="tr_preview_accountant",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        other = cls.setup_other_company(name="Başka Şirket")["company"]
        cls.other_company_user = new_test_user(
            cls.env,
            login="tr_preview_other",
            password="tr_preview_other",
            groups="base.group_user,account.group_account_invoice",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        cls.employee = new_test_user(
            cls.env,
            login="tr_preview_employee",
            password="tr_preview_employee",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def test_button_opens_the_preview_route_in_a_new_tab(self):
        action = self.move.action_l10n_tr_preview_edocument()
        self.assertEqual(action, {"type": "ir.actions.act_url", "target": "new", "url": self.url})
        self.assertTrue(self.move.l10n_tr_edoc_xml_id, "the button builds and attaches the XML")

    def test_preview_is_inline_html_with_number_and_buyer(self):
        self.move.l10n_tr_build_edocument()
        self.authenticate("tr_preview_accountant", "tr_preview_accountant")
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "text/html; charset=utf-8")
        self.assertTrue(response.headers["Content-Disposition"].startswith("inline"))
        self.assertNotIn("attachment", response.headers["Content-Disposition"])
        html = response.content.decode()
        self.assertIn(self.move.l10n_tr_gib_number, html)
        self.assertIn("Marmara Elektronik Ltd. Şti.", html)
        self.assertIn(self.move.l10n_tr_ettn, html)
        self.assertIn("360.00 TRY", html)  # 2 x 150 + 20 % KDV, from the XML's PayableAmount

    def test_preview_without_attached_xml_renders_in_memory(self):
        self.assertFalse(self.move.l10n_tr_edoc_xml_id)
        self.authenticate("tr_preview_accountant", "tr_preview_accountant")
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.move.l10n_tr_gib_number, response.text)
        self.assertFalse(self.move.l10n_tr_edoc_xml_id, "a GET preview writes nothing")

    def test_user_of_another_company_is_refused(self):
        self.authenticate("tr_preview_other", "tr_preview_other")
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(self.move.l10n_tr_gib_number, response.text)

    def test_user_without_invoice_rights_is_refused(self):
        self.authenticate("tr_preview_employee", "tr_preview_employee")
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(self.move.l10n_tr_gib_number, response.text)

    def test_missing_invoice_and_draft_invoice_give_404(self):
        self.authenticate("tr_preview_accountant", "tr_preview_accountant")
        missing = self.env["account.move"].search([], order="id desc", limit=1).id + 1000
        self.assertEqual(self.url_open(f"/l10n_tr_efatura/preview/{missing}").status_code, 404)
        draft = self.move.copy()
        response = self.url_open(f"/l10n_tr_efatura/preview/{draft.id}")
        self.assertEqual(response.status_code, 404)

    def test_anonymous_visitor_is_sent_to_login(self):
        response = self.url_open(self.url, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

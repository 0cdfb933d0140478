import shutil
from datetime import date

from odoo import Command
from odoo.tests import HttpCase, tagged

from .transport_common import BUYER_VKN, IzibizTransportCase


@tagged("post_install", "-at_install")
class TestEDocumentTours(IzibizTransportCase, HttpCase):
    """Post, preview and send an e-Fatura and an e-Arşiv invoice as an administrator
    clicks it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.env.ref("base.user_admin")
        admin.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})

    def _draft(self, partner):
        return self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 3,
                            "price_unit": 100.0,
                            "discount": 10.0,
                            "tax_ids": [Command.set(self.kdv20.ids)],
                        }
                    )
                ],
            }
        )

    def _post_and_send_in_browser(self, move):
        url = f"/odoo/action-account.action_move_out_invoice_type/{move.id}"
        with self._capture_mails():
            self.start_tour(url, "l10n_tr_efatura_post_send_tour", login="admin")
        self.assertEqual(move.state, "posted")
        self.assertIn(move.l10n_tr_edoc_state, ("sent", "accepted"), move.l10n_tr_edoc_raw_message)
        self.assertTrue(self.fake.document(move.l10n_tr_ettn))
        return move

    def test_tour_efatura(self):
        move = self._post_and_send_in_browser(self._draft(self.buyer))
        self.assertEqual(move.l10n_tr_efatura_profile, "TEMELFATURA")
        self.assertEqual(move.amount_total, 324.0)  # 3 × 100 − 10 % + 20 % KDV
        xml = self.fake.document(move.l10n_tr_ettn)["xml"]
        self.assertIn(BUYER_VKN.encode(), xml if isinstance(xml, bytes) else xml.encode())

    def test_tour_earsiv(self):
        move = self._post_and_send_in_browser(self._draft(self.consumer))
        self.assertEqual(move.l10n_tr_efatura_profile, "EARSIVFATURA")

    def test_gib_pdf_with_discount(self):
        """The GİB layout renders a discounted line (it crashed in QWeb), with wkhtmltopdf
        where the machine has it, and embeds its QR code."""
        move = self._draft(self.consumer)
        move.action_post()
        report = self.env["ir.actions.report"]
        html = report._render_qweb_html("l10n_tr_efatura.report_l10n_tr_edocument", move.ids)[0]
        self.assertIn(b"<span>%10</span>", html)  # the discount rate of the line
        self.assertIn(b'src="data:image/png;base64,', html)
        if not shutil.which("wkhtmltopdf"):
            self.skipTest("wkhtmltopdf is not installed: the PDF itself is not rendered")
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "l10n_tr_efatura.report_l10n_tr_edocument", move.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

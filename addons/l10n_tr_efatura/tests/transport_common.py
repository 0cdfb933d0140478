"""Shared set-up of the transport tests: a Turkish company wired to a fake integrator."""

from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.l10n_tr_efatura.lib.integrators.izibiz import IzibizProvider
from odoo.addons.l10n_tr_efatura.tests.common import load_fake, setup_turkish_seller
from odoo.addons.mail.tests.common import MockEmail

BUYER_VKN = "7345120982"
BUYER_PK = "urn:mail:defaultpk@marmara.example.com"
SUPPLIER_VKN = "1234567808"


class TransportCase(AccountTestInvoicingCommon, MockEmail):
    """Subclasses name their fake (``FAKE``) and the company's integrator settings."""

    FAKE = None
    BUYER_VALUES = {}

    @classmethod
    def _integrator_values(cls):
        raise NotImplementedError

    @classmethod
    @AccountTestInvoicingCommon.setup_country("tr")
    def setUpClass(cls):
        super().setUpClass()
        cls.integrator = load_fake(cls.FAKE)
        cls.samples = load_fake("ubl_samples")
        cls.fake = cls.integrator.start()
        cls.addClassCleanup(cls.fake.stop)
        cls.company = setup_turkish_seller(
            cls.company_data["company"],
            l10n_tr_integrator=cls.FAKE,
            l10n_tr_integrator_environment="test",
            l10n_tr_integrator_username=cls.integrator.USERNAME,
            l10n_tr_integrator_password=cls.integrator.PASSWORD,
            **cls._integrator_values(),
        )
        common = {
            "country_id": cls.env.ref("base.tr").id,
            "street": "Bağdat Caddesi No: 210",
            "city": "Kadıköy",
            "state_id": cls.env.ref("base.state_tr_34").id,
        }
        cls.buyer = cls.env["res.partner"].create(
            dict(
                common,
                name="Marmara Elektronik Ltd. Şti.",
                is_company=True,
                vat=BUYER_VKN,
                l10n_tr_tax_office="Kadıköy",
                l10n_tr_is_efatura_user=True,
                **cls.BUYER_VALUES,
            )
        )
        cls.consumer = cls.env["res.partner"].create(
            dict(common, name="Ayşe Yılmaz", vat="10234567828", email="ayse@example.com")
        )
        cls.supplier = cls.env["res.partner"].create(
            dict(
                common,
                name="Tedarik A.Ş.",
                is_company=True,
                vat=SUPPLIER_VKN,
                l10n_tr_tax_office="Kadıköy",
            )
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Bluetooth Kulaklık", "lst_price": 100.0}
        )
        cls.kdv20 = cls.env["account.chart.template"].with_company(cls.company).ref("tr_s_20")

    def setUp(self):
        super().setUp()
        self.fake.reset()
        self.fake.add_user(BUYER_VKN, "MARMARA ELEKTRONIK", [BUYER_PK])

    @contextmanager
    def _capture_mails(self):
        """Keep the mail.mail records sent meanwhile in ``self._new_mails``; the mail mock
        makes the code believe it runs outside tests, so commits stay disabled."""
        with (
            self.mock_mail_gateway(),
            patch.object(type(self.env["account.move.send"]), "_can_commit", return_value=False),
        ):
            yield

    def _invoice(self, partner, post=True, **values):
        move = self.env["account.move"].create(
            dict(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": date(2026, 3, 2),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "quantity": 2,
                                "price_unit": 100.0,
                                "tax_ids": [Command.set(self.kdv20.ids)],
                            }
                        )
                    ],
                },
                **values,
            )
        )
        if post:
            move.action_post()
        return move

    def _export_invoice(self):
        """A posted export (IHRACAT) invoice to a German company, 0 % KDV (301), FOB by road."""
        buyer = self.env["res.partner"].create(
            {
                "name": "Rhein Handel GmbH",
                "is_company": True,
                "vat": "DE811569869",
                "street": "Rheinallee 12",
                "city": "Köln",
                "zip": "50667",
                "country_id": self.env.ref("base.de").id,
            }
        )
        self.product.l10n_tr_gtip_code = "851830000000"
        kdv0_export = self.env["account.chart.template"].with_company(self.company).ref("tr_s_0_ex")
        move = self._invoice(
            buyer,
            post=False,
            invoice_incoterm_id=self.env.ref("account.incoterm_FOB").id,
            l10n_tr_transport_mode="3",
        )
        move.invoice_line_ids.tax_ids = kdv0_export
        move.action_post()
        self.assertEqual(move.l10n_tr_efatura_profile, "IHRACAT")
        return move

    def _incoming(self, number, profile="TEMELFATURA", **fake_options):
        xml = self.samples.sample_invoice(
            number=number,
            profile=profile,
            supplier=(SUPPLIER_VKN, "Tedarik A.Ş."),
            customer=("4840847211", self.company.name),
            lines=(("Kağıt A4", 10, "50.00", 20), ("Toner", 1, "300.00", 20)),
        )
        return self.fake.add_incoming(xml, SUPPLIER_VKN, "Tedarik A.Ş.", **fake_options)

    def _fetch_incoming_bills(self):
        """Three incoming invoices fetched two a page: draft vendor bills of the supplier
        (matched by VKN) with the XML and PDF attached. Returns the first bill."""
        docs = [self._incoming(f"TED202600000000{i}") for i in (1, 2, 3)]
        result = self.env["account.move"].l10n_tr_fetch_inbox(self.company.id, page_size=2)
        self.assertEqual((len(result["created"]), result["skipped"], result["pages"]), (3, 0, 2))
        bills = self.env["account.move"].browse(result["created"])
        self.assertEqual(set(bills.mapped("move_type")), {"in_invoice"})
        self.assertEqual(set(bills.mapped("state")), {"draft"})
        self.assertEqual(bills.partner_id, self.supplier)
        bill = bills.filtered(lambda b: b.l10n_tr_incoming_ettn == docs[0]["uuid"])
        self.assertEqual(bill.ref, "TED2026000000001")
        self.assertAlmostEqual(bill.amount_total, 960.0)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", bill.id)]
        )
        self.assertEqual(
            sorted(attachments.mapped("mimetype")), ["application/pdf", "application/xml"]
        )
        return bill


class IzibizTransportCase(TransportCase):
    """A company sending through the fake İzibiz."""

    FAKE = "izibiz"
    BUYER_VALUES = {"l10n_tr_efatura_alias": BUYER_PK}

    @classmethod
    def _integrator_values(cls):
        return {
            "l10n_tr_sender_alias": cls.integrator.TEST_GB,
            "l10n_tr_izibiz_auth_url": cls.fake.wsdl_url("AuthenticationWS"),
            "l10n_tr_izibiz_einvoice_url": cls.fake.wsdl_url("EInvoiceWS"),
            "l10n_tr_izibiz_earchive_url": cls.fake.wsdl_url("EFaturaArchive"),
        }

    def setUp(self):
        super().setUp()
        # the fake forgets its sessions on reset: every test logs in afresh
        IzibizProvider.forget_sessions()

"""UBL-TR documents built from real posted invoices of a Turkish company, checked with GİB rules."""

from datetime import date
from decimal import Decimal

from lxml import etree

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.l10n_tr_efatura.lib import validation
from odoo.addons.l10n_tr_efatura.lib.parser import parse_invoice
from odoo.addons.l10n_tr_efatura.tests.common import setup_turkish_seller
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"


class EdocumentCase(AccountTestInvoicingCommon):
    """A GİB-ready Turkish seller, its buyers and the l10n_tr chart taxes."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("tr")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = setup_turkish_seller(cls.company_data["company"])
        tr = cls.env.ref("base.tr")
        common = {
            "country_id": tr.id,
            "street": "Bağdat Caddesi No: 210",
            "city": "Kadıköy",
            "state_id": cls.env.ref("base.state_tr_34").id,
        }
        cls.efatura_buyer = cls.env["res.partner"].create(
            dict(
                common,
                name="Marmara Elektronik Ltd. Şti.",
                is_company=True,
                vat="7345120982",
                l10n_tr_tax_office="Kadıköy",
                l10n_tr_is_efatura_user=True,
                l10n_tr_efatura_alias="urn:mail:defaultpk@marmara.example.com",
            )
        )
        cls.earsiv_company = cls.env["res.partner"].create(
            dict(
                common,
                name="Ege Gıda Sanayi A.Ş.",
                is_company=True,
                vat="4567891233",
                l10n_tr_tax_office="Konak",
            )
        )
        cls.consumer = cls.env["res.partner"].create(
            dict(common, name="Ayşe Yılmaz", vat="10234567828")
        )
        cls.foreign_company = cls.env["res.partner"].create(
            {
                "name": "Rhein Handel GmbH",
                "is_company": True,
                "vat": "DE811569869",
                "street": "Rheinallee 12",
                "city": "Köln",
                "zip": "50667",
                "country_id": cls.env.ref("base.de").id,
            }
        )
        cls.foreign_person = cls.env["res.partner"].create(
            {
                "name": "John Smith",
                "street": "1 Main St",
                "city": "London",
                "country_id": cls.env.ref("base.uk").id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Bluetooth Kulaklık",
                "default_code": "BT-01",
                "lst_price": 100.0,
                "l10n_tr_gtip_code": "851830000000",
            }
        )
        cls.kdv20 = cls._tr_tax("tr_s_20")
        cls.kdv10 = cls._tr_tax("tr_s_10")
        cls.kdv1 = cls._tr_tax("tr_s_1")
        cls.kdv0_export = cls._tr_tax("tr_s_0_ex")
        cls.kdv20_wh_9_10 = cls._tr_tax("tr_s_wh_20_9_10")
        cls.kdv0_other = cls.kdv0_export.copy(
            {
                "name": "0% other",
                "l10n_tr_exemption_code": "351",
                "l10n_tr_exemption_reason": "KDV - İstisna olmayan diğer",
            }
        )
        cls.kdv0_ihrackayitli = cls.kdv0_export.copy(
            {
                "name": "0% ihraç kayıtlı",
                "l10n_tr_exemption_code": "701",
                "l10n_tr_exemption_reason": "İhraç kaydıyla teslim",
            }
        )
        cls.usd = cls.setup_other_currency("USD", rates=[("2026-01-01", 1 / 32.5)])
        cls.eur = cls.setup_other_currency("EUR", rates=[("2026-01-01", 1 / 35.0)])

    @classmethod
    def _tr_tax(cls, xmlid):
        return cls.env["account.chart.template"].with_company(cls.company).ref(xmlid)

    # ------------------------------------------------------------------ helpers

    def _invoice(self, partner, lines, move_type="out_invoice", post=True, **values):
        move = self.env["account.move"].create(
            dict(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": date(2026, 3, 2),
                    "invoice_line_ids": [
                        Command.create(
                            dict(
                                {
                                    "product_id": self.product.id,
                                    "tax_ids": [Command.set(self.kdv20.ids)],
                                },
                                **line,
                            )
                        )
                        for line in lines
                    ],
                },
                **values,
            )
        )
        if post:
            move.action_post()
        return move

    def _build_valid(self, move):
        result = move.l10n_tr_build_edocument()
        xml = move.l10n_tr_edoc_xml_id.raw
        report = validation.validate(xml)
        if validation.kontrol_et:
            self.assertEqual(report["engine"], "efatura-kontrol")
        self.assertEqual(report["errors"], [], f"{move.l10n_tr_gib_number}: {report['errors']}")
        self.assertEqual(report["arithmetic_warnings"], [], report["arithmetic_warnings"])
        # the offline validator (used without efatura-kontrol) gives the same verdict
        offline = validation.validate(xml, force_structural=True)
        self.assertEqual((offline["errors"], offline["arithmetic_warnings"]), ([], []))
        self.assertTrue(result["valid"], result["messages"])
        self.assertEqual(result["gib_number"], move.l10n_tr_gib_number)
        root = etree.fromstring(xml)
        self.assertEqual(root.findtext(CBC + "ID"), move.l10n_tr_gib_number)
        self.assertEqual(root.findtext(CBC + "UUID"), move.l10n_tr_ettn)
        payable = Decimal(root.findtext(f"{CAC}LegalMonetaryTotal/{CBC}PayableAmount"))
        self.assertEqual(payable, Decimal(str(move.amount_total)).quantize(Decimal("0.01")))
        return root


@tagged("post_install", "-at_install")
class TestEdocumentMatrix(EdocumentCase):
    # ------------------------------------------------------------------ the matrix

    def test_01_temelfatura_satis_vkn(self):
        move = self._invoice(self.efatura_buyer, [{"quantity": 2, "price_unit": 150}])
        self.assertEqual(move.l10n_tr_efatura_profile, "TEMELFATURA")
        self.assertEqual(move.l10n_tr_efatura_type, "SATIS")
        self.assertEqual(move.l10n_tr_edoc_state, "to_send")
        self.assertRegex(move.l10n_tr_gib_number, r"^EFT2026\d{9}$")
        self.assertFalse(move.name.startswith("EFT"), "Odoo's own move name stays")
        root = self._build_valid(move)
        self.assertEqual(root.findtext(f"{CAC}TaxTotal/{CBC}TaxAmount"), "60.00")
        self.assertEqual(root.findtext(CBC + "Note"), "YALNIZ : ÜÇ YÜZ ALTMIŞ TÜRK LİRASI")

    def test_02_ticarifatura(self):
        self.company.l10n_tr_default_efatura_profile = "TICARIFATURA"
        move = self._invoice(self.efatura_buyer, [{"quantity": 1, "price_unit": 1000}])
        self.assertEqual(move.l10n_tr_efatura_profile, "TICARIFATURA")
        self._build_valid(move)

    def test_03_earsiv_vkn_not_registered(self):
        move = self._invoice(self.earsiv_company, [{"quantity": 3, "price_unit": 45.5}])
        self.assertEqual(move.l10n_tr_efatura_profile, "EARSIVFATURA")
        self.assertRegex(move.l10n_tr_gib_number, r"^EAR2026\d{9}$")
        root = self._build_valid(move)
        self.assertTrue(root.findtext(CBC + "IssueTime"))

    def test_04_earsiv_tckn_internet_sale(self):
        move = self._invoice(
            self.consumer,
            [{"quantity": 1, "price_unit": 249.9}],
            l10n_tr_is_internet_sale=True,
            l10n_tr_sale_website="https://shop.example.com",
            l10n_tr_payment_method="KREDIKARTI/BANKAKARTI",
            l10n_tr_payment_agent="iyzico",
            l10n_tr_payment_date=date(2026, 3, 1),
            l10n_tr_carrier_vat="3880011223",
            l10n_tr_carrier_name="Hızlı Kargo",
            l10n_tr_shipment_date=date(2026, 3, 2),
        )
        root = self._build_valid(move)
        party = root.find(f"{CAC}AccountingCustomerParty/{CAC}Party")
        self.assertEqual(party.findtext(f"{CAC}Person/{CBC}FamilyName"), "Yılmaz")
        self.assertEqual(root.findtext(f"{CAC}PaymentMeans/{CBC}PaymentMeansCode"), "48")
        self.assertEqual(
            root.findtext(f"{CAC}Delivery/{CAC}CarrierParty/{CAC}PartyName/{CBC}Name"),
            "Hızlı Kargo",
        )

    def test_05_iade_references_returned_invoice(self):
        invoice = self._invoice(self.efatura_buyer, [{"quantity": 5, "price_unit": 80}])
        refund = invoice._reverse_moves([{"invoice_date": date(2026, 3, 5)}])
        refund.action_post()
        self.assertEqual(refund.l10n_tr_efatura_type, "IADE")
        self.assertEqual(refund.l10n_tr_efatura_profile, "TEMELFATURA")
        root = self._build_valid(refund)
        self.assertEqual(root.findtext(CBC + "InvoiceTypeCode"), "IADE")
        self.assertEqual(etree.QName(root).localname, "Invoice")
        self.assertEqual(
            root.findtext(f"{CAC}BillingReference/{CAC}InvoiceDocumentReference/{CBC}ID"),
            invoice.l10n_tr_gib_number,
        )

    def test_06_iade_earsiv_two_returned_invoices(self):
        first = self._invoice(self.consumer, [{"quantity": 1, "price_unit": 100}])
        second = self._invoice(self.consumer, [{"quantity": 1, "price_unit": 50}])
        refund = self._invoice(
            self.consumer,
            [{"quantity": 1, "price_unit": 150}],
            move_type="out_refund",
            reversed_entry_id=first.id,
            l10n_tr_returned_invoice_ids=[Command.set(second.ids)],
        )
        self.assertEqual(refund.l10n_tr_efatura_profile, "EARSIVFATURA")
        root = self._build_valid(refund)
        refs = root.findall(f"{CAC}BillingReference/{CAC}InvoiceDocumentReference/{CBC}ID")
        self.assertEqual(
            {r.text for r in refs}, {first.l10n_tr_gib_number, second.l10n_tr_gib_number}
        )

    def test_07_tevkifat(self):
        move = self._invoice(
            self.efatura_buyer,
            [{"quantity": 1, "price_unit": 1000, "tax_ids": [Command.set(self.kdv20_wh_9_10.ids)]}],
        )
        self.assertEqual(move.l10n_tr_efatura_type, "TEVKIFAT")
        root = self._build_valid(move)
        withholding = root.find(f"{CAC}WithholdingTaxTotal/{CAC}TaxSubtotal")
        self.assertEqual(withholding.findtext(CBC + "Percent"), "90")
        self.assertEqual(withholding.findtext(CBC + "TaxAmount"), "180.00")
        self.assertEqual(move.amount_total, 1020.0)

    def test_08_istisna_with_exemption_code(self):
        move = self._invoice(
            self.efatura_buyer,
            [{"quantity": 2, "price_unit": 500, "tax_ids": [Command.set(self.kdv0_export.ids)]}],
        )
        self.assertEqual(move.l10n_tr_efatura_type, "ISTISNA")
        root = self._build_valid(move)
        self.assertEqual(
            root.findtext(
                f"{CAC}TaxTotal/{CAC}TaxSubtotal/{CAC}TaxCategory/{CBC}TaxExemptionReasonCode"
            ),
            "301",
        )

    def test_09_satis_zero_rate_other_exemption(self):
        move = self._invoice(
            self.earsiv_company,
            [
                {"quantity": 1, "price_unit": 10, "tax_ids": [Command.set(self.kdv0_other.ids)]},
                {"quantity": 1, "price_unit": 100},
            ],
        )
        self.assertEqual(move.l10n_tr_efatura_type, "SATIS")
        self._build_valid(move)

    def test_10_ihrackayitli(self):
        move = self._invoice(
            self.efatura_buyer,
            [
                {
                    "quantity": 10,
                    "price_unit": 100,
                    "tax_ids": [Command.set(self.kdv0_ihrackayitli.ids)],
                }
            ],
        )
        self.assertEqual(move.l10n_tr_efatura_type, "IHRACKAYITLI")
        self._build_valid(move)

    def test_11_export_foreign_company_eur(self):
        move = self._invoice(
            self.foreign_company,
            [{"quantity": 100, "price_unit": 12.5, "tax_ids": [Command.set(self.kdv0_export.ids)]}],
            currency_id=self.eur.id,
            invoice_incoterm_id=self.env.ref("account.incoterm_FOB").id,
            l10n_tr_transport_mode="3",
        )
        self.assertEqual(move.l10n_tr_efatura_profile, "IHRACAT")
        self.assertEqual(move.l10n_tr_efatura_type, "ISTISNA")
        self.assertRegex(move.l10n_tr_gib_number, r"^IHR2026\d{9}$")
        root = self._build_valid(move)
        self.assertEqual(
            root.findtext(f"{CAC}BuyerCustomerParty/{CAC}Party/{CAC}PartyIdentification/{CBC}ID"),
            "EXPORT",
        )
        legal = root.find(f"{CAC}BuyerCustomerParty/{CAC}Party/{CAC}PartyLegalEntity")
        self.assertEqual(legal.findtext(CBC + "RegistrationName"), "Rhein Handel GmbH")
        self.assertEqual(legal.findtext(CBC + "CompanyID"), "DE811569869")
        self.assertEqual(root.findtext(f"{CAC}PricingExchangeRate/{CBC}CalculationRate"), "35.00")

    def test_12_usd_invoice_with_exchange_rate(self):
        move = self._invoice(
            self.efatura_buyer, [{"quantity": 4, "price_unit": 25}], currency_id=self.usd.id
        )
        root = self._build_valid(move)
        self.assertEqual(root.findtext(CBC + "DocumentCurrencyCode"), "USD")
        self.assertEqual(root.findtext(f"{CAC}PricingExchangeRate/{CBC}CalculationRate"), "32.50")

    def test_13_earsiv_foreign_consumer(self):
        move = self._invoice(self.foreign_person, [{"quantity": 1, "price_unit": 75}])
        self.assertEqual(move.l10n_tr_efatura_profile, "EARSIVFATURA")
        self._build_valid(move)

    def test_14_line_and_document_discounts(self):
        move = self._invoice(
            self.efatura_buyer,
            [
                {"quantity": 2, "price_unit": 500, "discount": 10},
                {"quantity": 10, "price_unit": 10},
                {
                    "name": "Kampanya indirimi",
                    "product_id": False,
                    "quantity": 1,
                    "price_unit": -100,
                },
            ],
        )
        root = self._build_valid(move)
        self.assertEqual(root.findtext(f"{CAC}AllowanceCharge/{CBC}Amount"), "100.00")
        self.assertEqual(
            root.findtext(f"{CAC}LegalMonetaryTotal/{CBC}TaxExclusiveAmount"), "900.00"
        )
        line = root.find(f"{CAC}InvoiceLine")
        self.assertEqual(line.findtext(f"{CAC}AllowanceCharge/{CBC}Amount"), "100.00")

    def test_15_mixed_kdv_rates(self):
        move = self._invoice(
            self.earsiv_company,
            [
                {"quantity": 1, "price_unit": 100, "tax_ids": [Command.set(self.kdv1.ids)]},
                {"quantity": 2, "price_unit": 50, "tax_ids": [Command.set(self.kdv10.ids)]},
                {"quantity": 1, "price_unit": 1000},
            ],
        )
        root = self._build_valid(move)
        percents = sorted(
            p.text for p in root.findall(f"{CAC}TaxTotal/{CAC}TaxSubtotal/{CBC}Percent")
        )
        self.assertEqual(percents, ["1", "10", "20"])
        self.assertEqual(root.findtext(f"{CAC}TaxTotal/{CBC}TaxAmount"), "211.00")

    def test_16_hundred_lines(self):
        lines = [{"quantity": i % 7 + 1, "price_unit": 10 + i} for i in range(100)]
        move = self._invoice(self.efatura_buyer, lines)
        root = self._build_valid(move)
        self.assertEqual(root.findtext(CBC + "LineCountNumeric"), "100")
        self.assertEqual(len(root.findall(CAC + "InvoiceLine")), 100)

    def test_17_hundred_awkward_lines_mixed_rates(self):
        """Per-line rounding over 100 awkward lines: consistent subtotals, Odoo's own totals."""
        prices, quantities = [33.33, 17.77, 9.99, 12.49, 0.83], [3, 7, 1, 11, 2]
        taxes = [self.kdv1, self.kdv10, self.kdv20]
        lines = [
            {
                "quantity": quantities[i % 5],
                "price_unit": prices[i % 5],
                "discount": 12.5 if i % 2 else 0,
                "tax_ids": [Command.set(taxes[i % 3].ids)],
            }
            for i in range(100)
        ]
        move = self._invoice(self.earsiv_company, lines)
        self.assertEqual(move.company_id.tax_calculation_rounding_method, "round_per_line")
        root = self._build_valid(move)  # 0 errors, 0 arithmetic warnings, payable = total
        monetary = root.find(CAC + "LegalMonetaryTotal")
        self.assertEqual(
            Decimal(monetary.findtext(CBC + "TaxExclusiveAmount")),
            Decimal(str(move.amount_untaxed)).quantize(Decimal("0.01")),
        )
        self.assertEqual(
            Decimal(root.findtext(f"{CAC}TaxTotal/{CBC}TaxAmount")),
            Decimal(str(move.amount_tax)).quantize(Decimal("0.01")),
        )
        # per rate, the document subtotals add up to Odoo's tax journal items, and at least one
        # rate drifted more than a kuruş from base x rate (so it had to be split)
        tax_lines = {}
        for tax_line in move.line_ids.filtered("tax_line_id"):
            rate = Decimal(str(tax_line.tax_line_id.amount)).normalize()
            tax_lines[rate] = tax_lines.get(rate, 0) + Decimal(str(-tax_line.balance))
        written, drift = {}, Decimal(0)
        for subtotal in root.findall(f"{CAC}TaxTotal/{CAC}TaxSubtotal"):
            rate = Decimal(subtotal.findtext(CBC + "Percent")).normalize()
            base, amount = written.get(rate) or (Decimal(0), Decimal(0))
            written[rate] = (
                base + Decimal(subtotal.findtext(CBC + "TaxableAmount")),
                amount + Decimal(subtotal.findtext(CBC + "TaxAmount")),
            )
        for rate, (base, amount) in written.items():
            self.assertEqual(amount, tax_lines[rate].quantize(Decimal("0.01")), rate)
            drift = max(drift, abs((base * rate / 100).quantize(Decimal("0.01")) - amount))
        self.assertEqual(set(written), {Decimal(1), Decimal(10), Decimal(20)})
        self.assertGreater(drift, Decimal("0.01"))
        self.assertGreater(len(root.findall(f"{CAC}TaxTotal/{CAC}TaxSubtotal")), 3)

    def test_18_tevkifat_over_hundred_awkward_lines(self):
        prices, quantities = [33.33, 17.77, 9.99, 12.49, 0.83], [3, 7, 1, 11, 2]
        lines = [
            {
                "quantity": quantities[i % 5],
                "price_unit": prices[i % 5],
                "discount": 12.5 if i % 2 else 0,
                "tax_ids": [Command.set(self.kdv20_wh_9_10.ids)],
            }
            for i in range(100)
        ]
        move = self._invoice(self.efatura_buyer, lines)
        self.assertEqual(move.l10n_tr_efatura_type, "TEVKIFAT")
        root = self._build_valid(move)  # 0 errors, 0 arithmetic warnings, payable = total
        subtotals = root.findall(f"{CAC}WithholdingTaxTotal/{CAC}TaxSubtotal")
        base = sum(Decimal(s.findtext(CBC + "TaxableAmount")) for s in subtotals)
        withheld = sum(Decimal(s.findtext(CBC + "TaxAmount")) for s in subtotals)
        self.assertEqual(
            withheld, Decimal(root.findtext(f"{CAC}WithholdingTaxTotal/{CBC}TaxAmount"))
        )
        self.assertEqual(base, Decimal(root.findtext(f"{CAC}TaxTotal/{CBC}TaxAmount")))
        self.assertEqual(
            withheld,
            sum(
                Decimal(str(ln.balance))
                for ln in move.line_ids
                if ln.tax_line_id and ln.tax_line_id.amount < 0
            ).quantize(Decimal("0.01")),
        )
        # 1400.40 KDV x 90 % = 1260.36, but the 100 per-line withholdings add up to 1260.30
        self.assertEqual((base, withheld), (Decimal("1400.40"), Decimal("1260.30")))
        self.assertGreater(len(subtotals), 1)

    # ------------------------------------------------------------------ behaviour

    def test_numbering_is_sequential_per_series_and_ettn_stable(self):
        moves = [
            self._invoice(self.efatura_buyer, [{"quantity": 1, "price_unit": 10}]) for _ in range(3)
        ]
        counters = [int(m.l10n_tr_gib_number[7:]) for m in moves]
        self.assertEqual(counters, [counters[0], counters[0] + 1, counters[0] + 2])
        earsiv = self._invoice(self.consumer, [{"quantity": 1, "price_unit": 10}])
        self.assertTrue(earsiv.l10n_tr_gib_number.startswith("EAR2026"))
        ettn = moves[0].l10n_tr_ettn
        first = moves[0].l10n_tr_build_edocument()
        second = moves[0].l10n_tr_build_edocument()
        self.assertEqual(moves[0].l10n_tr_ettn, ettn)
        self.assertEqual(first["attachment_id"], second["attachment_id"])
        moves[0].button_draft()  # still to_send: allowed, number and ETTN kept
        moves[0].action_post()
        self.assertEqual(moves[0].l10n_tr_ettn, ettn)
        self.assertEqual(int(moves[0].l10n_tr_gib_number[7:]), counters[0])

    def test_next_year_restarts_series(self):
        move = self._invoice(
            self.efatura_buyer, [{"quantity": 1, "price_unit": 10}], invoice_date=date(2027, 1, 2)
        )
        self.assertEqual(move.l10n_tr_gib_number, "EFT2027000000001")

    def test_sent_invoice_cannot_be_reset_to_draft(self):
        move = self._invoice(self.efatura_buyer, [{"quantity": 1, "price_unit": 10}])
        move.l10n_tr_edoc_state = "sent"
        with self.assertRaisesRegex(UserError, "cannot be reset to draft"):
            move.button_draft()

    def test_invalid_document_is_reported_and_blocks_sending(self):
        move = self._invoice(
            self.earsiv_company,
            [{"quantity": 1, "price_unit": 10, "tax_ids": [Command.set(self.kdv0_export.ids)]}],
        )
        move.l10n_tr_efatura_type = "SATIS"  # 301 exemption requires ISTISNA
        result = move.l10n_tr_build_edocument()
        self.assertFalse(result["valid"])
        if validation.kontrol_et:
            self.assertFalse(validation.validate(move.l10n_tr_edoc_xml_id.raw)["valid"])
        self.assertTrue(move.l10n_tr_edoc_messages)
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({})
        )
        with self.assertRaises(UserError):
            wizard.action_send_and_print()
        self.assertEqual(move.l10n_tr_edoc_state, "to_send")

    def test_send_builds_xml_and_attaches_it(self):
        move = self._invoice(self.efatura_buyer, [{"quantity": 1, "price_unit": 10}])
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({})
        )
        wizard.action_send_and_print()
        self.assertTrue(move.l10n_tr_edoc_xml_id)
        parsed = parse_invoice(move.l10n_tr_edoc_xml_id.raw)
        self.assertEqual(parsed["ettn"], move.l10n_tr_ettn)
        self.assertEqual(parsed["supplier"]["vat"], "4840847211")
        self.assertEqual(parsed["supplier"]["tax_office"], "Çankaya")

    def test_preview_returns_url_action(self):
        move = self._invoice(self.efatura_buyer, [{"quantity": 1, "price_unit": 10}])
        action = move.action_l10n_tr_preview_edocument()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["url"], f"/l10n_tr_efatura/preview/{move.id}")
        html = move._l10n_tr_preview_html().decode()
        self.assertIn(move.l10n_tr_gib_number, html)
        self.assertIn("Marmara Elektronik Ltd. Şti.", html)

    def test_draft_and_vendor_bills_have_no_edocument(self):
        draft = self._invoice(self.efatura_buyer, [{"quantity": 1, "price_unit": 10}], post=False)
        self.assertFalse(draft.l10n_tr_gib_number)
        with self.assertRaises(UserError):
            draft.l10n_tr_build_edocument()
        bill = self.init_invoice(
            "in_invoice",
            partner=self.efatura_buyer,
            amounts=[100],
            invoice_date=date(2026, 3, 2),
            post=True,
        )
        self.assertFalse(bill.l10n_tr_edoc_state)
        self.assertFalse(bill.l10n_tr_gib_number)

    def test_partner_tax_id_checksums(self):
        tr = self.env.ref("base.tr")
        with self.assertRaisesRegex(ValidationError, "Invalid Turkish tax number"):
            self.env["res.partner"].create(
                {"name": "Bad", "country_id": tr.id, "vat": "4840847212"}
            )
        with self.assertRaises(ValidationError):
            self.env["res.partner"].create({"name": "Bad TCKN", "vat": "10234567829"})
        ok = self.env["res.partner"].create(
            {"name": "Ok", "country_id": tr.id, "vat": "TR4840847211"}
        )
        self.assertEqual(ok._l10n_tr_tax_id(), "4840847211")
        self.env["res.partner"].create({"name": "Anonymous", "vat": "11111111111"})
        self.env["res.partner"].create(
            {"name": "German", "vat": "DE811569869", "country_id": self.env.ref("base.de").id}
        )
        with self.assertRaises(ValidationError):
            ok.vat = "1234567891"

    def test_chart_tax_defaults(self):
        self.assertEqual(self.kdv20.l10n_tr_tax_type_code, "0015")
        wh = self.kdv20_wh_9_10.children_tax_ids.filtered(lambda t: t.amount < 0)
        self.assertEqual(wh.l10n_tr_withholding_code, "602")
        self.assertEqual(wh.l10n_tr_withholding_percent, 90)
        self.assertEqual(self.kdv0_export.l10n_tr_exemption_code, "301")

    def test_qr_payload_and_pdf_report(self):
        move = self._invoice(self.consumer, [{"quantity": 1, "price_unit": 100}])
        payload = move._l10n_tr_qr_payload()
        self.assertIn(move.l10n_tr_ettn, payload)
        self.assertIn('"hesaplanankdv(20)": "20.00"', payload)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "l10n_tr_efatura.report_l10n_tr_edocument", move.ids
        )[0]
        self.assertIn(b"e-Ar\xc5\x9fiv Fatura", html)
        # the QR code travels inside the page: wkhtmltopdf fetches nothing over HTTP
        self.assertIn(b'alt="QR" src="data:image/png;base64,', html)

"""The e-document states what the posted move booked: totals, taxes, prices, notes, checks."""

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

from lxml import etree, html

from odoo import Command
from odoo.addons.l10n_tr_efatura.lib import preview
from odoo.addons.l10n_tr_efatura.lib.codes import EXEMPTION_REASONS
from odoo.addons.l10n_tr_efatura.tests.test_edocument import CAC, CBC, EdocumentCase
from odoo.exceptions import UserError
from odoo.tests import tagged

CENT = Decimal("0.01")


def _d(value):
    return Decimal(str(value)).quantize(CENT)


@tagged("post_install", "-at_install")
class TestBookedFigures(EdocumentCase):
    # ------------------------------------------------------------------ helpers

    def _booked_per_rate(self, move):
        """{rate: (tax_base_amount, tax amount)} of the posted KDV tax journal items."""
        per_rate = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for aml in move.line_ids.filtered(
            lambda aml: aml.display_type == "tax" and aml.tax_line_id.amount >= 0
        ):
            rate = Decimal(str(aml.tax_line_id.amount)).normalize()
            per_rate[rate][0] += _d(aml.tax_base_amount)
            per_rate[rate][1] += _d(aml.amount_currency) * move.direction_sign
        return {rate: tuple(values) for rate, values in per_rate.items()}

    def _document_per_rate(self, root):
        per_rate = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for subtotal in root.findall(f"{CAC}TaxTotal/{CAC}TaxSubtotal"):
            rate = Decimal(subtotal.findtext(CBC + "Percent")).normalize()
            per_rate[rate][0] += Decimal(subtotal.findtext(CBC + "TaxableAmount"))
            per_rate[rate][1] += Decimal(subtotal.findtext(CBC + "TaxAmount"))
        return {rate: tuple(values) for rate, values in per_rate.items()}

    def _monetary(self, root, tag):
        text = root.findtext(f"{CAC}LegalMonetaryTotal/{CBC}{tag}")
        return Decimal(text) if text is not None else None

    def _assert_booked(self, move, root, rounding=Decimal(0)):
        """Document totals and per-rate subtotals equal the posted move's figures."""
        rounding_lines = move.line_ids.filtered(lambda aml: aml.display_type == "rounding")
        self.assertEqual(
            sum((_d(a.amount_currency) for a in rounding_lines), Decimal(0)) * move.direction_sign,
            rounding,
        )
        tax_total = Decimal(root.findtext(f"{CAC}TaxTotal/{CBC}TaxAmount"))
        untaxed_rounding = rounding if rounding_lines and not rounding_lines.tax_line_id else 0
        tax_rounding = rounding if rounding_lines.tax_line_id else 0
        self.assertEqual(
            self._monetary(root, "TaxExclusiveAmount"), _d(move.amount_untaxed) - untaxed_rounding
        )
        self.assertEqual(
            self._monetary(root, "TaxInclusiveAmount"),
            self._monetary(root, "TaxExclusiveAmount") + tax_total,
        )
        withheld = Decimal(root.findtext(f"{CAC}WithholdingTaxTotal/{CBC}TaxAmount") or 0)
        self.assertEqual(tax_total - withheld, _d(move.amount_tax) - tax_rounding)
        self.assertEqual(self._monetary(root, "PayableAmount"), _d(move.amount_total))
        self.assertEqual(self._monetary(root, "PayableRoundingAmount"), rounding or None)
        per_rate = self._document_per_rate(root)
        zero_rate = per_rate.pop(Decimal(0), (Decimal(0), Decimal(0)))
        self.assertEqual(zero_rate[1], Decimal(0))  # 0 % books no tax journal item
        self.assertEqual(per_rate, self._booked_per_rate(move))
        lines = sum(
            (
                Decimal(line.findtext(CBC + "LineExtensionAmount"))
                for line in root.findall(CAC + "InvoiceLine")
            ),
            Decimal(0),
        )
        self.assertEqual(self._monetary(root, "LineExtensionAmount"), lines)

    def _price_included(self, tax):
        return tax.copy({"name": f"{tax.name} (dahil)", "price_include_override": "tax_included"})

    AWKWARD = [
        {"quantity": 12.12, "price_unit": 12.12},
        {"quantity": 12.12, "price_unit": 12.12},
        {"quantity": 3, "price_unit": 33.33, "discount": 12.5, "rate": "kdv10"},
        {"quantity": 7, "price_unit": 0.83, "rate": "kdv1"},
        {"quantity": 1, "price_unit": 21.53, "rate": "kdv20_incl"},
        {"quantity": 1, "price_unit": 21.53, "rate": "kdv20_incl"},
    ]

    def _awkward_invoice(self):
        taxes = {
            "kdv10": self.kdv10,
            "kdv1": self.kdv1,
            "kdv20_incl": self._price_included(self.kdv20),
        }
        lines = []
        for line in self.AWKWARD:
            line = dict(line)
            rate = line.pop("rate", None)
            if rate:
                line["tax_ids"] = [Command.set(taxes[rate].ids)]
            lines.append(line)
        return self._invoice(self.earsiv_company, lines)

    # ------------------------------------------------------------------ totals

    def test_totals_round_per_line(self):
        self.assertEqual(self.company.tax_calculation_rounding_method, "round_per_line")
        move = self._awkward_invoice()
        root = self._build_valid(move)
        self._assert_booked(move, root)
        self.assertEqual(
            (_d(move.amount_untaxed), _d(move.amount_tax), _d(move.amount_total)),
            (Decimal("422.96"), Decimal("74.75"), Decimal("497.71")),
        )
        self.assertEqual(
            self._document_per_rate(root),
            {
                Decimal(20): (Decimal("329.66"), Decimal("65.94")),
                Decimal(10): (Decimal("87.49"), Decimal("8.75")),
                Decimal(1): (Decimal("5.81"), Decimal("0.06")),
            },
        )

    def test_totals_round_globally(self):
        self.company.tax_calculation_rounding_method = "round_globally"
        move = self._awkward_invoice()
        root = self._build_valid(move)
        self._assert_booked(move, root)
        self.assertEqual(
            (_d(move.amount_untaxed), _d(move.amount_tax), _d(move.amount_total)),
            (Decimal("422.97"), Decimal("74.75"), Decimal("497.72")),
        )
        self.assertEqual(
            self._document_per_rate(root),
            {
                Decimal(20): (Decimal("329.67"), Decimal("65.94")),
                Decimal(10): (Decimal("87.49"), Decimal("8.75")),
                Decimal(1): (Decimal("5.81"), Decimal("0.06")),
            },
        )
        # every line obeys GİB's rule (base x percent, ±1 kuruş) and they add up to the books
        for line in root.findall(CAC + "InvoiceLine"):
            for subtotal in line.findall(f"{CAC}TaxTotal/{CAC}TaxSubtotal"):
                base = Decimal(subtotal.findtext(CBC + "TaxableAmount"))
                percent = Decimal(subtotal.findtext(CBC + "Percent"))
                self.assertLessEqual(
                    abs(
                        (base * percent / 100).quantize(CENT)
                        - Decimal(subtotal.findtext(CBC + "TaxAmount"))
                    ),
                    CENT,
                )

    def test_cash_rounding_line_is_payable_rounding(self):
        rounding = self.env["account.cash.rounding"].create(
            {
                "name": "1 TL",
                "rounding": 1.0,
                "strategy": "add_invoice_line",
                "rounding_method": "HALF-UP",
                "profit_account_id": self.company_data["default_account_revenue"].id,
                "loss_account_id": self.company_data["default_account_expense"].id,
            }
        )
        move = self._invoice(
            self.earsiv_company,
            [{"quantity": 1, "price_unit": 99.99}, {"quantity": 2, "price_unit": 10.10}],
            invoice_cash_rounding_id=rounding.id,
        )
        self.assertEqual(_d(move.amount_total), Decimal("144.00"))
        root = self._build_valid(move)
        self._assert_booked(move, root, rounding=Decimal("-0.23"))
        self.assertEqual(self._monetary(root, "TaxInclusiveAmount"), Decimal("144.23"))

    def test_cash_rounding_in_biggest_tax_is_payable_rounding(self):
        rounding = self.env["account.cash.rounding"].create(
            {
                "name": "1 TL (KDV)",
                "rounding": 1.0,
                "strategy": "biggest_tax",
                "rounding_method": "UP",
            }
        )
        move = self._invoice(
            self.earsiv_company,
            [{"quantity": 1, "price_unit": 99.99}, {"quantity": 2, "price_unit": 10.10}],
            invoice_cash_rounding_id=rounding.id,
        )
        self.assertEqual(_d(move.amount_total), Decimal("145.00"))
        root = self._build_valid(move)
        self._assert_booked(move, root, rounding=Decimal("0.77"))
        self.assertEqual(root.findtext(f"{CAC}TaxTotal/{CBC}TaxAmount"), "24.04")
        self.assertEqual(_d(move.amount_tax), Decimal("24.81"))

    def test_tevkifat_totals_equal_booked(self):
        move = self._invoice(
            self.efatura_buyer,
            [
                {
                    "quantity": 3,
                    "price_unit": 33.33,
                    "tax_ids": [Command.set(self.kdv20_wh_9_10.ids)],
                },
                {
                    "quantity": 7,
                    "price_unit": 17.77,
                    "tax_ids": [Command.set(self.kdv20_wh_9_10.ids)],
                },
            ],
        )
        root = self._build_valid(move)
        self._assert_booked(move, root)
        withheld = sum(
            _d(aml.amount_currency) for aml in move.line_ids if aml.tax_line_id.amount < 0
        )
        self.assertEqual(
            Decimal(root.findtext(f"{CAC}WithholdingTaxTotal/{CBC}TaxAmount")), withheld
        )

    # ------------------------------------------------------------------ prices

    def test_tax_included_prices_are_net_and_discounts_real(self):
        kdv10_incl = self._price_included(self.kdv10)
        kdv20_incl = self._price_included(self.kdv20)
        move = self._invoice(
            self.consumer,
            [
                {"quantity": 3, "price_unit": 100, "tax_ids": [Command.set(kdv10_incl.ids)]},
                {
                    "quantity": 2,
                    "price_unit": 249.90,
                    "discount": 10,
                    "tax_ids": [Command.set(kdv20_incl.ids)],
                },
            ],
        )
        root = self._build_valid(move)
        self._assert_booked(move, root)
        self.assertEqual(
            (_d(move.amount_untaxed), _d(move.amount_tax), _d(move.amount_total)),
            (Decimal("647.58"), Decimal("102.24"), Decimal("749.82")),
        )
        first, second = root.findall(CAC + "InvoiceLine")
        self.assertEqual(first.findtext(f"{CAC}Price/{CBC}PriceAmount"), "90.91")
        self.assertIsNone(first.find(CAC + "AllowanceCharge"), "a tax is not a discount")
        self.assertEqual(first.findtext(CBC + "LineExtensionAmount"), "272.73")
        self.assertEqual(second.findtext(f"{CAC}Price/{CBC}PriceAmount"), "208.25")
        self.assertEqual(second.findtext(f"{CAC}AllowanceCharge/{CBC}Amount"), "41.65")
        self.assertEqual(second.findtext(CBC + "LineExtensionAmount"), "374.85")
        for line in (first, second):
            quantity = Decimal(line.findtext(CBC + "InvoicedQuantity"))
            price = Decimal(line.findtext(f"{CAC}Price/{CBC}PriceAmount"))
            discount = Decimal(line.findtext(f"{CAC}AllowanceCharge/{CBC}Amount") or 0)
            self.assertEqual(
                (quantity * price - discount).quantize(CENT),
                Decimal(line.findtext(CBC + "LineExtensionAmount")),
            )
        # the human view shows the real discount only
        rows = html.fromstring(preview.render_html(move.l10n_tr_edoc_xml_id.raw)).xpath(
            "//table[.//th[text()='İskonto']]//tr[td]"
        )
        self.assertEqual([row.xpath("td")[4].text_content().strip() for row in rows], ["", "41.65"])
        pdf_html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("l10n_tr_efatura.report_l10n_tr_edocument", move.ids)[0]
            .decode()
        )
        self.assertIn("90.91", pdf_html)
        self.assertIn("41.65", pdf_html)

    # ------------------------------------------------------------------ line kinds

    def test_sections_notes_and_down_payment_deduction(self):
        move = self._invoice(
            self.efatura_buyer,
            [
                {"display_type": "line_section", "name": "Ürünler", "product_id": False},
                {"quantity": 2, "price_unit": 500},
                {
                    "display_type": "line_note",
                    "name": "Teslimat kargo ile yapılacaktır.",
                    "product_id": False,
                },
                {
                    "name": "Peşinat (01/03/2026 tarihli avans faturası)",
                    "product_id": False,
                    "quantity": -1,
                    "price_unit": 300,
                },
            ],
        )
        root = self._build_valid(move)
        self._assert_booked(move, root)
        notes = [note.text for note in root.findall(CBC + "Note")]
        self.assertIn("Ürünler", notes)
        self.assertIn("Teslimat kargo ile yapılacaktır.", notes)
        self.assertEqual(len(root.findall(CAC + "InvoiceLine")), 1)
        allowance = root.find(CAC + "AllowanceCharge")
        self.assertEqual(allowance.findtext(CBC + "ChargeIndicator"), "false")
        self.assertEqual(allowance.findtext(CBC + "Amount"), "300.00")
        self.assertEqual(
            allowance.findtext(CBC + "AllowanceChargeReason"),
            "Peşinat (01/03/2026 tarihli avans faturası)",
        )
        self.assertEqual(self._monetary(root, "TaxExclusiveAmount"), Decimal("700.00"))
        self.assertEqual(self._monetary(root, "PayableAmount"), Decimal("840.00"))

    def test_negative_line_on_another_rate_is_refused_before_numbering(self):
        before = self._invoice(self.efatura_buyer, [{"quantity": 1, "price_unit": 10}])
        with self.assertRaisesRegex(UserError, 'negative line "İade kuponu"'):
            self._invoice(
                self.efatura_buyer,
                [
                    {"quantity": 1, "price_unit": 100},
                    {
                        "name": "İade kuponu",
                        "product_id": False,
                        "quantity": 1,
                        "price_unit": -50,
                        "tax_ids": [Command.set(self.kdv10.ids)],
                    },
                ],
            )
        after = self._invoice(self.efatura_buyer, [{"quantity": 1, "price_unit": 10}])
        self.assertEqual(
            int(after.l10n_tr_gib_number[7:]),
            int(before.l10n_tr_gib_number[7:]) + 1,
            "no GİB number used",
        )

    def test_free_line_and_line_rounding_to_zero_kdv_are_valid(self):
        move = self._invoice(
            self.earsiv_company,
            [
                {"quantity": 1, "price_unit": 100},
                {"quantity": 1, "price_unit": 0},
                {"quantity": 1, "price_unit": 0.02},
            ],
        )
        root = self._build_valid(move)  # both validators: no error
        self._assert_booked(move, root)
        amounts = [
            line.findtext(f"{CAC}TaxTotal/{CBC}TaxAmount")
            for line in root.findall(CAC + "InvoiceLine")
        ]
        self.assertEqual(amounts, ["20.00", "0.00", "0.00"])

    # ------------------------------------------------------------------ checks at posting

    def _assert_refused(self, partner, pattern, lines=None):
        with self.assertRaisesRegex(UserError, pattern):
            self._invoice(partner, lines or [{"quantity": 1, "price_unit": 10}])

    def test_posting_refuses_what_cannot_become_a_document(self):
        tr = self.env.ref("base.tr")
        address = {
            "country_id": tr.id,
            "street": "Cumhuriyet Cd. 5",
            "city": "Çankaya",
            "state_id": self.env.ref("base.state_tr_06").id,
        }
        no_vkn = self.env["res.partner"].create(
            dict(address, name="Numarasız Ltd.", is_company=True, l10n_tr_is_efatura_user=True)
        )
        self._assert_refused(no_vkn, "Numarasız Ltd. has no VKN/TCKN")
        one_name = self.env["res.partner"].create(dict(address, name="Tarkan", vat="10000000146"))
        self._assert_refused(one_name, "Tarkan is a person .* first and a family name")
        no_office = self.env["res.partner"].create(
            dict(address, name="Vergisiz A.Ş.", is_company=True, vat="4567891233")
        )
        self._assert_refused(no_office, "Vergisiz A.Ş. has no tax office")
        no_address = self.env["res.partner"].create(
            {"name": "Adressiz Kişi", "vat": "10234567828", "country_id": tr.id}
        )
        self._assert_refused(no_address, "Adressiz Kişi has no complete address")
        unknown = self._tr_tax("tr_wh_s_20")
        self._assert_refused(
            self.efatura_buyer,
            f'withholding tax "{unknown.name}" has no GİB withholding code',
            [{"quantity": 1, "price_unit": 10, "tax_ids": [Command.set(unknown.ids)]}],
        )
        self.company.partner_id.l10n_tr_tax_office = False
        self._assert_refused(self.efatura_buyer, f"{self.company.name} has no tax office")

    def test_posting_refusal_in_turkish(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        no_office = self.env["res.partner"].create(
            {
                "name": "Vergisiz A.Ş.",
                "is_company": True,
                "vat": "4567891233",
                "country_id": self.env.ref("base.tr").id,
                "street": "Cumhuriyet Cd. 5",
                "city": "Çankaya",
            }
        )
        move = self._invoice(no_office, [{"quantity": 1, "price_unit": 10}], post=False)
        with self.assertRaisesRegex(UserError, "Vergisiz A.Ş. için vergi dairesi"):
            move.with_context(lang="tr_TR").action_post()
        self.assertFalse(move.l10n_tr_gib_number)

    # ------------------------------------------------------------------ also

    def test_internet_sale_carrier_has_its_own_address(self):
        carrier = self.env["res.partner"].create(
            {
                "name": "Aras Kargo A.Ş.",
                "is_company": True,
                "vat": "3880121473",
                "country_id": self.env.ref("base.tr").id,
                "street": "Rüzgarlıbahçe Mah. 12",
                "city": "Beykoz",
                "state_id": self.env.ref("base.state_tr_35").id,
            }
        )
        move = self._invoice(
            self.consumer,
            [{"quantity": 1, "price_unit": 249.9}],
            l10n_tr_is_internet_sale=True,
            l10n_tr_sale_website="https://shop.example.com",
            l10n_tr_payment_method="KREDIKARTI/BANKAKARTI",
            l10n_tr_payment_date=date(2026, 3, 1),
            l10n_tr_carrier_vat="3880121473",
            l10n_tr_carrier_name="Aras Kargo",
            l10n_tr_shipment_date=date(2026, 3, 2),
        )
        self.assertEqual(move._l10n_tr_carrier_partner(), carrier)
        root = self._build_valid(move)
        address = root.find(f"{CAC}Delivery/{CAC}CarrierParty/{CAC}PostalAddress")
        self.assertEqual(address.findtext(CBC + "StreetName"), "Rüzgarlıbahçe Mah. 12")
        self.assertEqual(address.findtext(CBC + "CityName"), carrier.state_id.name)
        self.assertEqual(address.findtext(CBC + "CitySubdivisionName"), "Beykoz")
        buyer = root.find(f"{CAC}AccountingCustomerParty/{CAC}Party/{CAC}PostalAddress")
        self.assertNotEqual(
            buyer.findtext(CBC + "StreetName"), address.findtext(CBC + "StreetName")
        )

    def test_iade_order_reference_is_the_original_order(self):
        invoice = self._invoice(
            self.efatura_buyer, [{"quantity": 5, "price_unit": 80}], ref="SIP-2026-0042"
        )
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "reason": "Hasarlı ürün",
                    "journal_id": invoice.journal_id.id,
                    "date": date(2026, 3, 5),
                }
            )
        )
        refund = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        refund.invoice_date = date(2026, 3, 5)
        refund.action_post()
        self.assertIn(invoice.name, refund.ref)
        root = self._build_valid(refund)
        self.assertEqual(root.findtext(f"{CAC}OrderReference/{CBC}ID"), "SIP-2026-0042")
        self.assertEqual(root.findtext(f"{CAC}OrderReference/{CBC}IssueDate"), "2026-03-02")
        self.assertIn(refund.ref, [note.text for note in root.findall(CBC + "Note")])
        self.assertEqual(etree.QName(root).localname, "Invoice")

    def test_every_l10n_tr_sale_tax_maps_or_is_refused_at_posting(self):
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "account"),
                ("model", "=", "account.tax"),
                ("name", "=like", f"{self.company.id}_tr_%"),
            ]
        )
        taxes = (
            self.env["account.tax"]
            .browse(data.mapped("res_id"))
            .filtered(lambda tax: tax.type_tax_use == "sale")
            .sorted("sequence")
        )
        self.assertGreaterEqual(len(taxes), 12)
        refused = self.env["account.tax"]
        for tax in taxes:
            problems = list(
                filter(
                    None,
                    (leaf._l10n_tr_mapping_problem() for leaf in tax.flatten_taxes_hierarchy()),
                )
            )
            lines = [{"quantity": 3, "price_unit": 333.33, "tax_ids": [Command.set(tax.ids)]}]
            with self.subTest(tax=tax.name):
                if problems:
                    refused |= tax
                    with self.assertRaisesRegex(UserError, re.escape(problems[0])):
                        self._invoice(self.efatura_buyer, lines)
                    continue
                move = self._invoice(self.efatura_buyer, lines)
                self._assert_booked(move, self._build_valid(move))
        # the chart's stand-alone "Withholding Sales Tax 20%" has no GİB withholding code
        self.assertEqual(refused, self._tr_tax("tr_wh_s_20"))

    # ------------------------------------------------------------------ regimes

    def test_ihrackayitli_702_writes_gtip_and_dib_line_code(self):
        kdv0_diib = self.kdv0_export.copy(
            {
                "name": "0% DİİB",
                "l10n_tr_exemption_code": "702",
                "l10n_tr_exemption_reason": "DİİB ve Geçici Kabul Rejimi kapsamındaki satışlar",
            }
        )
        line = {"quantity": 10, "price_unit": 100, "tax_ids": [Command.set(kdv0_diib.ids)]}
        with self.assertRaisesRegex(UserError, "11-character DİİB line code"):
            self._invoice(self.efatura_buyer, [line])
        move = self._invoice(self.efatura_buyer, [dict(line, l10n_tr_dib_line_code="26DIIB00042")])
        self.assertEqual(move.l10n_tr_efatura_type, "IHRACKAYITLI")
        root = self._build_valid(move)  # GİB's TaxExemptionReasonCodeCheck-6 passes
        self._assert_booked(move, root)
        category = root.find(f"{CAC}TaxTotal/{CAC}TaxSubtotal/{CAC}TaxCategory")
        self.assertEqual(category.findtext(CBC + "TaxExemptionReasonCode"), "702")
        self.assertEqual(
            category.findtext(CBC + "TaxExemptionReason"),
            "DİİB ve Geçici Kabul Rejimi kapsamındaki satışlar",
        )
        shipment = root.find(f"{CAC}InvoiceLine/{CAC}Delivery/{CAC}Shipment")
        self.assertEqual(
            shipment.findtext(f"{CAC}GoodsItem/{CBC}RequiredCustomsID"), "851830000000"
        )
        code = shipment.find(
            f"{CAC}TransportHandlingUnit/{CAC}CustomsDeclaration/"
            f"{CAC}IssuerParty/{CAC}PartyIdentification/{CBC}ID"
        )
        self.assertEqual((code.get("schemeID"), code.text), ("ALICIDIBSATIRKOD", "26DIIB00042"))

    def test_ihrackayitli_701_keeps_its_exemption_code(self):
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
        root = self._build_valid(move)
        self.assertEqual(
            root.findtext(
                f"{CAC}TaxTotal/{CAC}TaxSubtotal/{CAC}TaxCategory/{CBC}TaxExemptionReasonCode"
            ),
            "701",
        )

    def test_ozelmatrah_kdv_on_the_special_base(self):
        kdv20_gold = self.kdv20.copy(
            {
                "name": "KDV %20 özel matrah (805)",
                "l10n_tr_exemption_code": "805",
                "l10n_tr_exemption_reason": EXEMPTION_REASONS["805"],
            }
        )
        taxes = [Command.set(kdv20_gold.ids)]
        lines = [
            {"name": "22 ayar altın bilezik", "quantity": 1, "price_unit": 10000, "tax_ids": taxes},
            {"name": "14 ayar altın küpe", "quantity": 2, "price_unit": 2500, "tax_ids": taxes},
        ]
        before = self._invoice(self.efatura_buyer, [{"quantity": 1, "price_unit": 10}])
        # the regime's data is missing: refused at posting, the field named, no number used
        with self.assertRaisesRegex(
            UserError,
            '"22 ayar altın bilezik": OZELMATRAH \\(805\\) '
            "needs the Special Base \\(Özel Matrah\\)",
        ):
            self._invoice(self.efatura_buyer, lines)
        with self.assertRaisesRegex(
            UserError,
            "has a Special Base \\(Özel Matrah\\) but no KDV "
            "tax with an özel matrah exemption code",
        ):
            self._invoice(
                self.efatura_buyer, [{"quantity": 1, "price_unit": 100, "l10n_tr_special_base": 50}]
            )
        move = self._invoice(
            self.efatura_buyer,
            [dict(lines[0], l10n_tr_special_base=1500), dict(lines[1], l10n_tr_special_base=800)],
        )
        self.assertEqual(int(move.l10n_tr_gib_number[7:]), int(before.l10n_tr_gib_number[7:]) + 1)
        self.assertEqual(move.l10n_tr_efatura_type, "OZELMATRAH")
        # the books: the KDV of the special base, the sale price untaxed
        self.assertEqual(
            (_d(move.amount_untaxed), _d(move.amount_tax), _d(move.amount_total)),
            (Decimal("15000.00"), Decimal("460.00"), Decimal("15460.00")),
        )
        booked_tax = (
            sum(_d(aml.amount_currency) for aml in move.line_ids if aml.display_type == "tax")
            * move.direction_sign
        )
        self.assertEqual(booked_tax, Decimal("460.00"))
        root = self._build_valid(move)  # GİB's schematron and arithmetic: no finding
        subtotal = root.find(f"{CAC}TaxTotal/{CAC}TaxSubtotal")
        self.assertEqual(len(root.findall(f"{CAC}TaxTotal/{CAC}TaxSubtotal")), 1)
        self.assertEqual(
            (
                subtotal.findtext(CBC + "TaxableAmount"),
                subtotal.findtext(CBC + "TaxAmount"),
                subtotal.findtext(CBC + "Percent"),
            ),
            ("2300.00", "460.00", "20"),
        )
        category = subtotal.find(CAC + "TaxCategory")
        self.assertEqual(category.findtext(CBC + "TaxExemptionReasonCode"), "805")
        self.assertEqual(category.findtext(CBC + "TaxExemptionReason"), EXEMPTION_REASONS["805"])
        self.assertEqual(category.findtext(f"{CAC}TaxScheme/{CBC}TaxTypeCode"), "0015")
        for tag, amount in (
            ("LineExtensionAmount", "15000.00"),
            ("TaxExclusiveAmount", "15000.00"),
            ("TaxInclusiveAmount", "15460.00"),
            ("PayableAmount", "15460.00"),
        ):
            self.assertEqual(self._monetary(root, tag), Decimal(amount), tag)
        first, second = root.findall(CAC + "InvoiceLine")
        self.assertEqual(first.findtext(CBC + "LineExtensionAmount"), "10000.00")
        self.assertEqual(
            (
                first.findtext(f"{CAC}TaxTotal/{CAC}TaxSubtotal/{CBC}TaxableAmount"),
                first.findtext(f"{CAC}TaxTotal/{CAC}TaxSubtotal/{CBC}TaxAmount"),
            ),
            ("1500.00", "300.00"),
        )
        self.assertEqual(
            (
                second.findtext(f"{CAC}TaxTotal/{CAC}TaxSubtotal/{CBC}TaxableAmount"),
                second.findtext(f"{CAC}TaxTotal/{CAC}TaxSubtotal/{CBC}TaxAmount"),
            ),
            ("800.00", "160.00"),
        )

    def _ozelmatrah_posted(self):
        """Posted e-Fatura: a gold bracelet sold 10,000.00 with a special base (805) of
        1,500.00, and a repair at 3 x 333.33 with the ordinary KDV 20 %."""
        kdv20_gold = self.kdv20.copy(
            {"name": "KDV %20 özel matrah (805)", "l10n_tr_exemption_code": "805"}
        )
        move = self._invoice(
            self.efatura_buyer,
            [
                {
                    "name": "22 ayar altın bilezik",
                    "quantity": 1,
                    "price_unit": 10000,
                    "tax_ids": [Command.set(kdv20_gold.ids)],
                    "l10n_tr_special_base": 1500,
                },
                {"name": "Bilezik tamiri", "quantity": 3, "price_unit": 333.33},
            ],
        )
        return move, kdv20_gold

    def _assert_ozelmatrah_booked(self, move, kdv20_gold):
        self.assertEqual(move.l10n_tr_efatura_type, "OZELMATRAH")
        # the sale price stays untaxed amount, product journal items and receivable
        self.assertEqual(
            (_d(move.amount_untaxed), _d(move.amount_tax), _d(move.amount_total)),
            (Decimal("10999.99"), Decimal("500.00"), Decimal("11499.99")),
        )
        self.assertEqual(
            [_d(aml.price_subtotal) for aml in move.invoice_line_ids],
            [Decimal("10000.00"), Decimal("999.99")],
        )
        receivable = move.line_ids.filtered(lambda aml: aml.display_type == "payment_term")
        self.assertEqual(_d(sum(receivable.mapped("balance"))), Decimal("11499.99"))
        # each posted tax journal item: the base it was computed on and its amount
        tax_lines = move.line_ids.filtered("tax_line_id")
        booked = {aml.tax_line_id: (_d(aml.tax_base_amount), _d(aml.balance)) for aml in tax_lines}
        self.assertEqual(
            booked,
            {
                kdv20_gold: (Decimal("1500.00"), Decimal("-300.00")),
                self.kdv20: (Decimal("999.99"), Decimal("-200.00")),
            },
        )
        # the form's tax totals: the KDV group on both bases, the untaxed amount unchanged
        totals = move.tax_totals
        self.assertEqual(_d(totals["base_amount_currency"]), Decimal("10999.99"))
        self.assertEqual(_d(totals["tax_amount_currency"]), Decimal("500.00"))
        (group,) = totals["subtotals"][0]["tax_groups"]
        self.assertEqual(
            (_d(group["base_amount_currency"]), _d(group["display_base_amount_currency"])),
            (Decimal("2499.99"), Decimal("2499.99")),
        )
        # the document: each KDV subtotal equals its posted tax journal item
        root = self._build_valid(move)
        document = {}
        for subtotal in root.findall(f"{CAC}TaxTotal/{CAC}TaxSubtotal"):
            code = subtotal.findtext(f"{CAC}TaxCategory/{CBC}TaxExemptionReasonCode")
            tax = kdv20_gold if code == "805" else self.kdv20
            document[tax] = (
                Decimal(subtotal.findtext(CBC + "TaxableAmount")),
                -Decimal(subtotal.findtext(CBC + "TaxAmount")),
            )
        self.assertEqual(document, booked)
        self._assert_booked(move, root)
        for tag, amount in (
            ("LineExtensionAmount", "10999.99"),
            ("TaxExclusiveAmount", "10999.99"),
            ("TaxInclusiveAmount", "11499.99"),
            ("PayableAmount", "11499.99"),
        ):
            self.assertEqual(self._monetary(root, tag), Decimal(amount), tag)

    def test_ozelmatrah_posted_tax_line_base_is_the_special_base(self):
        self.assertEqual(self.company.tax_calculation_rounding_method, "round_per_line")
        self._assert_ozelmatrah_booked(*self._ozelmatrah_posted())

    def test_ozelmatrah_posted_tax_line_base_round_globally(self):
        self.company.tax_calculation_rounding_method = "round_globally"
        self._assert_ozelmatrah_booked(*self._ozelmatrah_posted())

    def test_ozelmatrah_special_base_changed_on_a_draft_rebooks_the_kdv(self):
        kdv20_car = self.kdv20.copy(
            {"name": "KDV %20 ikinci el araç (812)", "l10n_tr_exemption_code": "812"}
        )
        move = self._invoice(
            self.efatura_buyer,
            [
                {
                    "name": "2019 model binek otomobil",
                    "quantity": 1,
                    "price_unit": 850000,
                    "tax_ids": [Command.set(kdv20_car.ids)],
                    "l10n_tr_special_base": 40000,
                }
            ],
            post=False,
        )
        self.assertEqual(_d(move.amount_tax), Decimal("8000.00"))
        move.invoice_line_ids.l10n_tr_special_base = 55000
        self.assertEqual(_d(move.amount_tax), Decimal("11000.00"))
        self.assertEqual(
            _d(
                sum(
                    move.line_ids.filtered(lambda aml: aml.display_type == "tax").mapped(
                        "amount_currency"
                    )
                )
            ),
            Decimal("-11000"),
        )
        self.assertEqual(move.line_ids.filtered("tax_line_id").tax_base_amount, 55000)
        self.assertEqual(_d(move.amount_untaxed), Decimal("850000.00"))
        move.action_post()
        root = self._build_valid(move)
        self.assertEqual(
            root.findtext(f"{CAC}TaxTotal/{CAC}TaxSubtotal/{CBC}TaxableAmount"), "55000.00"
        )
        self.assertEqual(
            root.findtext(
                f"{CAC}TaxTotal/{CAC}TaxSubtotal/{CAC}TaxCategory/{CBC}TaxExemptionReason"
            ),
            EXEMPTION_REASONS["812"],
        )
        self.assertEqual(self._monetary(root, "PayableAmount"), Decimal("861000.00"))

from odoo.tests import tagged

from .common import MarketplaceCase, trendyol_package

CARRIER_VKN = "9870012347"  # invented, with valid check digits


@tagged("post_install", "-at_install")
class TestCarrier(MarketplaceCase):
    """The carrier of a package on the e-Arşiv internet-sale data, and its VKN guard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Carrier = cls.env["marketplace.carrier"]
        cls.tex = cls.env.ref("marketplace_connector.carrier_trendyol_trendyol_express")
        cls.yurtici = cls.env.ref("marketplace_connector.carrier_trendyol_yurtici")
        cls.aras = cls.env.ref("marketplace_connector.carrier_trendyol_aras")

    def invoice_of(self, package):
        self.store(package)
        self.process()
        row = self.inbound(package)
        self.assertEqual(row.state, "processed", row.error_reason)
        return row, row.invoice_id

    def test_seeded_trendyol_carriers(self):
        self.assertEqual(
            (self.tex.provider_code, self.tex.provider_number, self.tex.tracking_prefix),
            ("TEXMP", 17, "733"),
        )
        self.assertEqual(
            (
                self.yurtici.provider_code,
                self.yurtici.provider_number,
                self.yurtici.tracking_prefix,
            ),
            ("YKMP", 4, "725"),
        )
        ptt = self.env.ref("marketplace_connector.carrier_trendyol_ptt")
        self.assertEqual((ptt.provider_code, ptt.tracking_prefix), ("PTTMP", "734"))
        self.assertFalse(self.tex.vat, "VKNs are filled by the seller, never invented")
        self.assertEqual(self.tex.partner_id.name, "Trendyol Express")

    def test_carrier_with_vkn_goes_on_the_invoice(self):
        self.yurtici.vat = CARRIER_VKN
        package = trendyol_package(
            cargoProviderName="Yurtiçi Kargo Marketplace", cargoTrackingNumber=7250012345678
        )
        _row, invoice = self.invoice_of(package)
        self.assertEqual(invoice.marketplace_carrier_id, self.yurtici)
        self.assertEqual(invoice.l10n_tr_carrier_vat, CARRIER_VKN)
        self.assertEqual(invoice.l10n_tr_carrier_name, "Yurtiçi Kargo")
        self.assertEqual(invoice.l10n_tr_efatura_profile, "EARSIVFATURA")
        self.assertEqual(invoice.l10n_tr_carrier_partner_id, self.yurtici.partner_id)
        carrier = invoice._l10n_tr_prepare_ubl_values()["internet_sale"]["carrier"]
        self.assertEqual((carrier["vat"], carrier["name"]), (CARRIER_VKN, "Yurtiçi Kargo"))
        # the carrier party's address is the carrier's own, never the buyer's
        self.assertEqual(carrier["address"]["street"], self.yurtici.partner_id.street or None)
        self.assertNotEqual(carrier["address"]["street"], invoice.partner_id.street)
        invoice.l10n_tr_build_edocument()
        xml = invoice.l10n_tr_edoc_xml_id.raw.decode()
        carrier_party = xml[xml.index("CarrierParty>") : xml.rindex("CarrierParty>")]
        self.assertIn(CARRIER_VKN, carrier_party)
        # the guard lets it through (no integrator in this database: another error)
        summary = invoice.l10n_tr_send()[0]
        self.assertNotEqual(summary["code"], "NO_CARRIER_VKN")
        self.assertFalse(self.yurtici.activity_ids)

    def test_matched_by_tracking_prefix_then_created_from_the_name(self):
        package = trendyol_package(cargoProviderName="", cargoTrackingNumber=7260012345678)
        _row, invoice = self.invoice_of(package)
        self.assertEqual(invoice.marketplace_carrier_id, self.aras)
        count = self.Carrier.search_count([])
        unknown = trendyol_package(
            cargoProviderName="Hızlı Kargo Marketplace", cargoTrackingNumber=9990012345678
        )
        _row, invoice = self.invoice_of(unknown)
        created = invoice.marketplace_carrier_id
        self.assertEqual(created.name, "Hızlı Kargo")
        self.assertEqual(created.partner_id.name, "Hızlı Kargo")
        self.assertEqual(created.aliases, "Hızlı Kargo Marketplace")
        self.assertEqual(invoice.l10n_tr_carrier_name, "Hızlı Kargo")
        again = trendyol_package(
            cargoProviderName="Hızlı Kargo Marketplace", cargoTrackingNumber=9990012345679
        )
        _row, invoice = self.invoice_of(again)
        self.assertEqual(invoice.marketplace_carrier_id, created, "no duplicate carrier")
        self.assertEqual(self.Carrier.search_count([]), count + 1)

    def test_missing_vkn_holds_the_edocument_and_asks_for_it(self):
        self.account.auto_send_edocument = True
        package = trendyol_package()  # Trendyol Express, no VKN filled
        row, invoice = self.invoice_of(package)
        self.assertEqual(invoice.state, "posted", "the order and its invoice are kept")
        self.assertEqual(row.sale_order_id.state, "sale")
        self.assertEqual(invoice.marketplace_carrier_id, self.tex)
        self.assertFalse(invoice.l10n_tr_carrier_vat)
        self.assertEqual(invoice.l10n_tr_edoc_state, "error", "not sent without the VKN")
        self.assertEqual(invoice.l10n_tr_edoc_raw_code, "NO_CARRIER_VKN")
        self.assertIn("Trendyol Express has no VKN", invoice.l10n_tr_edoc_raw_message)
        self.assertFalse(invoice.l10n_tr_edoc_send_attempts, "nothing went to the integrator")
        self.assertEqual(len(self.tex.activity_ids), 1)
        self.assertEqual(self.tex.activity_ids.summary, "Fill the carrier VKN")
        self.assertEqual(self.tex.waiting_invoice_count, 1)
        # a second attempt does not pile up to-dos
        self.assertEqual(invoice.l10n_tr_send()[0]["code"], "NO_CARRIER_VKN")
        self.assertEqual(len(self.tex.activity_ids), 1)
        # the seller fills the VKN once and sends the waiting invoices
        self.tex.vat = CARRIER_VKN
        summaries = self.tex.action_send_waiting_invoices()
        self.assertEqual([s["id"] for s in summaries], invoice.ids)
        self.assertEqual(invoice.l10n_tr_carrier_vat, CARRIER_VKN)
        self.assertNotEqual(invoice.l10n_tr_edoc_raw_code, "NO_CARRIER_VKN")
        self.assertFalse(self.tex.activity_ids, "to-do done")

    def test_missing_vkn_error_is_translated(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        self.env["ir.module.module"]._load_module_terms(
            ["marketplace_connector"], ["tr_TR"], overwrite=True
        )
        package = trendyol_package()
        _row, invoice = self.invoice_of(package)
        invoice.with_context(lang="tr_TR").l10n_tr_send()
        self.assertEqual(invoice.l10n_tr_edoc_raw_code, "NO_CARRIER_VKN")
        self.assertIn(
            "Trendyol Express kargo firmasının VKN'si yok", invoice.l10n_tr_edoc_raw_message
        )

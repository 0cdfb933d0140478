import io
import xmlrpc.client
from datetime import date
from unittest.mock import patch

import openpyxl

from odoo import Command, fields, models
from odoo.addons.base.tests.common import new_test_user
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import xlsxwriter

from ..models.account_move_segment import customer_type_from_vat
from .common import MarketplaceCase, trendyol_package

INVOICE_DATE = date(2026, 1, 15)


class SegmentCommon:
    """Customer documents of the TR demo company with a 20 % VAT excluded from the price."""

    @classmethod
    def _segment_setup(cls):
        cls.company = cls.env.ref("base.demo_company_tr")
        cls.env = cls.env(
            context=dict(
                cls.env.context, allowed_company_ids=[cls.company.id], tracking_disable=True
            )
        )
        cls.env.user.company_ids |= cls.company
        cls.env.user.company_id = cls.company
        cls.Move = cls.env["account.move"]
        cls.Report = cls.env["invoice.segment.report"]
        cls.tax = cls.env["account.tax"].create(
            {
                "name": "KDV 20 test",
                "amount": 20,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        ref = cls.env.ref
        cls.tshirt = ref("marketplace_connector.product_tshirt_black_m")
        cls.mug = ref("marketplace_connector.product_mug")
        cls.clothing = ref("marketplace_connector.product_category_clothing")
        cls.home = ref("marketplace_connector.product_category_home")
        cls.tshirt.categ_id = cls.clothing
        cls.mug.categ_id = cls.home
        cls.person = ref("l10n_tr_efatura.demo_customer_individual")
        cls.firm = ref("l10n_tr_efatura.demo_customer_efatura_company")
        cls.foreign = ref("l10n_tr_efatura.demo_customer_foreign")
        cls.bands = {
            band.code: band
            for band in cls.env["invoice.value.band"].search([("company_id", "=", cls.company.id)])
        }

    @classmethod
    def invoice(
        cls,
        partner,
        lines,
        move_type="out_invoice",
        currency=None,
        invoice_date=INVOICE_DATE,
        post=True,
        user=None,
    ):
        move = cls.Move.create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "invoice_date": invoice_date,
                "currency_id": (currency or cls.company.currency_id).id,
                "invoice_user_id": (user or cls.env.user).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": quantity,
                            "price_unit": price,
                            "tax_ids": [Command.set(cls.tax.ids)],
                        }
                    )
                    for product, quantity, price in lines
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def totals(self, moves, group_by):
        rows = self.Report._read_group(
            [("move_id", "in", moves.ids)],
            [group_by],
            ["price_subtotal:sum", "price_tax:sum", "price_total:sum", "__count"],
        )
        return {
            (key.id if hasattr(key, "_name") else key): (
                round(untaxed, 2),
                round(tax, 2),
                round(total, 2),
                count,
            )
            for key, untaxed, tax, total, count in rows
        }


@tagged("post_install", "-at_install")
class TestSegmentDimensions(SegmentCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._segment_setup()

    def test_default_bands_exist(self):
        self.assertEqual(sorted(self.bands), ["large", "medium", "small"])
        self.assertEqual(
            (self.bands["medium"].amount_from, self.bands["medium"].amount_to), (500, 2500)
        )
        self.assertEqual(self.bands["large"].amount_to, 0)

    def test_direct_invoice_dimensions_and_payment(self):
        move = self.invoice(self.person, [(self.tshirt, 2, 300.0)])
        self.assertAlmostEqual(move.amount_total, 720.0)
        self.assertEqual(move.segment_origin, "direct")
        self.assertEqual(move.segment_customer_type, "individual")
        self.assertEqual(move.segment_value_band_id, self.bands["medium"])
        self.assertEqual(move.segment_order_date, INVOICE_DATE)
        self.assertFalse(move.segment_payment_method, "not paid, no payment means: no guess")
        self.assertEqual(move.invoice_line_ids.segment_categ_id, self.clothing)
        tagged_names = set(move.segment_ids.mapped("display_name"))
        self.assertTrue(
            {
                "Customer Type – Individual",
                "Order Value – Medium",
                "Sales Origin – Direct",
                "Product Category – Clothing",
            }
            <= tagged_names,
            tagged_names,
        )
        # the payment actually registered gives the payment method
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "bank")], limit=1
        )
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create({"journal_id": journal.id, "payment_date": INVOICE_DATE})._create_payments()
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        self.assertEqual(move.segment_payment_method, "bank_transfer")
        self.assertIn("Payment Method – Bank Transfer", move.segment_ids.mapped("display_name"))

    def test_edocument_payment_means_wins(self):
        move = self.invoice(self.firm, [(self.mug, 1, 100.0)])
        move.l10n_tr_payment_method = "KAPIDAODEME"
        self.assertEqual(move.segment_payment_method, "cash_on_delivery")
        self.assertEqual(move.segment_customer_type, "corporate")
        self.assertEqual(move.segment_value_band_id, self.bands["small"])

    def test_customer_type_sources(self):
        self.assertEqual(customer_type_from_vat("10234567828", False), "individual")
        self.assertEqual(customer_type_from_vat("TR7345120982", True), "corporate")
        self.assertEqual(customer_type_from_vat("7345120982", False), "corporate")
        self.assertEqual(customer_type_from_vat(False, True), "corporate")
        self.assertEqual(customer_type_from_vat("DE811569869", True), "corporate")
        self.assertEqual(customer_type_from_vat(False, False), "individual")
        self.firm.segment_customer_type = "wholesale"
        move = self.invoice(self.firm, [(self.mug, 1, 100.0)])
        self.assertEqual(move.segment_customer_type, "wholesale")

    def test_band_edges(self):
        cases = {499.99: "small", 500.0: "medium", 2499.99: "medium", 2500.0: "large"}
        moves = {}
        for untaxed, code in cases.items():
            move = self.invoice(self.firm, [(self.mug, 1, untaxed)])
            # no tax: the band reads the total in company currency
            move.button_draft()
            move.invoice_line_ids.tax_ids = False
            move.action_post()
            moves[untaxed] = move
            self.assertEqual(move.segment_value_band_id, self.bands[code], untaxed)
        # a refund falls in the band of its absolute value
        refund = self.invoice(self.firm, [(self.mug, 1, 2500.0)], move_type="out_refund")
        self.assertEqual(refund.segment_value_band_id, self.bands["large"])

    def test_bad_bands(self):
        Band = self.env["invoice.value.band"]
        with self.assertRaisesRegex(ValidationError, "overlap"), self.env.cr.savepoint():
            Band.create(
                {
                    "company_id": self.company.id,
                    "name": "Mid2",
                    "amount_from": 1000,
                    "amount_to": 3000,
                }
            )
        with self.assertRaisesRegex(ValidationError, "no upper bound"), self.env.cr.savepoint():
            self.bands["medium"].amount_to = 0
        with (
            self.assertRaisesRegex(ValidationError, "above the lower bound"),
            self.env.cr.savepoint(),
        ):
            self.bands["small"].write({"amount_from": 400, "amount_to": 300})

    def test_refill_after_band_change(self):
        move = self.invoice(self.person, [(self.tshirt, 2, 300.0)])  # 720
        self.assertEqual(move.segment_value_band_id, self.bands["medium"])
        self.bands["medium"].amount_to = 1000
        self.bands["large"].amount_from = 1000
        self.bands["medium"].amount_from = 800
        self.bands["small"].amount_to = 800
        self.assertEqual(move.segment_value_band_id, self.bands["medium"], "refill not yet run")
        result = self.Move.segment_refill([self.company.id])
        self.assertEqual(set(result), {"refilled"})
        self.assertGreaterEqual(result["refilled"], 1)
        self.assertEqual(move.segment_value_band_id, self.bands["small"])
        self.assertIn("Order Value – Small", move.segment_ids.mapped("display_name"))
        self.assertNotIn("Order Value – Medium", move.segment_ids.mapped("display_name"))

    def test_refill_checks_rights(self):
        clerk = new_test_user(
            self.env,
            login="seg_clerk",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[(6, 0, [self.company.id])],
        )
        with self.assertRaises(AccessError):
            self.Move.with_user(clerk).segment_refill()
        other = self.env["res.company"].create({"name": "Elsewhere"})
        with self.assertRaises(AccessError):
            self.Move.segment_refill([other.id])


@tagged("post_install", "-at_install")
class TestSegmentReport(SegmentCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._segment_setup()
        eur = cls.env.ref("base.EUR")
        eur.active = True
        cls.env["res.currency.rate"].search(
            [("currency_id", "=", eur.id), ("company_id", "=", cls.company.id)]
        ).unlink()
        cls.env["res.currency.rate"].create(
            [
                {
                    "currency_id": eur.id,
                    "company_id": cls.company.id,
                    "name": "2026-01-01",
                    "inverse_company_rate": 35.0,
                },
                {
                    "currency_id": eur.id,
                    "company_id": cls.company.id,
                    "name": "2026-02-01",
                    "inverse_company_rate": 40.0,
                },
            ]
        )
        cls.moves = (
            cls.invoice(cls.person, [(cls.tshirt, 2, 300.0)])  # 600 + 120
            | cls.invoice(cls.person, [(cls.tshirt, 1, 100.0)], move_type="out_refund")
            | cls.invoice(cls.firm, [(cls.mug, 4, 250.0)])  # 1000 + 200
            # 100 EUR at the rate of the invoice date (35): 3500 TRY
            | cls.invoice(cls.foreign, [(cls.mug, 1, 100.0)], currency=eur)
        )

    def test_totals_per_customer_type(self):
        self.assertEqual(
            self.totals(self.moves, "customer_type"),
            {
                "individual": (500.0, 100.0, 600.0, 2),
                "corporate": (4500.0, 900.0, 5400.0, 2),
            },
        )

    def test_totals_per_category_band_origin(self):
        self.assertEqual(
            self.totals(self.moves, "categ_id"),
            {
                self.clothing.id: (500.0, 100.0, 600.0, 2),
                self.home.id: (4500.0, 900.0, 5400.0, 2),
            },
        )
        self.assertEqual(
            self.totals(self.moves, "value_band_id"),
            {
                self.bands["small"].id: (-100.0, -20.0, -120.0, 1),
                self.bands["medium"].id: (1600.0, 320.0, 1920.0, 2),
                self.bands["large"].id: (3500.0, 700.0, 4200.0, 1),
            },
        )
        self.assertEqual(self.totals(self.moves, "origin"), {"direct": (5000.0, 1000.0, 6000.0, 4)})
        self.assertEqual(
            self.totals(self.moves, "order_date:quarter"),
            {date(2026, 1, 1): (5000.0, 1000.0, 6000.0, 4)},
        )

    def test_get_segment_totals_plain_rows(self):
        rows = self.Move.get_segment_totals(
            "2026-01-01", "2026-01-31", ["customer_type", "order_date:quarter"]
        )
        xmlrpc.client.dumps((rows,), allow_none=True)  # plain values only
        self.assertEqual(
            sorted(rows, key=lambda row: row["customer_type"]),
            [
                {
                    "customer_type": "corporate",
                    "order_date:quarter": "2026-01-01",
                    "count": 2,
                    "untaxed": 4500.0,
                    "tax": 900.0,
                    "total": 5400.0,
                },
                {
                    "customer_type": "individual",
                    "order_date:quarter": "2026-01-01",
                    "count": 2,
                    "untaxed": 500.0,
                    "tax": 100.0,
                    "total": 600.0,
                },
            ],
        )
        self.assertEqual(
            self.Move.get_segment_totals("2026-02-01", "2026-02-28"),
            [{"count": 0, "untaxed": 0.0, "tax": 0.0, "total": 0.0}],
        )
        with self.assertRaisesRegex(UserError, "Cannot group"):
            self.Move.get_segment_totals("2026-01-01", "2026-01-31", ["amount_total"])
        with self.assertRaisesRegex(UserError, "Give a period"):
            self.Move.get_segment_totals("2026-02-01", "2026-01-31")
        with self.assertRaisesRegex(UserError, "ISO dates"):
            self.Move.get_segment_totals("yesterday", "2026-01-31")

    def test_segment_totals_for_a_period(self):
        segment = self.env["invoice.segment"].create(
            {
                "value": "January",
                "totals_period": "year",
                "domain": "[('id', 'in', %s)]" % self.moves.ids,
            }
        )
        segment.apply_to_past_invoices(segment.ids)
        self.assertEqual(segment.invoice_ids, self.moves)
        self.assertEqual((segment.period_count, segment.period_return_count), (3, 1))
        self.assertEqual(
            [
                round(segment[name], 2)
                for name in (
                    "period_untaxed",
                    "period_tax",
                    "period_total",
                    "period_average",
                    "period_return_total",
                )
            ],
            [5000.0, 1000.0, 6000.0, 2040.0, 120.0],
        )
        rows = self.Move.get_segment_totals("2026-01-01", "2026-01-31", ["segment_ids"])
        mine = [row for row in rows if row["segment_ids"] == segment.id]
        self.assertEqual(
            mine,
            [
                {
                    "segment_ids": segment.id,
                    "segment": "Other – January",
                    "count": 4,
                    "untaxed": 5000.0,
                    "tax": 1000.0,
                    "total": 6000.0,
                }
            ],
        )
        segment.totals_period = "month"
        self.assertEqual(segment.period_count, 0)

    def test_group_analysis_by_segment(self):
        """Invoice Segmentation grouped by segment tag: each line counts in every segment of its
        invoice, refunds negative, EUR converted at the invoice date."""
        rows = self.Report._read_group(
            [("move_id", "in", self.moves.ids)],
            ["segment_ids"],
            ["price_subtotal:sum", "price_tax:sum", "price_total:sum", "__count"],
        )
        self.assertEqual(
            {
                segment.display_name: (round(untaxed, 2), round(tax, 2), round(total, 2), count)
                for segment, untaxed, tax, total, count in rows
            },
            {
                "Customer Type – Individual": (500.0, 100.0, 600.0, 2),
                "Customer Type – Corporate": (4500.0, 900.0, 5400.0, 2),
                "Product Category – Clothing": (500.0, 100.0, 600.0, 2),
                "Product Category – Home": (4500.0, 900.0, 5400.0, 2),
                "Order Value – Small": (-100.0, -20.0, -120.0, 1),
                "Order Value – Medium": (1600.0, 320.0, 1920.0, 2),
                "Order Value – Large": (3500.0, 700.0, 4200.0, 1),
                "Sales Origin – Direct": (5000.0, 1000.0, 6000.0, 4),
            },
        )
        # with a second dimension, and as a filter
        corporate = self.env.ref("marketplace_connector.segment_customer_corporate")
        rows = self.Report._read_group(
            [("move_id", "in", self.moves.ids), ("segment_ids", "in", corporate.ids)],
            ["segment_ids", "value_band_id"],
            ["price_total:sum"],
        )
        by_band = {
            band.code: round(total, 2) for segment, band, total in rows if segment == corporate
        }
        self.assertEqual(by_band, {"medium": 1200.0, "large": 4200.0})
        # the analysis view offers the group-by and the saved filter
        search = self.Report.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn("'group_by': 'segment_ids'", search)
        saved = self.env.ref("marketplace_connector.filter_invoice_segment_report_segment")
        self.assertEqual(
            saved.action_id.id,
            self.env.ref("marketplace_connector.action_invoice_segment_report").id,
        )
        groups = self.Report.read_group(
            [("move_id", "in", self.moves.ids)],
            ["price_subtotal:sum"],
            ["segment_ids", "invoice_date:month"],
            lazy=False,
        )
        direct = self.env.ref("marketplace_connector.segment_origin_direct")
        self.assertEqual(
            [
                (group["invoice_date:month"], group["price_subtotal"])
                for group in groups
                if group["segment_ids"] and group["segment_ids"][0] == direct.id
            ],
            [("January 2026", 5000.0)],
        )

    def test_grouped_by_segment_as_line_by_line(self):
        """Grouped by segment (alone or with other groups, every additive measure, the count),
        the analysis gives what adding up line by line gives."""
        domain = [("move_id", "in", self.moves.ids)]
        for groupby, aggregates in (
            (["segment_ids"], ["price_subtotal:sum", "price_total:sum", "__count"]),
            (["segment_ids", "invoice_date:month"], ["quantity:sum", "__count"]),
            (["customer_type", "segment_ids"], ["price_subtotal:max", "price_tax:min"]),
            (["segment_ids", "product_id"], ["price_subtotal:sum"]),
        ):
            with self.subTest(groupby=groupby):
                self.assertEqual(
                    self.Report._read_group(domain, groupby, aggregates, order=",".join(groupby)),
                    models.BaseModel._read_group(
                        self.Report, domain, groupby, aggregates, order=",".join(groupby)
                    ),
                )

    def test_invoices_by_segment_views(self):
        action = self.env.ref("marketplace_connector.action_invoice_by_segment")
        views = self.Move.get_views(
            [(view.view_id.id, view.view_mode) for view in action.view_ids]
        )["views"]
        self.assertEqual(set(views), {"graph", "pivot", "list"})
        self.assertIn('type="pie"', views["graph"]["arch"])
        corporate = self.env.ref("marketplace_connector.segment_customer_corporate")
        groups = self.Move.read_group(
            [("id", "in", self.moves.ids)], ["amount_untaxed_signed:sum"], ["segment_ids"]
        )
        by_segment = {
            group["segment_ids"][0]: group["amount_untaxed_signed"]
            for group in groups
            if group["segment_ids"]
        }
        self.assertAlmostEqual(by_segment[corporate.id], 4500.0)

    def test_segment_filter_and_export(self):
        corporate = self.env.ref("marketplace_connector.segment_customer_corporate")
        rows = self.Report.search(
            [("move_id", "in", self.moves.ids), ("segment_ids", "in", corporate.ids)]
        )
        self.assertEqual(rows.move_id, self.moves[2:])
        exported = rows.sorted("id").export_data(
            ["move_id/name", "customer_type", "categ_id/name", "segment_ids/id", "price_subtotal"]
        )["datas"]
        self.assertEqual(len(exported), 2)
        self.assertIn("marketplace_connector.segment_customer_corporate", exported[0][3])
        self.assertEqual(exported[0][1], "Corporate")
        self.assertEqual(exported[0][2], "Home")
        # Odoo's export (list view "Export", XLSX or CSV) names the segments in one column
        exported = (
            rows.sorted("id")
            .with_context(import_compat=True)
            .export_data(["move_id/name", "segment_ids"])["datas"]
        )
        self.assertEqual(
            exported[0][1].split(","),
            rows.sorted("id")[:1].move_id.segment_ids.mapped("display_name"),
        )
        self.assertIn("Customer Type – Corporate", exported[0][1].split(","))
        self.assertIn("Order Value – Large", exported[1][1].split(","))

    def test_salesperson_sees_what_invoice_analysis_shows(self):
        seller = new_test_user(
            self.env,
            login="seg_seller",
            groups="sales_team.group_sale_salesman,account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[(6, 0, [self.company.id])],
        )
        own = self.invoice(self.person, [(self.tshirt, 1, 50.0)], user=seller)
        domain = [("move_id", "in", (self.moves | own).ids)]
        seen = self.Report.with_user(seller).search(domain).move_id
        analysis = self.env["account.invoice.report"].with_user(seller).search(domain).move_id
        self.assertEqual(seen, own)
        self.assertEqual(seen, analysis)
        nobody = new_test_user(
            self.env,
            login="seg_nobody",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[(6, 0, [self.company.id])],
        )
        with self.assertRaises(AccessError):
            self.Report.with_user(nobody).search(domain)


@tagged("post_install", "-at_install")
class TestSegmentRules(SegmentCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._segment_setup()
        cls.Segment = cls.env["invoice.segment"]

    def test_naming_convention(self):
        segment = self.Segment.create(
            {
                "dimension": "product_category",
                "value": "Mugs",
                "domain": "[('invoice_line_ids.product_id', '=', %d)]" % self.mug.id,
            }
        )
        self.assertEqual(segment.display_name, "Product Category – Mugs")
        self.assertEqual(self.Segment.name_search("Mugs")[0][1], "Product Category – Mugs")
        self.assertEqual(
            self.Segment.name_search("Product Category – Mugs"),
            [(segment.id, segment.display_name)],
        )
        for value in ("Mugs – Large", " VIP", ""):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.Segment.create({"dimension": "customer_type", "value": value, "domain": "[]"})

    def test_domain_naming_a_missing_field(self):
        with self.assertRaisesRegex(ValidationError, "not a valid filter"), self.env.cr.savepoint():
            self.Segment.create({"value": "Broken Rule", "domain": "[('no_such_field', '=', 1)]"})

    def test_reapply_retags_exactly(self):
        small = self.invoice(self.firm, [(self.mug, 1, 100.0)])  # 120
        big = self.invoice(self.firm, [(self.mug, 4, 250.0)])  # 1200
        other = self.invoice(self.person, [(self.tshirt, 1, 100.0)])
        segment = self.Segment.create(
            {
                "value": "Marmara",
                "domain": "[('partner_id', '=', %d), ('amount_total', '>', 1000)]" % self.firm.id,
            }
        )
        self.assertFalse(segment.invoice_ids, "a new segment waits for Apply to past invoices")
        result = segment.apply_to_past_invoices(segment.ids)
        self.assertEqual(result["tagged"], 1)
        self.assertEqual(segment.invoice_ids, big)
        segment.domain = "[('partner_id', '=', %d), ('amount_total', '<', 1000)]" % self.firm.id
        result = self.Segment.apply_to_past_invoices(segment.ids)
        self.assertEqual(result["tagged"], 1)
        self.assertEqual(segment.invoice_ids, small)
        self.assertNotIn(segment, other.segment_ids)
        # a newly posted invoice is tagged at posting
        third = self.invoice(self.firm, [(self.mug, 1, 10.0)])
        self.assertIn(segment, third.segment_ids)
        self.assertEqual(segment.invoice_count, 2)

    def test_segment_set_follows_the_tags(self):
        """The analysis adds up invoices per set of segments: the set follows every tagging,
        a deleted segment included."""
        big = self.invoice(self.firm, [(self.mug, 4, 250.0)])
        segment = self.Segment.create({"value": "Büyük", "domain": "[('amount_total', '>', 1000)]"})
        segment.apply_to_past_invoices(segment.ids)
        self.assertEqual(big.segment_set, ",".join(map(str, sorted(big.segment_ids.ids))))
        self.assertIn(str(segment.id), big.segment_set.split(","))
        segment.unlink()
        self.assertNotIn(str(segment.id), (big.segment_set or "").split(","))
        self.assertEqual(big.segment_set or "", ",".join(map(str, sorted(big.segment_ids.ids))))

    @mute_logger("odoo.addons.marketplace_connector.models.invoice_segment")
    def test_failing_segment_never_blocks_posting(self):
        segment = self.Segment.create({"value": "Soon Broken", "domain": "[]"})
        # a field removed after the rule was saved
        self.env.cr.execute(
            "UPDATE invoice_segment SET domain = %s WHERE id = %s",
            ["[('gone_field', '=', 1)]", segment.id],
        )
        segment.invalidate_recordset()
        move = self.invoice(self.person, [(self.tshirt, 1, 100.0)])
        self.assertEqual(move.state, "posted")
        self.assertIn("gone_field", segment.last_error)
        self.assertNotIn(segment, move.segment_ids)
        self.assertIn("Customer Type – Individual", move.segment_ids.mapped("display_name"))

    def test_quarterly_review_activity(self):
        segment = self.env.ref("marketplace_connector.segment_customer_corporate")
        segment.write({"user_id": self.env.user.id, "last_review_date": False})
        self.Segment._cron_quarterly_review()
        activity = segment.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.env.user)
        self.assertEqual(activity.summary, "Review this segment")
        self.Segment._cron_quarterly_review()
        self.assertEqual(len(segment.activity_ids), 1, "one open review at a time")
        segment.action_mark_reviewed()
        self.assertEqual(segment.last_review_date, fields.Date.context_today(segment))
        self.assertFalse(segment.activity_ids)
        self.Segment._cron_quarterly_review()
        self.assertFalse(segment.activity_ids, "reviewed this quarter")


@tagged("post_install", "-at_install")
class TestSegmentNaming(SegmentCommon, TransactionCase):
    """One prefix per dimension for the whole company: "<prefix> – <value>"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._segment_setup()
        cls.Segment = cls.env["invoice.segment"]
        cls.branch = cls.env["res.company"].create({"name": "Şube Ltd"})
        cls.env.user.company_ids |= cls.branch
        both = cls.Segment.with_context(allowed_company_ids=[cls.company.id, cls.branch.id])
        cls.mugs_here, cls.mugs_there = both.create(
            [
                {"dimension": "product_category", "value": "Mugs", "company_id": company.id}
                for company in (cls.company, cls.branch)
            ]
        )
        cls.clothing_all = cls.env.ref("marketplace_connector.segment_category_clothing")
        cls.corporate = cls.env.ref("marketplace_connector.segment_customer_corporate")

    def set_prefixes(self, **prefixes):
        settings = self.env["res.config.settings"].create(
            {f"segment_prefix_{key}": prefix for key, prefix in prefixes.items()}
        )
        settings.execute()

    def test_company_prefix_renames_its_segments(self):
        self.assertEqual(self.mugs_here.display_name, "Product Category – Mugs")
        self.assertEqual(self.mugs_here.prefix, "Product Category")
        self.set_prefixes(product_category="Kategori")
        self.assertEqual(self.company.segment_prefix_product_category, "Kategori")
        self.assertEqual(self.mugs_here.display_name, "Kategori – Mugs")
        # the segments of every company take the current company's prefix
        self.assertEqual(self.clothing_all.display_name, "Kategori – Clothing")
        self.assertEqual(
            self.clothing_all.with_company(self.branch).display_name,
            "Product Category – Clothing",
        )
        # other companies and other dimensions keep theirs
        self.assertEqual(self.mugs_there.sudo().display_name, "Product Category – Mugs")
        self.assertEqual(self.corporate.display_name, "Customer Type – Corporate")
        # names are searched as shown
        mine = [("company_id", "in", (False, self.company.id))]
        self.assertEqual(
            [row[0] for row in self.Segment.name_search("Kategori – Mugs", mine)],
            self.mugs_here.ids,
        )
        self.assertIn(self.clothing_all.id, [row[0] for row in self.Segment.name_search("Kategor")])
        # the tags of the analysis are renamed too
        move = self.invoice(self.person, [(self.tshirt, 1, 100.0)])
        self.assertIn("Kategori – Clothing", move.segment_ids.mapped("display_name"))
        rows = self.Report._read_group(
            [("move_id", "=", move.id)], ["segment_ids"], ["price_subtotal:sum"]
        )
        self.assertIn(
            ("Kategori – Clothing", 100.0),
            [(segment.display_name, round(total, 2)) for segment, total in rows],
        )
        self.set_prefixes(product_category=False)
        self.assertEqual(self.mugs_here.display_name, "Product Category – Mugs")

    def test_prefix_breaking_the_convention(self):
        for prefix in ("Kategori – Ana", " Kategori", "Kategori "):
            with self.assertRaisesRegex(ValidationError, "convention"), self.env.cr.savepoint():
                self.set_prefixes(customer_type=prefix)
        with self.assertRaisesRegex(ValidationError, "convention"), self.env.cr.savepoint():
            self.corporate.value = "Corporate – VIP"
        for company in (self.company, self.env["res.company"]):
            with self.assertRaisesRegex(ValidationError, "already exists"), self.env.cr.savepoint():
                self.Segment.create(
                    {"dimension": "customer_type", "value": "Corporate", "company_id": company.id}
                )
        # the same value in another dimension is another name
        other = self.Segment.create({"dimension": "other", "value": "Corporate"})
        self.assertEqual(other.display_name, "Other – Corporate")

    def test_turkish_and_english_names(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        self.env["ir.module.module"]._load_module_terms(
            ["marketplace_connector"], ["tr_TR"], overwrite=True
        )
        names = {
            ref: (
                self.env.ref(ref).with_context(lang="en_US").display_name,
                self.env.ref(ref).with_context(lang="tr_TR").display_name,
            )
            for ref in (
                "marketplace_connector.segment_customer_corporate",
                "marketplace_connector.segment_payment_cod",
                "marketplace_connector.segment_value_large",
                "marketplace_connector.segment_origin_marketplace",
                "marketplace_connector.segment_category_clothing",
            )
        }
        self.assertEqual(
            list(names.values()),
            [
                ("Customer Type – Corporate", "Müşteri Tipi – Kurumsal"),
                ("Payment Method – Cash on Delivery", "Ödeme Yöntemi – Kapıda Ödeme"),
                ("Order Value – Large", "Sipariş Tutarı – Büyük"),
                ("Sales Origin – Marketplace", "Satış Kaynağı – Pazaryeri"),
                ("Product Category – Clothing", "Ürün Kategorisi – Giyim"),
            ],
        )
        # a company's own prefix, in each language
        self.set_prefixes(customer_type="Customer Group")
        self.env["res.config.settings"].with_context(lang="tr_TR").create(
            {"segment_prefix_customer_type": "Müşteri Grubu"}
        ).execute()
        self.assertEqual(
            self.corporate.with_context(lang="en_US").display_name,
            "Customer Group – Corporate",
        )
        self.assertEqual(
            self.corporate.with_context(lang="tr_TR").display_name, "Müşteri Grubu – Kurumsal"
        )


@tagged("post_install", "-at_install")
class TestSegmentMarketplace(SegmentCommon, MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._segment_setup()

    def test_marketplace_invoice_dimensions(self):
        package = trendyol_package()
        self.store(package)
        self.process()
        row = self.inbound(package)
        invoice = row.invoice_id
        self.assertEqual(invoice.state, "posted", row.error_reason)
        self.assertEqual(invoice.segment_origin, "marketplace")
        self.assertEqual(invoice.segment_payment_method, "marketplace")
        self.assertEqual(invoice.segment_customer_type, "individual")
        self.assertEqual(invoice.segment_value_band_id, self.bands["medium"])  # 1499.30
        self.assertEqual(
            invoice.segment_order_date,
            fields.Date.context_today(invoice, row.sale_order_id.date_order),
        )
        self.assertEqual(invoice.segment_edoc_profile, "earchive")
        totals = self.Report._read_group(
            [("move_id", "=", invoice.id)],
            ["marketplace_account_id", "categ_id"],
            ["price_total:sum"],
        )
        self.assertEqual(
            {(account.id, categ.id): round(total, 2) for account, categ, total in totals},
            {
                (self.account.id, self.clothing.id): 1349.80,
                (self.account.id, self.home.id): 149.50,
            },
        )

    def test_daily_summary_lists_top_segments(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_connector.summary_emails", "owner@example.com"
        )
        self.store(trendyol_package())
        self.process()
        lines = self.account._summary_values()["top_segments"]
        self.assertIn("Sales Origin – Marketplace: 1 / ", "\n".join(lines))
        self.assertLessEqual(len(lines), 5)
        self.assertEqual(self.account.send_daily_summary(), 1)
        mail = self.env["mail.mail"].search(
            [("email_to", "=", "owner@example.com")], order="id desc", limit=1
        )
        self.assertIn("Top segments of the day", mail.body_html)
        self.assertIn("Sales Origin – Marketplace: 1 / ", mail.body_html)


@tagged("post_install", "-at_install")
class TestSegmentCompanyBands(TransactionCase):
    def test_new_company_gets_default_bands(self):
        company = self.env["res.company"].create({"name": "Yeni Şirket"})
        bands = self.env["invoice.value.band"].sudo().search([("company_id", "=", company.id)])
        self.assertEqual(
            [(b.code, b.amount_from, b.amount_to) for b in bands],
            [("small", 0, 500), ("medium", 500, 2500), ("large", 2500, 0)],
        )


@tagged("post_install", "-at_install")
class TestSegmentTour(SegmentCommon, HttpCase):
    """A segment's totals, Apply to past invoices and the analysis by segment, in the browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._segment_setup()
        admin = cls.env.ref("base.user_admin")
        admin.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})
        customer = cls.firm.copy({"name": "Tour Customer Ltd"})
        today = fields.Date.context_today(admin)
        cls.moves = cls.invoice(customer, [(cls.mug, 2, 300.0)], invoice_date=today) | cls.invoice(
            customer, [(cls.mug, 1, 100.0)], invoice_date=today
        )
        cls.segment = cls.env["invoice.segment"].create(
            {
                "value": "Tour Customers",
                "sequence": 0,
                "company_id": cls.company.id,
                "domain": "[('partner_id', '=', %d)]" % customer.id,
            }
        )

    def test_segment_totals_apply_and_group_the_analysis(self):
        self.assertFalse(self.segment.invoice_ids)
        workbooks = []

        class RecordingWorkbook(xlsxwriter.Workbook):
            def close(self):
                super().close()
                workbooks.append(self.filename.getvalue())

        with patch.object(xlsxwriter, "Workbook", RecordingWorkbook):
            self.start_tour(
                "/odoo/action-marketplace_connector.action_invoice_segment",
                "marketplace_connector_segment_tour",
                login="admin",
            )
        self.assertEqual(self.segment.invoice_ids, self.moves)
        self.assertEqual((self.segment.period_count, self.segment.period_total), (2, 840.0))
        # the pivot's XLSX export has a row per segment with its untaxed total
        self.assertEqual(len(workbooks), 1)
        sheet = openpyxl.load_workbook(io.BytesIO(workbooks[0])).active
        rows = {row[0].strip(): row[-1] for row in sheet.iter_rows(values_only=True) if row[0]}
        self.assertEqual(rows.get("Other – Tour Customers"), 700.0)
        self.assertEqual(rows.get("Customer Type – Corporate"), 700.0)

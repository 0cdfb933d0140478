from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .campaign_common import CampaignCommon


@tagged("post_install", "-at_install")
class TestCampaignTargetList(CampaignCommon):
    def test_card_criteria_only(self):
        """Type and city (case-insensitive): Deniz (Ankara) and Efe (retail) are out."""
        campaign = self._campaign()
        result = campaign.build_target_list()
        self.assertEqual(
            self._targets(campaign), self.anadolu | self.bereket | self.ceylan | self.fidan
        )
        self.assertEqual(
            {key: result[key] for key in ("count", "added", "removed", "kept", "company_id")},
            {"count": 4, "added": 4, "removed": 0, "kept": 0, "company_id": self.company.id},
        )
        self.assertEqual(
            [row["name"] for row in result["preview"]],
            ["Anadolu Gıda", "Bereket Market", "Ceylan Bakkal", "Fidan Büfe"],
        )
        self.assertEqual(result["preview"][0]["city"], "Bursa")
        self.assertEqual(result["preview"][0]["user"], self.salesman.name)

    def test_status_code(self):
        campaign = self._campaign(target_customer_status="PA")
        campaign.build_target_list()
        self.assertEqual(self._targets(campaign), self.fidan)

    def test_last_sale_older_than(self):
        """Anadolu's last invoice is 100 days old; Bereket's 10 days; Ceylan and Fidan never
        bought and are left out."""
        campaign = self._campaign(target_last_sale="older", target_last_sale_days=30)
        campaign.build_target_list()
        self.assertEqual(self._targets(campaign), self.anadolu)

    def test_last_sale_within(self):
        campaign = self._campaign(target_last_sale="newer", target_last_sale_days=30)
        campaign.build_target_list()
        self.assertEqual(self._targets(campaign), self.bereket)

    def test_sales_volume(self):
        """Over the last year: Anadolu 250.00, Bereket 100.00, Ceylan and Fidan 0.00."""
        period = {
            "target_volume_date_from": self.today - timedelta(days=365),
            "target_volume_date_to": self.today,
        }
        above = self._campaign(target_volume="above", target_volume_amount=200.0, **period)
        above.build_target_list()
        self.assertEqual(self._targets(above), self.anadolu)
        below = self._campaign(
            title="Az alanlar",
            target_volume="below",
            target_volume_amount=200.0,
            target_customer_status="LA",
            **period,
        )
        below.build_target_list()
        self.assertEqual(self._targets(below), self.bereket | self.ceylan)
        # a period without Anadolu's invoice (100 days ago): its volume is 0.00
        recent = self._campaign(
            title="Son ay",
            target_volume="above",
            target_volume_amount=50.0,
            target_volume_date_from=self.today - timedelta(days=30),
            target_volume_date_to=self.today,
        )
        recent.build_target_list()
        self.assertEqual(self._targets(recent), self.bereket)

    def test_bought_products_and_categories(self):
        bought = self._campaign(
            target_product_mode="bought", target_product_ids=[Command.set(self.oil.ids)]
        )
        bought.build_target_list()
        self.assertEqual(self._targets(bought), self.anadolu)
        # the FIFO category (and its sub-categories) was never bought by the other three
        never = self._campaign(
            title="Hiç almayanlar",
            target_product_mode="never",
            target_categ_ids=[Command.set(self.fifo.ids)],
        )
        never.build_target_list()
        self.assertEqual(self._targets(never), self.bereket | self.ceylan | self.fidan)
        child = self.env["product.category"].create({"name": "Alt", "parent_id": self.fifo.id})
        self.assembly.categ_id = child
        never.build_target_list()
        self.assertEqual(self._targets(never), self.ceylan | self.fidan)

    def test_rebuild_replaces_without_duplicates(self):
        campaign = self._campaign()
        campaign.build_target_list()
        first_line = campaign.target_ids.filtered(lambda line: line.partner_id == self.anadolu)
        campaign.write({"target_last_sale": "older", "target_last_sale_days": 30})
        result = campaign.build_target_list()
        self.assertEqual(
            (result["count"], result["added"], result["removed"], result["kept"]), (1, 0, 3, 1)
        )
        self.assertEqual(campaign.target_ids, first_line)
        result = campaign.build_target_list()
        self.assertEqual((result["count"], result["added"], result["kept"]), (1, 0, 1))
        self.assertEqual(
            self.env["utm.campaign.target"].search_count([("campaign_id", "=", campaign.id)]), 1
        )

    def test_salesperson_builds_the_list(self):
        """A salesperson may build the list; its lines are of the campaign's company and a user
        of another company does not see them."""
        campaign = self._campaign(target_customer_status="PA")
        result = campaign.with_user(self.salesman).build_target_list()
        self.assertEqual((result["count"], result["preview"][0]["name"]), (1, "Fidan Büfe"))
        self.assertEqual(campaign.target_ids.company_id, self.company)
        other = self.env["res.company"].create({"name": "Başka Şirket"})
        outsider = self.salesman.copy(
            {
                "login": "campaign_outsider",
                "company_id": other.id,
                "company_ids": [(6, 0, other.ids)],
            }
        )
        Target = self.env["utm.campaign.target"].with_user(outsider)
        self.assertFalse(Target.search([("campaign_id", "=", campaign.id)]))

    def test_responsible_activities_and_email(self):
        """Salesperson, else responsible staff, else the campaign's responsible; each action
        runs once per customer."""
        campaign = self._campaign(target_customer_status="LA", user_id=self.master_user.id)
        campaign.build_target_list()
        by_partner = {line.partner_id: line.user_id for line in campaign.target_ids}
        self.assertEqual(
            by_partner,
            {self.anadolu: self.salesman, self.bereket: self.staff, self.ceylan: self.master_user},
        )
        self.assertEqual(campaign.action_create_activities(), 3)
        activities = campaign.target_ids.activity_id
        self.assertEqual(
            {(a.res_id, a.user_id) for a in activities},
            {
                (self.anadolu.id, self.salesman),
                (self.bereket.id, self.staff),
                (self.ceylan.id, self.master_user),
            },
        )
        self.assertEqual(
            activities.activity_type_id,
            self.env.ref("partner_credit_risk.mail_activity_type_campaign_follow_up"),
        )
        self.assertEqual(campaign.action_create_activities(), 0)
        # the e-mail goes to the two customers with an address, once
        self.assertEqual(campaign.action_send_campaign_email(), 2)
        mails = self.env["mail.mail"].search([("subject", "=", "Bahar kampanyası")])
        self.assertEqual(
            sorted(mails.mapped("email_to")),
            ['"Anadolu Gıda" <satis@anadolu.example>', '"Bereket Market" <info@bereket.example>'],
        )
        self.assertIn("Bahar kampanyası", mails[0].body_html)
        self.assertEqual(campaign.action_send_campaign_email(), 0)


@tagged("post_install", "-at_install")
class TestCampaignOrders(CampaignCommon):
    def _period_campaign(self, title, start_days_ago, **vals):
        campaign = self._campaign(
            title=title,
            date_start=self.today - timedelta(days=start_days_ago),
            date_end=self.today + timedelta(days=5),
            **vals,
        )
        campaign.build_target_list()
        return campaign

    def _new_order(self, partner, **vals):
        return self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "order_line": [Command.create({"product_id": self.assembly.id})],
                **vals,
            }
        )

    def test_order_gets_the_campaign(self):
        campaign = self._period_campaign("Yaz", 5, target_customer_status="LA")
        order = self._new_order(self.anadolu)
        self.assertEqual(order.campaign_id, campaign)
        # a contact of the targeted company orders: same campaign
        contact = self.env["res.partner"].create({"name": "Ayşe", "parent_id": self.anadolu.id})
        self.assertEqual(self._new_order(contact).campaign_id, campaign)
        # not targeted (Fidan is PA; Deniz is in Ankara): no campaign
        self.assertFalse(self._new_order(self.deniz).campaign_id)
        # dated after the campaign's end: no campaign
        later = fields.Datetime.now() + timedelta(days=10)
        self.assertFalse(self._new_order(self.anadolu, date_order=later).campaign_id)
        # the web client sends an empty campaign: the target list fills it
        self.assertEqual(self._new_order(self.anadolu, campaign_id=False).campaign_id, campaign)
        # set by hand: kept
        other = self.env["utm.campaign"].create({"title": "Elle"})
        self.assertEqual(self._new_order(self.anadolu, campaign_id=other.id).campaign_id, other)
        # the invoice of the order carries the campaign
        order.order_line.price_unit = 100.0
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertEqual(invoice.campaign_id, campaign)

    def test_most_recent_campaign_wins(self):
        older = self._period_campaign("Eski", 20)
        newer = self._period_campaign("Yeni", 3)
        self._period_campaign("Başka", 1, target_city="Ankara")
        self.assertEqual(self._new_order(self.anadolu).campaign_id, newer)
        newer.active = False
        self.assertEqual(self._new_order(self.anadolu).campaign_id, older)

    def test_revenue_gross_profit_and_conversion(self):
        """Anadolu and Ceylan are targeted; Anadolu orders the profitability worked example
        within the period: ordered 475.00 (15 oil x 25.00 + assembly 100.00), invoiced 475.00
        less the 75.00 refund = 400.00; cost of goods sold 170.00 (FIFO 10 x 10.00 + 5 x
        14.00) + 40.00 (assembly at standard cost) - 34.00 (3 returned at 170 / 15) = 176.00;
        gross profit 224.00 = 56 %; 1 of 2 targeted customers bought: 50 %."""
        campaign = self._period_campaign("Zeytinyağı", 5, target_customer_status="LA")
        campaign.write({"target_last_sale": "older", "target_last_sale_days": 30})
        campaign.build_target_list()
        self.assertEqual(self._targets(campaign), self.anadolu)
        self.env["utm.campaign.target"].create(
            {
                "campaign_id": campaign.id,
                "partner_id": self.ceylan.id,
                "company_id": self.company.id,
            }
        )
        order, _delivery, invoice, refund = self._worked_example(self.anadolu)
        self.assertEqual((order.campaign_id, invoice.campaign_id), (campaign, campaign))
        self.assertEqual(refund.campaign_id, campaign)
        campaign.invalidate_recordset()
        self.assertEqual(
            campaign.get_campaign_results(),
            {
                "target_count": 2,
                "converted_count": 1,
                "conversion_rate": 50.0,
                "order_revenue": 475.0,
                "invoice_revenue": 400.0,
                "invoice_cogs": 176.0,
                "gross_profit": 224.0,
                "gross_profit_percent": 56.0,
            },
        )
        # the report shows the same figures per campaign
        self.env["partner.campaign.report"].action_open_report()
        rows = self.env["partner.campaign.report"].search([("campaign_id", "=", campaign.id)])
        self.assertEqual(
            (
                sum(rows.mapped("ordered_revenue")),
                sum(rows.mapped("invoiced_revenue")),
                sum(rows.mapped("cogs")),
                sum(rows.mapped("gross_profit")),
            ),
            (475.0, 400.0, 176.0, 224.0),
        )
        self.assertEqual(
            sorted(rows.filtered(lambda r: r.kind == "invoice").mapped("cost_basis")),
            ["standard", "valuation", "valuation"],
        )


@tagged("post_install", "-at_install")
class TestCampaignBadInput(CampaignCommon):
    def test_dates_out_of_order(self):
        with self.assertRaisesRegex(ValidationError, "start date .* is after the end date"):
            self._campaign(date_start=self.today, date_end=self.today - timedelta(days=1))
        with self.assertRaisesRegex(ValidationError, "sales volume period starts"):
            self._campaign(
                target_volume="above",
                target_volume_date_from=self.today,
                target_volume_date_to=self.today - timedelta(days=1),
            )

    def test_negative_or_incomplete_criteria(self):
        with self.assertRaisesRegex(ValidationError, "amount cannot be negative"):
            self._campaign(
                target_volume="below",
                target_volume_amount=-5.0,
                target_volume_date_from=self.today,
                target_volume_date_to=self.today,
            )
        with self.assertRaisesRegex(ValidationError, "needs a period"):
            self._campaign(target_volume="above", target_volume_amount=5.0)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._campaign(target_last_sale="older", target_last_sale_days=-1)
        with self.assertRaisesRegex(ValidationError, "choose the products"):
            self._campaign(target_product_mode="bought")

    def test_campaign_of_another_company(self):
        other = self.env["res.company"].create({"name": "Başka Şirket"})
        campaign = self._campaign(company_id=other.id)
        with self.assertRaisesRegex(UserError, "a company you are not working in"):
            campaign.with_user(self.master_user).build_target_list()
        self.assertFalse(campaign.target_ids)

    def test_bad_ids(self):
        Campaign = self.env["utm.campaign"]
        with self.assertRaisesRegex(UserError, "exactly one"):
            Campaign.browse().build_target_list()
        with self.assertRaisesRegex(UserError, "no UTM Campaign record with id"):
            Campaign.browse(987654321).build_target_list()

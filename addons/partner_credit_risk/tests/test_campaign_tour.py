from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCampaignTour(HttpCase):
    """A salesperson builds a campaign's target list from the campaign form."""

    def test_build_target_list_from_the_form(self):
        admin = self.env.ref("base.user_admin")
        company = admin.company_id
        customer = self.env["res.partner"].create(
            {
                "name": "Tavşanlı Seramik Ltd.",
                "is_company": True,
                "customer_rank": 1,
                "city": "tavşanlı",
                "company_id": company.id,
            }
        )
        campaign = self.env["utm.campaign"].create(
            {"title": "Seramik fuarı", "company_id": company.id, "user_id": admin.id}
        )
        self.start_tour(
            f"/odoo/action-partner_credit_risk.action_utm_campaign_targeting/{campaign.id}",
            "partner_credit_risk_campaign_tour",
            login="admin",
        )
        self.assertEqual(campaign.target_city, "tavşanlı")
        self.assertEqual(campaign.target_ids.partner_id, customer)
        self.assertEqual(campaign.target_ids.company_id, company)

from odoo.addons.partner_credit_risk.tests.campaign_common import CampaignCommon
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCampaignMailingList(CampaignCommon):
    """Anadolu and Bereket (of the four dealers in Bursa) have an e-mail address."""

    def _list_emails(self, campaign):
        return sorted(campaign.target_mailing_list_id.contact_ids.mapped("email"))

    def test_mailing_list_follows_the_target_list(self):
        campaign = self._campaign()
        campaign.build_target_list()
        result = campaign.build_mailing_list()
        mailing_list = campaign.target_mailing_list_id
        self.assertEqual(
            result,
            {
                "mailing_list_id": mailing_list.id,
                "contacts": 2,
                "added": 2,
                "removed": 0,
                "without_email": 2,
            },
        )
        self.assertEqual(mailing_list.name, "Campaign: Bahar kampanyası")
        self.assertEqual(
            self._list_emails(campaign), ["info@bereket.example", "satis@anadolu.example"]
        )
        # again: nothing doubled
        self.assertEqual(campaign.build_mailing_list()["added"], 0)
        self.assertEqual(len(mailing_list.contact_ids), 2)
        # the target list shrinks to Anadolu (last sale 100 days ago): Bereket leaves the list
        campaign.write({"target_last_sale": "older", "target_last_sale_days": 30})
        campaign.build_target_list()
        result = campaign.build_mailing_list()
        self.assertEqual((result["contacts"], result["added"], result["removed"]), (1, 0, 1))
        self.assertEqual(campaign.target_mailing_list_id, mailing_list)
        self.assertEqual(self._list_emails(campaign), ["satis@anadolu.example"])

    def test_campaign_of_another_company(self):
        other = self.env["res.company"].create({"name": "Başka Şirket"})
        campaign = self._campaign(company_id=other.id)
        with self.assertRaisesRegex(UserError, "a company you are not working in"):
            campaign.with_user(self.master_user).build_mailing_list()
        self.assertFalse(campaign.target_mailing_list_id)

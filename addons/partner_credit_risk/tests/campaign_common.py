from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from .profitability_common import ProfitabilityCommon


class CampaignCommon(ProfitabilityCommon):
    """Customers of the dealer type in Bursa, with invoiced sales relative to today:

    ============  ======  ===========================================  ==========
    customer      status  invoices                                     other
    ============  ======  ===========================================  ==========
    Anadolu       LA      100 days ago: 10 oil x 25.00 = 250.00         salesperson
    Bereket       LA      10 days ago: 1 assembly x 100.00 = 100.00     staff member
    Ceylan        LA      none                                          -
    Fidan         PA      none                                          -
    Deniz         LA      10 days ago: 1 oil (city Ankara)              -
    Efe           LA      10 days ago: 1 oil (another customer type)    -
    ============  ======  ===========================================  ==========
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["utm.campaign"])
        cls.dealer = cls.env["partner.customer.type"].create({"name": "Bayi", "code": "KB"})
        cls.retail = cls.env["partner.customer.type"].create({"name": "Perakende", "code": "KP"})
        cls.salesman = new_test_user(
            cls.env,
            login="campaign_salesman",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.staff = new_test_user(
            cls.env,
            login="campaign_staff",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.anadolu = cls._target_customer(
            "Anadolu Gıda", email="satis@anadolu.example", user_id=cls.salesman.id
        )
        cls.bereket = cls._target_customer("Bereket Market", email="info@bereket.example")
        cls.env["partner.responsible"].create(
            {"partner_id": cls.bereket.id, "user_id": cls.staff.id}
        )
        cls.ceylan = cls._target_customer("Ceylan Bakkal")
        cls.fidan = cls._target_customer("Fidan Büfe", customer_status="PA")
        cls.deniz = cls._target_customer("Deniz Ticaret", city="Ankara")
        cls.efe = cls._target_customer("Efe Perakende", customer_type_id=cls.retail.id)
        cls._invoice_on(cls.anadolu, 100, [(cls.oil, 10, 25.0)])
        cls._invoice_on(cls.bereket, 10, [(cls.assembly, 1, 100.0)])
        cls._invoice_on(cls.deniz, 10, [(cls.oil, 1, 25.0)])
        cls._invoice_on(cls.efe, 10, [(cls.oil, 1, 25.0)])

    @classmethod
    def _target_customer(cls, name, **vals):
        values = {
            "customer_type_id": cls.dealer.id,
            "city": "Bursa",
            "customer_status": "LA",
            **vals,
        }
        return cls._customer(name, mode="none", **values)

    @classmethod
    def _invoice_on(cls, partner, days_ago, lines):
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "invoice_date": cls.today - timedelta(days=days_ago),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": qty,
                            "price_unit": price,
                            "tax_ids": [Command.clear()],
                        }
                    )
                    for product, qty, price in lines
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _campaign(self, **vals):
        return self.env["utm.campaign"].create(
            {
                "title": vals.pop("title", "Bahar kampanyası"),
                "company_id": self.company.id,
                "target_customer_type_ids": [Command.set(self.dealer.ids)],
                "target_city": "bursa",
                **vals,
            }
        )

    def _targets(self, campaign):
        return campaign.target_ids.partner_id

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCustomerCardTour(HttpCase):
    """The customer master card as a customer-master manager clicks it."""

    def test_block_customer_and_add_financial_account(self):
        admin = self.env.ref("base.user_admin")
        customer = (
            self.env["res.partner"]
            .with_company(admin.company_id)
            .create(
                {
                    "name": "Ege Tekstil Ltd. Şti.",
                    "is_company": True,
                    "customer_rank": 1,
                    "company_id": admin.company_id.id,
                }
            )
        )
        self.start_tour(
            f"/odoo/res.partner/{customer.id}", "partner_credit_risk_card_tour", login="admin"
        )
        self.assertEqual(customer.customer_status, "PA")
        self.assertEqual(customer.status_history_ids[:1].reason, "Ödenmemiş faturalar")
        account = customer.financial_account_ids.filtered(lambda a: a.account_type == "CSE")
        self.assertEqual(len(account), 1)
        self.assertEqual(account.currency_id, admin.company_id.currency_id)

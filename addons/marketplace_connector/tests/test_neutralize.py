from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestNeutralize(TransactionCase):
    """``odoo neutralize`` (data/neutralize.sql) turns a copy into one that cannot reach a
    marketplace: accounts archived, on the sandbox, without credentials."""

    def test_neutralized_copy_has_no_live_marketplace_account(self):
        account = (
            self.env["marketplace.account"]
            .sudo()
            .create(
                {
                    "name": "Trendyol canlı",
                    "environment": "production",
                    "supplier_id": "123456",
                    "api_key": "canli-anahtar",
                    "api_secret": "canli-sir",
                    "push_stock": True,
                    "push_price": True,
                    "auto_send_edocument": True,
                }
            )
        )
        queries = list(get_neutralization_queries(["marketplace_connector"]))
        self.assertEqual(len(queries), 1)
        self.env.flush_all()
        for query in queries:
            self.env.cr.execute(query)
        self.env.invalidate_all()
        self.assertFalse(account.active)
        self.assertEqual(account.environment, "sandbox")
        self.assertFalse(account.api_key)
        self.assertFalse(account.api_secret)
        self.assertFalse(account.push_stock or account.push_price or account.auto_send_edocument)
        self.assertFalse(self.env["marketplace.account"].search([]))

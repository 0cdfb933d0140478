import xmlrpc.client

from odoo.addons.base.tests.common import new_test_user
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCredentialsAccess(HttpCase):
    def setUp(self):
        super().setUp()
        self.company = self.env.ref("base.demo_company_tr")
        self.account = self.env.ref("marketplace_connector.account_trendyol_sandbox")
        self.manager = new_test_user(
            self.env,
            login="mp_manager",
            password="mp_manager_pw1",
            groups="marketplace_connector.group_marketplace_manager,base.group_user",
            company_id=self.company.id,
            company_ids=[(6, 0, [self.company.id])],
        )
        self.models = xmlrpc.client.ServerProxy(
            f"http://127.0.0.1:{self.http_port()}/xmlrpc/2/object", allow_none=True
        )
        common = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.http_port()}/xmlrpc/2/common")
        self.uid = common.authenticate(self.env.cr.dbname, "mp_manager", "mp_manager_pw1", {})

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.env.cr.dbname, self.uid, "mp_manager_pw1", model, method, list(args), kwargs
        )

    def test_marketplace_manager_cannot_read_credentials(self):
        self.assertTrue(self.uid)
        rows = self.call(
            "marketplace.account",
            "read",
            [self.account.id],
            fields=["name", "supplier_id", "environment"],
        )
        self.assertEqual(rows[0]["name"], "Trendyol (sandbox)")
        for field in ("api_key", "api_secret"):
            with self.assertRaises(xmlrpc.client.Fault) as caught:
                self.call("marketplace.account", "read", [self.account.id], fields=[field])
            self.assertIn(f'access the fields "{field}"', caught.exception.faultString)
        # a plain read of every field leaves the secrets out
        everything = self.call("marketplace.account", "read", [self.account.id])[0]
        self.assertNotIn("api_key", everything)
        self.assertNotIn("api_secret", everything)
        with self.assertRaises(xmlrpc.client.Fault):
            self.call(
                "marketplace.account", "search_read", [("api_key", "!=", False)], fields=["name"]
            )

    def test_admin_reads_credentials(self):
        self.assertEqual(
            self.account.sudo().api_key,
            self.account.with_user(self.env.ref("base.user_admin")).api_key,
        )

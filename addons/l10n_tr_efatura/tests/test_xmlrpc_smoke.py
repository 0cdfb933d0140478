"""Smoke test over real XML-RPC: a non-admin user logs in and reads what its groups allow."""

import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestXmlRpcSmoke(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env, login="smoke_clerk", password="smoke_clerk", groups="base.group_user"
        )
        cls.biller = new_test_user(
            cls.env,
            login="smoke_biller",
            password="smoke_biller",
            groups="account.group_account_invoice",
        )

    def call(self, login, model, method, *args, **kwargs):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, login, login, {})
        self.assertTrue(uid, f"{login} could not log in over XML-RPC")
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, login, model, method, list(args), kwargs
        )

    def test_internal_user_reads_partners_but_not_invoices(self):
        partners = self.call(
            "smoke_clerk",
            "res.partner",
            "search_read",
            [["id", "=", self.clerk.partner_id.id]],
            fields=["name"],
        )
        self.assertEqual(partners[0]["name"], self.clerk.partner_id.name)
        with self.assertRaisesRegex(xmlrpc.client.Fault, "not allowed to access"):
            self.call("smoke_clerk", "account.move", "search_read", [], fields=["name"], limit=1)
        with self.assertRaisesRegex(xmlrpc.client.Fault, "not allowed to access"):
            self.call("smoke_clerk", "ir.config_parameter", "search_read", [], limit=1)

    def test_billing_user_reads_invoices_and_only_its_companies_records(self):
        own = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.clerk.partner_id.id,
                "company_id": self.biller.company_id.id,
            }
        )
        other_company = self.env["res.company"].create({"name": "Smoke Other Co"})
        other = self.env["res.partner"].create(
            {"name": "Smoke Other Co customer", "company_id": other_company.id}
        )
        mine = self.env["res.partner"].create(
            {"name": "Smoke own customer", "company_id": self.biller.company_id.id}
        )
        found = self.call("smoke_biller", "account.move", "search", [["id", "=", own.id]])
        self.assertEqual(found, [own.id])
        found = self.call(
            "smoke_biller", "res.partner", "search", [["id", "in", [mine.id, other.id]]]
        )
        self.assertEqual(found, [mine.id])
        with self.assertRaisesRegex(xmlrpc.client.Fault, "company"):
            self.call("smoke_biller", "res.partner", "read", [other.id], fields=["name"])

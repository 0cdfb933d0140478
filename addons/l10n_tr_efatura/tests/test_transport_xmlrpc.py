"""Integrator credentials never leave Odoo for users who are not system administrators."""

import xmlrpc.client

from odoo import Command
from odoo.tests import HttpCase, get_db_name, tagged


@tagged("post_install", "-at_install")
class TestTransportXmlrpc(HttpCase):
    def setUp(self):
        super().setUp()
        self.company = self.env.company
        self.company.sudo().write(
            {
                "l10n_tr_integrator": "izibiz",
                "l10n_tr_integrator_username": "seller-ws",
                "l10n_tr_integrator_password": "S3cret-pass",
            }
        )
        self.accountant = self.env["res.users"].create(
            {
                "name": "Muhasebe Müdürü",
                "login": "tr_accountant",
                "password": "tr_accountant",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("account.group_account_manager").id,
                            self.env.ref("base.group_user").id,
                        ]
                    )
                ],
            }
        )
        self.db = get_db_name()

    def _call(self, login, model, method, *args, **kwargs):
        uid = self.xmlrpc_common.authenticate(self.db, login, login, {})
        return self.xmlrpc_object.execute_kw(self.db, uid, login, model, method, list(args), kwargs)

    def test_accountant_cannot_read_credentials(self):
        self.assertFalse(self.accountant.has_group("base.group_system"))
        for field in ("l10n_tr_integrator_password", "l10n_tr_integrator_username"):
            with self.assertRaises(xmlrpc.client.Fault) as info:
                self._call("tr_accountant", "res.company", "read", [self.company.id], [field])
            self.assertIn("not have enough rights", info.exception.faultString)
        rows = self._call("tr_accountant", "res.company", "read", [self.company.id])
        self.assertNotIn("l10n_tr_integrator_password", rows[0])
        self.assertNotIn("S3cret-pass", str(rows))
        rows = self._call(
            "tr_accountant", "res.company", "search_read", [("id", "=", self.company.id)]
        )
        self.assertNotIn("S3cret-pass", str(rows))
        # the integrator choice itself is not secret
        rows = self._call(
            "tr_accountant", "res.company", "read", [self.company.id], ["l10n_tr_integrator"]
        )
        self.assertEqual(rows[0]["l10n_tr_integrator"], "izibiz")
        # the accountant can read the call log, which never holds the password
        self._call("tr_accountant", "l10n_tr.edoc.log", "search_read", [], ["operation"])

    def test_admin_reads_credentials(self):
        self.env.ref("base.user_admin").password = "admin"
        uid = self.xmlrpc_common.authenticate(self.db, "admin", "admin", {})
        rows = self.xmlrpc_object.execute_kw(
            self.db,
            uid,
            "admin",
            "res.company",
            "read",
            [[self.company.id], ["l10n_tr_integrator_password"]],
        )
        self.assertEqual(rows[0]["l10n_tr_integrator_password"], "S3cret-pass")

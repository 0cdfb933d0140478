"""The XML-RPC examples of README.md and the addons' readme/USAGE.md run as written.

Each ```python block that uses xmlrpc is executed against the test server, with only the
address, database and login of its ``url, db, user, pwd = ...`` line replaced, on the demo data
(admin in the Turkish demo company, like the Docker sandbox) with a fake Trendyol and a fake
İzibiz. A Fault (an error inside Odoo) fails the test with the server's message.
"""

import base64
import contextlib
import io
import os
import re
import tempfile
import xmlrpc.client
from pathlib import Path

from odoo.addons.l10n_tr_efatura.tests.common import _suite_root, load_fake
from odoo.tests import HttpCase, tagged

BLOCK = re.compile(r"```python\n(.*?)```", re.S)
LOGIN_LINE = re.compile(r"^url, db, user, pwd = .*$", re.M)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU"
    "5ErkJggg=="
)
DOCS = (
    "README.md",
    "addons/marketplace_connector/readme/USAGE.md",
    "addons/l10n_tr_efatura/readme/USAGE.md",
    "addons/partner_credit_risk/readme/USAGE.md",
)


def xmlrpc_examples(path):
    """The python blocks of a Markdown file that call Odoo over XML-RPC."""
    return [block for block in BLOCK.findall(path.read_text(encoding="utf-8")) if "xmlrpc" in block]


@tagged("post_install", "-at_install")
class TestReadmeExamples(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root = Path(_suite_root())
        cls.company = cls.env.ref("base.demo_company_tr")
        admin = cls.env.ref("base.user_admin")
        admin.write(
            {
                "company_ids": [(4, cls.company.id)],
                "company_id": cls.company.id,
                "password": "admin",
            }
        )
        cls.env.ref("base.USD").active = True
        cls._start_trendyol()
        cls._start_izibiz()

    @classmethod
    def _start_trendyol(cls):
        cls.trendyol = load_fake("trendyol").FakeTrendyol().start()
        cls.addClassCleanup(cls.trendyol.stop)
        cls.trendyol.seed_orders(6, lines_per_order=2)
        delivered = cls.trendyol.seed_orders(
            3, lines_per_order=1, status="Delivered", commercial_ratio=0
        )
        now_ms = load_fake("trendyol").now_ms()
        for package in delivered:
            cls.trendyol.add_claim(package, claim_date=now_ms - 60000)
        cls.env.ref("marketplace_connector.account_trendyol_sandbox").write(
            {
                "sandbox_url": cls.trendyol.url,
                "supplier_id": str(cls.trendyol.supplier_id),
                "api_key": cls.trendyol.api_key,
                "api_secret": cls.trendyol.api_secret,
            }
        )

    @classmethod
    def _start_izibiz(cls):
        izibiz = load_fake("izibiz")
        cls.izibiz = izibiz.start()
        cls.addClassCleanup(cls.izibiz.stop)
        cls.company.write(
            {
                "l10n_tr_integrator": "izibiz",
                "l10n_tr_integrator_environment": "test",
                "l10n_tr_integrator_username": izibiz.USERNAME,
                "l10n_tr_integrator_password": izibiz.PASSWORD,
                "l10n_tr_sender_alias": izibiz.TEST_GB,
            }
        )
        cls.company.write(
            {
                "l10n_tr_izibiz_auth_url": cls.izibiz.wsdl_url("AuthenticationWS"),
                "l10n_tr_izibiz_einvoice_url": cls.izibiz.wsdl_url("EInvoiceWS"),
                "l10n_tr_izibiz_earchive_url": cls.izibiz.wsdl_url("EFaturaArchive"),
            }
        )
        cls.izibiz.add_user(
            "7345120982", "MARMARA ELEKTRONIK", ["urn:mail:defaultpk@marmara.example.com"]
        )
        samples = load_fake("ubl_samples")
        own = "".join(c for c in cls.company.vat or "" if c.isdigit())
        for index in (1, 2):
            xml = samples.sample_invoice(
                number=f"TED202600000000{index}",
                profile="TICARIFATURA",
                supplier=("1234567808", "Tedarik A.Ş."),
                customer=(own, cls.company.name),
            )
            cls.izibiz.add_incoming(xml, "1234567808", "Tedarik A.Ş.")

    def run_examples(self, doc):
        self.env.flush_all()  # the server's requests read the database, not our cache
        path = self.root / doc
        blocks = xmlrpc_examples(path)
        self.assertTrue(blocks, f"{doc} has no XML-RPC example")
        login = (
            f"url, db, user, pwd = {self.base_url()!r}, {self.env.cr.dbname!r}, 'admin', 'admin'"
        )
        for index, block in enumerate(blocks, 1):
            needs = re.findall(r"^# needs: (\w+)$", block, re.M)
            if self.env["ir.module.module"].search_count(
                [("name", "in", needs), ("state", "!=", "installed")]
            ):
                continue  # an example of an addon this database does not have
            code, count = LOGIN_LINE.subn(login, block)
            self.assertEqual(
                count,
                1,
                f"{doc} example {index} must log in with "
                "'url, db, user, pwd = ...' to run as written",
            )
            output = io.StringIO()
            cwd = os.getcwd()
            with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(output):
                Path(folder, "kutu.png").write_bytes(PNG)  # the README's evidence photo
                os.chdir(folder)
                try:
                    exec(compile(code, f"{doc} example {index}", "exec"), {})  # noqa: S102
                except xmlrpc.client.Fault as fault:
                    self.fail(
                        f"{doc} example {index} raised a Fault:\n{fault.faultString}"
                        f"\n-- printed so far:\n{output.getvalue()}"
                    )
                finally:
                    os.chdir(cwd)
        self.env.invalidate_all()

    def test_examples_run_as_written(self):
        self.assertTrue(os.path.exists(self.root / "README.md"))
        self.run_examples("README.md")
        Inbound = self.env["marketplace.order.inbound"]
        self.assertEqual(Inbound.search_count([("state", "=", "error")]), 0)
        self.assertGreaterEqual(Inbound.search_count([("state", "=", "processed")]), 9)
        # two new orders arrive and are not invoiced yet: the label/unsupply/split part runs
        self.env.ref("marketplace_connector.account_trendyol_sandbox").auto_invoice = False
        self.trendyol.seed_orders(2, lines_per_order=2)
        self.run_examples("addons/marketplace_connector/readme/USAGE.md")
        for endpoint in ("package.unsupplied", "common_label.get"):
            self.assertTrue(self.trendyol.calls(endpoint), endpoint)
        self.assertTrue(self.trendyol.calls("package.split"))
        claims = self.env["marketplace.claim"].search([])
        self.assertEqual(sorted(claims.mapped("decision")), ["approved", "rejected", "rejected"])
        dropship = self.env["purchase.order"].search([("dropship_state", "=", "released")])
        self.assertEqual(dropship.mapped("dropship_shipping_cost"), [55.0], "paid, then released")
        self.assertAlmostEqual(dropship.dropship_sale_id.dropship_cost, 855.0, places=2)
        self.assertEqual(dropship.picking_ids.marketplace_tracking_number, "SUP-4410023")
        self.run_examples("addons/l10n_tr_efatura/readme/USAGE.md")
        bills = self.env["account.move"].search([("l10n_tr_incoming_profile", "=", "TICARIFATURA")])
        self.assertEqual(sorted(bills.mapped("l10n_tr_edoc_response")), ["KABUL", "RED"])
        if self.env["ir.module.module"].search_count(
            [("name", "=", "partner_credit_risk"), ("state", "=", "installed")]
        ):
            self.run_examples("addons/partner_credit_risk/readme/USAGE.md")

"""Send benchmark: the full e-document path vs Odoo's native Send & Print, in one run.

Run it from the repository checkout in an Odoo shell on an existing database that has
``l10n_tr_efatura`` installed with demo data (l10n_tr's demo company); nothing is kept, every
measured run is rolled back. It never fetches or installs anything:

    BENCH_N=20,200 python3 -m odoo shell --no-http --addons-path=addons -d DB \\
        < bench/bench_send.py

(add Odoo's own addons folder to ``--addons-path`` when it is not found by default.)

For each N (default 20 and 200) it posts N e-Arşiv invoices (3 lines, two KDV rates) of the
Turkish demo company to consumers with an e-mail address, the company sending through the fake
İzibiz of ``tests/fakes`` on 127.0.0.1, then sends the same invoices twice from the same
database state (a savepoint); Odoo's HTTP server runs on a free port of 127.0.0.1 meanwhile,
for wkhtmltopdf's report assets (a wkhtmltopdf without Odoo's patched Qt renders one invoice per
call on both paths):

* ours: Send & Print with the "e-Fatura / e-Arşiv" option (``_generate_and_send_invoices``,
  e-mail on): UBL-TR build, GİB validation (efatura-kontrol when installed), the integrator
  request(s), the GİB-layout PDF and the e-mail;
* Odoo: native Send & Print of the same invoices, PDF (Odoo's invoice report) and e-mail, no
  e-document.

It prints both times, the ratio ours / Odoo (goal <= 1.2) and the per-invoice milliseconds of
each step (build, validate, send, PDF, e-mail; Odoo's path has the last two only). As in an
Odoo server, the process runs under Odoo's ``limit_memory_hard`` (RLIMIT_AS), so efatura-kontrol
runs in its child process. Both paths are warmed up first (report and template caches, the
validator's child).
"""

import importlib
import os
import subprocess
import sys
import threading
import time
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from unittest.mock import patch

import odoo.addons.l10n_tr_efatura as efatura
from odoo import Command, http
from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin
from odoo.addons.l10n_tr_efatura.lib import ubl, validation
from odoo.addons.l10n_tr_efatura.lib.integrators.base import Provider
from odoo.service.server import ThreadedWSGIServerReloadable, set_limit_memory_hard

env = globals()["env"]  # given by odoo-bin shell
WARM_UP = 3
STEPS = ("build", "validate", "send", "pdf", "e-mail")


def load_fake(name):
    """tests.fakes.<name> of the repository (importing odoo.tests outside a test run is
    refused, so not through the addon's tests package)."""
    candidates = [os.environ.get("SUITE_ROOT")] + [
        str(path) for path in Path(efatura.__path__[0]).resolve().parents
    ]
    root = next(
        c
        for c in filter(None, candidates)
        if (Path(c) / "tests" / "fakes" / "__init__.py").exists()
    )
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module(f"tests.fakes.{name}")


def serve_http(env):
    """Odoo's HTTP server on a free port of 127.0.0.1: wkhtmltopdf fetches the report assets
    (an Odoo shell serves nothing by itself)."""
    server = ThreadedWSGIServerReloadable("127.0.0.1", 0, http.root)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env["ir.config_parameter"].sudo().set_param(
        "report.url", f"http://127.0.0.1:{server.server_port}"
    )
    return server


def pdf_one_by_one(env):
    """A wkhtmltopdf without Odoo's patched Qt cannot render several invoices in one call:
    there, both paths render each PDF on its own (``account.pdf_generation_batch`` = 0)."""
    version = subprocess.run(
        [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, check=False
    ).stdout.decode()
    if "patched qt" not in version:
        env["ir.config_parameter"].sudo().set_param("account.pdf_generation_batch", "0")
    return version.strip()


class Steps:
    """Accumulated seconds per step of our path."""

    def __init__(self):
        self.seconds = defaultdict(float)

    @contextmanager
    def measuring(self):
        send_cls = type(env["account.move.send"])
        with ExitStack() as stack:
            move_cls = type(env["account.move"])
            stack.enter_context(
                patch.object(
                    move_cls,
                    "_l10n_tr_prepare_ubl_values",
                    self._timed("build", move_cls._l10n_tr_prepare_ubl_values),
                )
            )
            stack.enter_context(
                patch.object(ubl, "build_invoice", self._timed("build", ubl.build_invoice))
            )
            stack.enter_context(
                patch.object(validation, "validate", self._timed("validate", validation.validate))
            )
            stack.enter_context(
                patch.object(
                    Provider, "send_documents", self._timed("send", Provider.send_documents)
                )
            )
            stack.enter_context(
                patch.object(
                    send_cls,
                    "_prepare_invoice_pdf_report",
                    self._timed("pdf", send_cls._prepare_invoice_pdf_report),
                )
            )
            stack.enter_context(
                patch.object(
                    send_cls, "_hook_if_success", self._timed("e-mail", send_cls._hook_if_success)
                )
            )
            yield

    def _timed(self, step, function):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[step] += time.perf_counter() - start

        return timed


def setup(env, fake, integrator):
    company = env.ref("base.demo_company_tr")
    env = env(context=dict(env.context, allowed_company_ids=company.ids))
    env.user.company_ids |= company
    env.user.company_id = company
    company.write(
        {
            "vat": company.vat or "4840847211",
            "street": company.street or "Atatürk Bulvarı 125",
            "city": company.city or "Ankara",
            "l10n_tr_edoc_auto_send": False,
            "l10n_tr_earchive_delivery": "electronic",
            "l10n_tr_integrator": "izibiz",
            "l10n_tr_integrator_environment": "test",
            "l10n_tr_integrator_username": integrator.USERNAME,
            "l10n_tr_integrator_password": integrator.PASSWORD,
            "l10n_tr_sender_alias": integrator.TEST_GB,
            "l10n_tr_izibiz_auth_url": fake.wsdl_url("AuthenticationWS"),
            "l10n_tr_izibiz_einvoice_url": fake.wsdl_url("EInvoiceWS"),
            "l10n_tr_izibiz_earchive_url": fake.wsdl_url("EFaturaArchive"),
        }
    )
    company.partner_id.l10n_tr_tax_office = company.partner_id.l10n_tr_tax_office or "Çankaya"
    env["account.tax"]._l10n_tr_apply_chart_defaults(company)
    chart = env["account.chart.template"].with_company(company)
    return env, company, chart.ref("tr_s_20"), chart.ref("tr_s_10")


def post_invoices(env, company, taxes, n):
    tr = env.ref("base.tr")
    partners = env["res.partner"].create(
        [
            {
                "name": f"Ayşe Yılmaz {i}",
                "vat": "10234567828",
                "email": f"ayse{i}@example.com",
                "street": "Bağdat Caddesi 210",
                "city": "Kadıköy",
                "country_id": tr.id,
                "state_id": env.ref("base.state_tr_34").id,
            }
            for i in range(n)
        ]
    )
    # no UBL of Odoo's own (e.g. Nilvera's) on either side: ours is the e-document here
    partners.with_company(company).invoice_edi_format = False
    if "l10n_tr_nilvera_customer_status" in partners._fields:  # no look-up at Nilvera
        partners.l10n_tr_nilvera_customer_status = "earchive"
    product = env["product.product"].create({"name": "Bluetooth Kulaklık"})
    moves = (
        env["account.move"]
        .with_company(company)
        .create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": date.today(),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": q,
                                "price_unit": price,
                                "tax_ids": [Command.set(tax.ids)],
                            }
                        )
                        for q, price, tax in (
                            (1, 249.90, taxes[0]),
                            (2, 79.50, taxes[1]),
                            (3, 12.12, taxes[0]),
                        )
                    ],
                }
                for partner in partners
            ]
        )
    )
    moves.action_post()
    return moves


def native(moves):
    """Odoo's own Send & Print for these invoices: no e-document, Odoo's invoice report."""
    moves.write({"l10n_tr_edoc_state": False})
    moves.partner_id.with_company(moves.company_id).invoice_template_pdf_report_id = env.ref(
        "account.account_invoices"
    )


def run(sender, moves, ours):
    if not ours:
        native(moves)
    moves.invalidate_recordset()
    start = time.perf_counter()
    # only our e-document (another installed EDI, e.g. Nilvera's, would add its own)
    sender._generate_and_send_invoices(
        moves, sending_methods={"email"}, extra_edis={"l10n_tr_efatura"} if ours else set()
    )
    env.flush_all()
    elapsed = time.perf_counter() - start
    if ours:
        states = set(moves.mapped("l10n_tr_edoc_state"))
        assert states == {"sent"}, states
    assert all(moves.mapped("invoice_pdf_report_id")), "every invoice has its PDF"
    return elapsed


def measure(env, company, taxes, n, fake):
    sender = env["account.move.send"]
    moves = post_invoices(env, company, taxes, n + WARM_UP)
    warm, moves = moves[:WARM_UP], moves[WARM_UP:]
    results = {}
    # the sending run commits what the integrator accepted (outside tests): here both runs
    # start from the same state, so nothing is committed (one commit per run, not per invoice)
    with patch.object(type(sender), "_can_commit", lambda self: False):
        for ours in (True, False):
            savepoint = env.cr.savepoint()
            run(sender, warm, ours)  # caches, templates, the validator's child
            steps = Steps()
            with steps.measuring():
                results[ours] = (run(sender, moves, ours), steps.seconds)
            fake.reset()
            savepoint.rollback()
            env.invalidate_all()
    (t_ours, steps), (t_odoo, odoo_steps) = results[True], results[False]
    ratio = t_ours / t_odoo
    print(
        f"N={n}: ours {t_ours:.2f} s ({t_ours / n * 1000:.1f} ms/invoice), "
        f"Odoo {t_odoo:.2f} s ({t_odoo / n * 1000:.1f} ms/invoice), ratio ours/Odoo = "
        f"{ratio:.2f} (goal <= 1.2: {'OK' if ratio <= 1.2 else 'NOT MET'})"
    )
    for label, seconds in (("ours", steps), ("Odoo", odoo_steps)):
        print(
            f"{label} steps, ms/invoice: "
            + ", ".join(
                f"{step} {seconds[step] / n * 1000:.1f}" for step in STEPS if step in seconds
            )
        )


def main(env):
    set_limit_memory_hard()  # as an Odoo server: efatura-kontrol runs in its child
    print(
        f"validation engine: {validation.engine_name()}, child process: "
        f"{validation.address_space_limited()}"
    )
    integrator = load_fake("izibiz")
    fake = integrator.start()
    server = serve_http(env)
    print(
        f"{pdf_one_by_one(env)}, PDF batch: "
        f"{env['ir.config_parameter'].get_param('account.pdf_generation_batch', '80')}"
    )
    try:
        env, company, *taxes = setup(env, fake, integrator)
        for n in [int(v) for v in os.environ.get("BENCH_N", "20,200").split(",")]:
            measure(env, company, taxes, n, fake)
    finally:
        server.shutdown()
        fake.stop()
        env.cr.rollback()


main(env)

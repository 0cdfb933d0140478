"""UBL-TR build benchmark: our builder vs Odoo 18's ``account.edi.xml.ubl.tr``, in one run.

Run it from the repository checkout in an Odoo shell on an existing database that has
``l10n_tr_efatura`` AND Odoo's ``l10n_tr_nilvera_einvoice`` installed, with l10n_tr's demo
company (nothing is kept: everything is rolled back at the end). It never fetches or installs
anything:

    BENCH_N=200 python3 -m odoo shell --no-http --addons-path=addons -d DB \\
        < bench/bench_ubl_build.py

(add Odoo's own addons folder to ``--addons-path`` when it is not found by default.)

It posts one 10-line invoice (two KDV rates, one line discount) in the Turkish demo company,
then builds its XML 200 times (BENCH_N) with each builder, after one warm-up build:

* ours: ``move._l10n_tr_prepare_ubl_values()`` + ``lib.ubl.build_invoice`` (values read from
  the ORM every time, full UBL-TR with signature block, XSLT and amount in words);
* ours + validation: the same, then ``lib.validation.validate`` (GİB's XSD, schematron and
  arithmetic through efatura-kontrol when installed; as in an Odoo server the process runs
  under Odoo's ``limit_memory_hard``, so in efatura-kontrol's long-lived child process);
* Odoo: ``env['account.edi.xml.ubl.tr']._export_invoice(move)`` (QWeb rendering, no
  validation).

and prints the times and the ratios ours / Odoo and ours + validation / Odoo (goal <= 1.0
for both).
"""

import os
import time
from datetime import date

from odoo import Command
from odoo.addons.l10n_tr_efatura.lib import ubl, validation
from odoo.service.server import set_limit_memory_hard

N = int(os.environ.get("BENCH_N", "200"))


def _setup(env):
    company = env.ref("base.demo_company_tr")
    env = env(context=dict(env.context, allowed_company_ids=company.ids))
    env.user.company_id = company
    partner = env.ref(
        "l10n_tr_efatura.demo_customer_efatura_company", raise_if_not_found=False
    ) or env["res.partner"].search([("country_id.code", "=", "TR"), ("vat", "!=", False)], limit=1)
    partner.write(
        {
            "l10n_tr_is_efatura_user": True,
            "city": "Kadıköy",
            "state_id": env.ref("base.state_tr_34").id,
            "street": "Bağdat Cad. 210",
        }
    )
    # Odoo's builder asks Nilvera (network) for partners never checked: mark it as checked
    partner.l10n_tr_nilvera_customer_status = "einvoice"
    if not company.vat:
        company.vat = "4840847211"
    chart = env["account.chart.template"].with_company(company)
    kdv20, kdv10 = chart.ref("tr_s_20"), chart.ref("tr_s_10")
    product = env["product.product"].create({"name": "Bench ürün", "default_code": "BENCH"})
    move = (
        env["account.move"]
        .with_company(company)
        .create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": i + 1,
                            "price_unit": 10.0 * (i + 1),
                            "discount": 5.0 if i == 3 else 0.0,
                            "tax_ids": [Command.set((kdv10 if i % 3 == 0 else kdv20).ids)],
                        }
                    )
                    for i in range(10)
                ],
            }
        )
    )
    move.action_post()
    return env, move


def _timed(label, build, n):
    build()  # warm-up (caches, compiled templates)
    start = time.perf_counter()
    for _ in range(n):
        xml = build()
    elapsed = time.perf_counter() - start
    print(
        f"{label:>15}: {n} builds in {elapsed:.3f} s ({elapsed / n * 1000:.2f} ms each, "
        f"{len(xml)} bytes)"
    )
    return elapsed


def main(env):
    set_limit_memory_hard()  # as an Odoo server: efatura-kontrol runs in its child
    env, move = _setup(env)
    odoo_builder = env["account.edi.xml.ubl.tr"]

    def ours():
        move.invalidate_recordset()
        return ubl.build_invoice(move._l10n_tr_prepare_ubl_values())

    def odoo():
        move.invalidate_recordset()
        xml, errors = odoo_builder._export_invoice(move)
        return xml

    def ours_validated():
        xml = ours()
        result = validation.validate(xml)
        assert result["valid"], result["errors"]
        return xml

    print(
        f"invoice {move.name} / {move.l10n_tr_gib_number}, "
        f"{len(move.invoice_line_ids)} lines, total {move.amount_total}; validation: "
        f"{validation.engine_name()}, child process: {validation.address_space_limited()}"
    )
    t_ours = _timed("ours", ours, N)
    t_checked = _timed("ours+validation", ours_validated, N)
    t_odoo = _timed("odoo", odoo, N)
    for label, elapsed in (("ours/odoo", t_ours), ("ours+validation/odoo", t_checked)):
        ratio = elapsed / t_odoo
        print(f"ratio {label} = {ratio:.3f} (goal <= 1.0: {'OK' if ratio <= 1.0 else 'NOT MET'})")
    env.cr.rollback()


main(env)  # noqa: F821 - ``env`` is provided by ``odoo-bin shell``

"""Marketplace import benchmark: connector end to end vs a bare ORM script, in one run.

Run it in an Odoo shell on an existing database that has marketplace_connector installed with
its demo data (nothing is kept: everything is rolled back at the end):

    BENCH_N=100,1000 python3 -m odoo shell --no-http --addons-path addons -d DB \\
        < bench/bench_marketplace_import.py

(from the repository root, with ``odoo`` importable).

For each registered marketplace (``BENCH_MARKETPLACES=trendyol,n11`` to choose some) and each N
(default 100 and 1000) it seeds N shipped orders (1–3 lines, 2 on average) through the
contract harness of that marketplace's fake on 127.0.0.1 (tests/fakes/<code>.py), then

* connector: ``sync_orders`` (HTTP, windows, mapping, inbound table) + ``process_pending``
  (partners, sale orders, confirmed, deliveries validated, invoices posted);
* bare ORM: the same partners, sale orders, deliveries and invoices created directly from
  packages already fetched and mapped (no HTTP, no mapping, no inbound table);

and prints both times, the ratio connector / bare (goal ≤ 1.3) and SQL queries per order.
Both paths are warmed up on a few orders first, and every measured run is rolled back to a
savepoint, so each starts from the same database state and warm caches. The back-channel
(Picking/Invoiced calls) is left out of both: it runs in its own cron.
"""

import importlib
import os
import random
import sys
import time
from contextlib import closing, contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import odoo.addons.marketplace_connector as connector
from odoo import Command
from odoo.addons.marketplace_connector.models import marketplace_account as account_module
from odoo.addons.marketplace_connector.models import marketplace_order_inbound as inbound_module

env = globals()["env"]  # given by odoo-bin shell
WARM_UP = 5  # orders run through both paths before measuring
# valid check digits (stdnum.tr): buyers' identities
TCKNS = ["10000000146", "23456789060", "34567890170", "45678901280", "56789012390"]
VKNS = ["1234567890", "2345678909", "3456789014"]
BARCODES = [
    ("8691234567890", 349.90, 10),
    ("8691234567891", 349.90, 10),
    ("8691234567892", 899.00, 10),
    ("8691234567893", 1499.00, 20),
    ("8691234567894", 149.50, 20),
    ("8691234567895", 129.90, 1),
    ("8691234567896", 449.00, 1),
    ("8691234567897", 219.00, 10),
    ("8691234567898", 99.90, 20),
    ("8691234567899", 699.00, 20),
]


def load_fake(name):
    """tests.fakes.<name> of the repository (not through an addon's tests package: importing
    odoo.tests outside a test run is refused)."""
    candidates = [os.environ.get("SUITE_ROOT")] + [
        str(path) for path in Path(connector.__path__[0]).resolve().parents
    ]
    root = next(
        c
        for c in filter(None, candidates)
        if (Path(c) / "tests" / "fakes" / "__init__.py").exists()
    )
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module(f"tests.fakes.{name}")


def order_specs(count, seed):
    """``count`` orders of 1–3 lines (2 on average) as the fakes' contract harness takes
    them: ``(order number, lines, buyer)``; one order in ten is a company's (VKN)."""
    rng = random.Random(seed)
    specs = []
    for index in range(count):
        lines = []
        for number, (barcode, price, vat) in enumerate(rng.sample(BARCODES, 1 + index % 3)):
            quantity = rng.randint(1, 3)
            discount = round(price * quantity * 0.1, 2) if index % 4 == 0 else 0.0
            lines.append(
                {
                    "line_id": f"{abs(seed) % 1000:03d}{index:06d}{number}",
                    "barcode": barcode,
                    "stock_code": f"SKU-{barcode[-4:]}",
                    "quantity": quantity,
                    "price": price,
                    "seller_discount": discount,
                    "vat": vat,
                }
            )
        buyer_number = 700000 + rng.randint(0, max(count // 2, 1))
        buyer = {
            "first_name": "Alıcı",
            "last_name": str(buyer_number),
            "city": "İstanbul",
            "district": "Kadıköy",
            "street": f"Moda Cad. No:{buyer_number % 90 + 1}",
            "email": f"b{buyer_number}@example.com",
        }
        if index % 10 == 0:
            buyer.update(vkn=VKNS[buyer_number % len(VKNS)], company=f"Firma {buyer_number} A.Ş.")
        else:
            buyer["tckn"] = TCKNS[buyer_number % len(TCKNS)]
        specs.append((f"B{1 if seed > 0 else 2}{abs(seed)}{index:06d}", lines, buyer))
    return specs


def seed_fake(fake, specs):
    """The orders in the marketplace's fake, shipped (deliveries are validated too)."""
    return [
        fake.add_order(number, lines, status="shipped", buyer=buyer)
        for number, lines, buyer in specs
    ]


def fetch_mapped(account, fake, specs):
    """The normalised packages of ``specs`` as the adapter reads them (not measured)."""
    numbers = {number for number, _lines, _buyer in specs}
    seed_fake(fake, specs)
    adapter = account._adapter()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    packages = [
        adapter.normalize_package(raw)
        for window in account._windows(now - timedelta(hours=2), now + timedelta(minutes=1))
        for raw in adapter.fetch_packages(*window)
    ]
    return list({p["order_number"]: p for p in packages if p["order_number"] in numbers}.values())


@contextmanager
def no_commit():
    """The connector commits per batch in crons; the benchmark rolls everything back."""
    saved = account_module.auto_commit_enabled, inbound_module.auto_commit_enabled
    account_module.auto_commit_enabled = inbound_module.auto_commit_enabled = lambda: False
    try:
        yield
    finally:
        account_module.auto_commit_enabled, inbound_module.auto_commit_enabled = saved


def measure(callable_):
    """(seconds, SQL queries, result) of one run, rolled back afterwards: every run starts
    from the same database state."""
    cr = env.cr
    env.flush_all()
    with closing(cr.savepoint()):
        queries, started = cr.sql_log_count, time.perf_counter()
        result = callable_()
        env.flush_all()
        elapsed, count = time.perf_counter() - started, cr.sql_log_count - queries
    env.invalidate_all()
    return elapsed, count, result


def run_connector(account):
    counters = account.sync_orders()
    counters.update(
        account.with_context(marketplace_no_report_back=True).process_pending(batch_size=100)
    )
    return counters


def run_bare(account, packages):
    """Same documents with the ORM only, from already-mapped data."""
    company = account.company_id
    SaleOrder = env["sale.order"].with_company(company)
    Partner = env["res.partner"]
    products = {
        p.barcode: p
        for p in env["product.product"].search([("barcode", "in", [b for b, _p, _v in BARCODES])])
    }
    taxes = {}
    partners = {}
    for package in packages:
        customer = package["customer"]
        key = customer.get("vkn") if package.get("is_corporate") else customer.get("customer_id")
        partner = partners.get(key)
        if not partner:
            partner = Partner.create(
                {
                    "name": customer.get("company_name")
                    if package.get("is_corporate")
                    else customer.get("name"),
                    "is_company": bool(package.get("is_corporate")),
                    "company_id": company.id,
                    "vat": customer.get("vkn") or customer.get("tckn"),
                    "l10n_tr_tax_office": customer.get("tax_office") or "Merkez",
                    "street": package["invoice_address"]["street"],
                    "city": package["invoice_address"]["city"],
                    "country_id": env.ref("base.tr").id,
                }
            )
            invoice = Partner.create(
                {
                    "parent_id": partner.id,
                    "type": "invoice",
                    "name": package["invoice_address"]["name"],
                    "street": package["invoice_address"]["street"],
                    "city": package["invoice_address"]["city"],
                }
            )
            delivery = Partner.create(
                {
                    "parent_id": partner.id,
                    "type": "delivery",
                    "name": package["delivery_address"]["name"],
                    "street": package["delivery_address"]["street"],
                }
            )
            partners[key] = partner = (partner, invoice, delivery)
        lines = []
        for line in package["lines"]:
            rate = line["vat_rate"]
            if rate not in taxes:
                taxes[rate] = SaleOrder._marketplace_taxes(account, rate)
            lines.append(
                Command.create(
                    {
                        "product_id": products[line["barcode"]].id,
                        "product_uom_qty": line["quantity"],
                        "price_unit": line["price_unit"],
                        "tax_id": [Command.set(taxes[rate].ids)],
                    }
                )
            )
        order = SaleOrder.create(
            {
                "partner_id": partner[0].id,
                "partner_invoice_id": partner[1].id,
                "partner_shipping_id": partner[2].id,
                "company_id": company.id,
                "warehouse_id": account.warehouse_id.id,
                "client_order_ref": package["order_number"],
                "order_line": lines,
            }
        )
        order.action_confirm()
        for picking in order.picking_ids:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
        order._create_invoices(final=True).action_post()
    return len(packages)


def run_both(account, fake, count):
    """Connector then bare ORM on ``count`` orders each (different order numbers)."""
    fake.reset()
    seed_fake(fake, order_specs(count, seed=count))
    account.cursor_ids.unlink()
    connector = measure(lambda: run_connector(account))
    assert connector[2]["processed"] == count, connector[2]
    mapped = fetch_mapped(account, fake, order_specs(count, seed=-count))
    assert len(mapped) == count, len(mapped)
    fake.reset()
    bare = measure(lambda: run_bare(account, mapped))
    return connector, bare


def bench(account, fake, count):
    (connector_time, connector_queries, _counters), (bare_time, bare_queries, _done) = run_both(
        account, fake, count
    )
    print(
        f"{account.marketplace:12s} N={count:5d}  connector {connector_time:7.2f} s  "
        f"{connector_queries / count:6.1f} queries/order | bare ORM {bare_time:7.2f} s  "
        f"{bare_queries / count:6.1f} queries/order | ratio {connector_time / bare_time:4.2f} "
        "(goal <= 1.3)",
        flush=True,
    )
    return connector_time / bare_time


def bench_account(template, fake):
    """A sandbox account of the template's company on ``fake`` (rolled back at the end)."""
    credentials = fake.credentials()
    return env["marketplace.account"].create(
        {
            "name": f"Bench {credentials['marketplace']}",
            "marketplace": credentials["marketplace"],
            "company_id": template.company_id.id,
            "environment": "sandbox",
            "sandbox_url": credentials["base_url"],
            "supplier_id": credentials["supplier_id"],
            "api_key": credentials["api_key"],
            "api_secret": credentials["api_secret"],
            "integrator_name": credentials["integrator_name"],
            "warehouse_id": template.warehouse_id.id,
            "team_id": template.team_id.id,
            "auto_send_edocument": False,
            "fetch_overlap_minutes": 10,
        }
    )


def main():
    counts = [int(n) for n in os.environ.get("BENCH_N", "100,1000").split(",")]
    template = env.ref("marketplace_connector.account_trendyol_sandbox")
    env.user.company_ids |= template.company_id
    globals()["env"] = env(
        context=dict(
            env.context,
            allowed_company_ids=[template.company_id.id],
            tracking_disable=True,
            mail_notrack=True,
        )
    )
    codes = os.environ.get("BENCH_MARKETPLACES") or ",".join(
        code for code, _name in env["marketplace.account"]._selection_marketplace()
    )
    try:
        for code in codes.split(","):
            fake = load_fake(code).contract_fake().start()
            try:
                account = bench_account(template, fake)
                with no_commit():
                    # warm-up of both paths (caches, first-call costs), not measured
                    run_both(account, fake, WARM_UP)
                    for count in counts:
                        bench(account, fake, count)
            finally:
                fake.stop()
    finally:
        env.cr.rollback()


main()

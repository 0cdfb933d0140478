"""Marketplace import benchmark: connector end to end vs a bare ORM script, in one run.

Run it in an Odoo shell on an existing database that has marketplace_connector installed with
its demo data (nothing is kept: everything is rolled back at the end):

    BENCH_N=100,1000 python3 -m odoo shell --no-http --addons-path addons -d DB \\
        < bench/bench_marketplace_import.py

(from the repository root, with ``odoo`` importable).

For each N (default 100 and 1000) it seeds N Shipped packages (1–3 lines, 2 on average) in a
fake Trendyol on 127.0.0.1, then

* connector: ``sync_orders`` (HTTP, windows, mapping, inbound table) + ``process_pending``
  (partners, sale orders, confirmed, deliveries validated, invoices posted);
* bare ORM: the same partners, sale orders, deliveries and invoices created directly from the
  already-mapped data (no HTTP, no mapping, no inbound table);

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
from pathlib import Path

import odoo.addons.marketplace_connector as connector
from odoo import Command
from odoo.addons.marketplace_connector.models import marketplace_account as account_module
from odoo.addons.marketplace_connector.models import marketplace_order_inbound as inbound_module

env = globals()["env"]  # given by odoo-bin shell
WARM_UP = 5  # orders run through both paths before measuring
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


def trendyol_package(order_number, lines, customer_id, commercial):
    """One Shipped Trendyol package (current field names), invented values."""
    now_ms = int(time.time() * 1000)
    raw_lines, total = [], 0.0
    for index, line in enumerate(lines):
        gross = round(line["gross"] * line["quantity"], 2)
        net = round(gross - line["seller_discount"], 2)
        total += net
        raw_lines.append(
            {
                "lineId": int(f"{order_number[1:]}{index}"),
                "quantity": line["quantity"],
                "barcode": line["barcode"],
                "stockCode": f"SKU-{line['barcode'][-4:]}",
                "productName": f"Ürün {line['barcode'][-4:]}",
                "lineGrossAmount": gross,
                "lineSellerDiscount": line["seller_discount"],
                "lineTyDiscount": 0.0,
                "lineUnitPrice": round(net / line["quantity"], 2),
                "vatRate": line["vat"],
                "currencyCode": "TRY",
                "orderLineItemStatusName": "Shipped",
            }
        )
    address = {
        "id": customer_id,
        "firstName": "Ayşe",
        "lastName": f"Alıcı {customer_id}",
        "fullName": f"Ayşe Alıcı {customer_id}",
        "address1": f"Atatürk Cad. No:{customer_id % 97}",
        "address2": "",
        "city": "İstanbul",
        "district": "Kadıköy",
        "postalCode": "34710",
        "countryCode": "TR",
        "company": "",
    }
    invoice_address = dict(address)
    if commercial:
        invoice_address.update(
            company=f"Alıcı {customer_id} Ltd. Şti.", taxOffice="Kadıköy", taxNumber="1234567890"
        )
    return {
        "shipmentPackageId": int(f"9{order_number[1:]}"),
        "orderNumber": order_number,
        "status": "Shipped",
        "shipmentPackageStatus": "Shipped",
        "orderDate": now_ms,
        "lastModifiedDate": now_ms - 60000,
        "originShipmentDate": now_ms,
        "currencyCode": "TRY",
        "customerId": customer_id,
        "customerFirstName": "Ayşe",
        "customerLastName": f"Alıcı {customer_id}",
        "identityNumber": "11111111111",
        "commercial": commercial,
        "packageTotalPrice": round(total, 2),
        "cargoProviderName": "Trendyol Express Marketplace",
        "cargoTrackingNumber": int(f"733{order_number[1:]}"),
        "shipmentAddress": address,
        "invoiceAddress": invoice_address,
        "lines": raw_lines,
    }


def make_packages(count, seed):
    rng = random.Random(seed)
    packages = []
    for index in range(count):
        lines = []
        for barcode, price, vat in rng.sample(BARCODES, 1 + index % 3):
            quantity = rng.randint(1, 3)
            lines.append(
                {
                    "barcode": barcode,
                    "quantity": quantity,
                    "gross": price,
                    "vat": vat,
                    "seller_discount": round(price * quantity * 0.1, 2) if index % 4 == 0 else 0.0,
                }
            )
        packages.append(
            trendyol_package(
                f"B{abs(seed)}{1 if seed > 0 else 2}{index:06d}",
                lines,
                customer_id=700000 + rng.randint(0, count // 2),
                commercial=index % 10 == 0,
            )
        )
    return packages


@contextmanager
def no_commit():
    """The connector commits per batch in crons; the benchmark rolls everything back."""
    saved = account_module.auto_commit_enabled, inbound_module.auto_commit_enabled
    account_module.auto_commit_enabled = inbound_module.auto_commit_enabled = lambda: False
    try:
        yield
    finally:
        account_module.auto_commit_enabled, inbound_module.auto_commit_enabled = saved


def seed_fake(fake, packages):
    """Give the packages to the fake Trendyol (its seeding API takes raw packages), alone."""
    if hasattr(fake, "reset"):
        fake.reset()
    for name in ("add_packages", "seed_packages"):
        if hasattr(fake, name):
            return getattr(fake, name)(packages)
    return fake.seed(packages)


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
                    "street": package["invoice_address"]["street"],
                    "city": package["invoice_address"]["city"],
                }
            )
            invoice = Partner.create(
                {
                    "parent_id": partner.id,
                    "type": "invoice",
                    "name": package["invoice_address"]["name"],
                    "street": package["invoice_address"]["street"],
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


def run_both(account, fake, count, mapping):
    """Connector then bare ORM on ``count`` orders each (different order numbers)."""
    packages = make_packages(count, seed=count)
    seed_fake(fake, packages)
    account.cursor_ids.unlink()
    connector = measure(lambda: run_connector(account))
    assert connector[2]["processed"] == count, connector[2]
    mapped = [mapping.normalize_package(package) for package in make_packages(count, seed=-count)]
    bare = measure(lambda: run_bare(account, mapped))
    return connector, bare


def bench(account, fake, count, mapping):
    (connector_time, connector_queries, _counters), (bare_time, bare_queries, _done) = run_both(
        account, fake, count, mapping
    )
    print(
        f"N={count:5d}  connector {connector_time:7.2f} s  {connector_queries / count:6.1f} "
        f"queries/order | bare ORM {bare_time:7.2f} s  {bare_queries / count:6.1f} "
        f"queries/order | ratio {connector_time / bare_time:4.2f} (goal <= 1.3)",
        flush=True,
    )
    return connector_time / bare_time


def main():
    counts = [int(n) for n in os.environ.get("BENCH_N", "100,1000").split(",")]
    account = env.ref("marketplace_connector.account_trendyol_sandbox")
    env.user.company_ids |= account.company_id
    globals()["env"] = env(
        context=dict(
            env.context,
            allowed_company_ids=[account.company_id.id],
            tracking_disable=True,
            mail_notrack=True,
        )
    )
    fake = load_fake("trendyol").FakeTrendyol()
    fake.start()
    try:
        account = globals()["env"]["marketplace.account"].browse(account.id)
        account.write(
            {
                "sandbox_url": fake.url,
                "supplier_id": str(fake.supplier_id),
                "api_key": fake.api_key,
                "api_secret": fake.api_secret,
                "auto_send_edocument": False,
                "payment_journal_id": False,
                "fetch_overlap_minutes": 10,
            }
        )
        with no_commit():
            # warm-up of both paths (caches, first-call costs), not measured
            run_both(account, fake, WARM_UP, account._adapter_class().offline())
            for count in counts:
                bench(account, fake, count, account._adapter_class().offline())
    finally:
        fake.stop()
        env.cr.rollback()


main()

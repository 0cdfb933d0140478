"""Two order-processing workers at once on one marketplace account (issue #19).

Run it against a THROW-AWAY copy of a database with marketplace_connector and its demo data
(it commits: packages, sale orders, deliveries and posted invoices stay in that copy):

    createdb -T mydb mydb_two_workers
    python3 bench/two_workers.py mydb_two_workers 100

It seeds N packages in a fake Trendyol on 127.0.0.1, fetches them, lets two threads (each
with its own database cursor) run ``process_pending`` on the same account at the same time,
then one normal run, and prints the inbound states after each step, the error reasons, the
sale orders created twice and the posted invoices. Expected: no row in error after the two
workers (rows that met a concurrent update stay pending), all processed after the normal run,
no order twice, one posted invoice per package.
"""

import importlib.util
import sys
import threading
from pathlib import Path

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

ROOT = Path(__file__).resolve().parent.parent


def load_fake():
    spec = importlib.util.spec_from_file_location(
        "fake_trendyol", ROOT / "tests" / "fakes" / "trendyol.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.FakeTrendyol().start()


def report(registry, title):
    with registry.cursor() as cr:
        cr.execute("SELECT state, count(*) FROM marketplace_order_inbound GROUP BY state")
        print(title, dict(cr.fetchall()))
        cr.execute(
            "SELECT left(error_reason, 120), count(*) FROM marketplace_order_inbound "
            "WHERE error_reason IS NOT NULL GROUP BY 1"
        )
        print("  reasons:", dict(cr.fetchall()))


def main(database, count):
    odoo.tools.config.parse_config(["--addons-path", str(ROOT / "addons"), "-d", database])
    fake = load_fake()
    fake.seed_orders(count, spacing_ms=5000)
    registry = Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        account = env.ref("marketplace_connector.account_trendyol_sandbox")
        account.write(
            {
                "sandbox_url": fake.url,
                "supplier_id": str(fake.supplier_id),
                "api_key": fake.api_key,
                "api_secret": fake.api_secret,
                "auto_send_edocument": False,
            }
        )
        print("fetch", account.sync_orders())
        account_id = account.id
    results = {}

    def work(name):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            inbound = env["marketplace.order.inbound"].with_context(marketplace_no_report_back=True)
            results[name] = inbound._process_pending(
                env["marketplace.account"].browse(account_id), batch_size=10
            )

    workers = [threading.Thread(target=work, args=(name,)) for name in ("A", "B")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print("two workers", results)
    report(registry, "after the two workers:")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        print(
            "normal run",
            env["marketplace.order.inbound"]
            .with_context(marketplace_no_report_back=True)
            ._process_pending(env["marketplace.account"].browse(account_id)),
        )
    report(registry, "after one normal run:")
    with registry.cursor() as cr:
        cr.execute(
            "SELECT marketplace_order_number FROM sale_order WHERE "
            "marketplace_order_number IS NOT NULL GROUP BY 1 HAVING count(*) > 1"
        )
        print("orders created twice:", [row[0] for row in cr.fetchall()])
        cr.execute(
            "SELECT count(*) FROM account_move WHERE marketplace_order_number IS NOT "
            "NULL AND state = 'posted'"
        )
        print("posted invoices:", cr.fetchone()[0])
    fake.stop()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100)

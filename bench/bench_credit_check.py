"""Credit check benchmark: ``res.partner.check_credit`` vs one hand-written SQL aggregate.

Run it in an Odoo shell on a database with partner_credit_risk installed (everything is rolled
back at the end):

    python3 -m odoo shell --no-http --addons-path addons -d DB < bench/bench_credit_check.py

It builds one customer with one posted invoice, one confirmed order (half delivered) and one
cheque through the ORM, then clones them in SQL to N open invoice lines, N/2 open orders and N/10
portfolio documents (BENCH_N, default 100,10000). For each N it prints

* ``check_credit`` time against one hand-written SQL query computing the same figures (balance,
  cheques, dispatch, orders) in the same run: the ratio (goal ≤ 2);
* the number of SQL queries ``check_credit`` issued (goal: the same at every N);

and finally the time to build the "Customer Risk" report for BENCH_CUSTOMERS (default 5,000)
customers.
"""

import os
import time
from datetime import timedelta

from odoo import Command, fields

env = globals()["env"]  # given by odoo-bin shell
cr = env.cr
SIZES = [int(n) for n in os.environ.get("BENCH_N", "100,10000").split(",")]
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "5000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))  # best of: the machine may be shared

HAND_SQL = """
SELECT
  (SELECT COALESCE(SUM(l.amount_residual), 0) FROM account_move_line l
     JOIN account_account a ON a.id = l.account_id
    WHERE l.partner_id = %(p)s AND l.company_id = %(c)s AND l.parent_state = 'posted'
      AND NOT l.reconciled AND a.account_type IN ('asset_receivable', 'liability_payable')),
  (SELECT COALESCE(SUM(d.amount_company), 0) FROM partner_portfolio_document d
    WHERE d.partner_id = %(p)s AND d.company_id = %(c)s
      AND d.kind IN ('customer_cheque', 'customer_note')
      AND d.state IN ('portfolio', 'deposited', 'endorsed', 'bounced')
      AND (d.kind = 'customer_note' OR d.state = 'bounced' OR d.due_date >= %(today)s)),
  (SELECT COALESCE(SUM((GREATEST(l.qty_delivered - l.qty_invoiced, 0)
                        + GREATEST(l.product_uom_qty
                                   - GREATEST(l.qty_delivered, l.qty_invoiced), 0))
                       * l.price_total / l.product_uom_qty / so.currency_rate), 0)
     FROM sale_order_line l JOIN sale_order so ON so.id = l.order_id
    WHERE so.partner_id = %(p)s AND so.company_id = %(c)s AND so.state = 'sale'
      AND l.display_type IS NULL AND l.product_uom_qty > 0)
"""


def columns(table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND column_name != 'id'",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def clone(table, source_id, count, overrides=None):
    """``count`` copies of one row (all columns but id; ``overrides`` as SQL expressions over
    the series number ``n``); returns the new ids."""
    overrides = overrides or {}
    cols = columns(table)
    select = ", ".join(overrides.get(col, f'"{col}"') for col in cols)
    names = ", ".join(f'"{col}"' for col in cols)
    cr.execute(
        f'INSERT INTO "{table}" ({names}) '
        f'SELECT {select} FROM "{table}", generate_series(1, %s) AS n WHERE id = %s '
        f"RETURNING id",
        [count, source_id],
    )
    return [row[0] for row in cr.fetchall()]


def seed_customer(company):
    partner = (
        env["res.partner"]
        .with_context(res_partner_search_mode="customer")
        .create({"name": "Bench Toptan", "is_company": True})
    )
    partner.with_company(company).write({"credit_control_mode": "partner", "credit_limit": 1e12})
    product = env["product.product"].create(
        {"name": "Bench item", "type": "consu", "is_storable": True, "list_price": 10.0}
    )
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 10.0})],
        }
    )
    invoice.action_post()
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": 2, "price_unit": 10.0})
            ],
        }
    )
    order.action_confirm()
    document = env["partner.portfolio.document"].create(
        {
            "name": "BENCH-1",
            "partner_id": partner.id,
            "amount": 10.0,
            "due_date": fields.Date.today() + timedelta(days=30),
        }
    )
    receivable = invoice.line_ids.filtered(
        lambda line: line.account_id.account_type == "asset_receivable"
    )
    env.flush_all()
    return partner, receivable, order, document


def grow(receivable, order, document, invoices, orders, documents):
    """Bring the customer to the given numbers of open invoice lines, orders, documents."""
    clone("account_move_line", receivable.id, invoices)
    for order_id in clone("sale_order", order.id, orders, {"name": "name || '-' || n"}):
        for line in order.order_line:
            clone("sale_order_line", line.id, 1, {"order_id": str(int(order_id))})
    clone("partner_portfolio_document", document.id, documents)
    env.invalidate_all()


def timed(function):
    best = None
    for _ in range(REPEAT):
        env.invalidate_all()
        start = time.perf_counter()
        function()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def measure(partner, company, label):
    currency = company.currency_id
    params = {"p": partner.id, "c": company.id, "today": fields.Date.today()}

    def check():
        partner.check_credit(1.0, currency.id)

    def hand():
        cr.execute(HAND_SQL, params)
        cr.fetchall()

    check()  # warm caches
    env.invalidate_all()
    before = cr.sql_log_count
    check()
    queries = cr.sql_log_count - before
    check_time, sql_time = timed(check), timed(hand)
    print(
        f"{label}: check_credit {check_time * 1000:.1f} ms, hand SQL {sql_time * 1000:.1f} ms, "
        f"ratio {check_time / sql_time:.2f} (goal <= 2), {queries} SQL queries"
    )
    return queries


def bench_report(company):
    template = (
        env["res.partner"]
        .with_context(res_partner_search_mode="customer")
        .create({"name": "Bench customer", "is_company": True, "customer_rank": 1})
    )
    env.flush_all()
    ids = clone("res_partner", template.id, CUSTOMERS - 1, {"name": "name || ' ' || n"})
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids])
    env.invalidate_all()
    start = time.perf_counter()
    env["partner.credit.risk.report"].action_open_report()
    env.flush_all()
    print(
        f"Customer Risk report for {CUSTOMERS} customers: "
        f"{(time.perf_counter() - start) * 1000:.0f} ms (goal < 1000 ms)"
    )


def main():
    company = env.company
    cr.execute("SAVEPOINT bench_credit")
    try:
        partner, receivable, order, document = seed_customer(company)
        done = (1, 1, 1)
        counts = []
        for size in SIZES:
            target = (size, size // 2, max(size // 10, 1))
            grow(receivable, order, document, *(t - d for t, d in zip(target, done)))
            done = target
            counts.append(
                measure(
                    partner,
                    company,
                    f"{target[0]} invoices, {target[1]} orders, {target[2]} cheques",
                )
            )
        print("query count constant:", len(set(counts)) == 1)
        bench_report(company)
    finally:
        cr.execute("ROLLBACK TO SAVEPOINT bench_credit")


main()

"""Customer profitability benchmark: the profitability report vs a hand-written SQL aggregate.

Run it in an Odoo shell on a database with partner_credit_risk installed (everything is rolled
back at the end):

    python3 -m odoo shell --no-http --addons-path addons -d DB < bench/bench_profitability.py

It builds one order through the ORM (a FIFO product received at two costs, delivered, plus a
service at standard cost, invoiced), then clones the order, its delivery, stock moves,
valuation layers, invoice and invoice lines in SQL to BENCH_INVOICES invoices (default 50,000,
two product lines each: 100,000 invoice lines) over BENCH_CUSTOMERS customers (default 2,000),
with a commission, a per-order and a per-delivery allocation rule. It prints

* the time of the profitability report for all customers (``partner.profitability.wizard``
  filling ``partner.profitability.report``) and of the engine alone, against one hand-written
  SQL aggregate of sales and COGS per customer over the same data, in the same run: the ratio
  (goal <= 2), and the totals of both (they must agree);
* the number of SQL queries of the engine for half of the customers and for all of them
  (goal: the same).
"""

import os
import time

from odoo import Command

env = globals()["env"]  # given by odoo-bin shell
cr = env.cr
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "2000"))
INVOICES = int(os.environ.get("BENCH_INVOICES", "50000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))  # best of: the machine may be shared
DATE_FROM, DATE_TO = "2026-01-01", "2026-12-31"

HAND_SQL = """
WITH lines AS (
    SELECT aml.id, am.commercial_partner_id AS partner, -aml.balance AS sales, aml.quantity,
           CASE WHEN am.move_type = 'out_refund' THEN -1 ELSE 1 END AS sign,
           aml.product_id, pt.type, pt.is_storable
      FROM account_move_line aml
      JOIN account_move am ON am.id = aml.move_id
      LEFT JOIN product_product pp ON pp.id = aml.product_id
      LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
       AND am.company_id = %(company)s AND aml.display_type = 'product'
       AND am.invoice_date BETWEEN %(date_from)s AND %(date_to)s
), valued AS (
    SELECT rel.invoice_line_id, SUM(svl.value) / NULLIF(SUM(svl.quantity), 0) AS unit_cost
      FROM sale_order_line_invoice_rel rel
      JOIN stock_move sm ON sm.sale_line_id = rel.order_line_id AND sm.state = 'done'
      JOIN stock_valuation_layer svl ON svl.stock_move_id = sm.id
     WHERE rel.invoice_line_id IN (SELECT id FROM lines)
  GROUP BY rel.invoice_line_id
)
SELECT lines.partner, SUM(lines.sales),
       SUM(CASE WHEN lines.product_id IS NULL THEN 0
                ELSE lines.sign * lines.quantity * COALESCE(
                    CASE WHEN lines.type <> 'service' AND lines.is_storable
                         THEN valued.unit_cost END,
                    (pp.standard_price ->> %(company_key)s)::numeric, 0) END)
  FROM lines
  LEFT JOIN valued ON valued.invoice_line_id = lines.id
  LEFT JOIN product_product pp ON pp.id = lines.product_id
GROUP BY lines.partner
"""


def columns(table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND column_name != 'id'",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def build_template(company):
    """One customer's order (FIFO product + service), delivery and posted invoice."""
    category = env["product.category"].create(
        {
            "name": "Bench FIFO",
            "property_cost_method": "fifo",
            "property_valuation": "manual_periodic",
        }
    )
    oil = env["product.product"].create(
        {
            "name": "Bench oil",
            "is_storable": True,
            "categ_id": category.id,
            "invoice_policy": "delivery",
            "taxes_id": [],
        }
    )
    service = env["product.product"].create(
        {"name": "Bench service", "type": "service", "standard_price": 40.0, "taxes_id": []}
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    for qty, cost in ((10, 10.0), (10, 14.0)):
        move = env["stock.move"].create(
            {
                "name": "Bench receipt",
                "product_id": oil.id,
                "product_uom": oil.uom_id.id,
                "product_uom_qty": qty,
                "price_unit": cost,
                "location_id": env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "company_id": company.id,
            }
        )
        move._action_confirm()
        move.write({"quantity": qty, "picked": True})
        move._action_done()
    customer = env["res.partner"].create({"name": "Bench customer 0", "is_company": True})
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "company_id": company.id,
            "warehouse_id": warehouse.id,
            "order_line": [
                Command.create(
                    {"product_id": oil.id, "product_uom_qty": 15, "price_unit": 25.0, "tax_id": []}
                ),
                Command.create(
                    {
                        "product_id": service.id,
                        "product_uom_qty": 1,
                        "price_unit": 100.0,
                        "tax_id": [],
                    }
                ),
            ],
        }
    )
    order.action_confirm()
    picking = order.picking_ids
    picking.move_ids.write({"quantity": 15, "picked": True})
    picking._action_done()
    invoice = order._create_invoices()
    invoice.invoice_date = DATE_FROM
    invoice.action_post()
    return customer, order, picking, invoice


def clone(table, template_ids, overrides, remaps):
    """Copy the ``template_ids`` rows of ``table`` once per g in 1..INVOICES. ``remaps`` maps
    a column to the copied table it points at (the g-th copy of that row); new ids are
    reserved in ``bench_map`` first so children can find their parent's copy."""
    cr.execute(
        f"""INSERT INTO bench_map (tbl, g, old_id, new_id)
            SELECT %s, g, o, nextval('{table}_id_seq')
              FROM generate_series(1, %s) g, unnest(%s::int[]) o""",
        [table, INVOICES, list(template_ids)],
    )
    cols = columns(table)
    select = []
    for col in cols:
        if col in overrides:
            select.append(overrides[col])
        elif col in remaps:
            select.append(
                f"""(SELECT r.new_id FROM bench_map r
                      WHERE r.tbl = '{remaps[col]}' AND r.g = m.g AND r.old_id = t.{col})"""
            )
        else:
            select.append(f"t.{col}")
    cr.execute(
        f"""INSERT INTO {table} (id, {", ".join(cols)})
            SELECT m.new_id, {", ".join(select)}
              FROM {table} t JOIN bench_map m ON m.tbl = %s AND m.old_id = t.id""",
        [table],
    )


def build_data(company):
    customer, order, picking, invoice = build_template(company)
    partners = env["res.partner"].create(
        [{"name": f"Bench customer {i}", "is_company": True} for i in range(1, CUSTOMERS)]
    )
    partner_ids = customer.ids + partners.ids
    env.flush_all()
    cr.execute(
        """CREATE TEMP TABLE bench_map (tbl text, g int, old_id int, new_id int);
           CREATE TEMP TABLE bench_partner AS
               SELECT ord::int - 1 AS k, id FROM unnest(%s::int[]) WITH ORDINALITY AS u(id, ord);
           CREATE INDEX ON bench_partner (k)""",
        [partner_ids],
    )
    cust = f"(SELECT id FROM bench_partner WHERE k = m.g %% {CUSTOMERS})"
    day = "(DATE '2026-01-01' + (m.g %% 365))"
    clone(
        "sale_order",
        order.ids,
        {
            "name": "'SO/B/' || m.g",
            "partner_id": cust,
            "partner_invoice_id": cust,
            "partner_shipping_id": cust,
            "date_order": day,
        },
        {},
    )
    cr.execute("CREATE INDEX ON bench_map (tbl, g, old_id)")
    clone(
        "sale_order_line",
        order.order_line.ids,
        {"order_partner_id": cust},
        {"order_id": "sale_order"},
    )
    clone(
        "stock_picking",
        picking.ids,
        {"name": "'B/OUT/' || m.g", "partner_id": cust, "date_done": day},
        {"sale_id": "sale_order"},
    )
    moves = picking.move_ids
    clone(
        "stock_move",
        moves.ids,
        {"partner_id": cust},
        {"picking_id": "stock_picking", "sale_line_id": "sale_order_line"},
    )
    layers = env["stock.valuation.layer"].search([("stock_move_id", "in", moves.ids)])
    clone("stock_valuation_layer", layers.ids, {}, {"stock_move_id": "stock_move"})
    move_overrides = {
        "name": "'INV/B/' || m.g",
        "partner_id": cust,
        "commercial_partner_id": cust,
        "invoice_date": day,
        "date": day,
        "sequence_number": "t.sequence_number + m.g",
    }
    for col in ("l10n_tr_gib_number", "l10n_tr_ettn", "l10n_tr_incoming_ettn"):
        if col in columns("account_move"):
            move_overrides[col] = "NULL"
    clone("account_move", invoice.ids, move_overrides, {})
    clone(
        "account_move_line",
        invoice.line_ids.ids,
        {"partner_id": cust, "date": day, "invoice_date": day, "move_name": "'INV/B/' || m.g"},
        {"move_id": "account_move"},
    )
    cr.execute(
        """INSERT INTO sale_order_line_invoice_rel (invoice_line_id, order_line_id)
           SELECT li.new_id, so.new_id
             FROM sale_order_line_invoice_rel rel
             JOIN bench_map li ON li.tbl = 'account_move_line' AND li.old_id = rel.invoice_line_id
             JOIN bench_map so ON so.tbl = 'sale_order_line' AND so.old_id = rel.order_line_id
                  AND so.g = li.g
            WHERE rel.invoice_line_id = ANY(%s)""",
        [invoice.line_ids.ids],
    )
    cr.execute(
        "ANALYZE account_move; ANALYZE account_move_line; ANALYZE sale_order_line_invoice_rel; "
        "ANALYZE stock_move; ANALYZE stock_valuation_layer; ANALYZE sale_order; "
        "ANALYZE stock_picking"
    )
    env.invalidate_all()
    return partner_ids


def best_of(call):
    best, result = None, None
    for _run in range(REPEAT):
        env.invalidate_all()
        start = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def queries(call):
    env.invalidate_all()
    before = cr.sql_log_count
    call()
    return cr.sql_log_count - before


def main():
    company = env.company
    Rule = env["partner.profitability.rule"]
    Rule.search([("company_id", "=", company.id)]).active = False
    Rule.create({"name": "Commission", "kind": "sales_percent", "rate": 10.0})
    Rule.create({"name": "Per order", "kind": "per_order", "amount": 5.0})
    Rule.create({"name": "Cargo", "kind": "per_delivery", "amount": 25.0})
    start = time.perf_counter()
    partner_ids = build_data(company)
    cr.execute(
        """SELECT COUNT(*) FROM account_move_line aml JOIN account_move am ON am.id = aml.move_id
            WHERE am.name LIKE 'INV/B/%%' AND aml.display_type = 'product'"""
    )
    print(
        f"data: {len(partner_ids)} customers, {cr.fetchone()[0] + 2} invoice lines "
        f"({time.perf_counter() - start:.1f} s to build)"
    )
    Partner = env["res.partner"]
    options = Partner._profitability_options(DATE_FROM, DATE_TO)
    wizard = env["partner.profitability.wizard"].create(
        {"date_from": DATE_FROM, "date_to": DATE_TO}
    )
    params = {
        "company": company.id,
        "company_key": str(company.id),
        "date_from": DATE_FROM,
        "date_to": DATE_TO,
    }

    def hand():
        cr.execute(HAND_SQL, params)
        return cr.fetchall()

    hand_time, hand_rows = best_of(hand)
    engine_time, data = best_of(lambda: Partner._profitability_compute(options))
    report_time, rows = best_of(wizard._compute_rows)
    bench = set(partner_ids)
    hand_sales = sum(float(row[1]) for row in hand_rows if row[0] in bench)
    hand_cogs = sum(float(row[2]) for row in hand_rows if row[0] in bench)
    sales = sum(data[p]["sales"] for p in bench if p in data)
    cogs = sum(data[p]["cogs"] for p in bench if p in data)
    print(
        f"hand-written SQL (sales + COGS):   {hand_time:.3f} s"
        f"  sales {hand_sales:,.2f} COGS {hand_cogs:,.2f}"
    )
    print(
        f"profitability engine:             {engine_time:.3f} s"
        f"  sales {sales:,.2f} COGS {cogs:,.2f}"
        f"  (ratio {engine_time / hand_time:.2f}, goal <= 2)"
    )
    print(
        f"profitability report (all, {len(rows)} rows): {report_time:.3f} s"
        f"  (ratio {report_time / hand_time:.2f}, goal <= 2)"
    )
    half = set(partner_ids[: len(partner_ids) // 2])
    count_half = queries(lambda: Partner._profitability_compute(options, half))
    count_all = queries(lambda: Partner._profitability_compute(options, bench))
    print(
        f"engine queries: {count_half} for {len(half)} customers, {count_all} for {len(bench)} "
        "customers (goal: the same)"
    )


try:
    main()
finally:
    cr.rollback()

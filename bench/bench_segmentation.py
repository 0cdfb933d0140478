"""Sales segmentation benchmark: the segmentation pivot vs Odoo's Invoice Analysis, in one run.

Run it in an Odoo shell on a database with marketplace_connector installed with its demo data
(nothing is kept: everything is rolled back at the end):

    BENCH_LINES=100000 BENCH_APPLY=20000 python3 -m odoo shell --no-http \\
        --addons-path addons -d DB < bench/bench_segmentation.py

It posts one template customer invoice (two lines), then copies it in SQL into
BENCH_LINES / 2 invoices (BENCH_LINES lines) spread over a year, with random segmentation
dimensions, and times:

* segmentation pivot: ``invoice.segment.report`` read_group by customer type and month and by
  segment tag and month, and ``account.move`` read_group by segment tag and month;
* Odoo's plain ``account.invoice.report`` read_group by month over the same lines;

printing each time (best of 3) and the ratio segmentation / Invoice Analysis (goal ≤ 1.5).
Then "Apply to past invoices" of every ready-made segment over BENCH_APPLY invoices
(goal: under a minute).
"""

import os
import time

from odoo import Command

env = globals()["env"]  # given by odoo-bin shell
LINES = int(os.environ.get("BENCH_LINES", "100000"))
APPLY = int(os.environ.get("BENCH_APPLY", "20000"))
RUNS = 3


def template_invoice():
    company = env.ref("base.demo_company_tr")
    env.user.company_ids |= company
    env.user.company_id = company
    products = env.ref("marketplace_connector.product_tshirt_black_m") | env.ref(
        "marketplace_connector.product_mug"
    )
    move = (
        env["account.move"]
        .with_company(company)
        .create(
            {
                "move_type": "out_invoice",
                "partner_id": env.ref("l10n_tr_efatura.demo_customer_efatura_company").id,
                "invoice_date": "2026-01-15",
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "quantity": 1, "price_unit": 400.0})
                    for product in products
                ],
            }
        )
    )
    move.action_post()
    return move


def copy_invoices(template, count):
    """``count`` copies of ``template`` (moves and all their lines), numbered apart, dated
    over 2026 with random dimensions. Returns the new move ids."""
    cr = env.cr
    env.flush_all()

    def columns(table):
        cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND column_name <> 'id'",
            [table],
        )
        return [row[0] for row in cr.fetchall()]

    move_cols = columns("account_move")
    overrides = {
        "name": "t.name || '/B' || g",
        "invoice_date": "DATE '2026-01-01' + (g %% 365)",
        "date": "DATE '2026-01-01' + (g %% 365)",
        "segment_customer_type": "(ARRAY['individual','corporate','wholesale'])[1 + g %% 3]",
        "segment_payment_method": "(ARRAY['card','bank_transfer','cash_on_delivery',"
        "'marketplace'])[1 + g %% 4]",
        "l10n_tr_gib_number": "NULL",
        "l10n_tr_ettn": "NULL",
        "sequence_number": "t.sequence_number + g",
    }
    select = ", ".join(overrides.get(col, f"t.{col}") for col in move_cols)
    cr.execute(
        f"""
        INSERT INTO account_move ({", ".join(move_cols)})
        SELECT {select} FROM account_move t, generate_series(1, %s) g WHERE t.id = %s
        RETURNING id""",
        [count, template.id],
    )
    ids = [row[0] for row in cr.fetchall()]
    line_cols = columns("account_move_line")
    line_overrides = {
        "move_id": "m.id",
        "date": "m.date",
        "invoice_date": "m.invoice_date",
        "move_name": "m.name",
    }
    line_select = ", ".join(line_overrides.get(col, f"l.{col}") for col in line_cols)
    cr.execute(
        f"""
        INSERT INTO account_move_line ({", ".join(line_cols)})
        SELECT {line_select} FROM unnest(%s::int[]) AS copy(id)
        JOIN account_move m ON m.id = copy.id JOIN account_move_line l ON l.move_id = %s""",
        [ids, template.id],
    )
    env.invalidate_all()
    cr.execute("ANALYZE account_move; ANALYZE account_move_line")
    return ids


def best_of(call):
    times = []
    for _run in range(RUNS):
        env.invalidate_all()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    template = template_invoice()
    ids = copy_invoices(template, LINES // 2)
    move_ids = ids + template.ids
    domain = [("move_id", "in", move_ids)]
    report = env["invoice.segment.report"]
    analysis = env["account.invoice.report"]
    moves = env["account.move"]
    # every copy carries the template's segment tags: the pivot by segment has real rows
    env.cr.execute(
        """
        INSERT INTO account_move_invoice_segment_rel (move_id, segment_id)
        SELECT m, r.segment_id FROM unnest(%s::int[]) m, account_move_invoice_segment_rel r
        WHERE r.move_id = %s ON CONFLICT DO NOTHING""",
        [ids, template.id],
    )
    lines = report.search_count(domain)
    plain = best_of(
        lambda: analysis._read_group(domain, ["invoice_date:month"], ["price_subtotal:sum"])
    )
    seg_dimension = best_of(
        lambda: report._read_group(
            domain, ["customer_type", "invoice_date:month"], ["price_subtotal:sum"]
        )
    )
    seg_report_tags = best_of(
        lambda: report._read_group(
            domain, ["segment_ids", "invoice_date:month"], ["price_subtotal:sum"]
        )
    )
    seg_tags = best_of(
        lambda: moves._read_group(
            [("id", "in", move_ids)],
            ["segment_ids", "invoice_date:month"],
            ["amount_untaxed_signed:sum"],
        )
    )
    print(f"invoice lines: {lines}")
    print(f"account.invoice.report by month:            {plain:.3f} s")
    print(
        f"invoice.segment.report by customer type+month: {seg_dimension:.3f} s "
        f"(ratio {seg_dimension / plain:.2f}, goal <= 1.5)"
    )
    print(
        f"invoice.segment.report by segment tag+month: {seg_report_tags:.3f} s "
        f"(ratio {seg_report_tags / plain:.2f}, goal <= 1.5)"
    )
    print(
        f"account.move by segment tag+month:          {seg_tags:.3f} s "
        f"(ratio {seg_tags / plain:.2f}, goal <= 1.5)"
    )
    segments = env["invoice.segment"].search([])
    apply_ids = move_ids[:APPLY]
    env.cr.execute(
        "DELETE FROM account_move_invoice_segment_rel WHERE move_id = ANY(%s)", [apply_ids]
    )
    env.cr.execute(
        "UPDATE account_move SET state = 'cancel' WHERE id = ANY(%s)", [move_ids[APPLY:]]
    )
    env.invalidate_all()
    start = time.perf_counter()
    result = segments.apply_to_past_invoices(segments.ids)
    elapsed = time.perf_counter() - start
    print(
        f"apply {len(segments)} segments to {result['invoices']} invoices: {elapsed:.1f} s "
        f"({result['tagged']} tags, goal < 60 s)"
    )


try:
    main()
finally:
    env.cr.rollback()

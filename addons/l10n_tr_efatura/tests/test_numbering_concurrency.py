"""Two real database transactions post the first invoices of a year at the same time."""

import threading
import time
from contextlib import closing
from datetime import date

import psycopg2

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

YEAR = 2031  # no invoice of the demo company is dated there: the yearly range is new
RETRYABLE = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.DeadlockDetected,
)


@tagged("post_install", "-at_install")
class TestConcurrentNumbering(TransactionCase):
    def _env(self, cr):
        company = self.env.ref("base.demo_company_tr")
        return api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [company.id]})

    def _draft(self, env):
        partner = env.ref("l10n_tr_efatura.demo_customer_individual")
        return env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": date(YEAR, 3, 2),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Kulaklık", "quantity": 1, "price_unit": 100.0, "tax_ids": False}
                    )
                ],
            }
        )

    def _waiting_on_lock(self, cr, pid):
        cr.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cr.fetchone()
        return bool(row and row[0] in ("Lock", "advisory"))

    def _series_ids(self, db):
        with closing(db.cursor()) as cr:
            cr.execute("SELECT id FROM ir_sequence WHERE code LIKE 'l10n_tr_efatura.series.%%'")
            return [row[0] for row in cr.fetchall()]

    def _cleanup(self, db, move_ids, series_before):
        """Remove what the committed transactions left: invoices, the range, new series."""
        with closing(db.cursor()) as cr:
            env = self._env(cr)
            moves = env["account.move"].browse(move_ids).exists()
            moves.button_draft()
            moves.with_context(force_delete=True).unlink()
            cr.execute(
                """
                DELETE FROM ir_sequence_date_range r USING ir_sequence s
                 WHERE r.sequence_id = s.id AND s.code LIKE 'l10n_tr_efatura.series.%%'
                   AND r.date_from = %s""",
                [date(YEAR, 1, 1)],
            )
            cr.execute(
                """
                DELETE FROM ir_sequence WHERE code LIKE 'l10n_tr_efatura.series.%%'
                   AND NOT (id = ANY(%s))""",
                [series_before or [0]],
            )
            cr.commit()

    def test_two_posters_never_get_the_same_gib_number(self):
        db = sql_db.db_connect(self.env.cr.dbname)
        committed = []
        outcome = {}
        series_before = self._series_ids(db)
        with (
            closing(db.cursor()) as cr_a,
            closing(db.cursor()) as cr_b,
            closing(db.cursor()) as watcher,
        ):
            try:
                move_a, move_b = self._draft(self._env(cr_a)), self._draft(self._env(cr_b))
                move_b.env.flush_all()  # B's snapshot is taken now, before A commits
                pid_b = cr_b._cnx.get_backend_pid()

                def post_b():
                    try:
                        move_b.action_post()
                        move_b.env.flush_all()
                        outcome["number"] = move_b.l10n_tr_gib_number
                    except RETRYABLE as error:
                        outcome["error"] = error
                    except Exception as error:  # noqa: BLE001 - reported by the assertions
                        outcome["unexpected"] = error

                move_a.action_post()
                number_a = move_a.l10n_tr_gib_number
                thread = threading.Thread(target=post_b)
                with mute_logger("odoo.sql_db"):
                    thread.start()
                    deadline = time.monotonic() + 10
                    while (
                        not self._waiting_on_lock(watcher, pid_b)
                        and thread.is_alive()
                        and time.monotonic() < deadline
                    ):
                        time.sleep(0.05)
                    self.assertTrue(thread.is_alive(), "B waits for A's transaction")
                    cr_a.commit()
                    committed.append(move_a.id)
                    thread.join(20)
                self.assertFalse(thread.is_alive())
                self.assertNotIn("unexpected", outcome, outcome)
                # B learnt that A numbered first; it never holds A's number
                self.assertNotEqual(outcome.get("number"), number_a)
                self.assertIn("error", outcome, "B retries rather than numbering blindly")
                cr_b.rollback()
                # the retry (a new transaction) takes the next number of the same range
                retry = self._draft(self._env(cr_b))
                retry.action_post()
                self.assertEqual(number_a, f"EAR{YEAR}000000001")
                self.assertEqual(retry.l10n_tr_gib_number, f"EAR{YEAR}000000002")
                cr_b.execute(
                    """
                    SELECT count(*) FROM ir_sequence_date_range r JOIN ir_sequence s
                        ON s.id = r.sequence_id
                     WHERE s.code = 'l10n_tr_efatura.series.earsiv' AND s.company_id = %s
                       AND r.date_from = %s""",
                    [retry.company_id.id, date(YEAR, 1, 1)],
                )
                self.assertEqual(cr_b.fetchone()[0], 1, "one yearly range, never two")
                cr_b.rollback()
            finally:
                cr_a.rollback()
                cr_b.rollback()
                self._cleanup(db, committed, series_before)

    def test_gib_number_and_ettn_are_unique_per_company(self):
        company = self.env.ref("base.demo_company_tr")
        env = self.env(context={"allowed_company_ids": [company.id]})
        first = self._draft(env)
        first.action_post()
        second = self._draft(env)
        second.action_post()
        for field in ("l10n_tr_gib_number", "l10n_tr_ettn"):
            with (
                self.subTest(field=field),
                self.assertRaises(psycopg2.IntegrityError),
                mute_logger("odoo.sql_db"),
                self.cr.savepoint(),
            ):
                second.write({field: first[field]})
                second.flush_recordset()

from contextlib import closing

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import trendyol_package


@tagged("post_install", "-at_install")
class TestTwoWorkers(TransactionCase):
    """Two real database transactions claim new packages at the same time."""

    def test_skip_locked_claims_are_disjoint(self):
        account = self.env.ref("marketplace_connector.account_trendyol_sandbox")
        db = sql_db.db_connect(self.env.cr.dbname)
        setup = db.cursor()
        try:
            setup.execute(
                """
                INSERT INTO marketplace_order_inbound (account_id, company_id, external_key,
                       state, raw, retry_count, create_date, write_date)
                SELECT %s, %s, 'two-workers-' || n, 'new', '{}', 0, now(), now()
                  FROM generate_series(1, 5) n RETURNING id
            """,
                [account.id, account.company_id.id],
            )
            created = {row[0] for row in setup.fetchall()}
            setup.commit()
            worker_a, worker_b = db.cursor(), db.cursor()
            try:
                env_a = api.Environment(worker_a, SUPERUSER_ID, {})
                env_b = api.Environment(worker_b, SUPERUSER_ID, {})
                claimed_a = set(
                    env_a["marketplace.order.inbound"]._claim_pending([account.id], 2).ids
                )
                claimed_b = set(
                    env_b["marketplace.order.inbound"]._claim_pending([account.id], 10).ids
                )
                self.assertEqual(len(claimed_a), 2)
                self.assertFalse(claimed_a & claimed_b, "a package is never claimed twice")
                self.assertEqual(claimed_a | claimed_b, created)
                # once worker A is done (rolled back here), its rows are claimable again
                worker_a.rollback()
                env_c = api.Environment(worker_a, SUPERUSER_ID, {})
                self.assertEqual(
                    set(env_c["marketplace.order.inbound"]._claim_pending([account.id], 10).ids),
                    claimed_a,
                )
            finally:
                worker_a.rollback()
                worker_b.rollback()
                worker_a.close()
                worker_b.close()
        finally:
            setup.execute(
                "DELETE FROM marketplace_order_inbound WHERE external_key LIKE 'two-workers-%%'"
            )
            setup.commit()
            setup.close()


@tagged("post_install", "-at_install")
class TestPostingUnderLock(TransactionCase):
    """A second transaction posting a marketplace invoice while the first one holds the
    numbering locks: its package stays pending (retried), never quarantined."""

    def _env(self, cr):
        return api.Environment(
            cr,
            SUPERUSER_ID,
            {
                "allowed_company_ids": [self.env.ref("base.demo_company_tr").id],
                "marketplace_no_report_back": True,
                "tracking_disable": True,
            },
        )

    def _process(self, env, limit):
        account = env.ref("marketplace_connector.account_trendyol_sandbox")
        return env["marketplace.order.inbound"]._process_pending(account, limit=limit)

    def _rows(self, env, keys):
        return env["marketplace.order.inbound"].search([("external_key", "in", keys)], order="id")

    def test_lock_timeout_while_posting_leaves_the_package_pending(self):
        db = sql_db.db_connect(self.env.cr.dbname)
        packages = [trendyol_package(), trendyol_package()]
        with closing(db.cursor()) as setup:
            env = self._env(setup)
            account = env.ref("marketplace_connector.account_trendyol_sandbox")
            for package in packages:
                env["marketplace.order.inbound"]._store_package(account, package)
            keys = (
                env["marketplace.order.inbound"]
                .search([("order_number", "in", [p["orderNumber"] for p in packages])], order="id")
                .mapped("external_key")
            )
            self.assertEqual(len(keys), 2)
            setup.commit()
            worker_a, worker_b = db.cursor(), db.cursor()
            try:
                env_a, env_b = self._env(worker_a), self._env(worker_b)
                # A posts the first package's invoice and keeps its transaction open
                self.assertEqual(
                    self._process(env_a, 1), {"processed": 1, "failed": 0, "remaining": 1}
                )
                first = self._rows(env_a, keys)[0]
                self.assertTrue(first.invoice_id.l10n_tr_gib_number)
                # B posts meanwhile and waits for A's numbering locks: a lock timeout
                worker_b.execute("SET LOCAL lock_timeout = '1s'")
                with mute_logger("odoo.sql_db"):
                    result = self._process(env_b, 10)
                # the second package is left pending; the first is A's (locked, still new
                # in B's view)
                self.assertEqual(result, {"processed": 0, "failed": 0, "remaining": 2})
                second = self._rows(env_b, keys)[1]
                self.assertEqual(second.state, "new", "not quarantined")
                self.assertIn("Retried later", second.error_reason)  # says why it waits
                self.assertFalse(second.sale_order_id)
                self.assertEqual(second.retry_count, 1)
                worker_a.rollback()
                worker_b.rollback()
                # the next run (A done) processes it, with its own GİB number
                env_b = self._env(worker_b)
                self.assertEqual(
                    self._process(env_b, 10), {"processed": 2, "failed": 0, "remaining": 0}
                )
                numbers = self._rows(env_b, keys).invoice_id.mapped("l10n_tr_gib_number")
                self.assertEqual(len(set(numbers)), 2)
            finally:
                worker_a.rollback()
                worker_b.rollback()
                worker_a.close()
                worker_b.close()
                setup.execute(
                    "DELETE FROM marketplace_order_inbound WHERE external_key = ANY(%s)", [keys]
                )
                setup.commit()

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTwoWorkers(TransactionCase):
    """Two real database transactions claim new packages at the same time."""

    def test_skip_locked_claims_are_disjoint(self):
        account = self.env.ref("marketplace_connector.account_trendyol_sandbox")
        db = sql_db.db_connect(self.env.cr.dbname)
        setup = db.cursor()
        try:
            setup.execute("""
                INSERT INTO marketplace_order_inbound (account_id, company_id, external_key,
                       state, raw, retry_count, create_date, write_date)
                SELECT %s, %s, 'two-workers-' || n, 'new', '{}', 0, now(), now()
                  FROM generate_series(1, 5) n RETURNING id
            """, [account.id, account.company_id.id])
            created = {row[0] for row in setup.fetchall()}
            setup.commit()
            worker_a, worker_b = db.cursor(), db.cursor()
            try:
                env_a = api.Environment(worker_a, SUPERUSER_ID, {})
                env_b = api.Environment(worker_b, SUPERUSER_ID, {})
                claimed_a = set(env_a["marketplace.order.inbound"]._claim_pending(
                    [account.id], 2).ids)
                claimed_b = set(env_b["marketplace.order.inbound"]._claim_pending(
                    [account.id], 10).ids)
                self.assertEqual(len(claimed_a), 2)
                self.assertFalse(claimed_a & claimed_b, "a package is never claimed twice")
                self.assertEqual(claimed_a | claimed_b, created)
                # once worker A is done (rolled back here), its rows are claimable again
                worker_a.rollback()
                env_c = api.Environment(worker_a, SUPERUSER_ID, {})
                self.assertEqual(set(env_c["marketplace.order.inbound"]._claim_pending(
                    [account.id], 10).ids), claimed_a)
            finally:
                worker_a.rollback()
                worker_b.rollback()
                worker_a.close()
                worker_b.close()
        finally:
            setup.execute("DELETE FROM marketplace_order_inbound WHERE external_key LIKE "
                          "'two-workers-%%'")
            setup.commit()
            setup.close()

import time
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments

# a run still "Running" after this long was killed (a fetch commits every window)
STALE_AFTER = timedelta(hours=1)
# fetch kinds holding an advisory lock while they run (marketplace.account._try_sync_lock)
LOCKED_KINDS = ("fetch", "sweep", "claims")

RUN_STATES = [
    ("running", "Running"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("partial", "Done with errors"),
]


class MarketplaceSyncRun(models.Model):
    """One row per fetch / process / push run with its counters and errors."""

    _name = "marketplace.sync.run"
    _description = "Marketplace Sync Run"
    _order = "date_start desc, id desc"

    account_id = fields.Many2one("marketplace.account", ondelete="cascade", index=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    kind = fields.Selection(
        [
            ("fetch", "Order fetch"),
            ("sweep", "48 h sweep"),
            ("process", "Order processing"),
            ("claims", "Claim fetch"),
            ("push", "Stock/price push"),
            ("report", "Report back"),
        ],
        required=True,
    )
    state = fields.Selection(RUN_STATES, default="running", required=True)
    date_start = fields.Datetime(default=fields.Datetime.now, required=True)
    date_end = fields.Datetime()
    duration = fields.Float(string="Duration (s)", digits=(16, 2))
    started_at = fields.Float(readonly=True, help="Epoch seconds of the start (duration).")
    window_start = fields.Datetime()
    window_end = fields.Datetime()
    fetched = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    quarantined = fields.Integer()
    processed = fields.Integer()
    failed = fields.Integer()
    error = fields.Text()
    inbound_ids = fields.One2many("marketplace.order.inbound", "last_run_id")
    failed_count = fields.Integer(compute="_compute_failed_count")

    @api.depends("kind", "account_id", "date_start")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for run in self:
            start = (
                fields.Datetime.context_timestamp(run, run.date_start) if run.date_start else None
            )
            run.display_name = " · ".join(
                filter(
                    None,
                    (
                        kinds.get(run.kind),
                        run.account_id.name,
                        start and start.strftime("%d.%m.%Y %H:%M"),
                    ),
                )
            )

    def _compute_failed_count(self):
        groups = dict(
            self.env["marketplace.order.inbound"]._read_group(
                [("last_run_id", "in", self.ids), ("state", "=", "error")],
                ["last_run_id"],
                ["__count"],
            )
        )
        for run in self:
            run.failed_count = groups.get(run, 0)

    @api.model
    def _start(self, account, kind, window_start=None, window_end=None):
        return self.sudo().create(
            {
                "account_id": account.id if account else False,
                "kind": kind,
                "window_start": window_start,
                "window_end": window_end,
                "started_at": time.time(),
            }
        )

    def _finish(self, counters, error=None):
        values = {
            key: value
            for key, value in counters.items()
            if key in self._fields and isinstance(value, int)
        }
        failed = values.get("failed", 0) + values.get("quarantined", 0)
        values.update(
            {
                "date_end": fields.Datetime.now(),
                "duration": time.time() - self.started_at if self.started_at else 0.0,
                "state": "failed" if error else ("partial" if failed else "done"),
                "error": error or False,
            }
        )
        self.sudo().write(values)

    @api.model
    def _mark_stale_runs(self):
        """Mark as failed the runs left "Running" by a killed worker: older than
        :data:`STALE_AFTER`, or fetches whose advisory lock nobody holds any more.
        Returns the runs marked."""
        running = self.sudo().search([("state", "=", "running")])
        limit = fields.Datetime.now() - STALE_AFTER
        stale = running.filtered(
            lambda run: (
                run.date_start < limit
                or (
                    run.kind in LOCKED_KINDS
                    and run.account_id
                    and run.account_id._try_sync_lock(run.kind)
                )
            )
        )
        stale.write(
            {
                "state": "failed",
                "date_end": fields.Datetime.now(),
                "error": _(
                    "Stopped without finishing (the worker was killed or "
                    "restarted); the next run reads the same window again."
                ),
            }
        )
        return stale

    def action_retry_failed(self):
        """Put the failed packages of these runs back to new and process them.

        XML-RPC: returns the processing counters ``{'processed', 'failed', 'remaining'}``.
        """
        arguments.check_self(self)
        rows = self.env["marketplace.order.inbound"].search(
            [("last_run_id", "in", self.ids), ("state", "=", "error")]
        )
        return rows.action_retry()

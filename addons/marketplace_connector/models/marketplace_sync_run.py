import time

from odoo import api, fields, models
from odoo.addons.l10n_tr_efatura.models import arguments


class MarketplaceSyncRun(models.Model):
    """One row per fetch / process / push run with its counters and errors."""

    _name = "marketplace.sync.run"
    _description = "Marketplace Sync Run"
    _order = "date_start desc, id desc"

    account_id = fields.Many2one("marketplace.account", ondelete="cascade", index=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    kind = fields.Selection([
        ("fetch", "Order fetch"), ("sweep", "48 h sweep"), ("process", "Order processing"),
        ("claims", "Claim fetch"), ("push", "Stock/price push"), ("report", "Report back"),
    ], required=True)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("failed", "Failed"),
         ("partial", "Done with errors")], default="running", required=True)
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

    def _compute_failed_count(self):
        groups = dict(self.env["marketplace.order.inbound"]._read_group(
            [("last_run_id", "in", self.ids), ("state", "=", "error")],
            ["last_run_id"], ["__count"]))
        for run in self:
            run.failed_count = groups.get(run, 0)

    @api.model
    def _start(self, account, kind, window_start=None, window_end=None):
        return self.sudo().create({
            "account_id": account.id if account else False, "kind": kind,
            "window_start": window_start, "window_end": window_end, "started_at": time.time(),
        })

    def _finish(self, counters, error=None):
        values = {key: value for key, value in counters.items()
                  if key in self._fields and isinstance(value, int)}
        failed = values.get("failed", 0) + values.get("quarantined", 0)
        values.update({
            "date_end": fields.Datetime.now(),
            "duration": time.time() - self.started_at if self.started_at else 0.0,
            "state": "failed" if error else ("partial" if failed else "done"),
            "error": error or False,
        })
        self.sudo().write(values)

    def action_retry_failed(self):
        """Put the failed packages of these runs back to new and process them.

        XML-RPC: returns the processing counters ``{'processed', 'failed', 'remaining'}``.
        """
        arguments.check_self(self)
        rows = self.env["marketplace.order.inbound"].search([
            ("last_run_id", "in", self.ids), ("state", "=", "error")])
        return rows.action_retry()

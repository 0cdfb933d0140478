"""The integrator call log, written in a transaction of its own.

A call is logged even when the caller's transaction (Send & Print, a cron batch) rolls back
afterwards: the row goes through a separate cursor, committed on its own. In Odoo's test mode
``registry.cursor()`` is a ``TestCursor`` sharing the test's connection, so a caller's rollback
would take the row with it: there the row is written again once the caller rolled back.
"""

import functools
import logging
import threading

from odoo import api, fields, models, modules
from odoo.sql_db import TestCursor

_logger = logging.getLogger(__name__)

LOCK_TIMEOUT = "5s"  # never wait for the caller's own locks (it waits for us)


class L10nTrEdocLog(models.Model):
    """One integrator call: what was asked, how long it took, what came back (redacted)."""

    _name = "l10n_tr.edoc.log"
    _description = "e-Document Integrator Call"
    _order = "id desc"

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    move_id = fields.Many2one(
        "account.move", string="Invoice", index=True, readonly=True, ondelete="set null"
    )
    documents = fields.Char(
        string="Documents", readonly=True, help="GİB numbers of the documents a batch call carried."
    )
    integrator = fields.Char(readonly=True)
    operation = fields.Char(required=True, readonly=True)
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True)
    result = fields.Selection(
        [("ok", "OK"), ("error", "Error"), ("unknown", "No Answer")], required=True, readonly=True
    )
    message = fields.Text(readonly=True)
    payload = fields.Text(string="Request (redacted)", readonly=True)

    @api.depends("operation", "move_id", "documents", "create_date")
    def _compute_display_name(self):
        for log in self:
            document = log.move_id.name or log.documents or ""
            when = (
                fields.Datetime.context_timestamp(log, log.create_date) if log.create_date else ""
            )
            log.display_name = " · ".join(
                filter(None, (log.operation, document, when and when.strftime("%d.%m.%Y %H:%M:%S")))
            )

    def _gc_old_logs(self, days=90):
        cutoff = fields.Datetime.subtract(fields.Datetime.now(), days=days)
        self.sudo().search([("create_date", "<", cutoff)]).unlink()

    @api.model
    def _l10n_tr_record(self, values):
        """Store one call so that it survives whatever happens to the caller's transaction.

        Returns the id of the row (in the log's own transaction)."""
        registry = self.env.registry
        testing = modules.module.current_test or getattr(
            threading.current_thread(), "testing", False
        )
        if registry.test_cr is None and testing:
            # a test outside registry test mode: a second real connection could neither see
            # the test's uncommitted records nor be rolled back with the test
            return self.sudo().create(values).id
        try:
            with registry.cursor() as cr:
                log_id = self._l10n_tr_insert(cr, values)
                separate = not isinstance(cr, TestCursor)
        except Exception:  # the log must never break or hide the call itself
            _logger.exception(
                "Integrator call log not written apart; kept in the caller's transaction: %s",
                values.get("operation"),
            )
            return self.sudo().create(values).id
        if not separate and isinstance(self.env.cr, TestCursor):
            self.env.cr.postrollback.add(functools.partial(self._l10n_tr_rewrite, log_id, values))
        return log_id

    def _l10n_tr_insert(self, cr, values):
        """Create the row through ``cr`` with the caller's user and context."""
        if not isinstance(cr, TestCursor):
            cr.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        values = dict(values)
        if values.get("move_id"):
            # an invoice created in the caller's (uncommitted) transaction is not visible here
            cr.execute("SELECT 1 FROM account_move WHERE id = %s", [values["move_id"]])
            if not cr.fetchone():
                values["move_id"] = False
        env = api.Environment(cr, self.env.uid, self.env.context)
        return env[self._name].sudo().create(values).id

    def _l10n_tr_rewrite(self, log_id, values):
        """Test mode: the caller rolled back and the shared transaction lost the row."""
        with self.env.registry.cursor() as cr:
            cr.execute("SELECT 1 FROM l10n_tr_edoc_log WHERE id = %s", [log_id])
            if not cr.fetchone():
                self._l10n_tr_insert(cr, values)

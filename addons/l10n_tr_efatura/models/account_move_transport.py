"""Sending, status tracking, inbox, answers and cancellation of e-documents via integrators.

Exactly once: the GİB number and ETTN are fixed at posting. Every attempt is counted before the
integrator is called; once an attempt was made, the next one first asks the integrator for the
document's status and only sends when the integrator does not know it. A duplicate answer
means "already sent".
"""

import logging
from datetime import timedelta

from markupsafe import escape

from odoo import _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..lib.integrators import (
    DUPLICATE,
    DUPLICATE_ELSEWHERE,
    UNKNOWN,
    DocumentRejected,
    IntegratorError,
    OutcomeUnknown,
    OutgoingDocument,
    ServiceUnavailable,
)
from .res_company_integrator import DEFAULT_BATCH_SIZE

_logger = logging.getLogger(__name__)

IN_FLIGHT_STATES = ("sent", "processing", "accepted", "delivered")
# states from which "Send" goes on: never sent, refused, or no clear answer (asks first)
SENDABLE_STATES = ("to_send", "error", "unknown")
# error codes of failures that say nothing about the document: the crons try again
RETRYABLE_CODES = ("CONNECTION", "WSDL", "LOST", "TIMEOUT", "XML")
MAX_AUTO_ATTEMPTS = 10  # the crons stop retrying an invoice after this many attempts
# bounds of the public methods' arguments
MAX_REASON = 500
MAX_PAGE_SIZE = 100
MAX_PAGES = 100
RESPONSE_DAYS = 8  # a commercial invoice can be answered for 8 days after it arrived
REMINDER_DAYS = 2  # the reminder activity falls due this many days before the deadline
CRON_BATCH = 50
AUTO_SEND_LIMIT = 500  # invoices per auto-send run; a full run triggers the next one


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_tr_edoc_raw_code = fields.Char(string="Integrator Status Code", copy=False, readonly=True)
    l10n_tr_edoc_raw_message = fields.Char(string="Integrator Message", copy=False, readonly=True)
    l10n_tr_edoc_final = fields.Boolean(string="e-Document Status Final", copy=False, readonly=True)
    l10n_tr_edoc_send_attempts = fields.Integer(string="Send Attempts", copy=False, readonly=True)
    l10n_tr_edoc_last_sync = fields.Datetime(string="Last Status Check", copy=False, readonly=True)
    l10n_tr_edoc_integrator = fields.Char(string="Sent Through", copy=False, readonly=True)
    l10n_tr_edoc_response = fields.Selection(
        [("KABUL", "Accepted"), ("RED", "Rejected")],
        string="Commercial Answer",
        copy=False,
        readonly=True,
        help="Answer (KABUL/RED) given to a commercial invoice.",
    )
    l10n_tr_edoc_response_reason = fields.Text(string="Rejection Reason", copy=False, readonly=True)
    # incoming e-invoices (vendor bills)
    l10n_tr_incoming_ettn = fields.Char(
        string="Incoming ETTN", copy=False, readonly=True, index=True
    )
    l10n_tr_incoming_number = fields.Char(string="Supplier GİB Number", copy=False, readonly=True)
    l10n_tr_incoming_profile = fields.Char(string="Incoming Profile", copy=False, readonly=True)
    l10n_tr_incoming_received = fields.Datetime(string="Received On", copy=False, readonly=True)
    l10n_tr_response_deadline = fields.Datetime(string="Answer Deadline", copy=False, readonly=True)
    l10n_tr_can_respond = fields.Boolean(compute="_compute_l10n_tr_can_respond")
    # the one "Send" of an invoice whose e-document still has to reach the integrator
    l10n_tr_edoc_to_transmit = fields.Boolean(
        string="e-Document to Transmit", compute="_compute_l10n_tr_edoc_to_transmit"
    )

    _sql_constraints = [
        (
            "l10n_tr_incoming_ettn_unique",
            "unique(company_id, l10n_tr_incoming_ettn)",
            "This incoming e-invoice (ETTN) has already been imported.",
        ),
    ]

    @api.depends("state", "l10n_tr_edoc_state", "company_id")
    def _compute_l10n_tr_edoc_to_transmit(self):
        has_integrator = {}
        for move in self:
            company = move.company_id
            if company.id not in has_integrator:
                has_integrator[company.id] = bool(company) and company._l10n_tr_has_integrator()
            move.l10n_tr_edoc_to_transmit = bool(
                move.state == "posted"
                and has_integrator[company.id]
                and move.l10n_tr_edoc_state in ("to_send", "error", "unknown")
            )

    @api.depends("l10n_tr_incoming_profile", "l10n_tr_edoc_response", "l10n_tr_response_deadline")
    def _compute_l10n_tr_can_respond(self):
        now = fields.Datetime.now()
        for move in self:
            move.l10n_tr_can_respond = bool(
                move.l10n_tr_incoming_profile == "TICARIFATURA"
                and not move.l10n_tr_edoc_response
                and move.l10n_tr_response_deadline
                and move.l10n_tr_response_deadline >= now
            )

    # ------------------------------------------------------------------ helpers

    def _l10n_tr_is_earchive(self):
        return self.l10n_tr_efatura_profile == "EARSIVFATURA"

    def _l10n_tr_summary(self):
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name or "",
            "gib_number": self.l10n_tr_gib_number or "",
            "ettn": self.l10n_tr_ettn or self.l10n_tr_incoming_ettn or "",
            "state": self.l10n_tr_edoc_state or "",
            "code": self.l10n_tr_edoc_raw_code or "",
            "message": self.l10n_tr_edoc_raw_message or "",
            "response": self.l10n_tr_edoc_response or "",
        }

    def _l10n_tr_set_state(self, state, code="", message="", final=None, values=None):
        """Store a new state + raw code/message (and ``values``, in the same write); the
        chatter shows every change of state."""
        self.ensure_one()
        old = self.l10n_tr_edoc_state
        values = {
            **(values or {}),
            "l10n_tr_edoc_state": state,
            "l10n_tr_edoc_raw_code": code or "",
            "l10n_tr_edoc_raw_message": (message or "")[:1000],
        }
        if final is not None:
            values["l10n_tr_edoc_final"] = final
        self.write(values)
        if old != state:
            labels = dict(self._fields["l10n_tr_edoc_state"]._description_selection(self.env))
            body = _(
                "e-Document state: %(old)s → %(new)s",
                old=labels.get(old, old or "-"),
                new=labels.get(state, state),
            )
            if code or message:
                body += f" ({code} {message})".rstrip()
            self._l10n_tr_log(body)

    def _l10n_tr_log(self, body):
        """A chatter note of what the integrator did, logged even when the user has no
        e-mail address (``message_post`` refuses then, undoing the recorded outcome)."""
        self.ensure_one()
        return self._message_log(body=escape(body))

    def _l10n_tr_apply_status(self, status, values=None):
        values = dict(values or {}, l10n_tr_edoc_last_sync=fields.Datetime.now())
        if status.response and status.response != self.l10n_tr_edoc_response:
            values["l10n_tr_edoc_response"] = status.response
        self._l10n_tr_set_state(
            status.state, status.raw_code, status.raw_message, final=status.final, values=values
        )

    def _l10n_tr_receiver_alias(self, provider):
        partner = self.commercial_partner_id
        if not partner.l10n_tr_efatura_alias:
            partner._l10n_tr_apply_user_info(provider.check_user(partner._l10n_tr_tax_id()))
        if not partner.l10n_tr_efatura_alias:
            raise DocumentRejected(
                _(
                    "%s is not a registered e-Fatura user: send it as e-Arşiv.",
                    partner.display_name,
                ),
                "NO_ALIAS",
            )
        return partner.l10n_tr_efatura_alias

    def _l10n_tr_internet_sale_values(self):
        if not self.l10n_tr_is_internet_sale:
            return None
        return {
            "website": self.l10n_tr_sale_website or "",
            "payment_method": self.l10n_tr_payment_method or "",
            "payment_agent": self.l10n_tr_payment_agent or "",
            "payment_date": self.l10n_tr_payment_date or "",
            "carrier_vat": self.l10n_tr_carrier_vat or "",
            "carrier_name": self.l10n_tr_carrier_name or "",
            "shipment_date": self.l10n_tr_shipment_date or "",
        }

    def _l10n_tr_check_integrator_use(self):
        """The caller may write these moves and use their companies' integrator."""
        self.company_id._l10n_tr_check_integrator_use(self)

    def _l10n_tr_edocument_xml(self):
        """The UBL bytes to send: the stored document, built once (the same bytes on retry)."""
        if not self.l10n_tr_edoc_xml_id:
            result = self.l10n_tr_build_edocument()
            if not result["valid"]:
                raise DocumentRejected(
                    "\n".join(result["messages"]) or _("Invalid document"), "INVALID"
                )
        return self.l10n_tr_edoc_xml_id.raw

    # ------------------------------------------------------------------ sending

    def _l10n_tr_can_send(self):
        return self.state == "posted" and self.l10n_tr_edoc_state in SENDABLE_STATES

    def _l10n_tr_outgoing_document(self, provider):
        """What the integrator gets: the stored UBL (same bytes on retry), fixed ETTN/number."""
        self.ensure_one()
        xml = self._l10n_tr_edocument_xml()
        values = {"ettn": self.l10n_tr_ettn, "gib_number": self.l10n_tr_gib_number, "xml": xml}
        if self._l10n_tr_is_earchive():
            return OutgoingDocument(
                **values,
                earchive=True,
                internet_sale=self._l10n_tr_internet_sale_values(),
                # no e-mail address for the integrator: Odoo e-mails the PDF itself
                # (_l10n_tr_emails_pdf), the buyer would get it twice
                delivery=self.company_id.l10n_tr_earchive_delivery,
            )
        if self.l10n_tr_efatura_profile == "IHRACAT":
            # GİB's customs mailbox receives export invoices; the foreign buyer has none
            return OutgoingDocument(**values, export=True)
        return OutgoingDocument(
            **values,
            receiver_vat=self.commercial_partner_id._l10n_tr_tax_id(),
            receiver_alias=self._l10n_tr_receiver_alias(provider),
        )

    def _l10n_tr_prepare_send(self, provider):
        """-> the document to send, or None: the integrator already holds it (an earlier
        attempt got no clear answer: ask first), or it cannot be sent (error on the move)."""
        self.ensure_one()
        with provider.log_context(move_ids=self.ids, documents=[self.l10n_tr_gib_number]):
            try:
                if self.l10n_tr_edoc_send_attempts and self._l10n_tr_resolve_by_status(provider):
                    return None
                return self._l10n_tr_outgoing_document(provider)
            except (OutcomeUnknown, ServiceUnavailable) as exc:
                if self.l10n_tr_edoc_state != "unknown":
                    self._l10n_tr_set_error(exc)
                    return None
                # the integrator may hold it and cannot be asked now: nothing is sent
                self._l10n_tr_set_unknown(exc.code, exc.message)
                return None
            except (IntegratorError, UserError) as exc:
                self._l10n_tr_set_error(exc)
                return None

    def _l10n_tr_set_error(self, exc):
        code = getattr(exc, "code", "") or "ERROR"
        message = exc.message if isinstance(exc, IntegratorError) else exc.args[0]
        self._l10n_tr_set_state("error", code, message)

    def _l10n_tr_send_in_batches(self, batch_size=None, commit=False):
        """Send these posted invoices, per company in as few integrator requests as it allows
        (``batch_size`` documents at most, default: the company setting).

        Yields the moves handled by each step: first those settled without a request (found
        at the integrator, or in error), then each request's moves. ``commit``: the attempt
        counters are committed before each request (crons)."""
        for company, moves in (
            self.filtered(lambda m: m._l10n_tr_can_send()).grouped("company_id").items()
        ):
            try:
                provider = company._l10n_tr_provider()
            except UserError as exc:
                for move in moves:
                    move._l10n_tr_set_error(exc)
                yield moves
                continue
            prepared = {}
            for move in moves:
                document = move._l10n_tr_prepare_send(provider)
                if document:
                    prepared[document.ettn] = (move, document)
            settled = moves - self.browse([move.id for move, _doc in prepared.values()])
            if settled:
                yield settled
            size = batch_size or company.l10n_tr_edoc_batch_size or DEFAULT_BATCH_SIZE
            documents = [document for _move, document in prepared.values()]
            for chunk in provider.split_batches(documents, size):
                batch = self.browse([prepared[document.ettn][0].id for document in chunk])
                batch._l10n_tr_transmit(provider, chunk, commit=commit)
                yield batch

    def _l10n_tr_transmit(self, provider, documents, commit=False):
        """One integrator request for these moves (``documents`` in the same order)."""
        for attempts, moves in self.grouped("l10n_tr_edoc_send_attempts").items():
            moves.l10n_tr_edoc_send_attempts = attempts + 1
        self.flush_recordset()  # the attempt is recorded even if the answer never comes
        if commit:
            self.env.cr.commit()
        with provider.log_context(
            move_ids=self.ids, documents=[document.gib_number for document in documents]
        ):
            results = provider.send_documents(documents, batch_size=len(documents))
        moves = {move.l10n_tr_ettn: move for move in self}
        for result in results:
            moves[result.ettn]._l10n_tr_apply_send_result(provider, result)

    def _l10n_tr_apply_send_result(self, provider, result):
        """Store one document's outcome: sent (maybe found by a status query) or error."""
        self.ensure_one()
        if result.outcome == UNKNOWN:
            self._l10n_tr_set_unknown(result.raw_code, result.raw_message)
            return
        if result.raw_code == DUPLICATE_ELSEWHERE:
            self._l10n_tr_set_state(
                "error",
                result.raw_code,
                _(
                    "%(integrator)s answered that GİB number %(number)s was already sent, but it "
                    "does not hold this invoice (ETTN %(ettn)s): the number belongs to another "
                    "document there. Nothing was sent; check the e-document series.",
                    integrator=provider.name,
                    number=self.l10n_tr_gib_number,
                    ettn=self.l10n_tr_ettn,
                ),
            )
            return
        if not result.ok:
            self._l10n_tr_set_state("error", result.raw_code or "ERROR", result.raw_message)
            return
        # one write of the move: each write of an invoice costs Odoo's whole move check
        sent = {"l10n_tr_edoc_integrator": provider.name, "is_move_sent": True}
        if result.status:
            self._l10n_tr_log(
                _(
                    "%s already holds this document: status taken over, nothing sent again.",
                    provider.name,
                )
            )
            self._l10n_tr_apply_status(result.status, values=sent)
            return
        note = _("Sent to %s.", provider.name)
        code, message = result.raw_code, result.raw_message
        if result.outcome == DUPLICATE:
            note = _(
                "%s already had this document (ETTN %s): counted as sent, not sent again.",
                provider.name,
                self.l10n_tr_ettn,
            )
            # the "duplicate" code was the answer to the resend, not the document's state
            code, message = "", ""
        self._l10n_tr_set_state("sent", code, message or note, values=sent)
        if message:  # else the state change's note already says it
            self._l10n_tr_log(note)

    def _l10n_tr_set_unknown(self, code, message):
        """No clear answer and the integrator could not be asked: the document may be
        there. The status poll (or the next Send, which asks first) resolves it."""
        self._l10n_tr_set_state(
            "unknown",
            code,
            _("%s The status poll asks the integrator; nothing is ever sent twice.", message),
        )

    def _l10n_tr_resolve_by_status(self, provider):
        """After an attempt without a clear answer: True when the integrator has the document."""
        try:
            status = provider.get_status(self.l10n_tr_ettn, earchive=self._l10n_tr_is_earchive())
        except (ServiceUnavailable, OutcomeUnknown):
            raise
        except IntegratorError as exc:
            _logger.info("Status of %s unknown before sending: %s", self.name, exc)
            return False
        if not status.found:
            return False
        self.l10n_tr_edoc_integrator = provider.name
        self.is_move_sent = True
        self._l10n_tr_log(
            _(
                "%s already holds this document: status taken over, nothing sent again.",
                provider.name,
            )
        )
        self._l10n_tr_apply_status(status)
        return True

    def _l10n_tr_report_delivery_failure(self, error):
        """The e-document left, its PDF or e-mail did not: say so where the user looks."""
        self.ensure_one()
        message = _(
            "The e-document %(number)s was sent, but its PDF could not be prepared or "
            "e-mailed: %(error)s",
            number=self.l10n_tr_gib_number,
            error=error,
        )
        self._l10n_tr_log(message)
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("Send the invoice PDF"),
            note=message,
            user_id=self.invoice_user_id.id or self.env.uid,
        )

    def _l10n_tr_emails_pdf(self):
        """e-Arşiv with electronic delivery (always for internet sales) to a buyer e-mail."""
        self.ensure_one()
        return bool(
            self._l10n_tr_is_earchive()
            and self.partner_id.email
            and (
                self.company_id.l10n_tr_earchive_delivery == "electronic"
                or self.l10n_tr_is_internet_sale
            )
        )

    def l10n_tr_send(self):
        """XML-RPC: send posted Turkish invoices (to_send / error) to the integrator.

        Several invoices travel in as few requests as the integrator allows; e-Arşiv
        invoices with electronic delivery are then e-mailed (PDF) to the buyer.
        Returns ``[{id, name, gib_number, ettn, state, code, message, response}]``."""
        arguments.check_self(self)
        moves = self.filtered(lambda m: m._l10n_tr_needs_edocument())
        if not moves:
            raise UserError(_("None of the selected documents is a Turkish e-document."))
        moves._l10n_tr_check_integrator_use()
        sender = self.env["account.move.send"]
        for batch in moves._l10n_tr_send_in_batches():
            sender._l10n_tr_after_send(batch, pdf=False)
        return [move._l10n_tr_summary() for move in moves]

    def action_l10n_tr_send(self):
        # a notification, not a UserError: raising would roll back the recorded attempt
        self.l10n_tr_send()
        errors = self.filtered(lambda m: m.l10n_tr_edoc_state in ("error", "unknown"))
        if not errors:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger",
                "sticky": True,
                "message": _(
                    "The e-document could not be sent: %s",
                    "; ".join(errors.mapped("l10n_tr_edoc_raw_message")),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_l10n_tr_auto_send(self, batch_size=None, limit=AUTO_SEND_LIMIT):
        """Send posted invoices of auto-sending companies, per company, integrator and kind
        in requests of the company's batch size; each request is committed on its own."""
        companies = self.env["res.company"].search([("l10n_tr_edoc_auto_send", "=", True)])
        domain = [
            ("company_id", "in", companies.ids),
            ("state", "=", "posted"),
            ("l10n_tr_edoc_state", "=", "to_send"),
            ("move_type", "in", ("out_invoice", "out_refund")),
        ]
        moves = self.search(domain, limit=limit, order="id")
        if len(moves) < limit:
            moves |= self.search(self._l10n_tr_retry_domain(), limit=limit - len(moves), order="id")
        sender = self.env["account.move.send"]
        can_commit = sender._can_commit()
        done = 0
        for batch in moves._l10n_tr_send_in_batches(batch_size=batch_size, commit=can_commit):
            sender._l10n_tr_after_send(batch)
            done += len(batch)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(moves) - done)
            if can_commit:
                self.env.cr.commit()
        if len(moves) == limit:
            self.env.ref("l10n_tr_efatura.ir_cron_l10n_tr_edoc_auto_send")._trigger()

    @api.model
    def _l10n_tr_retry_domain(self):
        """Invoices a user or a cron already sent whose last attempt got no clear answer
        (outcome unknown) or failed for a reason that says nothing about the document (no
        connection, a gateway page): retried by the auto-send cron, in every company with
        an integrator, up to MAX_AUTO_ATTEMPTS attempts (each one asks the status first)."""
        companies = self.env["res.company"].search([("l10n_tr_integrator", "!=", False)])
        return [
            ("company_id", "in", companies.ids),
            ("state", "=", "posted"),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("l10n_tr_edoc_send_attempts", ">", 0),
            ("l10n_tr_edoc_send_attempts", "<", MAX_AUTO_ATTEMPTS),
            "|",
            ("l10n_tr_edoc_state", "=", "unknown"),
            "&",
            ("l10n_tr_edoc_state", "=", "error"),
            "|",
            ("l10n_tr_edoc_raw_code", "in", RETRYABLE_CODES),
            ("l10n_tr_edoc_raw_code", "=like", "HTTP5%"),
        ]

    # ------------------------------------------------------------------ status

    def l10n_tr_refresh_status(self):
        """XML-RPC: ask the integrator for the GİB status of sent documents. -> summaries"""
        arguments.check_self(self)
        self._l10n_tr_check_integrator_use()
        result = []
        for move in self:
            if (
                move.l10n_tr_edoc_state in IN_FLIGHT_STATES + ("cancelled", "unknown")
                and move.l10n_tr_ettn
                and move.move_type in ("out_invoice", "out_refund")
            ):
                move._l10n_tr_refresh_one()
            result.append(move._l10n_tr_summary())
        return result

    def _l10n_tr_refresh_one(self, provider=None):
        try:
            provider = provider or self.company_id._l10n_tr_provider(self)
            status = provider.get_status(self.l10n_tr_ettn, earchive=self._l10n_tr_is_earchive())
        except IntegratorError as exc:
            _logger.info("Status of %s not refreshed: %s", self.name, exc)
            self.l10n_tr_edoc_last_sync = fields.Datetime.now()
            return False
        if status.found:
            was_unknown = self.l10n_tr_edoc_state == "unknown"
            if was_unknown:
                self.l10n_tr_edoc_integrator = provider.name
                self.is_move_sent = True
            self._l10n_tr_apply_status(status)
            if was_unknown:
                # it did leave: what follows a send (the e-Arşiv PDF to the buyer) now
                self.env["account.move.send"]._l10n_tr_after_send(self, pdf=False)
        return True

    @api.model
    def _cron_l10n_tr_refresh_status(self, batch_size=CRON_BATCH):
        domain = [
            ("l10n_tr_edoc_state", "in", IN_FLIGHT_STATES + ("unknown",)),
            ("l10n_tr_edoc_final", "=", False),
            ("l10n_tr_ettn", "!=", False),
            ("move_type", "in", ("out_invoice", "out_refund")),
        ]
        moves = self.search(
            domain, order="l10n_tr_edoc_last_sync asc nulls first, id", limit=batch_size
        )
        for done, move in enumerate(moves, 1):
            if move.company_id._l10n_tr_has_integrator():
                move._l10n_tr_refresh_one()
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(moves) - done)
            if self.env["account.move.send"]._can_commit():
                self.env.cr.commit()

    # ------------------------------------------------------------------ cancellation

    def l10n_tr_cancel_edocument(self, reason=""):
        """XML-RPC: cancel an e-Arşiv invoice through the integrator and cancel the move.

        e-Fatura cannot be cancelled through an integrator: a UserError explains what to do."""
        reason = arguments.check_text(
            self.env, reason, _("Cancellation reason"), max_length=MAX_REASON
        )
        arguments.check_one(self)
        if not self._l10n_tr_is_earchive():
            raise UserError(self._l10n_tr_efatura_cancel_instructions())
        if self.l10n_tr_edoc_state in ("to_send", "cancelled") or not self.l10n_tr_ettn:
            raise UserError(
                _(
                    "Only an e-Arşiv invoice sent to the integrator can be cancelled "
                    "there; reset an unsent invoice to draft instead."
                )
            )
        self._l10n_tr_check_integrator_use()
        provider = self.company_id._l10n_tr_provider(self)
        try:
            provider.cancel_earchive(
                self.l10n_tr_ettn,
                self.l10n_tr_gib_number,
                reason=reason or _("Cancelled"),
                amount=self.amount_total,
                cancel_date=fields.Date.context_today(self),
            )
        except IntegratorError as exc:
            raise UserError(_("The integrator refused the cancellation: %s", exc)) from exc
        self._l10n_tr_set_state("cancelled", "CANCELLED", reason or "", final=True)
        self._l10n_tr_cancel_accounting()
        return self._l10n_tr_summary()

    def _l10n_tr_cancel_accounting(self):
        # button_draft refuses moves whose e-document left Odoo; the integrator has just
        # cancelled it, so the move may follow: reset and cancel with the state lifted.
        self.write({"l10n_tr_edoc_state": False})
        self.button_draft()
        self.button_cancel()
        self.write({"l10n_tr_edoc_state": "cancelled"})

    def _l10n_tr_efatura_cancel_instructions(self):
        if self.l10n_tr_efatura_profile == "TICARIFATURA":
            return _(
                "A commercial e-Fatura (TICARIFATURA) cannot be cancelled by the seller: "
                "ask the buyer to reject it (RED) within 8 days of receipt, or issue a "
                "return (IADE) invoice afterwards."
            )
        return _(
            "An e-Fatura cannot be cancelled through the integrator. Both parties must "
            "record the cancellation on GİB's e-Fatura İptal/İtiraz portal "
            "(ebelge.gib.gov.tr), or the buyer issues a return (IADE) invoice; then "
            "issue a credit note in Odoo."
        )

    def action_l10n_tr_cancel_edocument(self):
        self.ensure_one()
        if not self._l10n_tr_is_earchive():
            raise UserError(self._l10n_tr_efatura_cancel_instructions())
        return self.l10n_tr_cancel_edocument()

    # ------------------------------------------------------------------ incoming

    @api.model
    def l10n_tr_fetch_inbox(self, company_id=False, page_size=50, max_pages=20):
        """XML-RPC: import incoming e-invoices as draft vendor bills, page by page.

        Each document is booked on its own: one that cannot be imported, or that must be
        looked at first, becomes an incoming e-document (error / to review) with its reason
        and XML. A document is marked fetched at the integrator once it is booked or recorded.
        Returns ``{"created": [move ids], "skipped": n, "recorded": [incoming document ids],
        "pages": n}``."""
        page_size = arguments.check_int(self.env, page_size, _("Page size"), 1, MAX_PAGE_SIZE)
        max_pages = arguments.check_int(self.env, max_pages, _("Maximum pages"), 1, MAX_PAGES)
        company = (
            arguments.check_record(self.env, "res.company", company_id, _("Company"))
            if company_id
            else self.env.company
        )
        company._l10n_tr_check_integrator_use(self.browse(), operation="create")
        provider = company._l10n_tr_provider()
        Incoming = self.env["l10n_tr.incoming.document"]
        created, recorded, skipped, pages = [], [], 0, 0
        for _page in range(max_pages):
            try:
                page = provider.fetch_inbox(limit=page_size)
            except IntegratorError as exc:
                raise UserError(_("Fetching incoming e-invoices failed: %s", exc)) from exc
            pages += 1
            for document in page.documents:
                outcome, record = Incoming._l10n_tr_receive(company, provider, document)
                if outcome == "created":
                    created.append(record.id)
                elif outcome == "recorded":
                    recorded.append(record.id)
                else:
                    skipped += 1
            self.env.flush_all()  # booked or recorded for good before the integrator hears
            try:
                provider.mark_fetched(page.documents)
            except IntegratorError as exc:
                # nothing of this page is kept: the next run fetches it again
                raise UserError(_("Fetching incoming e-invoices failed: %s", exc)) from exc
            if self.env["account.move.send"]._can_commit():
                self.env.cr.commit()
            if not page.has_more or not page.documents:
                break
        return {"created": created, "skipped": skipped, "recorded": recorded, "pages": pages}

    @api.model
    def action_l10n_tr_fetch_inbox(self):
        """*Fetch now* on the incoming e-invoice lists: the current company's inbox, with
        the counts of what came in."""
        result = self.l10n_tr_fetch_inbox()
        message = _(
            "%(bills)s vendor bills created, %(held)s documents kept for review, "
            "%(skipped)s already known.",
            bills=len(result["created"]),
            held=len(result["recorded"]),
            skipped=result["skipped"],
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("Fetch now"),
                "message": message,
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_l10n_tr_fetch_inbox(self):
        """Every company's inbox on its own: one company's failure stops no other."""
        companies = self.env["res.company"].search([("l10n_tr_integrator", "!=", False)])
        can_commit = self.env["account.move.send"]._can_commit()
        for done, company in enumerate(companies, 1):
            if company._l10n_tr_has_integrator():
                try:
                    if can_commit:  # the fetch commits page by page itself
                        self.with_company(company).l10n_tr_fetch_inbox(company.id)
                    else:
                        with self.env.cr.savepoint():
                            self.with_company(company).l10n_tr_fetch_inbox(company.id)
                except Exception:  # noqa: BLE001 - logged, the next company is fetched
                    if can_commit:
                        self.env.cr.rollback()
                    _logger.exception("Inbox of %s not fetched", company.name)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(companies) - done)
            if can_commit:
                self.env.cr.commit()

    def _l10n_tr_import_incoming(self, company, provider, document, data):
        """One parsed incoming document (``data``: :func:`lib.parser.parse_invoice`) -> a draft
        vendor bill. ``provider``: the integrator to take the PDF from, or None."""
        partner = self._l10n_tr_incoming_partner(company, data["supplier"], document)
        move_type = "in_refund" if data["type"] in ("IADE", "TEVKIFATIADE") else "in_invoice"
        received = _parse_datetime(document.received_at) or fields.Datetime.now()
        bill = self.with_company(company).create(
            {
                "move_type": move_type,
                "company_id": company.id,
                "partner_id": partner.id,
                "ref": data["id"],
                "invoice_date": data["issue_date"],
                "l10n_tr_incoming_ettn": document.ettn,
                "l10n_tr_incoming_number": data["id"],
                "l10n_tr_incoming_profile": data["profile"],
                "l10n_tr_incoming_received": received,
                "l10n_tr_response_deadline": received + timedelta(days=RESPONSE_DAYS)
                if data["profile"] == "TICARIFATURA"
                else False,
                "invoice_line_ids": [
                    fields.Command.create(vals)
                    for vals in self._l10n_tr_incoming_lines(company, data)
                ],
            }
        )
        self._l10n_tr_attach_incoming(bill, provider, document)
        if data["profile"] == "TICARIFATURA":
            bill._l10n_tr_schedule_answer_reminder()
        bill._l10n_tr_log(
            _(
                "Imported from %(integrator)s: e-invoice %(number)s (%(profile)s, ETTN %(ettn)s).",
                integrator=provider.name if provider else "-",
                number=data["id"],
                profile=data["profile"],
                ettn=document.ettn,
            )
        )
        return bill

    def _l10n_tr_incoming_partner(self, company, supplier, document):
        vat = supplier.get("vat") or document.sender_vat
        Partner = self.env["res.partner"].with_context(active_test=False)
        partner = Partner.search(
            [("vat", "in", (vat, f"TR{vat}")), ("company_id", "in", (False, company.id))], limit=1
        )
        if partner:
            return partner
        name = (
            supplier.get("name")
            or " ".join(filter(None, (supplier.get("first_name"), supplier.get("family_name"))))
            or document.sender_name
            or vat
        )
        return Partner.create(
            {
                "name": name,
                "vat": vat,
                "is_company": len(vat or "") == 10,
                "l10n_tr_tax_office": supplier.get("tax_office") or False,
                "street": supplier.get("street") or False,
                "city": supplier.get("city") or False,
                "l10n_tr_district": supplier.get("district") or False,
                "country_id": self.env.ref("base.tr").id,
                "email": supplier.get("email") or False,
            }
        )

    def _l10n_tr_incoming_lines(self, company, data):
        lines = []
        for line in data["lines"]:
            taxes = self.env["account.tax"]
            for tax in line["taxes"]:
                if tax.get("percent") is None:
                    continue
                taxes |= self._l10n_tr_purchase_tax(company, tax["percent"])
            lines.append(
                {
                    "name": line["name"] or line.get("description") or "/",
                    "quantity": float(line["quantity"] or 1),
                    "price_unit": float(line["price_unit"] or 0),
                    "discount": float(line.get("discount_percent") or 0),
                    "tax_ids": [fields.Command.set(taxes.ids)],
                }
            )
        return lines

    def _l10n_tr_purchase_tax(self, company, percent):
        taxes = self.env["account.tax"].search(
            [
                *self.env["account.tax"]._check_company_domain(company),
                ("type_tax_use", "=", "purchase"),
                ("amount_type", "=", "percent"),
                ("price_include", "=", False),
            ]
        )
        return taxes.filtered(
            lambda t: float_compare(t.amount, float(percent), precision_digits=2) == 0
        )[:1]

    def _l10n_tr_attach_incoming(self, bill, provider, document):
        name = document.gib_number or document.ettn
        attachments = self.env["ir.attachment"].create(
            {
                "name": f"{name}.xml",
                "raw": document.xml,
                "mimetype": "application/xml",
                "res_model": "account.move",
                "res_id": bill.id,
            }
        )
        try:
            pdf = provider.get_pdf(document.ettn, direction="IN") if provider else b""
        except IntegratorError as exc:
            pdf = b""
            bill._l10n_tr_log(_("The integrator's PDF could not be fetched: %s", exc))
        if pdf:
            attachments |= self.env["ir.attachment"].create(
                {
                    "name": f"{name}.pdf",
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": "account.move",
                    "res_id": bill.id,
                }
            )
        bill.message_main_attachment_id = attachments[-1]

    def _l10n_tr_schedule_answer_reminder(self):
        deadline = fields.Datetime.context_timestamp(self, self.l10n_tr_response_deadline).date()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=max(
                deadline - timedelta(days=REMINDER_DAYS), fields.Date.context_today(self)
            ),
            summary=_("Accept or reject e-invoice %s", self.l10n_tr_incoming_number),
            note=_(
                "A commercial invoice (TICARIFATURA) can be accepted or rejected until %s; "
                "after that it counts as accepted.",
                deadline,
            ),
            user_id=self._l10n_tr_incoming_responsible().id,
        )

    def _l10n_tr_incoming_responsible(self):
        """Who answers incoming commercial e-invoices: the company's responsible (a setting),
        else the bill's user, else an administrator (never OdooBot)."""
        user = self.company_id.l10n_tr_incoming_user_id or self.invoice_user_id or self.env.user
        if user._is_superuser():
            user = self.env.ref("base.user_admin", raise_if_not_found=False) or user
        return user

    # ------------------------------------------------------------------ answers

    def l10n_tr_accept(self):
        """XML-RPC: accept (KABUL) incoming commercial invoices. -> summaries"""
        arguments.check_self(self)
        self._l10n_tr_check_integrator_use()
        return [move._l10n_tr_respond(True, "") for move in self]

    def l10n_tr_reject(self, reason):
        """XML-RPC: reject (RED) incoming commercial invoices with a reason. -> summaries"""
        arguments.check_self(self)
        arguments.check_text(self.env, reason, _("Rejection reason"), max_length=MAX_REASON)
        if not (reason or "").strip():
            raise UserError(_("Give the reason of the rejection."))
        self._l10n_tr_check_integrator_use()
        return [move._l10n_tr_respond(False, reason.strip()) for move in self]

    def _l10n_tr_respond(self, accept, reason):
        self.ensure_one()
        if self.l10n_tr_incoming_profile != "TICARIFATURA":
            raise UserError(
                _(
                    "Only commercial invoices (TICARIFATURA) can be accepted or "
                    "rejected; a basic invoice (TEMELFATURA) is contested on GİB's "
                    "portal or answered with a return invoice."
                )
            )
        if self.l10n_tr_edoc_response:
            raise UserError(
                _("This invoice was already answered (%s).", self.l10n_tr_edoc_response)
            )
        if not self.l10n_tr_can_respond:
            raise UserError(
                _("The 8-day answer period ended on %s.", self.l10n_tr_response_deadline)
            )
        provider = self.company_id._l10n_tr_provider(self)
        try:
            provider.respond(
                self.l10n_tr_incoming_ettn,
                accept,
                reason=reason,
                gib_number=self.l10n_tr_incoming_number,
            )
        except IntegratorError as exc:
            raise UserError(_("The integrator refused the answer: %s", exc)) from exc
        self.write(
            {
                "l10n_tr_edoc_response": "KABUL" if accept else "RED",
                "l10n_tr_edoc_response_reason": reason or False,
            }
        )
        self._l10n_tr_log(
            _("e-Invoice accepted (KABUL).")
            if accept
            else _("e-Invoice rejected (RED): %s", reason)
        )
        self.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        ).action_feedback(feedback=_("Answered: %s", self.l10n_tr_edoc_response))
        return self._l10n_tr_summary()

    def action_l10n_tr_accept(self):
        self.l10n_tr_accept()
        return True

    def action_l10n_tr_reject(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Reject e-Invoice"),
            "res_model": "l10n_tr.edoc.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }


def _parse_datetime(value):
    if not value:
        return None
    try:
        parsed = fields.Datetime.to_datetime(value.replace("T", " ")[:19])
    except ValueError:
        return None
    return parsed

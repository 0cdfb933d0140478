"""Incoming e-documents that did not become a vendor bill: refused ones (error) and those
an accountant must look at first (review). Each keeps its raw XML and reason; it can be
imported again or dismissed."""

import base64
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import identity
from ..lib import parser as ubl_parser
from ..lib.integrators import IncomingDocument
from .account_move_transport import _parse_datetime

_logger = logging.getLogger(__name__)

STATES = [
    ("error", "Error"),
    ("review", "To Review"),
    ("imported", "Imported"),
    ("dismissed", "Dismissed"),
]


class L10nTrIncomingDocument(models.Model):
    _name = "l10n_tr.incoming.document"
    _description = "Incoming e-Document"
    _inherit = ["mail.thread"]
    _order = "received_date desc, id desc"
    _rec_name = "name"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    ettn = fields.Char(string="ETTN", required=True, readonly=True, index=True)
    gib_number = fields.Char(string="GİB Number", readonly=True)
    sender_vat = fields.Char(
        string="Sender VKN/TCKN", readonly=True, help="The sender as the integrator reports it."
    )
    sender_name = fields.Char(string="Sender", readonly=True)
    supplier_vat = fields.Char(string="Supplier VKN/TCKN in the Document", readonly=True)
    received_date = fields.Datetime(string="Received On", readonly=True)
    raw_xml = fields.Binary(string="Raw XML", attachment=True, readonly=True)
    raw_xml_filename = fields.Char(compute="_compute_raw_xml_filename")
    state = fields.Selection(STATES, required=True, default="error", readonly=True, tracking=True)
    reason = fields.Text(readonly=True, tracking=True)
    move_id = fields.Many2one(
        "account.move", string="Vendor Bill", readonly=True, index="btree_not_null"
    )

    _sql_constraints = [
        (
            "ettn_company_unique",
            "unique(company_id, ettn)",
            "This incoming e-document (ETTN) is already recorded.",
        ),
    ]

    @api.depends("gib_number", "ettn")
    def _compute_name(self):
        for document in self:
            document.name = document.gib_number or document.ettn

    def _compute_raw_xml_filename(self):
        for document in self:
            document.raw_xml_filename = f"{document.name or 'document'}.xml"

    # ------------------------------------------------------------------ receiving

    @api.model
    def _l10n_tr_receive(self, company, provider, document):
        """One document of the integrator's inbox -> ("created", bill) | ("skipped", None)
        | ("recorded", incoming document). Booked in its own savepoint: a document that
        cannot be imported is recorded with its reason instead, and stops nothing else."""
        Move = self.env["account.move"]
        if self._l10n_tr_known(company, document.ettn):
            return "skipped", None
        try:
            with self.env.cr.savepoint():
                data = ubl_parser.parse_invoice(document.xml)
                review = self._l10n_tr_review_reason(company, data, document)
                if review:
                    return "recorded", self._l10n_tr_record(
                        company, document, "review", review, data
                    )
                return "created", Move._l10n_tr_import_incoming(company, provider, document, data)
        except Exception as exc:  # noqa: BLE001 - one bad document never blocks the others
            _logger.warning(
                "Incoming e-document %s of %s not imported: %s", document.ettn, company.name, exc
            )
            return "recorded", self._l10n_tr_record(
                company, document, "error", self._l10n_tr_error_message(exc)
            )

    @api.model
    def _l10n_tr_known(self, company, ettn):
        """Already booked as a bill or recorded here (any state)."""
        return bool(
            self.env["account.move"]
            .with_context(active_test=False)
            .search_count([("company_id", "=", company.id), ("l10n_tr_incoming_ettn", "=", ettn)])
            or self.search_count([("company_id", "=", company.id), ("ettn", "=", ettn)])
        )

    @api.model
    def _l10n_tr_review_reason(self, company, data, document):
        """Why a readable document must not be booked without a look, or None."""
        supplier = identity.normalize_tax_id(data["supplier"]["vat"])
        sender = identity.normalize_tax_id(document.sender_vat)
        own = identity.normalize_tax_id(company.vat)
        if own and supplier == own:
            return _(
                "The supplier's VKN/TCKN in the document (%s) is our own company's: "
                "not booked as a vendor bill.",
                supplier,
            )
        if sender and supplier != sender:
            return _(
                "The supplier's VKN/TCKN in the document (%(supplier)s) differs from the "
                "sender reported by the integrator (%(sender)s).",
                supplier=supplier,
                sender=sender,
            )
        return None

    @api.model
    def _l10n_tr_record(self, company, document, state, reason, data=None):
        """Keep a document that was not booked. Whoever may fetch the inbox (create vendor
        bills) leaves this trace, even without rights on incoming documents: written as
        superuser, returned in the caller's environment."""
        record = self.sudo()._l10n_tr_record_as_superuser(company, document, state, reason, data)
        return record.with_env(self.env)

    @api.model
    def _l10n_tr_record_as_superuser(self, company, document, state, reason, data=None):
        values = {
            "state": state,
            "reason": reason,
            "gib_number": document.gib_number or False,
            "sender_vat": document.sender_vat or False,
            "sender_name": document.sender_name or False,
            "supplier_vat": (data or {}).get("supplier", {}).get("vat") or False,
            "received_date": _received(document),
            "raw_xml": base64.b64encode(document.xml) if document.xml else False,
        }
        existing = self.search([("company_id", "=", company.id), ("ettn", "=", document.ettn)])
        if existing:
            existing.write(values)
            return existing
        return self.create(dict(values, company_id=company.id, ettn=document.ettn))

    @api.model
    def _l10n_tr_error_message(self, exc):
        if isinstance(exc, ubl_parser.InvoiceParseError):
            return self._l10n_tr_parse_error_message(exc)
        if isinstance(exc, UserError):
            return exc.args[0]
        return _(
            "The document could not be imported (%(error)s: %(detail)s).",
            error=type(exc).__name__,
            detail=str(exc)[:500],
        )

    @api.model
    def _l10n_tr_parse_error_message(self, exc):
        """The translated text of a parser refusal (``InvoiceParseError.code``)."""
        params, env = exc.params, self.env
        messages = {
            "too_large": lambda: env._(
                "The document is too large (%(size)s bytes, at most %(limit)s).", **params
            ),
            "dtd": lambda: env._("The document carries a DTD (<!DOCTYPE>): refused."),
            "entity": lambda: env._("The document carries XML entities: refused."),
            "not_xml": lambda: env._(
                "The document is not well-formed XML (%s).", params.get("detail")
            ),
            "too_deep": lambda: env._(
                "The document is nested deeper than %s levels.", params.get("limit")
            ),
            "wrong_root": lambda: env._(
                "The document is not a UBL invoice (root element %s).", params.get("root")
            ),
            "wrong_namespace": lambda: env._(
                "The document is not a UBL invoice (namespace %s).", params.get("namespace") or "-"
            ),
            "missing": lambda: env._("The mandatory element %s is missing.", params.get("element")),
            "bad_date": lambda: env._("%(element)s is not a valid date: %(value)s", **params),
            "bad_number": lambda: env._("%(element)s is not a decimal number: %(value)s", **params),
            "too_big": lambda: env._(
                "%(element)s is out of range: %(value)s (at most %(limit)s)", **params
            ),
            "negative": lambda: env._("%(element)s must not be negative: %(value)s", **params),
            "too_many_lines": lambda: env._(
                "The document has %(count)s lines, at most %(limit)s.", **params
            ),
        }
        message = messages.get(exc.code)
        return message() if message else str(exc)

    # ------------------------------------------------------------------ actions

    def _l10n_tr_as_incoming(self):
        self.ensure_one()
        return IncomingDocument(
            ettn=self.ettn,
            gib_number=self.gib_number or "",
            sender_vat=self.sender_vat or "",
            sender_name=self.sender_name or "",
            profile="",
            type_code="",
            issue_date="",
            received_at=fields.Datetime.to_string(self.received_date) if self.received_date else "",
            xml=base64.b64decode(self.raw_xml) if self.raw_xml else b"",
        )

    def _l10n_tr_check_open(self):
        self.check_access("write")
        done = self.filtered(lambda d: d.state in ("imported", "dismissed"))
        if done:
            raise UserError(_("Already imported or dismissed: %s", ", ".join(done.mapped("name"))))

    def action_retry(self):
        """Import again from the stored XML (all checks again)."""
        self._l10n_tr_check_open()
        return self._l10n_tr_import(review=True)

    def action_import_reviewed(self):
        """An accountant looked at a document held for review: book it."""
        self._l10n_tr_check_open()
        if self.filtered(lambda d: d.state != "review"):
            raise UserError(
                _(
                    "Only documents held for review can be imported without the "
                    "sender check; use Retry import for the others."
                )
            )
        return self._l10n_tr_import(review=False)

    def _l10n_tr_import(self, review):
        Move = self.env["account.move"]
        Move.check_access("create")
        for record in self:
            document = record._l10n_tr_as_incoming()
            company = record.company_id
            try:
                with self.env.cr.savepoint():
                    data = ubl_parser.parse_invoice(document.xml)
                    reason = review and self._l10n_tr_review_reason(company, data, document)
                    if reason:
                        record.write({"state": "review", "reason": reason})
                        continue
                    provider = (
                        company._l10n_tr_provider() if company._l10n_tr_has_integrator() else None
                    )
                    bill = Move._l10n_tr_import_incoming(company, provider, document, data)
            except Exception as exc:  # noqa: BLE001 - the reason is kept on the document
                record.write({"state": "error", "reason": self._l10n_tr_error_message(exc)})
                continue
            record.write({"state": "imported", "reason": False, "move_id": bill.id})
        return True

    def action_dismiss(self):
        self._l10n_tr_check_open()
        self.write({"state": "dismissed"})
        return True

    @api.model
    def action_fetch_now(self):
        """*Fetch now* on this list: the current company's incoming e-invoices."""
        return self.env["account.move"].action_l10n_tr_fetch_inbox()

    def action_open_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }


def _received(document):
    return _parse_datetime(document.received_at) or fields.Datetime.now()

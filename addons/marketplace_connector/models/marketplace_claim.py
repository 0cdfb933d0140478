import json
import logging
from collections import Counter

from markupsafe import escape

from odoo import Command, _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import UserError

from ..lib import statuses
from ..lib.http import MarketplaceError
from .marketplace_account import RETURN_DOCUMENT_MODELS
from .marketplace_order_inbound import to_datetime

# neutral claim states (lib.marketplace.CLAIM_STATES) that end the seller's decision
REJECTED = {"rejected", "disputed"}
# where the upload widgets park files before the record they belong to exists
MAX_REJECTIONS = 50  # per reject_with_evidence call: 10 minutes at the marketplace's pace
UPLOAD_MODELS = ("marketplace.claim.decision.wizard", "mail.compose.message")

_logger = logging.getLogger(__name__)


class MarketplaceClaim(models.Model):
    """A return request (claim) of a marketplace order."""

    _name = "marketplace.claim"
    _description = "Marketplace Claim (return)"
    _inherit = ["mail.thread", "mail.activity.mixin", "marketplace.raw.mixin"]
    _order = "claim_date desc, id desc"
    _rec_name = "claim_ref"

    account_id = fields.Many2one(
        "marketplace.account", required=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    claim_ref = fields.Char(string="Claim", required=True, readonly=True)
    order_number = fields.Char(readonly=True, index=True)
    package_id = fields.Char(readonly=True)
    claim_date = fields.Datetime(readonly=True)
    status = fields.Char(string="Marketplace Status Code", readonly=True, tracking=True)
    status_label = fields.Selection(
        statuses.CLAIM_STATUS_NAMES, string="Marketplace Status", compute="_compute_status_label"
    )
    customer_note = fields.Text(
        string="Customer's Note",
        readonly=True,
        help="What the customer wrote when asking for the return.",
    )
    return_tracking_number = fields.Char(
        string="Return Tracking Number",
        readonly=True,
        help="Tracking number of the parcel the customer sends back.",
    )
    return_carrier = fields.Char(string="Return Carrier", readonly=True)
    line_ids = fields.One2many("marketplace.claim.line", "claim_id", readonly=True)
    sale_order_id = fields.Many2one("sale.order", readonly=True)
    partner_id = fields.Many2one(related="sale_order_id.partner_id", string="Customer")
    decision = fields.Selection(
        [
            ("to_decide", "To decide"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("closed", "Closed"),
        ],
        default="to_decide",
        required=True,
        tracking=True,
    )
    credit_note_id = fields.Many2one("account.move", string="IADE credit note", readonly=True)
    return_picking_id = fields.Many2one("stock.picking", readonly=True)
    error = fields.Text(readonly=True)

    _sql_constraints = [
        ("claim_unique", "unique(account_id, claim_ref)", "This claim is already stored."),
    ]

    @api.depends("order_number", "partner_id", "claim_date", "claim_ref")
    def _compute_display_name(self):
        for claim in self:
            when = claim.claim_date and fields.Datetime.context_timestamp(claim, claim.claim_date)
            claim.display_name = " · ".join(
                filter(
                    None,
                    (
                        claim.order_number or claim.claim_ref,
                        claim.partner_id.name,
                        when and when.strftime("%d.%m.%Y"),
                    ),
                )
            )

    @api.depends("status")
    def _compute_status_label(self):
        for claim in self:
            claim.status_label = statuses.known(statuses.CLAIM_STATUS_NAMES, claim.status)

    @api.model
    def _store_claim(self, account, raw):
        """Insert or update one fetched claim; returns True when created."""
        claim = account._adapter_class().offline().normalize_claim(raw)
        values = {
            "account_id": account.id,
            "claim_ref": str(claim["claim_id"]),
            "order_number": str(claim.get("order_number") or ""),
            "package_id": str(claim.get("package_id") or ""),
            "claim_date": to_datetime(claim.get("claim_date")),
            "status": claim.get("status"),
            "customer_note": "\n".join(
                dict.fromkeys(
                    line["customer_note"]
                    for line in claim.get("lines") or []
                    if line.get("customer_note")
                )
            )
            or False,
            "return_tracking_number": claim.get("tracking_number") or False,
            "return_carrier": (claim.get("cargo") or {}).get("provider_name") or False,
            "raw": json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str),
        }
        order = self.env["sale.order"].search(
            [
                ("marketplace_account_id", "=", account.id),
                ("marketplace_order_number", "=", values["order_number"]),
            ],
            limit=1,
        )
        values["sale_order_id"] = order.id or False
        existing = self.search(
            [("account_id", "=", account.id), ("claim_ref", "=", values["claim_ref"])], limit=1
        )
        line_commands = [Command.clear()] + [
            Command.create(self._line_values(line, order)) for line in claim.get("lines") or []
        ]
        if existing:
            if existing.raw != values["raw"]:
                existing.write(dict(values, line_ids=line_commands))
            existing._apply_remote_status()
            return False
        claim_record = self.create(dict(values, line_ids=line_commands))
        claim_record._apply_remote_status()
        return True

    @api.model
    def _line_values(self, line, order):
        """One claim line = the claim items (one per returned unit) of one order line."""
        line_id = str(line.get("order_line_id") or "")
        sale_line = order.order_line.filtered(lambda sol: sol.marketplace_line_id == line_id)[:1]
        return {
            "claim_item_ref": ",".join(line.get("claim_line_item_ids") or []),
            "marketplace_line_id": line_id,
            "barcode": line.get("barcode"),
            "sale_line_id": sale_line.id or False,
            "product_id": sale_line.product_id.id or False,
            "quantity": float(line.get("quantity") or 1),
            "reason": line.get("reason"),
            "customer_note": line.get("customer_note") or False,
            "status": line.get("status"),
            "state": line["state"],
        }

    def _apply_remote_status(self):
        """Accepted on the marketplace (incl. auto-accepted after 48 h) → credit note + return."""
        for claim in self:
            states = set(claim.line_ids.mapped("state"))
            if claim.decision in ("to_decide", "approved") and states == {"accepted"}:
                claim.decision = "approved"
                claim._follow_up_approval()
            elif claim.decision == "to_decide" and states and states <= REJECTED:
                claim.decision = "rejected"

    # ------------------------------------------------------------- decisions
    def approve(self, claim_item_refs=None):
        """Approve the claim (all items or the given claim item ids) on the marketplace and
        create the IADE credit note and the return picking.

        XML-RPC: ``marketplace.claim.approve([id])`` → ``{'credit_note_id', 'return_picking_id'}``.
        """
        arguments.check_one(self)
        claim_item_refs = self._check_item_refs(claim_item_refs)
        items = self._items(claim_item_refs)
        # the credit note and the return picking follow the approval: refused before it
        self.account_id._check_use(self, create_models=RETURN_DOCUMENT_MODELS)
        self.account_id._call("approve_claim", self.claim_ref, items._item_ids())
        # the marketplace approved it: recorded first, whatever happens to the documents
        items.write({"state": "accepted"})
        self.decision = "approved"
        self._message_log(body=escape(_("Return approved.")))
        self._follow_up_approval(items)
        return {
            "credit_note_id": self.credit_note_id.id or False,
            "return_picking_id": self.return_picking_id.id or False,
        }

    def reject(self, reason_id, description, claim_item_refs=None, attachment_ids=None):
        """Reject (open an issue on) the claim with the marketplace's reason code and,
        when that reason needs it, evidence files (``ir.attachment`` ids).

        XML-RPC: ``reject([id], reason_code, text)`` or
        ``reject([id], reason_code, text, attachment_ids=[att_id])`` → True.
        """
        arguments.check_one(self)
        self.account_id._require("claim_reject")
        code = self._check_reason_code(reason_id)
        description = arguments.check_text(self.env, description, _("Explanation"))
        claim_item_refs = self._check_item_refs(claim_item_refs)
        attachments = self._evidence(attachment_ids)
        reason = self.env["marketplace.claim.reason"].search(
            [("account_id", "=", self.account_id.id), ("marketplace_ref", "=", code)], limit=1
        )
        if not reason and not code.isdigit():
            raise UserError(
                _(
                    "%(code)s is not a rejection reason of %(account)s: refresh its reasons "
                    "or choose a listed one.",
                    code=code,
                    account=self.account_id.name,
                )
            )
        self._check_rejection(code, reason.name or str(code), description, attachments)
        self.account_id._check_use(self)
        self._reject_on_marketplace(
            self.account_id._adapter(),
            code,
            reason.name or str(code),
            description,
            attachments,
            claim_item_refs,
        )
        return True

    @api.model
    def reject_with_evidence(self, claim_ids, reason_id, description, attachment_ids=None):
        """Reject returns with a stored rejection reason and evidence files.

        XML-RPC: ``reject_with_evidence([claim ids], marketplace.claim.reason id, text,
        attachment_ids=[ir.attachment ids])`` → ``{'rejected': [claim ids],
        'errors': {'claim id': message}}``. Raises when nothing could be rejected.
        """
        claims = arguments.check_records(self.env, self._name, claim_ids, _("Returns"))
        if len(claims) > MAX_REJECTIONS:
            raise UserError(
                _(
                    "Reject at most %s returns per call (the marketplace accepts 5 "
                    "rejections a minute).",
                    MAX_REJECTIONS,
                )
            )
        reason = arguments.check_record(
            self.env, "marketplace.claim.reason", reason_id, _("Rejection reason")
        )
        description = arguments.check_text(self.env, description, _("Explanation"))
        if not claims or not reason:
            raise UserError(_("Give the returns to reject and a rejection reason."))
        if claims.account_id != reason.account_id:
            raise UserError(
                _(
                    "The rejection reason %(reason)s belongs to %(account)s, not to "
                    "the account of every return.",
                    reason=reason.name,
                    account=reason.account_id.name,
                )
            )
        attachments = self._evidence(attachment_ids)
        for claim in claims:
            claim._check_rejection(reason.marketplace_ref, reason.name, description, attachments)
        reason.account_id._require("claim_reject")
        reason.account_id._check_use(claims)
        adapter = reason.account_id._adapter()  # one client: paced as the marketplace wants
        rejected, errors = [], {}
        for claim in claims:
            try:
                claim._reject_on_marketplace(
                    adapter, reason.marketplace_ref, reason.name, description, attachments
                )
                rejected.append(claim.id)
            except UserError as error:
                errors[str(claim.id)] = str(error)  # XML-RPC structs need string keys
        if not rejected:
            raise UserError("\n".join(errors.values()))
        return {"rejected": rejected, "errors": errors}

    def _check_reason_code(self, reason_id):
        """A rejection reason code of the marketplace: a whole number or a code text."""
        if isinstance(reason_id, str) and reason_id.strip():
            return arguments.check_text(self.env, reason_id, _("Rejection reason code")).strip()
        return str(arguments.check_int(self.env, reason_id, _("Rejection reason code"), 1))

    def _evidence(self, attachment_ids):
        return arguments.check_records(
            self.env, "ir.attachment", attachment_ids, _("Evidence files")
        )

    def _check_item_refs(self, claim_item_refs):
        """``None`` (every item) or a list of this claim's item ids."""
        if claim_item_refs in (None, False):
            return None
        known = self.line_ids._item_ids()
        if (
            not isinstance(claim_item_refs, (list, tuple))
            or not claim_item_refs
            or any(
                isinstance(ref, bool) or not isinstance(ref, (str, int)) or str(ref) not in known
                for ref in claim_item_refs
            )
        ):
            raise UserError(
                _(
                    "Claim items must be a list of item ids of the return %(claim)s "
                    "(%(items)s), not %(value)r.",
                    claim=self.claim_ref,
                    items=", ".join(known),
                    value=claim_item_refs,
                )
            )
        return [str(ref) for ref in claim_item_refs]

    def _check_rejection(self, code, reason_name, description, attachments):
        """Everything the marketplace would refuse, checked before anything is sent."""
        self.ensure_one()
        if self.decision != "to_decide":
            raise UserError(_("The return %s is already decided.", self.claim_ref))
        description = (description or "").strip()
        if not description:
            raise UserError(_("Explain why the return is rejected."))
        limit = self.account_id._adapter_class().claim_description_max
        if len(description) > limit:
            raise UserError(
                _(
                    "The explanation may have at most %(max)s characters (it has %(count)s).",
                    max=limit,
                    count=len(description),
                )
            )
        if not attachments and self.env["marketplace.claim.reason"]._code_requires_file(
            self.account_id, code
        ):
            raise UserError(
                _(
                    "The rejection reason “%s” needs an evidence file (a photo or a "
                    "document): attach at least one.",
                    reason_name,
                )
            )
        empty = attachments.filtered(lambda attachment: not attachment.file_size)
        if empty:
            raise UserError(_("The evidence file %s is empty.", empty[0].name))

    def _reject_on_marketplace(
        self, adapter, code, reason_name, description, attachments, claim_item_refs=None
    ):
        """Send the issue, then record it with the evidence files in the chatter."""
        self.ensure_one()
        items = self._items(claim_item_refs)
        description = description.strip()
        files = [
            (attachment.name, attachment.raw, attachment.mimetype or "application/octet-stream")
            for attachment in attachments
        ]
        try:
            adapter.reject_claim(self.claim_ref, items._item_ids(), code, description, files=files)
        except (ValueError, MarketplaceError) as error:
            raise UserError(
                _(
                    "The marketplace refused to reject the return %(claim)s: %(error)s",
                    claim=self.claim_ref,
                    error=error,
                )
            ) from error
        items.write({"state": "rejected"})
        self.decision = "rejected"
        evidence = self._keep_evidence(attachments)
        # logged: a user without e-mail address cannot undo what the marketplace recorded
        self._message_log(
            body=escape(
                _(
                    "Return rejected (%(reason)s): %(description)s",
                    reason=reason_name,
                    description=description,
                )
            ),
            attachment_ids=evidence.ids,
        )

    def _keep_evidence(self, attachments):
        """The evidence files attached to this claim: uploads of the user are moved here,
        files already linked to another record are copied."""
        self.ensure_one()
        kept = self.env["ir.attachment"]
        for attachment in attachments.sudo():
            if attachment.res_model == self._name and attachment.res_id == self.id:
                kept |= attachment
            elif attachment.create_uid == self.env.user and (
                not attachment.res_id or attachment.res_model in UPLOAD_MODELS
            ):
                attachment.write({"res_model": self._name, "res_id": self.id})
                kept |= attachment
            else:
                kept |= attachment.copy({"res_model": self._name, "res_id": self.id})
        return kept

    def _items(self, claim_item_refs):
        items = self.line_ids
        if claim_item_refs:
            wanted = set(map(str, claim_item_refs))
            items = items.filtered(lambda line: wanted & set(line._item_ids()))
        if not items:
            raise UserError(_("The claim %s has no item to decide.", self.claim_ref))
        return items

    def _follow_up_approval(self, items=None):
        """The credit note and the return picking of an approved return. A failure here
        cannot undo the marketplace's approval: it is rolled back alone and left as a to-do
        on the claim (the next claim fetch, or the to-do's owner, completes the documents)."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._create_return_documents(items)
        except Exception as error:  # noqa: BLE001 - the approval stands: report, go on
            _logger.warning("Return %s approved, its documents failed: %s", self.claim_ref, error)
            self.env.invalidate_all()
            self._report_follow_up_failure(error)
            return False
        if self.error:
            self.error = False
        return True

    def action_create_return_documents(self):
        """After a failure: the credit note and return picking of the approved items."""
        self.ensure_one()
        if self.decision != "approved":
            raise UserError(_("The return %s is not approved.", self.claim_ref))
        self.check_access("write")
        items = self.line_ids.filtered(lambda line: line.state == "accepted") or None
        if self._follow_up_approval(items):
            self.activity_ids.filtered(
                lambda activity: (
                    activity.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
                )
            ).action_done()
        return True

    def _report_follow_up_failure(self, error):
        message = _(
            "The return %(claim)s is approved at the marketplace, but its credit note "
            "or return picking could not be created: %(error)s",
            claim=self.claim_ref,
            error=error,
        )
        self.error = message
        self._message_log(body=escape(message))
        summary = _("Create the return documents")
        if self.activity_ids.filtered(lambda activity: activity.summary == summary):
            return  # one open to-do, however often the fetch retries
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=summary,
            note=message,
            user_id=self.account_id.sudo().user_id.id or self.env.uid,
        )

    def _create_return_documents(self, items=None):
        """IADE credit note referencing the invoice + validated return picking, once."""
        self.ensure_one()
        items = items or self.line_ids
        order = self.sale_order_id
        if not order or (self.credit_note_id and self.return_picking_id):
            return
        quantities = Counter()
        for item in items.filtered("sale_line_id"):
            quantities[item.sale_line_id] += item.quantity
        if not quantities:
            return
        if not self.return_picking_id:
            returned = order._marketplace_return(dict(quantities))
            self.return_picking_id = returned[:1]
        invoice = order.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )[:1]
        if invoice and not self.credit_note_id:
            self.credit_note_id = self._create_iade_credit_note(invoice, quantities)

    def _create_iade_credit_note(self, invoice, quantities):
        refund = invoice._reverse_moves(
            [
                {
                    "ref": _(
                        "Return %(claim)s of %(invoice)s",
                        claim=self.claim_ref,
                        invoice=invoice.name,
                    ),
                    "invoice_date": fields.Date.context_today(self),
                }
            ]
        )
        keep = []
        for line in refund.invoice_line_ids:
            qty = sum(quantities.get(sale_line, 0.0) for sale_line in line.sale_line_ids)
            if qty:
                keep.append(Command.update(line.id, {"quantity": min(qty, line.quantity)}))
            else:
                keep.append(Command.delete(line.id))
        refund.write({"invoice_line_ids": keep})
        refund._marketplace_set(
            {
                "l10n_tr_efatura_type": "IADE",
                "marketplace_account_id": self.account_id.id,
                "marketplace_order_number": self.order_number,
            }
        )
        refund.action_post()
        return refund

    def action_open_decision(self):
        """The approve / reject wizard; the rejection reasons are fetched on first use."""
        self.ensure_one()
        _reasons, warning = self.env["marketplace.claim.reason"]._ensure_reasons(self.account_id)
        context = {"default_claim_id": self.id}
        if warning:
            context["default_reason_warning"] = warning
        return {
            "type": "ir.actions.act_window",
            "res_model": "marketplace.claim.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": context,
        }


class MarketplaceClaimLine(models.Model):
    _name = "marketplace.claim.line"
    _description = "Marketplace Claim Item"

    claim_id = fields.Many2one("marketplace.claim", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="claim_id.company_id", store=True)
    claim_item_ref = fields.Char(string="Claim items", help="Claim item ids, comma-separated.")
    marketplace_line_id = fields.Char(string="Order line")
    barcode = fields.Char()
    product_id = fields.Many2one("product.product")
    sale_line_id = fields.Many2one("sale.order.line")
    quantity = fields.Float(default=1.0)
    reason = fields.Char()
    customer_note = fields.Text(string="Customer's Note")
    status = fields.Char(string="Status Code")
    status_label = fields.Selection(
        statuses.CLAIM_STATUS_NAMES, string="Status", compute="_compute_status_label"
    )
    state = fields.Selection(
        [
            ("waiting", "Waiting for the seller"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
            ("disputed", "Disputed"),
            ("cancelled", "Cancelled"),
        ],
        string="Return Status",
        default="waiting",
        help="The item's status in the same terms for every marketplace.",
    )

    @api.depends("product_id", "barcode", "quantity")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (
                f"{line.product_id.display_name or line.barcode or ''} × {line.quantity:g}"
            )

    @api.depends("status")
    def _compute_status_label(self):
        for line in self:
            line.status_label = statuses.known(statuses.CLAIM_STATUS_NAMES, line.status)

    def _item_ids(self):
        return [ref for line in self for ref in (line.claim_item_ref or "").split(",") if ref]

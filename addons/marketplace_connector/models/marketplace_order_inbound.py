import base64
import hashlib
import json
import logging
import re
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import psycopg2
from reportlab.graphics import renderSVG
from reportlab.graphics.barcode import createBarcodeDrawing

from odoo import _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.addons.l10n_tr_efatura.lib import validation
from odoo.exceptions import UserError

from ..lib import statuses
from ..lib.http import MarketplaceError
from ..lib.marketplace import CANCELLED_STATES
from .marketplace_account import auto_commit_enabled

_logger = logging.getLogger(__name__)

# a parcel that left (shipped, possibly not delivered yet) or arrived; "returned" is final
SHIPPED = {"shipped", "delivered"}
# database errors caused by a concurrent transaction: the package is fine, try it again
# (a unique violation too: another worker created the same order after our snapshot)
TRANSIENT_DB_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.DeadlockDetected,
    psycopg2.errors.UniqueViolation,
)
# ... but not forever: after this many in a row the row goes to error with its reason
MAX_TRANSIENT_RETRIES = 5


def _safe_ref(read, raw):
    """A reference read from a malformed payload ('' when it cannot be read)."""
    try:
        return str(read(raw) or "")
    except Exception:  # noqa: BLE001 - the payload is malformed: it has no readable reference
        return ""


def to_datetime(value):
    """Naive UTC datetime from a datetime, an epoch in ms/s or an ISO/Odoo string."""
    if not value:
        return False
    if isinstance(value, datetime):
        if value.tzinfo:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(seconds, timezone.utc).replace(tzinfo=None)
    return fields.Datetime.to_datetime(str(value)[:19].replace("T", " "))


class MarketplaceOrderInbound(models.Model):
    """Every package as received from the marketplace, before and after it became a sale order."""

    _name = "marketplace.order.inbound"
    _description = "Marketplace Order (inbound)"
    _inherit = ["mail.thread", "marketplace.raw.mixin"]
    _order = "order_date desc, id desc"
    _rec_name = "display_ref"

    account_id = fields.Many2one(
        "marketplace.account", required=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    marketplace = fields.Selection(related="account_id.marketplace", store=True)
    external_key = fields.Char(
        required=True,
        index=True,
        readonly=True,
        help="Order number and line ids: stable when the marketplace re-creates a package.",
    )
    package_id = fields.Char(string="Package", index=True, readonly=True)
    order_number = fields.Char(index=True, readonly=True)
    display_ref = fields.Char(compute="_compute_display_ref")
    status = fields.Char(string="Marketplace Status Code", readonly=True, tracking=True)
    status_label = fields.Selection(
        statuses.PACKAGE_STATUS_NAMES,
        string="Marketplace Status",
        compute="_compute_status_label",
        help="The marketplace status in words (its API code is kept in 'Marketplace Status Code').",
    )
    package_state = fields.Selection(
        [
            ("awaiting", "Awaiting payment"),
            ("replaced", "Split into new packages"),
            ("created", "New, to pick"),
            ("picking", "Picking"),
            ("invoiced", "Invoiced"),
            ("shipped", "Shipped"),
            ("delivered", "Delivered"),
            ("cancelled", "Cancelled"),
            ("returned", "Returned"),
            ("unsupplied", "Unsupplied"),
        ],
        string="Package Status",
        readonly=True,
        index=True,
        help="The package's status in the same terms for every marketplace.",
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("processed", "Processed"),
            ("error", "Error"),
            ("cancelled", "Cancelled"),
        ],
        default="new",
        required=True,
        index=True,
        tracking=True,
    )
    offers_split = fields.Boolean(related="account_id.offers_split")
    offers_unsupply = fields.Boolean(related="account_id.offers_unsupply")
    offers_labels = fields.Boolean(related="account_id.offers_labels")
    error_reason = fields.Text(readonly=True)
    retry_count = fields.Integer(readonly=True)
    order_date = fields.Datetime(readonly=True)
    last_modified = fields.Datetime(readonly=True)
    customer_name = fields.Char(readonly=True)
    amount_total = fields.Float(readonly=True)
    currency_code = fields.Char(readonly=True)
    tracking_number = fields.Char(readonly=True)
    cargo_provider = fields.Char(readonly=True)
    flagged = fields.Boolean(
        readonly=True, help="A line used the fallback product: map its barcode in Listings."
    )
    sale_order_id = fields.Many2one("sale.order", readonly=True, index="btree_not_null")
    partner_id = fields.Many2one(related="sale_order_id.partner_id")
    invoice_id = fields.Many2one("account.move", readonly=True, index="btree_not_null")
    picking_reported = fields.Boolean(string="Picking reported", readonly=True)
    invoiced_reported = fields.Boolean(string="Invoiced reported", readonly=True)
    invoice_sent = fields.Boolean(string="Invoice sent back", readonly=True)
    shipped_reported = fields.Boolean(string="Shipment reported", readonly=True)
    delivery_reported = fields.Selection(
        [("delivered", "Delivered"), ("undelivered", "Not delivered")],
        readonly=True,
        help="What the marketplace was told of a package shipped with our own carrier.",
    )
    own_cargo = fields.Boolean(related="account_id.own_cargo")
    backchannel_done = fields.Boolean(readonly=True, index=True)
    backchannel_error = fields.Text(readonly=True)
    label_attachment_id = fields.Many2one(
        "ir.attachment", string="Cargo label (ZPL)", readonly=True
    )
    last_run_id = fields.Many2one("marketplace.sync.run", readonly=True, index="btree_not_null")

    _sql_constraints = [
        (
            "external_key_unique",
            "unique(account_id, external_key)",
            "This marketplace package is already stored.",
        ),
    ]

    @api.depends("order_number", "package_id")
    @api.depends("status")
    def _compute_status_label(self):
        for row in self:
            row.status_label = statuses.known(statuses.PACKAGE_STATUS_NAMES, row.status)

    def _compute_display_ref(self):
        for row in self:
            row.display_ref = f"{row.order_number or '?'} / {row.package_id or '?'}"

    # ----------------------------------------------------------------- storing
    def _payload(self):
        self.ensure_one()
        return json.loads(self.raw or "{}")

    def _normalized(self):
        self.ensure_one()
        return self.account_id._adapter_class().offline().normalize_package(self._payload())

    @api.model
    def _store_package(self, account, raw, run=None):
        """Insert or update one fetched package. Returns created/updated/unchanged/quarantined."""
        values = self._values_from_raw(account, raw)
        existing = self.search(
            [("account_id", "=", account.id), ("external_key", "=", values["external_key"])],
            limit=1,
        )
        if not existing:
            try:
                with self.env.cr.savepoint():
                    self.create(dict(values, last_run_id=run.id if run else False))
                return "quarantined" if values["state"] == "error" else "created"
            except psycopg2.errors.UniqueViolation:
                # A concurrent fetch stored it first: fall through to the update.
                existing = self.search(
                    [
                        ("account_id", "=", account.id),
                        ("external_key", "=", values["external_key"]),
                    ],
                    limit=1,
                )
        if existing.raw == values["raw"]:
            return "unchanged"
        update = {
            key: values[key]
            for key in (
                "raw",
                "package_id",
                "status",
                "package_state",
                "last_modified",
                "tracking_number",
                "cargo_provider",
                "amount_total",
                "customer_name",
            )
        }
        if existing.state in ("processed", "error") and values["state"] != "error":
            update.update(state="new", error_reason=False, backchannel_done=False)
        elif values["state"] == "error":
            update.update(state="error", error_reason=values["error_reason"])
        if run:
            update["last_run_id"] = run.id
        existing.write(update)
        return "updated"

    @api.model
    def _values_from_raw(self, account, raw):
        adapter = account._adapter_class().offline()
        raw_text = json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)
        problems = []
        try:
            problems = list(
                adapter.validate_package(raw, own_tax_numbers=[account.company_id.vat or ""]) or []
            )
            package = adapter.normalize_package(raw) if not problems else None
        except Exception as error:  # noqa: BLE001 - malformed payloads are quarantined
            problems.append(f"{type(error).__name__}: {error}")
            package = None
        if problems:
            package_ref = _safe_ref(adapter.package_ref, raw)
            digest = hashlib.sha1(raw_text.encode()).hexdigest()[:16]
            return {
                "account_id": account.id,
                "external_key": f"invalid:{package_ref or digest}",
                "package_id": package_ref,
                "order_number": _safe_ref(adapter.order_ref, raw),
                "raw": raw_text,
                "state": "error",
                "error_reason": _("Malformed package: %s", "; ".join(map(str, problems))),
                "status": False,
                "package_state": False,
                "last_modified": False,
                "tracking_number": False,
                "cargo_provider": False,
                "amount_total": 0.0,
                "customer_name": False,
            }
        customer = package.get("customer") or {}
        cargo = package.get("cargo") or {}
        return {
            "account_id": account.id,
            "external_key": package["external_key"],
            "package_id": str(package["package_id"] or ""),
            "order_number": str(package["order_number"]),
            "status": package.get("status"),
            "package_state": package["state"],
            "order_date": to_datetime(package.get("order_date")),
            "last_modified": to_datetime(package.get("last_modified")),
            "customer_name": customer.get("company_name") or customer.get("name"),
            "amount_total": package.get("total_price") or 0.0,
            "currency_code": package.get("currency"),
            "tracking_number": cargo.get("tracking_number") and str(cargo["tracking_number"]),
            "cargo_provider": cargo.get("provider_name"),
            "raw": raw_text,
            "state": "new",
            "error_reason": False,
        }

    # -------------------------------------------------------------- processing
    @api.model
    def _claim_pending(self, account_ids, limit, exclude_ids=()):
        """Lock up to ``limit`` new rows; rows locked by another worker are skipped."""
        self.env["marketplace.order.inbound"].flush_model()
        self.env.cr.execute(
            """
            SELECT id FROM marketplace_order_inbound
             WHERE state = 'new' AND account_id = ANY(%s) AND NOT (id = ANY(%s))
             ORDER BY id
             LIMIT %s
             FOR UPDATE SKIP LOCKED
        """,
            [list(account_ids), list(exclude_ids) or [0], limit],
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _requeue_transient_errors(self, accounts):
        """Rows put in error by a concurrent-transaction database error (before such errors
        left rows pending) go back to new: nothing was wrong with the package."""
        rows = self.search(
            [
                ("account_id", "in", accounts.ids),
                ("state", "=", "error"),
                ("retry_count", "<", MAX_TRANSIENT_RETRIES),
                "|",
                "|",
                "|",
                "|",
                ("error_reason", "ilike", "SerializationFailure"),
                ("error_reason", "ilike", "LockNotAvailable"),
                ("error_reason", "ilike", "DeadlockDetected"),
                ("error_reason", "ilike", "could not serialize access"),
                ("error_reason", "ilike", "UniqueViolation"),
            ]
        )
        rows.write({"state": "new"})
        return rows

    @api.model
    def _process_pending(self, accounts, limit=None, batch_size=50):
        totals = {"processed": 0, "failed": 0, "remaining": 0}
        if not self.env.context.get("marketplace_no_report_back"):
            accounts._check_use(self.browse())  # processed packages are reported back
        self._requeue_transient_errors(accounts)
        for account in accounts:
            counters = self._process_account(account, limit=limit, batch_size=batch_size)
            for key in totals:
                totals[key] += counters[key]
        return totals

    @api.model
    def _process_account(self, account, limit=None, batch_size=50):
        run = self.env["marketplace.sync.run"]._start(account, "process")
        counters = {"processed": 0, "failed": 0, "remaining": 0}
        seen = set()
        deferred = 0
        while True:
            size = batch_size
            if limit:
                size = min(size, limit - len(seen))
            if size <= 0:
                break
            rows = self._claim_pending([account.id], size, exclude_ids=seen)
            if not rows:
                break
            for row in rows:
                seen.add(row.id)
                done = row._process_safely(run)
                if done is None:
                    deferred += 1
                    continue
                counters["processed" if done else "failed"] += 1
            # rows left pending after a concurrent-update error count as remaining
            counters["remaining"] = deferred + self.search_count(
                [
                    ("account_id", "=", account.id),
                    ("state", "=", "new"),
                    ("id", "not in", list(seen)),
                ]
            )
            self.env["ir.cron"]._notify_progress(
                done=counters["processed"] + counters["failed"], remaining=counters["remaining"]
            )
            self._commit_batch()
            rows._send_edocuments()
        # Back-channel calls run after the orders are safely stored.
        if not self.env.context.get("marketplace_no_report_back"):
            processed = self.browse(list(seen)).filtered(
                lambda r: r.state == "processed" and r.sale_order_id and not r.backchannel_done
            )
            processed._report_back()
        run._finish(counters)
        return counters

    def _commit_batch(self):
        if auto_commit_enabled():
            self.env.cr.commit()

    def _send_edocuments(self):
        """Send the new e-documents of these processed rows, after their batch is
        committed: each invoice's number, ETTN and attempt are committed before its
        request leaves (a crash never reuses a number the integrator already holds)."""
        invoices = self.filtered(
            lambda row: row.state == "processed" and row.account_id.auto_send_edocument
        ).invoice_id.filtered(lambda move: move._marketplace_edocument_to_send())
        for invoice in invoices:
            invoice._marketplace_send_edocument(commit=auto_commit_enabled())

    def _process_safely(self, run):
        """Process one row in a savepoint: True when processed, False when put in error,
        None when left pending after a concurrent-update database error."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._process_one()
                self.write({"last_run_id": run.id})
            return True
        except TRANSIENT_DB_ERRORS as error:
            if self.retry_count + 1 < MAX_TRANSIENT_RETRIES:
                # another worker touched the same records: stays pending for the next run
                _logger.info(
                    "Marketplace package %s: %s, left pending",
                    self.external_key,
                    type(error).__name__,
                )
                self.write(
                    {
                        "error_reason": _(
                            "Retried later (concurrent update: %s).", type(error).__name__
                        ),
                        "retry_count": self.retry_count + 1,
                        "last_run_id": run.id,
                    }
                )
                return None
            return self._record_error(error, run)
        except Exception as error:  # noqa: BLE001 - one bad package never blocks the others
            return self._record_error(error, run)

    def _record_error(self, error, run):
        """Put this row in error with a readable reason; returns False."""
        if isinstance(error, (UserError, MarketplaceError)):
            reason = str(error.args[0] if error.args else error)
        else:
            _logger.exception("Marketplace package %s failed", self.external_key)
            reason = f"{type(error).__name__}: {error}"
        self.write(
            {
                "state": "error",
                "error_reason": reason,
                "retry_count": self.retry_count + 1,
                "last_run_id": run.id,
            }
        )
        return False

    def _lock_order_number(self, package):
        key = f"marketplace-order:{self.account_id.id}:{package['order_number']}"
        self.env.cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])

    def _process_one(self):
        """Apply the package's current marketplace status to Odoo."""
        self.ensure_one()
        package = self._normalized()
        self._check_not_own_company(package)
        self._lock_order_number(package)
        state = package["state"]
        if state == "awaiting":
            # Payment not verified yet: never create the delivery.
            self.write({"state": "processed", "error_reason": False})
            return
        if state == "replaced":
            self.write({"state": "processed", "error_reason": False, "backchannel_done": True})
            return
        if state in CANCELLED_STATES:
            self._apply_cancellation(package)
            return
        order = self.env["sale.order"]._marketplace_ensure_order(self, package)
        account = self.account_id
        if state == "returned":
            order._marketplace_cancel_lines(
                {str(line["line_id"]) for line in package["lines"]}, reason=self._state_label(state)
            )
            self.write(
                {
                    "state": "cancelled",
                    "sale_order_id": order.id,
                    "error_reason": False,
                    "backchannel_done": True,
                }
            )
            return
        if account.auto_confirm and order.state in ("draft", "sent"):
            order.with_context(mail_notrack=True).action_confirm()
        order._marketplace_stamp_pickings(package)
        if state in SHIPPED and account.auto_deliver and order.state == "sale":
            order._marketplace_deliver(package)
        invoice = self.invoice_id
        if account.auto_invoice and order.state == "sale":
            invoice = order._marketplace_invoice(self, package) or invoice
        self.write(
            {
                "state": "processed",
                "error_reason": False,
                "sale_order_id": order.id,
                "invoice_id": invoice.id if invoice else False,
                "flagged": order.marketplace_flagged,
            }
        )

    def _check_not_own_company(self, package):
        """A buyer with our own VKN would book the company as its own customer."""
        customer = package.get("customer") or {}
        own = re.sub(r"\D", "", self.company_id.vat or "")
        if own and own in (customer.get("vkn"), customer.get("tckn")):
            raise UserError(
                _(
                    "The buyer's tax number %s is our own company's: the package "
                    "is kept for review, not booked.",
                    own,
                )
            )

    def _apply_cancellation(self, package):
        order = self.env["sale.order"].search(
            [
                ("marketplace_account_id", "=", self.account_id.id),
                ("marketplace_order_number", "=", package["order_number"]),
            ],
            limit=1,
        )
        if order:
            order._marketplace_cancel_lines(
                {str(line["line_id"]) for line in package["lines"]},
                reason=self._state_label(package["state"]),
            )
        self.write(
            {
                "state": "cancelled",
                "sale_order_id": order.id or False,
                "error_reason": False,
                "backchannel_done": True,
            }
        )

    # ------------------------------------------------------------- back-channel
    def _report_back(self):
        """Picking → Invoiced (GİB number) → invoice file/link, each step done once."""
        counters = {"picking": 0, "invoiced": 0, "invoices_sent": 0, "shipped": 0, "failed": 0}
        adapters = {}
        for row in self:
            account = row.account_id
            try:
                adapter = adapters.get(account.id) or adapters.setdefault(
                    account.id, account._adapter()
                )
                row._report_back_one(adapter, counters)
            except (MarketplaceError, UserError, ValueError) as error:
                # ValueError: a value the marketplace would refuse, said by its adapter
                counters["failed"] += 1
                row.backchannel_error = str(error)
        return counters

    def _report_back_one(self, adapter, counters):
        self.ensure_one()
        order = self.sale_order_id
        if order.state != "sale":
            return
        package = self._normalized()
        created = package["state"] == "created"
        if created and not self.picking_reported and adapter.supports("picking"):
            adapter.confirm_picking(package)
            self.picking_reported = True
            counters["picking"] += 1
        elif not created or not adapter.supports("picking"):
            self.picking_reported = True
        invoice = self.invoice_id
        # "Invoiced" carries the GİB number: only once GİB accepted the e-document
        if not invoice or not invoice._marketplace_edocument_accepted():
            return
        number = invoice._marketplace_invoice_number()
        if number and not self.invoiced_reported:
            if package["state"] in ("created", "picking") and adapter.supports("invoiced_status"):
                adapter.mark_invoiced(package, number)
                counters["invoiced"] += 1
            self.invoiced_reported = True
        if number and not self.invoice_sent:
            self._send_invoice(adapter, package, invoice, number)
            self.invoice_sent = True
            counters["invoices_sent"] += 1
        if self.account_id.own_cargo and adapter.supports("own_cargo"):
            self._report_own_shipment(adapter, package, counters)
        done = self.invoice_sent and (self.shipped_reported or not self.account_id.own_cargo)
        self.write({"backchannel_done": bool(done), "backchannel_error": False})

    def _report_own_shipment(self, adapter, package, counters):
        """Own carrier: the validated delivery's tracking number goes to the marketplace once."""
        picking = self._delivery()
        tracking = picking.marketplace_tracking_number
        if self.shipped_reported or picking.state != "done" or not tracking:
            return
        adapter.mark_shipped(package, tracking)
        self.shipped_reported = True
        counters["shipped"] += 1

    @staticmethod
    def _issue_moment(invoice):
        """When the invoice was issued: its date at its e-document issue time, in Turkey (the
        marketplace refuses an invoice dated after its own now)."""
        issued = time.fromisoformat(invoice.l10n_tr_issue_time or "00:00:00")
        return datetime.combine(
            invoice.invoice_date, issued, tzinfo=ZoneInfo(validation.GIB_TIMEZONE)
        )

    def _send_invoice(self, adapter, package, invoice, number):
        invoice_datetime = self._issue_moment(invoice)
        link = self.account_id.invoice_send_mode == "link" or not adapter.supports("invoice_file")
        if link:
            url = invoice.get_base_url() + invoice._get_share_url(redirect=False)
            adapter.send_invoice_link(package, url, number, invoice_datetime)
        else:
            adapter.send_invoice_file(package, self._invoice_pdf(invoice), number, invoice_datetime)

    def _invoice_pdf(self, invoice):
        """The PDF for the marketplace; a rendering failure is this row's error, it does not
        undo the statuses the marketplace already has."""
        try:
            with self.env.cr.savepoint():
                return invoice._marketplace_pdf()
        except Exception as error:  # noqa: BLE001 - reported on the row, retried next run
            _logger.warning("PDF of %s for the marketplace failed: %s", invoice.name, error)
            raise UserError(
                _(
                    "The PDF of invoice %(invoice)s could not be rendered: %(error)s",
                    invoice=invoice.name,
                    error=error,
                )
            ) from error

    # ----------------------------------------------------------------- actions
    def action_retry(self):
        """Put these rows back to new and process them now.

        XML-RPC: ``marketplace.order.inbound.action_retry([ids])`` →
        ``{'processed', 'failed', 'remaining'}``.
        """
        rows = arguments.check_self(self).filtered(lambda r: r.state == "error")
        for row in rows:
            values = row._values_from_raw(row.account_id, row._payload())
            if values["state"] == "error":
                row.error_reason = values["error_reason"]
                continue
            row.write({"state": "new", "error_reason": False})
        return self._process_pending(rows.account_id)

    def action_reprocess(self):
        """Apply the stored package again (after a listing or setting was fixed)."""
        arguments.check_self(self)
        self.write({"state": "new", "error_reason": False})
        return self._process_pending(self.account_id)

    def action_report_back(self):
        self.account_id._check_use(self)
        return self._report_back()

    def action_get_label(self):
        """Fetch the cargo label of the package (ZPL or PDF, as the marketplace gives it) and
        keep it as an attachment on the package's delivery (on this row while there is none).

        XML-RPC: ``action_get_label([id])`` → ``{'attachment_id', 'format', 'zpl'}`` (``zpl``:
        the ZPL text, False for a PDF label).
        """
        arguments.check_one(self)
        self.account_id._require("labels")
        if not self.tracking_number:
            raise UserError(_("Package %s has no cargo tracking number yet.", self.package_id))
        self.account_id._check_use(self)
        package = self._normalized()
        package["cargo"]["tracking_number"] = self.tracking_number
        content, extension = self.account_id._call("label", package)
        if not content:
            raise UserError(
                _("The marketplace returned no label for %s yet.", self.tracking_number)
            )
        attachment = self._store_label(content, extension)
        zpl = content if extension == "zpl" else False
        if isinstance(zpl, bytes):
            zpl = zpl.decode()
        return {"attachment_id": attachment.id, "format": extension, "zpl": zpl}

    def _delivery(self):
        """The outgoing picking of this package (by package id, else tracking number, else
        the order's only delivery: a marketplace may renumber a package once it is packed);
        a supplier's dropship receipt is the delivery of a dropshipped package."""
        pickings = self.sale_order_id.picking_ids.filtered(
            lambda p: p.picking_type_code in ("outgoing", "dropship") and p.state != "cancel"
        )
        return (
            pickings.filtered(lambda p: p.marketplace_package_id == self.package_id)[:1]
            or pickings.filtered(
                lambda p: (
                    self.tracking_number and p.marketplace_tracking_number == self.tracking_number
                )
            )[:1]
            or (pickings if len(pickings) == 1 else pickings.browse())
        )

    def _store_label(self, content, extension="zpl"):
        picking = self._delivery()
        holder = picking or self
        values = {
            "name": f"{self.tracking_number}.{extension}",
            "raw": content.encode() if isinstance(content, str) else content,
            "mimetype": "application/pdf" if extension == "pdf" else "text/plain",
            "res_model": holder._name,
            "res_id": holder.id,
        }
        attachment = self.label_attachment_id
        if attachment:
            attachment.write(values)
        else:
            attachment = self.env["ir.attachment"].create(values)
        self.label_attachment_id = attachment
        if picking:
            picking.marketplace_label_attachment_id = attachment
        return attachment

    def action_download_label(self):
        """One click: the stored ZPL label (fetched first when missing) as a ``.zpl`` download,
        printed raw by thermal printers."""
        self.ensure_one()
        if not self.label_attachment_id:
            self.action_get_label()
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": f"/web/content/{self.label_attachment_id.id}?download=true",
        }

    def cargo_slip_barcode_src(self):
        """The CODE128 barcode of the tracking number as an SVG data URI (PDF cargo slip):
        vector, so it scans at any printer resolution, and no raster backend needed."""
        self.ensure_one()
        if not self.tracking_number:
            return ""
        drawing = createBarcodeDrawing(
            "Code128", value=self.tracking_number, width=600, height=150, humanReadable=True
        )
        svg = renderSVG.drawToString(drawing)
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()

    def cargo_slip_sender(self):
        """Who ships the package (cargo slip): the address of the order's warehouse, else of
        the account's warehouse, else the company."""
        self.ensure_one()
        warehouse = self.sale_order_id.warehouse_id or self.account_id.warehouse_id
        return warehouse.partner_id or self.account_id.company_id.partner_id

    def action_print_cargo_slip(self):
        return self.env.ref("marketplace_connector.action_report_cargo_slip").report_action(self)

    def action_open_unsupply(self):
        return self._open_wizard("marketplace.unsupply.wizard")

    def action_open_split(self):
        return self._open_wizard("marketplace.split.wizard")

    def mark_delivered(self, delivered=True, reason=None):
        """Own carrier: tell the marketplace the package was delivered (or, with
        ``delivered=False``, that delivery failed, with ``reason``).

        XML-RPC: ``mark_delivered([id])`` or ``mark_delivered([id], False, 'address not
        found')`` → ``True``.
        """
        arguments.check_one(self)
        self.account_id._require("own_cargo")
        delivered = arguments.check_bool(self.env, delivered, _("Delivered"))
        reason = arguments.check_text(self.env, reason, _("Reason"))
        if not self.shipped_reported:
            raise UserError(
                _("Package %s was not reported as shipped with our carrier yet.", self.display_ref)
            )
        if not delivered and not (reason or "").strip():
            raise UserError(_("Say why the package could not be delivered."))
        self.account_id._check_use(self)
        self.account_id._call("mark_delivered", self._normalized(), delivered, reason or None)
        self.delivery_reported = "delivered" if delivered else "undelivered"
        self.message_post(
            body=_("Reported to the marketplace as delivered.")
            if delivered
            else _("Reported to the marketplace as not delivered: %s", reason)
        )
        return True

    def action_mark_delivered(self):
        return self.mark_delivered(True)

    def action_open_undelivered(self):
        return self._open_wizard("marketplace.undelivered.wizard")

    def _open_wizard(self, model):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_inbound_id": self.id},
        }

    def unsupply(self, line_quantities, reason_id):
        """Tell the marketplace the seller cannot supply these lines.

        XML-RPC: ``unsupply([id], {line_id: qty}, reason_id)`` → ``True``; the lines are taken
        off the sale order; the re-created package arrives with the next fetch.
        """
        arguments.check_one(self)
        self.account_id._require("unsupply")
        line_quantities = self._check_line_quantities(line_quantities)
        reason_id = self._check_unsupply_reason(reason_id)
        quantities = {ref: int(qty) for ref, qty in line_quantities.items() if qty}
        if not quantities:
            raise UserError(_("Choose at least one line to unsupply."))
        self.account_id._check_use(self, self.sale_order_id)
        self.account_id._call("unsupply", self._normalized(), quantities, reason_id)
        if self.sale_order_id:
            self.sale_order_id._marketplace_cancel_lines(
                set(quantities),
                reason=self._state_label("unsupplied"),
                quantities={str(k): float(v) for k, v in line_quantities.items()},
            )
        self.message_post(
            body=_(
                "Unsupplied lines %(lines)s (reason %(reason)s).",
                lines=", ".join(map(str, line_quantities)),
                reason=reason_id,
            )
        )
        return True

    def split(self, line_groups):
        """Split the package: ``line_groups`` is a list of lists of line ids.

        XML-RPC: ``split([id], [[line_id, ...], ...])`` → ``True`` (asynchronous on the
        marketplace side; the new packages arrive with the next fetch).
        """
        arguments.check_one(self)
        self.account_id._require("split")
        line_groups = self._check_line_groups(line_groups)
        groups = [[str(ref) for ref in group] for group in line_groups if group]
        if not groups:
            raise UserError(_("Choose the lines to split off."))
        self.account_id._check_use(self)
        self.account_id._call("split", self._normalized(), groups)
        self.message_post(body=_("Split requested: %s", groups))
        return True

    # ------------------------------------------------------- argument checks
    def _package_line_quantities(self):
        """``{line id: ordered quantity}`` of the stored package (UserError when unreadable)."""
        try:
            lines = self._normalized()["lines"]
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise UserError(
                _(
                    "Package %(package)s cannot be read: %(error)s",
                    package=self.display_ref,
                    error=error,
                )
            ) from error
        return {str(line["line_id"]): line["quantity"] for line in lines}

    def _check_line_ref(self, line_ref, known, label):
        if (
            isinstance(line_ref, bool)
            or not isinstance(line_ref, (str, int))
            or str(line_ref) not in known
        ):
            raise UserError(
                _(
                    "%(label)s: %(line)r is not a line of package %(package)s (lines: %(lines)s).",
                    label=label,
                    line=line_ref,
                    package=self.display_ref,
                    lines=", ".join(known),
                )
            )
        return str(line_ref)

    def _check_line_quantities(self, line_quantities):
        """``{line id: quantity}``: lines of this package, whole quantities 0..ordered."""
        if not isinstance(line_quantities, dict) or not line_quantities:
            raise UserError(
                _("Give the lines to unsupply as {line id: quantity}, not %r.", line_quantities)
            )
        known = self._package_line_quantities()
        checked = {}
        for line_ref, quantity in line_quantities.items():
            line_ref = self._check_line_ref(line_ref, known, _("Line"))
            checked[line_ref] = arguments.check_int(
                self.env, quantity, _("Quantity of line %s", line_ref), 0, known[line_ref]
            )
        return checked

    def _check_unsupply_reason(self, reason_id):
        """One of the reason codes of the account's marketplace (as int or string)."""
        reasons = self.account_id._adapter_class().unsupply_reasons
        by_text = {str(code): code for code in reasons}
        if isinstance(reason_id, bool) or str(reason_id) not in by_text:
            return arguments.check_selection(
                self.env, reason_id, list(reasons), _("Unsupply reason")
            )
        return by_text[str(reason_id)]

    def _state_label(self, state):
        return dict(self._fields["package_state"]._description_selection(self.env))[state]

    def _check_line_groups(self, line_groups):
        """A list of lists of this package's line ids, each line in one group at most."""
        if not isinstance(line_groups, (list, tuple)) or not all(
            isinstance(group, (list, tuple)) for group in line_groups
        ):
            raise UserError(
                _(
                    "Give the lines to split off as a list of lists of line ids, not %r.",
                    line_groups,
                )
            )
        known = self._package_line_quantities()
        seen = set()
        for group in line_groups:
            for line_ref in group:
                line_ref = self._check_line_ref(line_ref, known, _("Line"))
                if line_ref in seen:
                    raise UserError(_("Line %s is in more than one group.", line_ref))
                seen.add(line_ref)
        if len(seen) >= len(known):
            raise UserError(
                _("Leave at least one line in the package: split off only some of its lines.")
            )
        return line_groups

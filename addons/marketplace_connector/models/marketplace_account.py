import json
import logging
import threading
import time
from datetime import datetime, timedelta, timezone

from odoo import Command, _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..lib import marketplace as marketplace_api
from ..lib import windows
from ..lib.http import IncompleteFetchError, MarketplaceError
from ..lib.pricing import POLICY_BEFORE, POLICY_DEDUCT
from .marketplace_sync_run import RUN_STATES

_logger = logging.getLogger(__name__)

SWEEP_HOURS = 48
DASHBOARD_DAYS = 14


def _as_date(value):
    return value.date() if isinstance(value, datetime) else value


def _bar_graph(key, days, values):
    """The JSON Odoo's ``dashboard_graph`` widget draws (as on the accounting dashboard)."""
    return json.dumps(
        [
            {
                "key": key,
                "values": [
                    {"label": day.strftime("%d.%m"), "value": value, "type": "past"}
                    for day, value in zip(days, values)
                ],
            }
        ]
    )


# features shown as offers_<feature> fields for the views
OFFERED_FEATURES = (
    "split",
    "unsupply",
    "labels",
    "stock_price",
    "claims",
    "claim_reject",
    "invoice_file",
    "own_cargo",
    "listings",
)
# fields that decide where a request carrying the credentials goes: Settings admins only
ROUTING_FIELDS = ("environment", "sandbox_url")
CREDENTIAL_FIELDS = (
    "marketplace",
    "supplier_id",
    "api_key",
    "api_secret",
    "integrator_name",
    *ROUTING_FIELDS,
)
# what approving a return creates after the marketplace call (credit note, return picking)
RETURN_DOCUMENT_MODELS = ("account.move", "account.move.line", "stock.picking", "stock.move")
# bounds of the public methods' arguments
MAX_SYNC_DAYS = 90  # a forced re-sync reads at most this period per call
FUTURE_TOLERANCE = timedelta(minutes=5)  # clock skew accepted on the end of a period
MAX_PROCESS_LIMIT = 10000
MAX_BATCH_SIZE = 500


def auto_commit_enabled():
    """Commit per batch in crons, never inside the test runner's cursor."""
    return not getattr(threading.current_thread(), "testing", False)


class MarketplaceAccount(models.Model):
    _name = "marketplace.account"
    _description = "Marketplace Account"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    marketplace = fields.Selection(
        selection="_selection_marketplace",
        required=True,
        default=lambda self: self._selection_marketplace()[0][0],
        tracking=True,
    )
    environment = fields.Selection(
        [
            ("production", "Production"),
            ("stage", "Test (the marketplace's test environment)"),
            ("sandbox", "Sandbox (local fake)"),
        ],
        required=True,
        default="production",
        tracking=True,
    )
    sandbox_url = fields.Char(
        string="Sandbox URL",
        default="http://localhost:8070",
        help="Base URL of the local fake marketplace used by the sandbox environment.",
    )
    supplier_id = fields.Char(
        string="Seller ID",
        tracking=True,
        help="The seller's (merchant's) id at the marketplace, shown in its seller panel "
        "with the API key.",
    )
    api_key = fields.Char(string="API Key", groups="base.group_system", copy=False)
    api_secret = fields.Char(string="API Secret", groups="base.group_system", copy=False)
    integrator_name = fields.Char(
        default="SelfIntegration",
        help="The integrator name registered at the marketplace, sent in the User-Agent "
        "('<seller id> - <integrator name>'); the marketplace refuses other names.",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        check_company=True,
        domain="[('company_id', '=', company_id)]",
        help="Warehouse that ships marketplace orders and whose stock is pushed.",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", check_company=True)
    pricelist_id = fields.Many2one("product.pricelist", check_company=True)
    user_id = fields.Many2one("res.users", string="Salesperson")
    payment_journal_id = fields.Many2one(
        "account.journal",
        check_company=True,
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
        help="When set, posted invoices are registered as paid through this journal "
        "(the marketplace collects the payment from the buyer).",
    )
    fallback_product_id = fields.Many2one(
        "product.product",
        string="Fallback Product",
        help="Used for order lines whose product is not found; the order is flagged.",
    )
    cargo_product_id = fields.Many2one(
        "product.product",
        string="Cargo Fee Product",
        help="Service product of the cargo fee line when the buyer paid for shipping.",
    )
    auto_confirm = fields.Boolean(default=True, string="Auto-confirm orders")
    auto_deliver = fields.Boolean(
        default=True,
        string="Auto-deliver when shipped",
        help="Validate the delivery when the marketplace reports Shipped or Delivered.",
    )
    auto_invoice = fields.Boolean(default=True, string="Auto-invoice")
    auto_send_edocument = fields.Boolean(default=True, string="Auto-send e-document")
    push_stock = fields.Boolean(default=False)
    push_price = fields.Boolean(default=False)
    own_cargo = fields.Boolean(
        string="Ship with our own carrier",
        help="The packages leave with the seller's own carrier contract: once a delivery is "
        "validated with its tracking number the marketplace is told the package shipped, and "
        "the package's delivery (or failed delivery) is reported from the order.",
    )
    invoice_send_mode = fields.Selection(
        [("file", "Upload the PDF"), ("link", "Send the portal link")],
        default="file",
        required=True,
        help="How the accepted e-document goes back to the marketplace. File upload works "
        "even when this Odoo is not reachable from the internet.",
    )
    marketplace_discount_policy = fields.Selection(
        [
            (
                POLICY_BEFORE,
                "Invoice the buyer at the price before the marketplace-funded "
                "discount (the marketplace pays the difference)",
            ),
            (POLICY_DEDUCT, "Deduct marketplace-funded discounts on the invoice"),
        ],
        string="Marketplace-funded discounts",
        required=True,
        default=POLICY_BEFORE,
        help="The seller's own discounts are always on the invoice. Discounts funded by the "
        "marketplace are either paid to the seller by the "
        "marketplace (the invoice keeps the price before them) or deducted on the invoice.",
    )
    sale_website = fields.Char(
        compute="_compute_internet_sale",
        store=True,
        readonly=False,
        help="Web site printed on e-Arşiv internet sale invoices.",
    )
    payment_agent = fields.Char(
        compute="_compute_internet_sale",
        store=True,
        readonly=False,
        help="Payment intermediary printed on e-Arşiv internet sale invoices.",
    )
    fetch_overlap_minutes = fields.Integer(
        default=10, help="Each fetch starts this many minutes before the saved cursor."
    )
    initial_fetch_days = fields.Integer(default=14)
    low_stock_threshold = fields.Float(default=5.0)
    cursor_ids = fields.One2many("marketplace.sync.cursor", "account_id")
    inbound_ids = fields.One2many("marketplace.order.inbound", "account_id")
    run_ids = fields.One2many("marketplace.sync.run", "account_id")
    listing_ids = fields.One2many("marketplace.listing", "account_id")
    push_request_log = fields.Text(
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="Fingerprints of the stock/price requests of the last 15 minutes (JSON).",
    )
    count_new = fields.Integer(string="New Orders", compute="_compute_counters")
    count_error = fields.Integer(string="Orders in Error", compute="_compute_counters")
    count_processed = fields.Integer(string="Processed Orders", compute="_compute_counters")
    count_claims = fields.Integer(string="Returns to Decide", compute="_compute_counters")
    last_run_date = fields.Datetime(compute="_compute_counters")
    last_run_state = fields.Selection(
        RUN_STATES, string="Last Run Status", compute="_compute_counters"
    )
    last_run_error = fields.Text(string="Last Run Error", compute="_compute_counters")
    # what the account's marketplace offers (lib.marketplace.FEATURES): the views hide the rest
    offers_split = fields.Boolean(compute="_compute_offers")
    offers_unsupply = fields.Boolean(compute="_compute_offers")
    offers_labels = fields.Boolean(compute="_compute_offers")
    offers_stock_price = fields.Boolean(compute="_compute_offers")
    offers_claims = fields.Boolean(compute="_compute_offers")
    offers_claim_reject = fields.Boolean(compute="_compute_offers")
    offers_invoice_file = fields.Boolean(compute="_compute_offers")
    offers_own_cargo = fields.Boolean(compute="_compute_offers")
    offers_listings = fields.Boolean(compute="_compute_offers")
    dashboard_orders_graph = fields.Text(compute="_compute_dashboard_graphs")
    dashboard_errors_graph = fields.Text(compute="_compute_dashboard_graphs")
    color = fields.Integer()

    _sql_constraints = [
        (
            "seller_unique",
            "unique(company_id, marketplace, supplier_id)",
            "This marketplace seller is already connected in this company.",
        ),
    ]

    @api.model
    def _selection_marketplace(self):
        return marketplace_api.selection()

    @api.depends("marketplace")
    def _compute_offers(self):
        for account in self:
            for feature in OFFERED_FEATURES:
                account[f"offers_{feature}"] = account._supports(feature)

    @api.depends("marketplace")
    def _compute_internet_sale(self):
        for account in self:
            adapter = account._adapter_class()
            account.sale_website = adapter.web_site if adapter else False
            account.payment_agent = adapter.payment_agent if adapter else False

    def _adapter_class(self):
        """The adapter class of this account's marketplace (None when not set)."""
        self.ensure_one()
        return marketplace_api.adapter_class(self.marketplace) if self.marketplace else None

    def _supports(self, feature):
        """Whether the account's marketplace offers ``feature`` (lib.marketplace.FEATURES)."""
        self.ensure_one()
        adapter = self._adapter_class()
        return bool(adapter) and adapter.supports(feature)

    def _require(self, feature):
        """UserError when the account's marketplace lacks ``feature``."""
        self.ensure_one()
        if not self._supports(feature):
            raise UserError(
                _(
                    "%(marketplace)s does not offer this function (%(feature)s).",
                    marketplace=self._adapter_class().name if self.marketplace else "-",
                    feature=feature,
                )
            )

    @api.constrains("fetch_overlap_minutes", "initial_fetch_days", "low_stock_threshold")
    def _check_fetch_bounds(self):
        for account in self:
            if not 0 <= account.fetch_overlap_minutes <= 24 * 60:
                raise ValidationError(_("The fetch overlap must be between 0 and 1440 minutes."))
            if not 1 <= account.initial_fetch_days <= MAX_SYNC_DAYS:
                raise ValidationError(
                    _("The first fetch reads between 1 and %s days.", MAX_SYNC_DAYS)
                )
            if account.low_stock_threshold < 0:
                raise ValidationError(_("The low stock threshold cannot be negative."))

    def _compute_counters(self):
        groups = self.env["marketplace.order.inbound"]._read_group(
            [("account_id", "in", self.ids)], ["account_id", "state"], ["__count"]
        )
        counts = {(account.id, state): count for account, state, count in groups}
        claims = dict(
            self.env["marketplace.claim"]._read_group(
                [("account_id", "in", self.ids), ("decision", "=", "to_decide")],
                ["account_id"],
                ["__count"],
            )
        )
        last_runs = dict(
            self.env["marketplace.sync.run"]._read_group(
                [("account_id", "in", self.ids)], ["account_id"], ["id:max"]
            )
        )
        for account in self:
            account.count_new = counts.get((account.id, "new"), 0)
            account.count_error = counts.get((account.id, "error"), 0)
            account.count_processed = counts.get((account.id, "processed"), 0)
            account.count_claims = claims.get(account, 0)
            last_run = self.env["marketplace.sync.run"].browse(last_runs.get(account))
            account.last_run_date = last_run.date_start
            account.last_run_state = last_run.state
            account.last_run_error = last_run.error

    def _compute_dashboard_graphs(self):
        """Orders and errors of the last DASHBOARD_DAYS days, for the kanban bar charts."""
        today = fields.Date.context_today(self)
        days = [today - timedelta(days=offset) for offset in range(DASHBOARD_DAYS - 1, -1, -1)]
        since = fields.Datetime.to_datetime(days[0])
        orders = self.env["marketplace.order.inbound"]._read_group(
            [("account_id", "in", self.ids), ("order_date", ">=", since)],
            ["account_id", "order_date:day"],
            ["__count"],
        )
        runs = self.env["marketplace.sync.run"]._read_group(
            [("account_id", "in", self.ids), ("date_start", ">=", since)],
            ["account_id", "date_start:day", "state"],
            ["failed:sum", "quarantined:sum", "__count"],
        )
        order_counts, error_counts = {}, {}
        for account, day, count in orders:
            order_counts[account.id, _as_date(day)] = count
        for account, day, state, failed, quarantined, count in runs:
            key = account.id, _as_date(day)
            error_counts[key] = (
                error_counts.get(key, 0)
                + failed
                + quarantined
                + (count if state == "failed" else 0)
            )
        for account in self:
            account.dashboard_orders_graph = _bar_graph(
                _("Orders"), days, [order_counts.get((account.id, day), 0) for day in days]
            )
            account.dashboard_errors_graph = _bar_graph(
                _("Errors"), days, [error_counts.get((account.id, day), 0) for day in days]
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_routing_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_routing_write(vals)
        return super().write(vals)

    def _check_routing_write(self, vals):
        """Where the API key and secret are sent is decided by Settings admins only."""
        if self.env.su or self.env.user.has_group("base.group_system"):
            return
        if set(vals) & set(ROUTING_FIELDS):
            raise AccessError(
                _(
                    "Only a Settings administrator can change the environment or "
                    "the sandbox URL of a marketplace account."
                )
            )

    # ------------------------------------------------------------------ client
    def _check_use(self, *records, operation="write", create_models=()):
        """Before any marketplace call with these accounts' credentials, with the caller's
        own environment: the caller is a Marketplaces user, may read the accounts (record rules
        included), works in their companies, may ``operation`` (write, create) the ``records``
        recordsets and may create the records of ``create_models`` that follow the call. Raises
        AccessError; crons (superuser) pass."""
        env = self.env
        if env.su:
            return
        # reading an account (its name on a report, say) is not using its credentials
        if not env.user.has_group("marketplace_connector.group_marketplace_user"):
            raise AccessError(_("Only Marketplaces users may work with the marketplace's account."))
        self.check_access("read")
        if self.company_id - env.companies:
            raise AccessError(
                _("You cannot use a marketplace account of a company you are not working in.")
            )
        for recordset in records:
            recordset.check_access(operation)
        for model in create_models:
            env[model].check_access("create")

    def _credentials(self):
        """Connection values of this account as plain values, secrets included.

        Read from the database, so no record with values the caller may not read lands in
        the caller's cache (check the caller's rights first with _check_use)."""
        self.ensure_one()
        self.env["marketplace.account"].flush_model([*CREDENTIAL_FIELDS, "name"])
        self.env.cr.execute(
            SQL(
                "SELECT name, %s FROM marketplace_account WHERE id = %s",
                SQL(", ").join(map(SQL.identifier, CREDENTIAL_FIELDS)),
                self.id,
            )
        )
        row = self.env.cr.dictfetchone() or dict.fromkeys((*CREDENTIAL_FIELDS, "name"))
        # the sandbox URL, else the environment's name: the adapter knows the addresses
        environment = row["environment"] or "production"
        base_url = {"sandbox": (row["sandbox_url"] or "http://localhost:8070").rstrip("/")}.get(
            environment, "test" if environment == "stage" else "production"
        )
        return {
            "name": row["name"] or "",
            "marketplace": row["marketplace"] or "",
            "base_url": base_url,
            "supplier_id": row["supplier_id"] or "",
            "api_key": row["api_key"] or "",
            "api_secret": row["api_secret"] or "",
            "integrator_name": row["integrator_name"] or "SelfIntegration",
        }

    def _adapter(self):
        """The marketplace adapter (lib.marketplace) of this account, built from
        _credentials(); every marketplace call of the models goes through it."""
        self.ensure_one()
        credentials = self._credentials()
        if not (
            credentials["supplier_id"] and credentials["api_key"] and credentials["api_secret"]
        ):
            raise UserError(
                _(
                    "Marketplace account %s has no seller id / API key / API secret.",
                    credentials["name"],
                )
            )
        try:
            return marketplace_api.adapter(credentials, logger=_logger)
        except ValueError as error:  # a seller id or integrator name the marketplace refuses
            raise UserError(
                _("Marketplace account %(name)s: %(error)s", name=credentials["name"], error=error)
            ) from error
        except MarketplaceError as error:
            raise UserError(
                _("Marketplace %s is not supported.", credentials["marketplace"])
            ) from error

    # --------------------------------------------------------------- fetching
    def _call(self, method, *args):
        """``adapter.<method>(*args)`` for a user's action: the marketplace's refusal (or a
        value it would refuse) comes back as a UserError with its message."""
        try:
            return getattr(self._adapter(), method)(*args)
        except (MarketplaceError, ValueError) as error:
            raise UserError(
                _(
                    "%(marketplace)s refused: %(error)s",
                    marketplace=self._adapter_class().name,
                    error=error,
                )
            ) from error

    def _get_cursor(self, kind):
        self.ensure_one()
        cursor = self.cursor_ids.filtered(lambda c: c.kind == kind)
        if not cursor:
            cursor = (
                self.env["marketplace.sync.cursor"]
                .sudo()
                .create({"account_id": self.id, "kind": kind})
            )
        return cursor

    def _fetch_start(self, cursor, now):
        return windows.fetch_start(
            cursor.last_sync,
            now,
            overlap=timedelta(minutes=self.fetch_overlap_minutes or 0),
            initial=timedelta(days=self.initial_fetch_days or 14),
        )

    def _windows(self, start, end):
        overlap = timedelta(minutes=self.fetch_overlap_minutes or 0)
        max_span = self._adapter_class().max_window
        return windows.slice_windows(start, end, max_span, min(overlap, max_span / 2))

    def sync_orders(self, account_id=None, start=None, end=None, move_cursor=True):
        """Fetch the orders of the account(s) into the inbound table.

        XML-RPC: ``marketplace.account.sync_orders(account_id)``. ``start``/``end`` are
        optional ``'YYYY-MM-DD HH:MM:SS'`` UTC strings (a forced re-sync of that window,
        the cursor is not moved then). Returns counters
        ``{'fetched', 'created', 'updated', 'unchanged', 'quarantined', 'windows',
        'skipped'}`` (``skipped``: accounts whose fetch was already running elsewhere).
        """
        accounts = self._accounts_arg(account_id)
        start, end = self._check_sync_period(start, end)
        move_cursor = arguments.check_bool(self.env, move_cursor, _("Move cursor"))
        accounts = accounts or self.search([])
        accounts._check_use(create_models=("marketplace.order.inbound",))
        totals = dict.fromkeys(
            ("fetched", "created", "updated", "unchanged", "quarantined", "windows", "skipped"), 0
        )
        errors, messages = [], []
        for account in accounts:
            counters = account._sync_orders_one(
                start=start,
                end=end,
                move_cursor=move_cursor and not start,
            )
            for key in totals:
                totals[key] += counters.get(key, 0)
            if counters.get("error"):
                errors.append(f"{account.name}: {counters['error']}")
            if counters.get("message"):
                messages.append(f"{account.name}: {counters['message']}")
        if errors:
            totals["error"] = "\n".join(errors)
        if messages:
            totals["message"] = "\n".join(messages)
        return totals

    def _try_sync_lock(self, kind):
        """Take the transaction-level advisory lock of this account's ``kind`` fetch; False
        when another transaction holds it (a fetch of the same data is running)."""
        self.ensure_one()
        self.env.cr.execute(
            "SELECT pg_try_advisory_xact_lock(hashtext(%s))", [f"marketplace-sync:{self.id}:{kind}"]
        )
        return self.env.cr.fetchone()[0]

    def _skipped_result(self, counters):
        return dict(
            counters, skipped=1, message=_("Skipped: another fetch of this account is running.")
        )

    def _commit_and_relock(self, kind):
        """Commit what is stored so far (crons only) and take the fetch lock again (it is
        released with the commit). False when another run took it in between."""
        if not auto_commit_enabled():
            return True
        self.env.cr.commit()
        return self._try_sync_lock(kind)

    def _accounts_arg(self, account_id):
        """The accounts a public method works on: ``account_id`` (one id or a list) when
        given, else the (checked) records it was called on."""
        if account_id:
            return arguments.check_records(
                self.env, self._name, account_id, _("Marketplace account")
            )
        return arguments.check_self(self)

    @api.model
    def _check_sync_period(self, start, end):
        """``(start, end)`` of a forced re-sync as naive UTC datetimes, or ``(None, None)``:
        start before end, not in the future, at most ``MAX_SYNC_DAYS`` long."""
        start = arguments.check_datetime(self.env, start, _("Start"))
        end = arguments.check_datetime(self.env, end, _("End"))
        if not start:
            if end:
                raise UserError(_("Give the start of the period to re-read too."))
            return None, None
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        end = end or now
        if start >= end:
            raise UserError(
                _(
                    "The start of the period (%(start)s) must be before its end (%(end)s).",
                    start=start,
                    end=end,
                )
            )
        if end > now + FUTURE_TOLERANCE:
            raise UserError(_("The period cannot end in the future (%s UTC).", end))
        if end - start > timedelta(days=MAX_SYNC_DAYS):
            raise UserError(
                _("A period of at most %s days can be re-read per call.", MAX_SYNC_DAYS)
            )
        return start, end

    def _sync_orders_one(self, start=None, end=None, move_cursor=True, kind="fetch"):
        self.ensure_one()
        counters = dict.fromkeys(
            ("fetched", "created", "updated", "unchanged", "quarantined", "windows"), 0
        )
        if not self._try_sync_lock(kind):
            return self._skipped_result(counters)
        # with microseconds: a package modified within the current second is in the window
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        # a sweep or a forced window neither reads nor creates the cursor (its lock is
        # another one: two first runs must not both create it)
        cursor = self._get_cursor("orders") if move_cursor or not start else None
        start = start or self._fetch_start(cursor, now)
        # an old cursor catches up MAX_SYNC_DAYS per run: the requests of one call are bounded
        end = end or min(now, start + timedelta(days=MAX_SYNC_DAYS))
        run = self.env["marketplace.sync.run"]._start(self, kind, start, end)
        try:
            adapter = self._adapter()
            for window_start, window_end in self._windows(start, end):
                try:
                    packages = adapter.fetch_packages(window_start, window_end)
                except IncompleteFetchError as error:
                    # what was read is kept; the window (and the cursor) is read again
                    self._store_packages(error.packages, run, counters)
                    raise
                self._store_packages(packages, run, counters)
                counters["windows"] += 1
                # The cursor moves only once the whole window is read and stored.
                if cursor and move_cursor:
                    cursor.sudo().last_sync = windows.next_cursor(cursor.last_sync, window_end)
                if not self._commit_and_relock(kind):
                    break
        except (MarketplaceError, UserError) as error:
            run._finish(counters, error=str(error))
            if auto_commit_enabled():
                self.env.cr.commit()
            return dict(counters, error=str(error))
        run._finish(counters)
        return counters

    def _store_packages(self, packages, run, counters):
        inbound = self.env["marketplace.order.inbound"]
        for raw in packages:
            result = inbound._store_package(self, raw, run)
            counters["fetched"] += 1
            counters[result] += 1

    def sync_now(self):
        """XML-RPC: fetch then process the orders of these accounts now.

        Returns ``{'fetched', 'created', 'updated', 'unchanged', 'quarantined', 'windows',
        'processed', 'failed'}`` (and ``'error'`` when the marketplace could not be read).
        """
        accounts = arguments.check_self(self) or self.search([])
        totals = accounts.sync_orders()
        totals.update(accounts.process_pending())
        return totals

    def action_sync_now(self):
        return self._notify_result(_("Sync now"), self.sync_now())

    def action_sweep(self):
        return self._notify_result(_("Sweep last 48 h"), self.sweep())

    def action_sync_claims(self):
        return self._notify_result(_("Fetch claims"), self.sync_claims())

    def action_report_back(self):
        return self._notify_result(_("Report back"), self.report_back())

    def action_push_stock_prices(self):
        return self._notify_result(_("Push stock and prices"), self.push_stock_prices())

    def _counter_labels(self):
        return {
            "fetched": _("fetched"),
            "created": _("new"),
            "updated": _("updated"),
            "quarantined": _("quarantined"),
            "processed": _("processed"),
            "failed": _("failed"),
            "picking": _("reported picking"),
            "invoiced": _("reported invoiced"),
            "invoices_sent": _("invoices sent"),
            "sent": _("sent"),
            "succeeded": _("confirmed"),
            "skipped": _("unchanged"),
        }

    def _notify_result(self, title, counters):
        """A button's answer: the counts of what happened, or the marketplace's error."""
        labels = self._counter_labels()
        parts = [
            f"{counters[key]} {label}"
            for key, label in labels.items()
            if isinstance(counters.get(key), int) and counters[key]
        ]
        error = counters.get("error")
        failed = error or counters.get("failed") or counters.get("quarantined")
        message = ", ".join(parts) or _("Nothing to do.")
        if error:
            message = _("%(counts)s. Error: %(error)s", counts=message, error=error)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "sticky": bool(error),
                "type": "danger" if error else ("warning" if failed else "success"),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def sweep(self):
        """XML-RPC: re-read the last 48 hours without moving the cursor (missed-order
        safety net). Returns the fetch counters (and ``'error'``)."""
        totals = {}
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        accounts = arguments.check_self(self) or self.search([])
        accounts._check_use(create_models=("marketplace.order.inbound",))
        for account in accounts:
            counters = account._sync_orders_one(
                start=now - timedelta(hours=SWEEP_HOURS), end=now, move_cursor=False, kind="sweep"
            )
            for key, value in counters.items():
                if isinstance(value, int):
                    totals[key] = totals.get(key, 0) + value
            if counters.get("error"):
                totals["error"] = "\n".join(
                    filter(None, (totals.get("error"), f"{account.name}: {counters['error']}"))
                )
        return totals

    def process_pending(self, limit=None, batch_size=50):
        """Turn new inbound packages into sale orders, deliveries and invoices.

        XML-RPC: ``marketplace.account.process_pending()``; returns
        ``{'processed', 'failed', 'remaining'}``.
        """
        if limit not in (None, False):
            limit = arguments.check_int(self.env, limit, _("Limit"), 1, MAX_PROCESS_LIMIT)
        batch_size = arguments.check_int(self.env, batch_size, _("Batch size"), 1, MAX_BATCH_SIZE)
        accounts = arguments.check_self(self) or self.search([])
        return self.env["marketplace.order.inbound"]._process_pending(
            accounts, limit=limit, batch_size=batch_size
        )

    # ------------------------------------------------------------------- crons
    @api.model
    def _cron_fetch_orders(self):
        self.env["marketplace.sync.run"]._mark_stale_runs()
        for account in self.search([]):
            account._sync_orders_one()
            account._sync_claims_one()

    @api.model
    def _cron_process_orders(self):
        accounts = self.search([])
        result = self.env["marketplace.order.inbound"]._process_pending(
            accounts, limit=500, batch_size=50
        )
        if result["remaining"]:
            self.env.ref("marketplace_connector.ir_cron_marketplace_process")._trigger()

    @api.model
    def _cron_sweep(self):
        self.search([]).sweep()

    @api.model
    def _cron_report_back(self):
        self.search([]).report_back()

    @api.model
    def _cron_push_stock_prices(self):
        self.search(["|", ("push_stock", "=", True), ("push_price", "=", True)]).push_stock_prices()

    @api.model
    def _cron_daily_summary(self):
        self.search([]).send_daily_summary()

    # --------------------------------------------------------------- back-channel
    def report_back(self):
        """Report Picking/Invoiced and send accepted invoices back for these accounts.

        XML-RPC: ``marketplace.account.report_back()`` → ``{'picking', 'invoiced',
        'invoices_sent', 'shipped', 'failed'}`` (``shipped``: packages of our own carrier).
        """
        accounts = arguments.check_self(self) or self.search([])
        inbound = self.env["marketplace.order.inbound"].search(
            [
                ("account_id", "in", accounts.ids),
                ("state", "=", "processed"),
                ("sale_order_id", "!=", False),
                ("backchannel_done", "=", False),
            ]
        )
        accounts._check_use(inbound)
        return inbound._report_back()

    # ------------------------------------------------------------- stock/price
    def push_stock_prices(self):
        """Send changed stock and prices of the listings (batches ≤ 1000), then poll results.

        XML-RPC: ``marketplace.account.push_stock_prices()`` →
        ``{'sent', 'batches', 'skipped', 'succeeded', 'failed'}`` plus ``'error'`` (the
        marketplace's answer per account) when a push could not be sent; ``failed``
        counts items refused or left without a result past the deadline.
        """
        totals = dict.fromkeys(("sent", "batches", "skipped", "succeeded", "failed"), 0)
        errors = []
        accounts = arguments.check_self(self) or self.search([])
        accounts._check_use(accounts._listings())
        for account in accounts:
            counters = self.env["marketplace.listing"]._push_account(account)
            for key in totals:
                totals[key] += counters.get(key, 0)
            if counters.get("error"):
                errors.append(f"{account.name}: {counters['error']}")
        if errors:
            totals["error"] = "\n".join(errors)
        return totals

    def sync_listings(self):
        """Read the accounts' listings from the marketplace and mark those it stocks itself
        (fulfilled by the marketplace: never pushed), by stock code or barcode.

        XML-RPC: ``marketplace.account.sync_listings([account_id])`` → ``{'read',
        'fulfilled', 'unknown'}`` (``unknown``: marketplace listings without a listing here).
        """
        accounts = arguments.check_self(self)
        accounts._check_use(accounts._listings())
        totals = {"read": 0, "fulfilled": 0, "unknown": 0}
        for account in accounts:
            account._require("listings")
            listings = account._listings()
            by_code = {listing.stock_code: listing for listing in listings if listing.stock_code}
            by_barcode = {listing.barcode: listing for listing in listings}
            adapter = account._adapter()
            for raw in adapter.fetch_listings():
                values = adapter.normalize_listing(raw)
                listing = by_code.get(values["stock_code"]) or by_barcode.get(values["barcode"])
                totals["read"] += 1
                if not listing:
                    totals["unknown"] += 1
                    continue
                fulfilled = values["fulfilled_by_marketplace"]
                if listing.fulfilled_by_marketplace != fulfilled:
                    listing.fulfilled_by_marketplace = fulfilled
                totals["fulfilled"] += fulfilled
        return totals

    def action_sync_listings(self):
        result = self.sync_listings()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _(
                    "%(read)s listings read, %(fulfilled)s stocked by the marketplace, "
                    "%(unknown)s not known here.",
                    **result,
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _recent_push_requests(self, now):
        """{fingerprint: sent_at} of the stock/price bodies sent in the last 15 minutes."""
        log = json.loads(self.sudo().push_request_log or "{}")
        recent = {}
        for fingerprint, sent_at in log.items():
            moment = fields.Datetime.to_datetime(sent_at)
            if now - moment < timedelta(minutes=15):
                recent[fingerprint] = moment
        return recent

    def _store_push_requests(self, recent):
        self.sudo().push_request_log = json.dumps(
            {key: fields.Datetime.to_string(value) for key, value in recent.items()}
        )

    def poll_push_results(self):
        """Read the results of pending stock/price batches. Returns ``{'succeeded', 'failed'}``."""
        accounts = arguments.check_self(self) or self.search([])
        accounts._check_use(accounts._listings())
        return self.env["marketplace.listing"]._poll_batches(accounts)

    def _listings(self):
        return self.env["marketplace.listing"].search([("account_id", "in", self.ids)])

    # ------------------------------------------------------------------ claims
    def sync_claims(self, account_id=None):
        """Fetch the claims (returns) of the account(s). Returns ``{'fetched', 'created'}``."""
        accounts = self._accounts_arg(account_id) or self.search([])
        accounts._check_use(create_models=("marketplace.claim",))
        totals = {"fetched": 0, "created": 0}
        for account in accounts:
            counters = account._sync_claims_one()
            for key in totals:
                totals[key] += counters.get(key, 0)
            if counters.get("error"):
                totals["error"] = counters["error"]
            if counters.get("message"):
                totals["message"] = counters["message"]
        return totals

    def _sync_claims_one(self):
        self.ensure_one()
        counters = {"fetched": 0, "created": 0, "updated": 0}
        if not self._try_sync_lock("claims"):
            return self._skipped_result(counters)
        # with microseconds, as for orders: a claim of the current second is in the window
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        cursor = self._get_cursor("claims")
        start = self._fetch_start(cursor, now)
        end = min(now, start + timedelta(days=MAX_SYNC_DAYS))  # an old cursor catches up
        run = self.env["marketplace.sync.run"]._start(self, "claims", start, end)
        try:
            adapter = self._adapter()
            for window_start, window_end in self._windows(start, end):
                for raw in adapter.fetch_claims(window_start, window_end):
                    created = self.env["marketplace.claim"]._store_claim(self, raw)
                    counters["fetched"] += 1
                    counters["created" if created else "updated"] += 1
                cursor.sudo().last_sync = windows.next_cursor(cursor.last_sync, window_end)
                if not self._commit_and_relock("claims"):
                    break
        except (MarketplaceError, UserError) as error:
            run._finish(counters, error=str(error))
            return dict(counters, error=str(error))
        run._finish(counters)
        return counters

    # ------------------------------------------------------------ daily summary
    def _summary_values(self):
        """Plain numbers of the last 24 hours for the daily summary e-mail."""
        self.ensure_one()
        since = fields.Datetime.now() - timedelta(days=1)
        orders = self.env["sale.order"].search(
            [
                ("marketplace_account_id", "=", self.id),
                ("create_date", ">=", since),
                ("state", "=", "sale"),
            ]
        )
        errors = self.env["marketplace.order.inbound"].search(
            [("account_id", "=", self.id), ("state", "=", "error")]
        )
        low_stock = self.listing_ids.filtered(
            lambda listing: (
                listing.active
                and listing.product_id
                and listing.qty_available_to_push <= self.low_stock_threshold
            )
        )
        return {
            "orders": len(orders),
            "revenue": sum(orders.mapped("amount_total")),
            "errors": len(errors),
            "error_lines": [
                f"{row.order_number or row.package_id}: {row.error_reason}" for row in errors[:20]
            ],
            "low_stock": [
                f"{listing.barcode} {listing.product_id.display_name}: "
                f"{listing.qty_available_to_push:g}"
                for listing in low_stock[:50]
            ],
        }

    def send_daily_summary(self):
        """E-mail the daily summary to the configured list. Returns the number of mails queued."""
        arguments.check_self(self)
        recipients = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("marketplace_connector.summary_emails", "")
        )
        if not recipients.strip():
            return 0
        template = self.env.ref("marketplace_connector.mail_template_daily_summary")
        sent = 0
        for account in self or self.search([]):
            template.with_context(
                summary=account._summary_values(),
                summary_to=recipients,
            ).send_mail(account.id, email_values={"email_to": recipients})
            sent += 1
        return sent

    # --------------------------------------------------------------------- demo
    @api.model
    def _demo_setup(self, account_id, stock_rows):
        """Demo: warehouse/team of the account's company, product KDV and on-hand stock."""
        account = self.browse(account_id)
        company = account.company_id
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        team = self.env["crm.team"].search([("company_id", "in", [company.id, False])], limit=1)
        account.write({"warehouse_id": warehouse.id, "team_id": team.id})
        Quant = self.env["stock.quant"].with_company(company)
        for product_id, quantity, vat_rate in stock_rows:
            product = self.env["product.product"].browse(product_id)
            tax = self.env["account.tax"].search(
                [
                    ("company_id", "=", company.id),
                    ("type_tax_use", "=", "sale"),
                    ("amount_type", "=", "percent"),
                    ("amount", "=", vat_rate),
                ],
                limit=1,
            )
            product.taxes_id = [Command.set(tax.ids)]
            if warehouse and quantity:
                Quant._update_available_quantity(product, warehouse.lot_stock_id, quantity)
        return True

    # ------------------------------------------------------------------ actions
    def action_open_inbound(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "marketplace_connector.action_marketplace_order_inbound"
        )
        action["domain"] = [("account_id", "=", self.id)]
        state = self.env.context.get("inbound_state")
        if state:
            action["domain"].append(("state", "=", state))
        return action

    def action_open_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("sale.action_orders")
        action["domain"] = [("marketplace_account_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_test_connection(self):
        """Read the last day of packages; raises UserError with the marketplace's answer."""
        arguments.check_one(self)
        self._check_use()
        now = fields.Datetime.now()
        started = time.monotonic()
        try:
            packages = self._adapter().fetch_packages(now - timedelta(days=1), now)
        except MarketplaceError as error:
            raise UserError(_("Connection failed: %s", error)) from error
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _(
                    "Connection OK: %(count)s package(s) in the last day (%(ms)s ms).",
                    count=len(packages),
                    ms=int((time.monotonic() - started) * 1000),
                ),
            },
        }

"""Integrator settings of a company (credentials are readable by system administrators only)."""

from odoo import _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..lib.integrators import IntegratorError, get_provider
from ..lib.integrators.izibiz import IzibizProvider
from ..lib.integrators.uyumsoft import UyumsoftProvider

INTEGRATORS = [("izibiz", "İzibiz"), ("uyumsoft", "Uyumsoft")]
ENVIRONMENTS = [("test", "Test"), ("production", "Production")]
# company field -> (integrator, key in the adapter's ``urls``)
URL_FIELDS = {
    "l10n_tr_izibiz_auth_url": ("izibiz", "auth"),
    "l10n_tr_izibiz_einvoice_url": ("izibiz", "einvoice"),
    "l10n_tr_izibiz_earchive_url": ("izibiz", "earchive"),
    "l10n_tr_uyumsoft_url": ("uyumsoft", "integration"),
}
DEFAULT_BATCH_SIZE = 20
# fields that decide where a request carrying the credentials goes: Settings admins only
ROUTING_FIELDS = ("l10n_tr_integrator_environment", *URL_FIELDS)
# what building an adapter needs, read as plain values (see _l10n_tr_integrator_credentials)
CREDENTIAL_FIELDS = (
    "l10n_tr_integrator",
    "l10n_tr_integrator_username",
    "l10n_tr_integrator_password",
    "l10n_tr_integrator_timeout",
    "l10n_tr_sender_alias",
    *ROUTING_FIELDS,
)
EDOC_USER_GROUP = "l10n_tr_efatura.group_edoc_user"
EDOC_MANAGER_GROUP = "l10n_tr_efatura.group_edoc_manager"
MAX_BATCH_SIZE = 100  # İzibiz's largest request
MAX_TIMEOUT = 300  # seconds
DEFAULT_URLS = {"izibiz": IzibizProvider.DEFAULT_URLS, "uyumsoft": UyumsoftProvider.DEFAULT_URLS}


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_tr_integrator = fields.Selection(INTEGRATORS, string="e-Fatura Integrator")
    l10n_tr_integrator_environment = fields.Selection(
        ENVIRONMENTS, string="Integrator Environment", default="test", required=True
    )
    l10n_tr_integrator_username = fields.Char(
        string="Integrator User Name", groups="base.group_system"
    )
    l10n_tr_integrator_password = fields.Char(
        string="Integrator Password", groups="base.group_system"
    )
    l10n_tr_izibiz_auth_url = fields.Char(
        string="İzibiz AuthenticationWS WSDL",
        compute="_compute_l10n_tr_integrator_urls",
        store=True,
        readonly=False,
    )
    l10n_tr_izibiz_einvoice_url = fields.Char(
        string="İzibiz EInvoiceWS WSDL",
        compute="_compute_l10n_tr_integrator_urls",
        store=True,
        readonly=False,
    )
    l10n_tr_izibiz_earchive_url = fields.Char(
        string="İzibiz EIArchiveWS WSDL",
        compute="_compute_l10n_tr_integrator_urls",
        store=True,
        readonly=False,
    )
    l10n_tr_uyumsoft_url = fields.Char(
        string="Uyumsoft Integration WSDL",
        compute="_compute_l10n_tr_integrator_urls",
        store=True,
        readonly=False,
    )
    l10n_tr_integrator_timeout = fields.Integer(string="Integrator Timeout (s)", default=30)
    l10n_tr_sender_alias = fields.Char(
        string="Sender Alias (GB)", help="Gönderici birim etiketi, e.g. urn:mail:defaultgb@..."
    )
    l10n_tr_earchive_delivery = fields.Selection(
        [("electronic", "Electronic (e-mail)"), ("paper", "Paper")],
        string="Default e-Arşiv Delivery",
        default="electronic",
        required=True,
    )
    l10n_tr_edoc_auto_send = fields.Boolean(
        string="Send e-Documents Automatically",
        help="A scheduled action sends posted invoices to the integrator.",
    )
    l10n_tr_edoc_batch_size = fields.Integer(
        string="Documents per Request",
        default=DEFAULT_BATCH_SIZE,
        help="Automatic sending groups this many documents into one integrator request "
        "where the integrator allows it (İzibiz: per receiver mailbox, up to 100).",
    )

    l10n_tr_incoming_user_id = fields.Many2one(
        "res.users",
        string="Incoming e-Invoices Responsible",
        domain="[('share', '=', False), ('company_ids', 'in', id)]",
        help="Gets the to-do to accept or reject an incoming commercial e-invoice before its "
        "answer deadline.",
    )

    @api.constrains("l10n_tr_edoc_batch_size")
    def _check_l10n_tr_edoc_batch_size(self):
        if any(not 1 <= company.l10n_tr_edoc_batch_size <= MAX_BATCH_SIZE for company in self):
            raise ValidationError(
                _("Documents per request must be between 1 and %s.", MAX_BATCH_SIZE)
            )

    @api.constrains("l10n_tr_integrator_timeout")
    def _check_l10n_tr_integrator_timeout(self):
        if any(not 1 <= company.l10n_tr_integrator_timeout <= MAX_TIMEOUT for company in self):
            raise ValidationError(
                _("The integrator timeout must be between 1 and %s seconds.", MAX_TIMEOUT)
            )

    @api.depends("l10n_tr_integrator_environment")
    def _compute_l10n_tr_integrator_urls(self):
        for company in self:
            environment = company.l10n_tr_integrator_environment or "test"
            for field_name, (integrator, key) in URL_FIELDS.items():
                company[field_name] = DEFAULT_URLS[integrator][environment][key]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._l10n_tr_check_routing_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._l10n_tr_check_routing_write(vals)
        return super().write(vals)

    def _l10n_tr_check_routing_write(self, vals):
        """Where the integrator credentials are sent is decided by Settings admins only."""
        if self.env.su or self.env.user.has_group("base.group_system"):
            return
        if set(vals) & set(ROUTING_FIELDS):
            raise AccessError(
                _(
                    "Only a Settings administrator can change the integrator "
                    "environment or its service addresses."
                )
            )

    def _l10n_tr_check_integrator_use(self, records=None, operation="write", group=EDOC_USER_GROUP):
        """Before any call to the integrator of these companies, with the caller's own
        environment: the caller is in ``group``, works in these companies and may
        ``operation`` (write, create) ``records`` (record rules included). Raises
        AccessError; crons (superuser) pass."""
        env = self.env
        if env.su:
            return
        if records is not None:
            records.check_access(operation)
        if not env.user.has_group(group):
            raise AccessError(_("You are not allowed to use the e-Fatura integrator."))
        if self - env.companies:
            raise AccessError(
                _("You cannot use the e-Fatura integrator of a company you are not working in.")
            )

    def _l10n_tr_integrator_credentials(self):
        """The integrator settings of this company as plain values, secrets included.

        Read from the database, so no record with values the caller may not read lands in
        the caller's cache (check the caller's rights first)."""
        self.ensure_one()
        self.env["res.company"].flush_model([*CREDENTIAL_FIELDS, "name", "partner_id"])
        self.env["res.partner"].flush_model(["vat"])
        self.env.cr.execute(
            SQL(
                "SELECT %s, company.name, partner.vat FROM res_company company "
                "JOIN res_partner partner ON partner.id = company.partner_id "
                "WHERE company.id = %s",
                SQL(", ").join(SQL.identifier("company", name) for name in CREDENTIAL_FIELDS),
                self.id,
            )
        )
        row = self.env.cr.dictfetchone() or dict.fromkeys((*CREDENTIAL_FIELDS, "name", "vat"))
        integrator = row["l10n_tr_integrator"] or ""
        return {
            "company_name": row["name"] or "",
            "sender_vat": (row["vat"] or "").replace("TR", "").strip(),
            "integrator": integrator,
            "username": row["l10n_tr_integrator_username"] or "",
            "password": row["l10n_tr_integrator_password"] or "",
            "environment": row["l10n_tr_integrator_environment"] or "test",
            "urls": {
                key: row[field_name]
                for field_name, (owner, key) in URL_FIELDS.items()
                if owner == integrator
            },
            "timeout": row["l10n_tr_integrator_timeout"] or 30,
            "sender_alias": row["l10n_tr_sender_alias"] or "",
        }

    def _l10n_tr_has_integrator(self):
        self.ensure_one()
        credentials = self._l10n_tr_integrator_credentials()
        return bool(credentials["integrator"] and credentials["username"])

    def _l10n_tr_provider(self, move=None):
        """The integrator adapter of this company; every call lands in the e-document log.
        The caller's rights are checked first (_l10n_tr_check_integrator_use)."""
        self.ensure_one()
        credentials = self._l10n_tr_integrator_credentials()
        if not (credentials["integrator"] and credentials["username"]):
            raise UserError(
                _(
                    "Configure an e-Fatura integrator and its credentials for %s "
                    "in the Accounting settings first.",
                    credentials["company_name"],
                )
            )
        log = self.env["l10n_tr.edoc.log"]
        company_id, integrator = self.id, credentials["integrator"]

        def record(entry):
            # batch calls carry their documents in the log context
            context = entry.get("context") or {}
            move_ids = context.get("move_ids") or (move.ids if move else [])
            log._l10n_tr_record(
                {
                    **{key: value for key, value in entry.items() if key != "context"},
                    "company_id": company_id,
                    "integrator": integrator,
                    "move_id": move_ids[0] if len(move_ids) == 1 else False,
                    "documents": ", ".join(context.get("documents") or []) or False,
                }
            )

        return get_provider(
            integrator,
            username=credentials["username"],
            password=credentials["password"],
            environment=credentials["environment"],
            urls=credentials["urls"],
            timeout=credentials["timeout"],
            sender_alias=credentials["sender_alias"],
            sender_vat=credentials["sender_vat"],
            log_callback=record,
        )

    def l10n_tr_test_integrator(self):
        """XML-RPC/UI: check the credentials by looking up the company's own VKN."""
        arguments.check_one(self)
        self._l10n_tr_check_integrator_use(group=EDOC_MANAGER_GROUP)
        try:
            info = self._l10n_tr_provider().check_user((self.vat or "").replace("TR", ""))
        except IntegratorError as exc:
            raise UserError(_("Integrator connection failed: %s", exc)) from exc
        return {"ok": True, "registered": info.registered, "aliases": info.aliases}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_tr_integrator = fields.Selection(related="company_id.l10n_tr_integrator", readonly=False)
    l10n_tr_integrator_environment = fields.Selection(
        related="company_id.l10n_tr_integrator_environment",
        readonly=False,
        groups="base.group_system",
    )
    l10n_tr_integrator_username = fields.Char(
        related="company_id.l10n_tr_integrator_username", readonly=False, groups="base.group_system"
    )
    l10n_tr_integrator_password = fields.Char(
        related="company_id.l10n_tr_integrator_password", readonly=False, groups="base.group_system"
    )
    l10n_tr_izibiz_auth_url = fields.Char(
        related="company_id.l10n_tr_izibiz_auth_url", readonly=False, groups="base.group_system"
    )
    l10n_tr_izibiz_einvoice_url = fields.Char(
        related="company_id.l10n_tr_izibiz_einvoice_url", readonly=False, groups="base.group_system"
    )
    l10n_tr_izibiz_earchive_url = fields.Char(
        related="company_id.l10n_tr_izibiz_earchive_url", readonly=False, groups="base.group_system"
    )
    l10n_tr_uyumsoft_url = fields.Char(
        related="company_id.l10n_tr_uyumsoft_url", readonly=False, groups="base.group_system"
    )
    l10n_tr_integrator_timeout = fields.Integer(
        related="company_id.l10n_tr_integrator_timeout", readonly=False
    )
    l10n_tr_sender_alias = fields.Char(related="company_id.l10n_tr_sender_alias", readonly=False)
    l10n_tr_earchive_delivery = fields.Selection(
        related="company_id.l10n_tr_earchive_delivery", readonly=False
    )
    l10n_tr_edoc_auto_send = fields.Boolean(
        related="company_id.l10n_tr_edoc_auto_send", readonly=False
    )
    l10n_tr_edoc_batch_size = fields.Integer(
        related="company_id.l10n_tr_edoc_batch_size", readonly=False
    )
    l10n_tr_incoming_user_id = fields.Many2one(
        related="company_id.l10n_tr_incoming_user_id", readonly=False
    )

    def l10n_tr_action_test_integrator(self):
        result = self.company_id.l10n_tr_test_integrator()
        return (
            {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": _("Connection to the integrator works."),
                    "sticky": False,
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
            if result
            else None
        )

"""Integrator settings of a company (credentials are readable by system administrators only)."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib.integrators import IntegratorError, get_provider
from ..lib.integrators.izibiz import IzibizProvider
from ..lib.integrators.uyumsoft import UyumsoftProvider
from . import arguments

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
MAX_BATCH_SIZE = 100  # İzibiz's largest request
MAX_TIMEOUT = 300  # seconds
DEFAULT_URLS = {"izibiz": IzibizProvider.DEFAULT_URLS, "uyumsoft": UyumsoftProvider.DEFAULT_URLS}


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_tr_integrator = fields.Selection(INTEGRATORS, string="e-Fatura Integrator")
    l10n_tr_integrator_environment = fields.Selection(
        ENVIRONMENTS, string="Integrator Environment", default="test", required=True)
    l10n_tr_integrator_username = fields.Char(string="Integrator User Name",
                                              groups="base.group_system")
    l10n_tr_integrator_password = fields.Char(string="Integrator Password",
                                              groups="base.group_system")
    l10n_tr_izibiz_auth_url = fields.Char(
        string="İzibiz AuthenticationWS WSDL", compute="_compute_l10n_tr_integrator_urls",
        store=True, readonly=False)
    l10n_tr_izibiz_einvoice_url = fields.Char(
        string="İzibiz EInvoiceWS WSDL", compute="_compute_l10n_tr_integrator_urls",
        store=True, readonly=False)
    l10n_tr_izibiz_earchive_url = fields.Char(
        string="İzibiz EIArchiveWS WSDL", compute="_compute_l10n_tr_integrator_urls",
        store=True, readonly=False)
    l10n_tr_uyumsoft_url = fields.Char(
        string="Uyumsoft Integration WSDL", compute="_compute_l10n_tr_integrator_urls",
        store=True, readonly=False)
    l10n_tr_integrator_timeout = fields.Integer(string="Integrator Timeout (s)", default=30)
    l10n_tr_sender_alias = fields.Char(
        string="Sender Alias (GB)", help="Gönderici birim etiketi, e.g. urn:mail:defaultgb@...")
    l10n_tr_earchive_delivery = fields.Selection(
        [("electronic", "Electronic (e-mail)"), ("paper", "Paper")],
        string="Default e-Arşiv Delivery", default="electronic", required=True)
    l10n_tr_edoc_auto_send = fields.Boolean(
        string="Send e-Documents Automatically",
        help="A scheduled action sends posted invoices to the integrator.")
    l10n_tr_edoc_batch_size = fields.Integer(
        string="Documents per Request", default=DEFAULT_BATCH_SIZE,
        help="Automatic sending groups this many documents into one integrator request "
             "where the integrator allows it (İzibiz: per receiver mailbox, up to 100).")

    @api.constrains("l10n_tr_edoc_batch_size")
    def _check_l10n_tr_edoc_batch_size(self):
        if any(not 1 <= company.l10n_tr_edoc_batch_size <= MAX_BATCH_SIZE for company in self):
            raise ValidationError(_("Documents per request must be between 1 and %s.",
                                    MAX_BATCH_SIZE))

    @api.constrains("l10n_tr_integrator_timeout")
    def _check_l10n_tr_integrator_timeout(self):
        if any(not 1 <= company.l10n_tr_integrator_timeout <= MAX_TIMEOUT for company in self):
            raise ValidationError(_("The integrator timeout must be between 1 and %s seconds.",
                                    MAX_TIMEOUT))

    @api.depends("l10n_tr_integrator_environment")
    def _compute_l10n_tr_integrator_urls(self):
        for company in self:
            environment = company.l10n_tr_integrator_environment or "test"
            for field_name, (integrator, key) in URL_FIELDS.items():
                company[field_name] = DEFAULT_URLS[integrator][environment][key]

    def _l10n_tr_integrator_urls(self):
        self.ensure_one()
        return {key: self[field_name] for field_name, (integrator, key) in URL_FIELDS.items()
                if integrator == self.l10n_tr_integrator}

    def _l10n_tr_has_integrator(self):
        self.ensure_one()
        company = self.sudo()
        return bool(company.l10n_tr_integrator and company.l10n_tr_integrator_username)

    def _l10n_tr_provider(self, move=None):
        """The integrator adapter of this company; every call lands in the e-document log."""
        self.ensure_one()
        company = self.sudo()
        if not company._l10n_tr_has_integrator():
            raise UserError(_("Configure an e-Fatura integrator and its credentials for %s "
                              "in the Accounting settings first.", company.name))
        log = self.env["l10n_tr.edoc.log"]

        def record(entry):
            # batch calls carry their documents in the log context
            context = entry.get("context") or {}
            move_ids = context.get("move_ids") or (move.ids if move else [])
            log._l10n_tr_record({
                **{key: value for key, value in entry.items() if key != "context"},
                "company_id": company.id, "integrator": company.l10n_tr_integrator,
                "move_id": move_ids[0] if len(move_ids) == 1 else False,
                "documents": ", ".join(context.get("documents") or []) or False})

        return get_provider(
            company.l10n_tr_integrator, username=company.l10n_tr_integrator_username,
            password=company.l10n_tr_integrator_password or "",
            environment=company.l10n_tr_integrator_environment,
            urls=company._l10n_tr_integrator_urls(),
            timeout=company.l10n_tr_integrator_timeout or 30,
            sender_alias=company.l10n_tr_sender_alias or "",
            sender_vat=(company.vat or "").replace("TR", "").strip(),
            log_callback=record)

    def l10n_tr_test_integrator(self):
        """XML-RPC/UI: check the credentials by looking up the company's own VKN."""
        arguments.check_one(self)
        try:
            info = self._l10n_tr_provider().check_user((self.vat or "").replace("TR", ""))
        except IntegratorError as exc:
            raise UserError(_("Integrator connection failed: %s", exc)) from exc
        return {"ok": True, "registered": info.registered, "aliases": info.aliases}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_tr_integrator = fields.Selection(related="company_id.l10n_tr_integrator",
                                          readonly=False)
    l10n_tr_integrator_environment = fields.Selection(
        related="company_id.l10n_tr_integrator_environment", readonly=False)
    l10n_tr_integrator_username = fields.Char(
        related="company_id.l10n_tr_integrator_username", readonly=False,
        groups="base.group_system")
    l10n_tr_integrator_password = fields.Char(
        related="company_id.l10n_tr_integrator_password", readonly=False,
        groups="base.group_system")
    l10n_tr_izibiz_auth_url = fields.Char(related="company_id.l10n_tr_izibiz_auth_url",
                                          readonly=False)
    l10n_tr_izibiz_einvoice_url = fields.Char(related="company_id.l10n_tr_izibiz_einvoice_url",
                                              readonly=False)
    l10n_tr_izibiz_earchive_url = fields.Char(related="company_id.l10n_tr_izibiz_earchive_url",
                                              readonly=False)
    l10n_tr_uyumsoft_url = fields.Char(related="company_id.l10n_tr_uyumsoft_url",
                                       readonly=False)
    l10n_tr_integrator_timeout = fields.Integer(related="company_id.l10n_tr_integrator_timeout",
                                                readonly=False)
    l10n_tr_sender_alias = fields.Char(related="company_id.l10n_tr_sender_alias",
                                       readonly=False)
    l10n_tr_earchive_delivery = fields.Selection(
        related="company_id.l10n_tr_earchive_delivery", readonly=False)
    l10n_tr_edoc_auto_send = fields.Boolean(related="company_id.l10n_tr_edoc_auto_send",
                                            readonly=False)
    l10n_tr_edoc_batch_size = fields.Integer(related="company_id.l10n_tr_edoc_batch_size",
                                             readonly=False)

    def l10n_tr_action_test_integrator(self):
        result = self.company_id.l10n_tr_test_integrator()
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "type": "success", "message": _("Connection to the integrator works."),
            "sticky": False, "next": {"type": "ir.actions.act_window_close"}}} if result else None



"""Registered e-Fatura user lookup (GİB kayıtlı kullanıcı listesi) through the integrator."""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import UserError

from ..lib.integrators import IntegratorError

CACHE_HOURS = 24
MAX_LOOKUPS = 200  # partners per call: one integrator request each


class ResPartner(models.Model):
    _inherit = "res.partner"

    l10n_tr_efatura_aliases = fields.Text(
        string="e-Fatura Mailboxes",
        readonly=True,
        help="All receiver mailboxes (pk) found on GİB's registered-user list, one per line.",
    )
    l10n_tr_efatura_checked_at = fields.Datetime(
        string="e-Fatura Registration Checked", readonly=True
    )

    def _l10n_tr_apply_user_info(self, info):
        self.ensure_one()
        self.write(
            {
                "l10n_tr_is_efatura_user": info.registered,
                "l10n_tr_efatura_alias": info.default_alias or False,
                "l10n_tr_efatura_aliases": "\n".join(info.aliases) or False,
                "l10n_tr_efatura_checked_at": fields.Datetime.now(),
            }
        )

    def _l10n_tr_lookup_is_fresh(self):
        checked = self.l10n_tr_efatura_checked_at
        return bool(checked and checked > fields.Datetime.now() - timedelta(hours=CACHE_HOURS))

    def l10n_tr_check_efatura_user(self, force=False, company_id=False):
        """XML-RPC: look the partners' VKN/TCKN up on GİB's registered e-Fatura user list.

        Lookups younger than 24 h are reused unless ``force``. Returns
        ``[{id, vat, registered, alias, aliases, cached}]``."""
        arguments.check_self(self)
        if len(self) > MAX_LOOKUPS:
            raise UserError(_("Look up at most %s partners per call.", MAX_LOOKUPS))
        force = arguments.check_bool(self.env, force, _("Force"))
        company = (
            arguments.check_record(self.env, "res.company", company_id, _("Company"))
            if company_id
            else self.env.company
        )
        partners = self.mapped("commercial_partner_id")
        company._l10n_tr_check_integrator_use(partners)
        provider = None
        result = []
        for partner in partners:
            vat = partner._l10n_tr_tax_id()
            if not vat:
                raise UserError(_("%s has no VKN/TCKN to look up.", partner.display_name))
            cached = not force and partner._l10n_tr_lookup_is_fresh()
            if not cached:
                provider = provider or company._l10n_tr_provider()
                try:
                    partner._l10n_tr_apply_user_info(provider.check_user(vat))
                except IntegratorError as exc:
                    raise UserError(_("Registered-user lookup failed: %s", exc)) from exc
            result.append(
                {
                    "id": partner.id,
                    "vat": vat,
                    "registered": partner.l10n_tr_is_efatura_user,
                    "alias": partner.l10n_tr_efatura_alias or "",
                    "aliases": (partner.l10n_tr_efatura_aliases or "").split("\n")
                    if partner.l10n_tr_efatura_aliases
                    else [],
                    "cached": cached,
                }
            )
        return result

    def action_l10n_tr_check_efatura_user(self):
        self.l10n_tr_check_efatura_user(force=True)
        return True

    @api.model
    def _cron_l10n_tr_refresh_efatura_users(self, batch_size=200):
        """Daily: refresh the registration of partners with open customer invoices."""
        companies = self.env["res.company"].search([("l10n_tr_integrator", "!=", False)])
        for company in companies.filtered(lambda c: c._l10n_tr_has_integrator()):
            stale = fields.Datetime.now() - timedelta(hours=CACHE_HOURS)
            groups = self.env["account.move"]._read_group(
                [
                    ("company_id", "=", company.id),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "in", ("draft", "posted")),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("commercial_partner_id.vat", "!=", False),
                    "|",
                    ("commercial_partner_id.l10n_tr_efatura_checked_at", "=", False),
                    ("commercial_partner_id.l10n_tr_efatura_checked_at", "<", stale),
                ],
                ["commercial_partner_id"],
                limit=batch_size,
            )
            partners = self.browse([partner.id for (partner,) in groups])
            for done, partner in enumerate(partners, 1):
                try:
                    partner.l10n_tr_check_efatura_user(company_id=company.id)
                except UserError:
                    continue
                self.env["ir.cron"]._notify_progress(done=done, remaining=len(partners) - done)

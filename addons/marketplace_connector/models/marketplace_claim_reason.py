import logging

from odoo import _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import UserError

from ..lib.http import MarketplaceError

_logger = logging.getLogger(__name__)


class MarketplaceClaimReason(models.Model):
    """A reason the marketplace accepts to reject (open an issue on) a return."""

    _name = "marketplace.claim.reason"
    _description = "Marketplace Return Rejection Reason"
    _order = "account_id, requires_file, name, id"

    account_id = fields.Many2one(
        "marketplace.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    marketplace_ref = fields.Char(string="Marketplace code", required=True, readonly=True)
    name = fields.Char(required=True, readonly=True)
    requires_file = fields.Boolean(
        string="Evidence file required",
        compute="_compute_requires_file",
        store=True,
        help="The marketplace only accepts a rejection with this reason together with an "
        "evidence file (photo, document).",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "reason_unique",
            "unique(account_id, marketplace_ref)",
            "This reason is already stored for the account.",
        ),
    ]

    @api.depends("marketplace_ref", "account_id.marketplace")
    def _compute_requires_file(self):
        for reason in self:
            reason.requires_file = reason._code_requires_file(
                reason.account_id, reason.marketplace_ref
            )

    @api.model
    def _code_requires_file(self, account, code):
        """Whether the marketplace of ``account`` wants an evidence file with reason ``code``."""
        if not account.marketplace:
            return False
        return account._adapter_class().offline().claim_reason_requires_file(code)

    @api.depends("name", "requires_file")
    def _compute_display_name(self):
        for reason in self:
            reason.display_name = (
                _("%s (evidence file)", reason.name) if reason.requires_file else reason.name
            )

    # ------------------------------------------------------------ refreshing
    @api.model
    def refresh_from_marketplace(self, account_ids):
        """Read the rejection reasons of the accounts from the marketplace.

        XML-RPC: ``marketplace.claim.reason.refresh_from_marketplace([account_id])`` →
        ``{'reasons': n, 'fallback': [account ids that fell back], 'message': str}``.
        """
        accounts = arguments.check_records(
            self.env, "marketplace.account", account_ids, _("Marketplace accounts")
        )
        accounts._check_use()
        total, fallback, errors = 0, [], []
        for account in accounts:
            try:
                total += len(self._refresh_account(account))
            except (MarketplaceError, UserError) as error:
                _logger.warning("Claim issue reasons of %s unavailable: %s", account.name, error)
                total += self._store_fallback(account)
                fallback.append(account.id)
                errors.append(_("%(account)s: %(error)s", account=account.name, error=error))
        message = _("%s rejection reasons stored.", total)
        if errors:
            message = _(
                "The marketplace did not return its rejection reasons (%(errors)s); only "
                "the reasons that need no evidence file are offered until a refresh "
                "succeeds.",
                errors="; ".join(errors),
            )
        return {"reasons": total, "fallback": fallback, "message": message}

    @api.model
    def _ensure_reasons(self, account):
        """Stored reasons of ``account``, fetched first when none are stored.
        Returns ``(reasons, warning)``; ``warning`` is set when the fallback list is used."""
        reasons = self._for_account(account)
        if reasons:
            return reasons, False
        result = self.refresh_from_marketplace(account.ids)
        return self._for_account(account), result["message"] if result["fallback"] else False

    @api.model
    def _for_account(self, account):
        return self.search([("account_id", "=", account.id)])

    @api.model
    def _refresh_account(self, account):
        """Upsert the marketplace's reasons, archive those it no longer returns."""
        remote = {}
        for code, name in account._adapter().claim_reject_reasons():
            if code is not None and name:
                remote[str(code)] = self.env._(name)  # a marketplace's fixed list is ours
        if not remote:
            raise UserError(_("The marketplace returned no rejection reason."))
        return self._upsert(account, remote, archive_missing=True)

    @api.model
    def _store_fallback(self, account):
        """The no-file reasons, only when nothing is stored for the account yet."""
        if self._for_account(account):
            return 0
        fallback = {
            str(code): self.env._(name)
            for code, name in account._adapter_class().claim_reject_fallback_reasons.items()
        }
        return len(self._upsert(account, fallback, archive_missing=False))

    @api.model
    def _upsert(self, account, names, archive_missing):
        stored = (
            self.sudo().with_context(active_test=False).search([("account_id", "=", account.id)])
        )
        by_code = {reason.marketplace_ref: reason for reason in stored}
        for code, name in names.items():
            reason = by_code.get(code)
            if reason:
                if reason.name != name or not reason.active:
                    reason.write({"name": name, "active": True})
            else:
                by_code[code] = self.sudo().create(
                    {"account_id": account.id, "marketplace_ref": code, "name": name}
                )
        if archive_missing:
            stored.filtered(lambda r: r.active and r.marketplace_ref not in names).active = False
        return self.browse([by_code[code].id for code in names])

    def action_refresh(self):
        """List button: refresh the selected reasons' accounts (all accounts when none)."""
        accounts = self.account_id or self.env["marketplace.account"].search([])
        result = self.refresh_from_marketplace(accounts.ids)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": result["message"],
                "type": "warning" if result["fallback"] else "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

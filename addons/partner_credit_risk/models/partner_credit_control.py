"""Credit control: one evaluation used by every check point (order confirmation, delivery)
and by the public ``check_credit``."""

from odoo import _, api, fields, models, tools
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount

from .partner_credit_risk_engine import (
    ACCOUNT_RISK_FIELDS,
    CREDIT_MANAGER_GROUP,
    RISK_PARAMETER_FIELDS,
    RISK_READER_GROUPS,
)


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_exempt_account_types = fields.Char(
        string="Credit-Exempt Account Types",
        default="CSE",
        help="Financial account types (comma separated codes) whose documents are never "
        "checked against credit limits, e.g. CSE: prepaid e-commerce / marketplace sales.",
    )

    def _credit_exempt_types(self):
        self.ensure_one()
        return self._credit_exempt_types_of(self.id)

    @api.model
    @tools.ormcache("company_id")
    def _credit_exempt_types_of(self, company_id):
        """The policy of one company, cached: every credit check reads it."""
        company = self.sudo().browse(company_id)
        company.fetch(["credit_exempt_account_types"])
        return frozenset(
            code.strip()
            for code in (company.credit_exempt_account_types or "").split(",")
            if code.strip()
        )

    def write(self, vals):
        res = super().write(vals)
        if "credit_exempt_account_types" in vals:
            self.env.registry.clear_cache()
        return res


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _credit_ok(self, action="nothing"):
        return {
            "allowed": True,
            "action": action,
            "open_credit": False,
            "exceeded_by": 0.0,
            "message": "",
            "currency": False,
        }

    def _credit_evaluate(
        self, amount, currency, company, financial_account=None, stage="order", date=None
    ):
        """Check ``amount`` (in ``currency``) of a document of this partner (company card or
        contact) against its credit control. Superuser computation: the check needs every
        document, whoever confirms."""
        self.ensure_one()
        company.sudo().fetch(["currency_id"])  # not every column of res.company
        partner = self.sudo().with_company(company)
        partner.fetch(RISK_PARAMETER_FIELDS)  # the card's parameters, not all its columns
        commercial = partner.commercial_partner_id
        commercial.fetch(RISK_PARAMETER_FIELDS)
        mode = commercial.credit_control_mode
        action = commercial[f"credit_check_{stage}"]
        if mode in (False, "none") or action == "nothing":
            return self._credit_ok()
        account = (financial_account or self.env["partner.financial.account"]).sudo()
        account.fetch(ACCOUNT_RISK_FIELDS)
        if account.account_type in company._credit_exempt_types():
            return self._credit_ok()
        # only the financial account checked has its own figures computed
        entry = commercial._credit_risk_data(
            company, account, with_accounts=bool(account) and mode != "partner"
        )[commercial.id]
        checks = []
        if mode == "partner" or not account or account.id not in entry["accounts"]:
            checks.append((commercial, entry))
        else:
            checks.append((account, entry["accounts"][account.id]))
        if mode == "contact_account" and partner != commercial:
            contact_limit = partner.credit_limit
            if contact_limit > 0:
                rows = [row for row in entry["rows"] if row["partner_id"] == partner.id]
                figures = self._risk_figures(rows, company.currency_id, company, [partner])
                limit, tolerance = self._credit_limits(partner, company.currency_id)
                checks.append(
                    (partner, self._risk_entry(company.currency_id, figures, limit, tolerance))
                )
        if entry["total_credit_limit"] > 0:
            total = dict(entry, credit_limit=entry["total_credit_limit"], risk_tolerance=0.0)
            total["open_credit"] = company.currency_id.round(
                total["credit_limit"] - entry["figures"]["total"]
            )
            checks.append(
                (lambda: self.env._("%s (total credit limit)", commercial.display_name), total)
            )
        results = [
            self._credit_check_one(scope, check, amount, currency, company, date)
            for scope, check in checks
        ]
        worst = max(results, key=lambda result: result["exceeded_ratio"])
        if not worst["exceeded_by"]:
            return dict(worst, allowed=True, action="nothing", message="")
        return dict(worst, allowed=action != "block", action=action)

    @api.model
    def _credit_check_one(self, scope, entry, amount, currency, company, date=None):
        """One limit checked: ``scope`` (the record or a function giving the label) is only
        named in the message of an exceeded limit."""
        target = entry["currency"]
        if currency != target:
            date = date or fields.Date.context_today(self)
            amount = currency._convert(amount, target, company, date)
        exceeded = target.round(max(amount - entry["open_credit"], 0.0))
        if exceeded:
            scope = scope() if callable(scope) else scope.display_name
        message = (
            _(
                "Credit limit exceeded for %(scope)s: credit limit %(limit)s + tolerance "
                "%(tolerance)s − total risk %(risk)s (balance %(balance)s, cheques %(cheque)s, "
                "notes %(note)s, delivered not invoiced %(dispatch)s, orders %(order)s) = open "
                "credit %(open)s; this document (%(amount)s) exceeds it by %(exceeded)s. "
                "A credit manager can release it.",
                scope=scope,
                limit=format_amount(self.env, entry["credit_limit"], target),
                tolerance=format_amount(self.env, entry["risk_tolerance"], target),
                risk=format_amount(self.env, entry["figures"]["total"], target),
                balance=format_amount(self.env, entry["figures"]["balance"], target),
                cheque=format_amount(self.env, entry["figures"]["cheque"], target),
                note=format_amount(self.env, entry["figures"]["note"], target),
                dispatch=format_amount(self.env, entry["figures"]["dispatch"], target),
                order=format_amount(self.env, entry["figures"]["order"], target),
                open=format_amount(self.env, entry["open_credit"], target),
                amount=format_amount(self.env, amount, target),
                exceeded=format_amount(self.env, exceeded, target),
            )
            if exceeded
            else ""
        )
        base = max(abs(entry["credit_limit"]), 1.0)
        return {
            "open_credit": entry["open_credit"],
            "exceeded_by": exceeded,
            "currency": target,
            "message": message,
            "exceeded_ratio": exceeded / base,
        }

    @api.model
    def _credit_can_read_risk(self):
        return any(self.env.user.has_group(group) for group in RISK_READER_GROUPS)

    @api.model
    def _credit_public_message(self, result):
        """The message a user may see: the figures for risk readers, a plain notice else."""
        if not result["message"] or self._credit_can_read_risk():
            return result["message"]
        return _(
            "The customer's credit limit does not cover this document. A credit manager "
            "can release it."
        )

    def check_credit(self, amount, currency_id, financial_account_id=None):
        """Public (XML-RPC): may this partner take ``amount`` more in ``currency_id`` at order
        confirmation? → {'allowed', 'action', 'open_credit', 'exceeded_by', 'message'};
        figures only for users with risk rights (False for others)."""
        arguments.check_one(self)
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount < 0:
            raise UserError(
                _("The amount must be a positive number, not %s.", arguments._show(amount))
            )
        currency = arguments.check_records(
            self.env, "res.currency", currency_id, _("Currency"), single=True
        )
        account = None
        if financial_account_id:
            account = arguments.check_records(
                self.env,
                "partner.financial.account",
                financial_account_id,
                _("Financial account"),
                single=True,
            )
            if account.currency_id != currency:
                raise UserError(
                    _(
                        "The currency %(currency)s differs from the currency "
                        "%(account_currency)s of financial account %(account)s.",
                        currency=currency.name,
                        account_currency=account.currency_id.name,
                        account=account.display_name,
                    )
                )
        result = self._credit_evaluate(amount, currency, self.env.company, account, "order")
        reader = self._credit_can_read_risk()
        return {
            "allowed": result["allowed"],
            "action": result["action"],
            "open_credit": result["open_credit"] if reader else False,
            "exceeded_by": result["exceeded_by"] if reader else False,
            "message": self._credit_public_message(result),
        }

    @api.model
    def _credit_managers(self, company):
        """Credit managers of ``company`` (internal, active users)."""
        return (
            self.env.ref(CREDIT_MANAGER_GROUP)
            .sudo()
            .users.filtered(
                lambda user: company in user.company_ids and not user.share and user.active
            )
            .sorted("id")
        )

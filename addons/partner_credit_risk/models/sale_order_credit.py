"""Credit hold of sale orders: confirmation checked against the customer's credit, blocked
orders held with a to-do for the credit managers, released once by a credit manager."""

from odoo import _, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import AccessError, UserError

from .partner_credit_release import HOLD_STAGES
from .partner_credit_risk_engine import CREDIT_MANAGER_GROUP, RISK_READER_GROUPS

CREDIT_HOLD_ACTIVITY = "partner_credit_risk.mail_activity_type_credit_hold"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    credit_hold = fields.Boolean(
        string="On Credit Hold",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="Blocked by the credit control: a credit manager must release it.",
    )
    credit_hold_stage = fields.Selection(HOLD_STAGES, string="Held At", readonly=True, copy=False)
    credit_check_message = fields.Text(
        string="Credit Check",
        readonly=True,
        copy=False,
        groups=",".join(RISK_READER_GROUPS),
        help="Figures of the last credit check that warned or blocked.",
    )
    credit_released = fields.Boolean(
        string="Credit Hold Released",
        readonly=True,
        copy=False,
        help="A credit manager released this order: its confirmation and deliveries pass.",
    )
    credit_release_ids = fields.One2many(
        "partner.credit.release", "order_id", string="Credit Releases", readonly=True
    )

    def _credit_hold_summary(self):
        return _("Credit hold")

    def _credit_evaluate(self, stage, amount=None):
        self.ensure_one()
        result = self.partner_id._credit_evaluate(
            self.amount_total if amount is None else amount,
            self.currency_id,
            self.company_id,
            self.financial_account_id,
            stage,
        )
        return dict(result, stage=stage)

    def _credit_note_result(self, result):
        """Keep the figures of the last warning or block on the order (risk readers see
        them); a passing check clears them and a hold of the same check point."""
        order = self.sudo()
        vals = {}
        if order.credit_check_message != (result["message"] or False):
            vals["credit_check_message"] = result["message"] or False
        if result["allowed"] and order.credit_hold and order.credit_hold_stage == result["stage"]:
            vals["credit_hold"] = False
        if vals:
            order.write(vals)

    def _put_on_credit_hold(self, stage, result):
        """Hold the order, tell the chatter (once per hold) and give each credit manager a
        to-do."""
        self.ensure_one()
        order = self.sudo()
        newly_held = not (order.credit_hold and order.credit_hold_stage == stage)
        order.write(
            {
                "credit_hold": True,
                "credit_hold_stage": stage,
                "credit_check_message": result["message"],
            }
        )
        if newly_held:
            order.message_post(
                body=_(
                    "Put on credit hold at %(stage)s: the customer's credit does not cover it. "
                    "A credit manager can release it.",
                    stage=dict(self._fields["credit_hold_stage"]._description_selection(self.env))[
                        stage
                    ],
                )
            )
        order._schedule_credit_hold_activities(result["message"])

    def _credit_hold_activities(self):
        activity_type = self.env.ref(CREDIT_HOLD_ACTIVITY, raise_if_not_found=False)
        return self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

    def _schedule_credit_hold_activities(self, note):
        """One to-do per credit manager of the order's company: a re-check adds only the
        managers who have none yet (e.g. a manager appointed since)."""
        self.ensure_one()
        managers = self.env["res.partner"]._credit_managers(self.company_id)
        planned = self._credit_hold_activities().user_id
        for manager in managers - planned:
            self.sudo().activity_schedule(
                CREDIT_HOLD_ACTIVITY,
                user_id=manager.id,
                summary=self._credit_hold_summary(),
                note=note,
            )

    def action_confirm(self):
        """Confirm the orders the credit control lets through; hold the blocked ones."""
        held = self.browse()
        messages = []
        for order in self.filtered(
            lambda o: o.state in ("draft", "sent") and not o.credit_released
        ):
            result = order._credit_evaluate("order")
            order._credit_note_result(result)
            if result["message"]:
                messages.append(self.env["res.partner"]._credit_public_message(result))
            if not result["allowed"]:
                order._put_on_credit_hold("order", result)
                held |= order
        to_confirm = self - held
        res = super(SaleOrder, to_confirm).action_confirm() if to_confirm else True
        if messages:
            return self._credit_notification(messages, "danger" if held else "warning")
        return res

    def _credit_notification(self, messages, kind):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Credit control"),
                "message": "\n".join(messages),
                "type": kind,
                "sticky": kind == "danger",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_release_credit_hold(self, reason):
        """Public (credit managers, XML-RPC): release these held orders once with ``reason``
        (logged in the chatter and the partner's release history); orders held at
        confirmation are confirmed. Returns True."""
        arguments.check_self(self)
        if not self.env.user.has_group(CREDIT_MANAGER_GROUP):
            raise AccessError(_("Only credit managers can release orders on credit hold."))
        reason = arguments.check_text(
            self.env, reason, _("Reason"), max_length=arguments.MAX_REASON
        ).strip()
        if not reason:
            raise UserError(_("Give the reason for releasing the credit hold."))
        not_held = self.filtered(lambda o: not o.credit_hold)
        if not_held:
            raise UserError(
                _("These orders are not on credit hold: %s", ", ".join(not_held.mapped("name")))
            )
        for order in self:
            order._release_credit_hold(reason)
        to_confirm = self.filtered(
            lambda o: o.credit_hold_stage == "order" and o.state in ("draft", "sent")
        )
        if to_confirm:
            to_confirm.action_confirm()
        return True

    def _release_credit_hold(self, reason):
        self.ensure_one()
        self.env["partner.credit.release"].create(
            {
                "partner_id": self.partner_id.commercial_partner_id.id,
                "order_id": self.id,
                "company_id": self.company_id.id,
                "stage": self.credit_hold_stage,
                "reason": reason,
                "hold_message": self.credit_check_message,
            }
        )
        self.write({"credit_hold": False, "credit_released": True})
        self.message_post(
            body=_(
                "Credit hold released by %(user)s: %(reason)s",
                user=self.env.user.name,
                reason=reason,
            )
        )
        self._credit_hold_activities().action_feedback(feedback=reason)

    def action_open_credit_release_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.credit.release.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }


class SaleCreditReleaseWizard(models.TransientModel):
    _name = "sale.credit.release.wizard"
    _description = "Release Credit Hold"

    order_ids = fields.Many2many("sale.order", string="Orders", required=True)
    reason = fields.Text(required=True)

    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = _("Release Credit Hold")

    def action_release(self):
        self.ensure_one()
        self.order_ids.action_release_credit_hold(self.reason)
        return {"type": "ir.actions.act_window_close"}

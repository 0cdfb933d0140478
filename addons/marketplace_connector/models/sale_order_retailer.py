"""Orders of a dropship retailer: we ship to the retailer's end customer and invoice the
retailer per its agreement (pay first or net terms, shipping at a rate, at cost or not at all)."""

from odoo import Command, _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_is_zero, format_amount

SALES_MANAGER_GROUP = "sales_team.group_sale_manager"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    retailer_agreement_id = fields.Many2one(
        "dropship.agreement",
        string="Retailer Agreement",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Set at confirmation when the customer is a dropship retailer: we ship to the "
        "retailer's end customer (the delivery address) and invoice the retailer.",
    )
    retailer_prepaid = fields.Boolean(
        string="Pay First",
        compute="_compute_retailer_prepaid",
        help="The retailer pays the order's invoice before the goods ship.",
    )
    retailer_amount_due = fields.Monetary(
        string="Due Before Shipping",
        compute="_compute_retailer_amount_due",
        currency_field="currency_id",
    )
    retailer_payment_released = fields.Boolean(
        string="Released Before Payment",
        readonly=True,
        copy=False,
        tracking=True,
        help="A sales manager let this pay-first order ship before its invoice was paid.",
    )

    @api.depends("retailer_agreement_id.payment_policy")
    def _compute_retailer_prepaid(self):
        for order in self:
            order.retailer_prepaid = order.retailer_agreement_id.payment_policy == "prepaid"

    @api.depends("invoice_ids.amount_residual", "invoice_ids.state")
    def _compute_retailer_amount_due(self):
        for order in self:
            invoices = order.sudo().invoice_ids.filtered(
                lambda m: m.move_type == "out_invoice" and m.state == "posted"
            )
            order.retailer_amount_due = sum(invoices.mapped("amount_residual"))

    def copy_data(self, default=None):
        """A copy is confirmed again: its shipping line comes from the agreement then."""
        if len(self) == 1 and "order_line" not in (default or {}):
            lines = self.order_line.filtered(
                lambda sol: not sol.retailer_shipping and not sol.is_downpayment
            )
            if lines != self.order_line.filtered(lambda sol: not sol.is_downpayment):
                default = dict(
                    default or {},
                    order_line=[Command.create(values) for values in lines.copy_data()],
                )
        return super().copy_data(default)

    def _prepare_invoice(self):
        values = super()._prepare_invoice()
        if self.retailer_agreement_id:
            values["retailer_order_id"] = self.id
        return values

    # ---------------------------------------------------------------- confirmation

    def _retailer_agreement_for_confirmation(self):
        """The partner's retailer agreement, checked for what confirmation needs."""
        self.ensure_one()
        agreement = self.partner_id.with_company(self.company_id)._dropship_agreement("retailer")
        if not agreement:
            return agreement
        if self.partner_shipping_id == self.partner_id:
            raise UserError(
                _(
                    "%(order)s: %(retailer)s is a dropship retailer; set its end customer as "
                    "the delivery address.",
                    order=self.name,
                    retailer=self.partner_id.display_name,
                )
            )
        if agreement.shipping_policy == "rate" and agreement.shipping_rate:
            self._retailer_shipping_product(agreement)
        return agreement

    def _retailer_shipping_product(self, agreement):
        product = agreement.shipping_product_id
        if not product:
            raise UserError(
                _(
                    "The dropship agreement of %(retailer)s invoices shipping: give it a "
                    "shipping product.",
                    retailer=agreement.partner_id.display_name,
                )
            )
        if product.type != "service":
            raise UserError(
                _(
                    "The shipping product %(product)s must be a service.",
                    product=product.display_name,
                )
            )
        return product

    def action_confirm(self):
        agreements = {
            order: order._retailer_agreement_for_confirmation()
            for order in self.filtered(lambda o: o.state in ("draft", "sent"))
        }
        for order, agreement in agreements.items():
            if agreement:
                order.retailer_agreement_id = agreement
                if agreement.shipping_policy == "rate" and agreement.shipping_rate:
                    order._retailer_add_shipping_line(agreement._retailer_rate(order))
        res = super().action_confirm()
        for order in agreements:
            shipping = order.order_line.filtered(
                lambda sol: sol.retailer_shipping and not sol.qty_delivered
            )
            if order.state == "sale" and shipping:
                shipping.sudo().qty_delivered = 1.0  # a service: delivered with the order
        for order in self.filtered(lambda o: o.state == "sale" and o.retailer_prepaid):
            if not order.invoice_ids.filtered(lambda m: m.state != "cancel"):
                order._retailer_invoice(order.order_line)
        return res

    def _retailer_add_shipping_line(self, price, picking=None):
        """The shipping line of the order (one per order at the rate, one per delivery at
        cost): delivered at once, so net terms invoice it with the goods."""
        self.ensure_one()
        agreement = self.retailer_agreement_id
        product = self._retailer_shipping_product(agreement)
        name = product.display_name
        if picking:
            name = _("%(product)s (%(delivery)s)", product=name, delivery=picking.name)
        line = (
            self.env["sale.order.line"]
            .sudo()
            .create(
                {
                    "order_id": self.id,
                    "product_id": product.id,
                    "name": name,
                    "product_uom_qty": 1.0,
                    "price_unit": price,
                    "retailer_shipping": True,
                    "sequence": max(self.order_line.mapped("sequence") or [10]) + 1,
                }
            )
        )
        if self.state == "sale":
            line.qty_delivered = 1.0
        return line

    def _retailer_invoice(self, lines):
        """A posted invoice to the retailer of ``lines`` at their ordered quantities."""
        self.ensure_one()
        invoice_lines = []
        for line in lines.filtered(lambda sol: not sol.display_type):
            quantity = line.product_uom_qty - line.qty_invoiced
            if float_is_zero(quantity, precision_rounding=line.product_uom.rounding):
                continue
            invoice_lines.append(Command.create(line._prepare_invoice_line(quantity=quantity)))
        if not invoice_lines:
            return self.env["account.move"]
        values = dict(self._prepare_invoice(), invoice_line_ids=invoice_lines)
        invoice = (
            self.env["account.move"]
            .sudo()
            .with_company(self.company_id)
            .with_context(default_move_type="out_invoice")
            .create(values)
        )
        invoice.action_post()
        return invoice.sudo(False)

    # ---------------------------------------------------------------- pay first

    def _retailer_payment_released(self):
        """Whether this pay-first order may ship unpaid (extended by the credit-hold bridge)."""
        self.ensure_one()
        return self.retailer_payment_released

    def _retailer_unpaid_message(self):
        """Why this order's goods may not ship yet, or "" when they may."""
        self.ensure_one()
        if not self.retailer_prepaid or self._retailer_payment_released():
            return ""
        order = self.sudo()
        due = order.retailer_amount_due
        if float_is_zero(due, precision_rounding=order.currency_id.rounding):
            if order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice"):
                return ""
            return _(
                "%(order)s is paid first: it has no posted invoice to the retailer yet.",
                order=order.name,
            )
        invoices = order.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted" and m.amount_residual
        )
        return _(
            "%(order)s ships once %(retailer)s has paid: %(amount)s is still due on %(invoices)s.",
            order=order.name,
            retailer=order.partner_id.commercial_partner_id.name,
            amount=format_amount(self.env, due, order.currency_id),
            invoices=", ".join(invoices.mapped("name")),
        )

    def action_release_payment_hold(self, reason):
        """Public (sales managers, XML-RPC): let these pay-first orders ship before their
        invoice is paid, with ``reason`` in the chatter. Returns True."""
        arguments.check_self(self)
        if not self.env.user.has_group(SALES_MANAGER_GROUP):
            raise AccessError(_("Only sales managers can release an unpaid pay-first order."))
        reason = arguments.check_text(
            self.env, reason, _("Reason"), max_length=arguments.MAX_REASON
        ).strip()
        if not reason:
            raise UserError(_("Give the reason for shipping before payment."))
        not_prepaid = self.filtered(lambda o: not o.retailer_prepaid or o.state != "sale")
        if not_prepaid:
            raise UserError(
                _(
                    "These orders are not confirmed pay-first retailer orders: %s",
                    ", ".join(not_prepaid.mapped("name")),
                )
            )
        for order in self.filtered(lambda o: not o.retailer_payment_released):
            due = format_amount(self.env, order.retailer_amount_due, order.currency_id)
            order.retailer_payment_released = True
            order.message_post(
                body=_(
                    "Released for shipping before payment by %(user)s (%(amount)s due): %(reason)s",
                    user=self.env.user.name,
                    amount=due,
                    reason=reason,
                )
            )
        return True

    def action_open_payment_release_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "retailer.payment.release.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    retailer_shipping = fields.Boolean(
        string="Retailer Shipping", readonly=True, copy=False, help="Shipping of a retailer order."
    )

    def _compute_qty_to_invoice(self):
        """A retailer's order is invoiced up front (pay first) and its returns are credited per
        the agreement: never a negative quantity to invoice (no second credit note)."""
        res = super()._compute_qty_to_invoice()
        for line in self:
            if line.order_id.retailer_agreement_id and line.qty_to_invoice < 0:
                line.qty_to_invoice = 0.0
        return res


class DropshipAgreement(models.Model):
    _inherit = "dropship.agreement"

    def _retailer_rate(self, order):
        """The agreed shipping rate in the order's currency."""
        self.ensure_one()
        return self.currency_id._convert(
            self.shipping_rate,
            order.currency_id,
            order.company_id,
            order.date_order or fields.Date.context_today(self),
        )


class RetailerPaymentReleaseWizard(models.TransientModel):
    _name = "retailer.payment.release.wizard"
    _description = "Ship Before Payment"

    order_ids = fields.Many2many("sale.order", string="Orders", required=True)
    reason = fields.Text(required=True)

    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = _("Ship Before Payment")

    def action_release(self):
        self.ensure_one()
        self.order_ids.action_release_payment_hold(self.reason)
        return {"type": "ir.actions.act_window_close"}

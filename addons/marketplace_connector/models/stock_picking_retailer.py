"""Deliveries and returns of a dropship retailer's orders: pay-first block, shipping cost
reported after the label is bought, credit note for what the end customer sends back."""

from odoo import Command, _, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, format_amount


class StockPicking(models.Model):
    _inherit = "stock.picking"

    retailer_agreement_id = fields.Many2one(
        related="sale_id.retailer_agreement_id", string="Retailer Agreement"
    )
    retailer_shipping_policy = fields.Selection(
        related="retailer_agreement_id.shipping_policy", string="Retailer Shipping Terms"
    )
    retailer_shipping_cost = fields.Monetary(
        string="Shipping Cost",
        readonly=True,
        copy=False,
        currency_field="retailer_currency_id",
        help="The actual cost of this delivery's label, invoiced to the retailer.",
    )
    retailer_currency_id = fields.Many2one(related="sale_id.currency_id")
    retailer_shipping_line_id = fields.Many2one(
        "sale.order.line", string="Shipping Line", readonly=True, copy=False
    )
    retailer_credit_note_id = fields.Many2one(
        "account.move", string="Retailer Credit Note", readonly=True, copy=False
    )

    # ---------------------------------------------------------------- pay first

    def _retailer_unpaid(self):
        """[(picking, message)] of the outgoing deliveries of pay-first orders not paid yet."""
        unpaid = []
        for picking in self.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
        ):
            order = picking.sudo().sale_id
            message = order and order._retailer_unpaid_message()
            if message:
                unpaid.append((picking, message))
        return unpaid

    def _retailer_check_paid(self):
        unpaid = self._retailer_unpaid()
        if unpaid:
            raise UserError("\n".join(message for _picking, message in unpaid))

    def button_validate(self):
        self._retailer_check_paid()
        return super().button_validate()

    def _action_done(self):
        self._retailer_check_paid()
        self._retailer_check_return_quantities()
        res = super()._action_done()
        self._retailer_credit_returns()
        return res

    # ---------------------------------------------------------------- shipping cost

    def report_shipping_cost(self, amount):
        """Public (XML-RPC): the actual cost of this delivery's label, once. It is invoiced to
        the retailer: on the order's draft invoice, or on a supplementary invoice when the
        order's invoice is posted, or with the order's next invoice. Returns
        ``{"invoice_id": id or False, "mode": "draft" | "supplementary" | "order"}``."""
        arguments.check_one(self)
        amount = arguments.check_number(self.env, amount, _("Shipping cost"), minimum=0.01)
        self.check_access("write")
        order = self.sudo().sale_id
        agreement = order.retailer_agreement_id
        if self.picking_type_code != "outgoing" or not agreement:
            raise UserError(
                _(
                    "%(delivery)s is not the delivery of a dropship retailer's order: its "
                    "customer has no retailer agreement.",
                    delivery=self.display_name,
                )
            )
        if agreement.shipping_policy != "actual":
            policy = dict(agreement._fields["shipping_policy"]._description_selection(self.env))
            raise UserError(
                _(
                    "The agreement with %(retailer)s invoices shipping as: %(policy)s. Only an "
                    "agreement at actual cost takes a reported shipping cost.",
                    retailer=agreement.partner_id.display_name,
                    policy=policy[agreement.shipping_policy],
                )
            )
        if self.retailer_shipping_line_id:
            raise UserError(
                _(
                    "The shipping cost of %(delivery)s was already reported (%(amount)s).",
                    delivery=self.display_name,
                    amount=format_amount(self.env, self.retailer_shipping_cost, order.currency_id),
                )
            )
        if self.state == "cancel":
            raise UserError(_("%s is cancelled.", self.display_name))
        line = order._retailer_add_shipping_line(amount, picking=self)
        self.sudo().write({"retailer_shipping_cost": amount, "retailer_shipping_line_id": line.id})
        mode, invoice = self._retailer_invoice_shipping(order, line)
        self.message_post(
            body=_(
                "Shipping cost reported: %(amount)s.",
                amount=format_amount(self.env, amount, order.currency_id),
            )
        )
        return {"invoice_id": invoice.id or False, "mode": mode}

    def action_open_shipping_cost_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "retailer.shipping.cost.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_id": self.id},
        }

    def _retailer_slip_carrier_account(self):
        """The retailer's carrier account when the goods ship on it (printed on the slip)."""
        self.ensure_one()
        agreement = self.sudo().retailer_agreement_id
        return agreement.carrier_account if agreement.shipping_policy == "omit" else ""

    def _retailer_invoice_shipping(self, order, line):
        invoices = order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        draft = invoices.filtered(lambda m: m.state == "draft")[:1]
        if draft:
            draft.write(
                {"invoice_line_ids": [Command.create(line._prepare_invoice_line(quantity=1.0))]}
            )
            return "draft", draft
        if invoices.filtered(lambda m: m.state == "posted"):
            return "supplementary", order._retailer_invoice(line)
        return "order", self.env["account.move"]

    # ---------------------------------------------------------------- returns

    def _retailer_return_moves(self):
        return self.move_ids.filtered(
            lambda m: (
                m.state != "cancel"
                and m.origin_returned_move_id
                and m.sale_line_id.order_id.retailer_agreement_id
                and m.picking_code == "incoming"
            )
        )

    def _retailer_check_return_quantities(self):
        """Never take back more of an order line than was shipped for it."""
        for picking in self:
            for sale_line in picking._retailer_return_moves().sale_line_id:
                moves = sale_line.sudo().move_ids.filtered(lambda m: m.state == "done")
                shipped = sum(
                    m.product_uom._compute_quantity(m.quantity, sale_line.product_uom)
                    for m in moves.filtered(lambda m: m.picking_code == "outgoing")
                )
                returned = sum(
                    m.product_uom._compute_quantity(m.quantity, sale_line.product_uom)
                    for m in moves.filtered(lambda m: m.picking_code == "incoming")
                    | picking._retailer_return_moves().filtered(
                        lambda m, sol=sale_line: m.sale_line_id == sol
                    )
                )
                if (
                    float_compare(
                        returned, shipped, precision_rounding=sale_line.product_uom.rounding
                    )
                    > 0
                ):
                    raise UserError(
                        _(
                            "%(delivery)s takes back %(returned)s %(uom)s of %(product)s but only "
                            "%(shipped)s were shipped.",
                            delivery=picking.display_name,
                            returned=returned,
                            uom=sale_line.product_uom.name,
                            product=sale_line.product_id.display_name,
                            shipped=shipped,
                        )
                    )

    def _retailer_credit_returns(self):
        for picking in self.filtered(lambda p: p.state == "done" and not p.retailer_credit_note_id):
            moves = picking._retailer_return_moves()
            if moves:
                picking.sudo().retailer_credit_note_id = picking._retailer_credit_note(moves)

    def _retailer_credit_note(self, moves):
        """The retailer's credit note for the returned moves, per the agreement (at the order
        price, or less the restocking fee), posted."""
        self.ensure_one()
        order = moves.sale_line_id.order_id.sudo()
        agreement = order.retailer_agreement_id
        fee = agreement._restocking_fee()
        fee_text = format(fee, "g")
        lines = []
        for sale_line in moves.sale_line_id:
            quantity = sum(
                m.product_uom._compute_quantity(m.quantity, sale_line.product_uom)
                for m in moves.filtered(lambda m, sol=sale_line: m.sale_line_id == sol)
            )
            if float_is_zero(quantity, precision_rounding=sale_line.product_uom.rounding):
                continue
            values = sale_line._prepare_invoice_line(quantity=quantity)
            values.pop("sale_line_ids", None)  # credited here, not invoiced again by the order
            if fee:
                values["price_unit"] = sale_line.price_unit * (1 - fee / 100.0)
                values["name"] = _(
                    "%(name)s (less %(fee)s%% restocking fee)",
                    name=values["name"],
                    fee=fee_text,
                )
            lines.append(Command.create(values))
        if not lines:
            return self.env["account.move"]
        invoices = order.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )
        values = dict(
            order._prepare_invoice(),
            move_type="out_refund",
            invoice_line_ids=lines,
            ref=_("Return %s", self.name),
            reversed_entry_id=invoices[:1].id,
        )
        credit_note = (
            self.env["account.move"]
            .sudo()
            .with_company(order.company_id)
            .with_context(default_move_type="out_refund")
            .create(values)
        )
        credit_note.action_post()
        order.message_post(
            body=_(
                "Return %(return)s credited to %(retailer)s: %(credit_note)s (%(amount)s).",
                **{
                    "return": self.name,
                    "retailer": order.partner_id.commercial_partner_id.name,
                    "credit_note": credit_note.name,
                    "amount": format_amount(self.env, credit_note.amount_total, order.currency_id),
                },
            )
        )
        return credit_note


class RetailerShippingCostWizard(models.TransientModel):
    _name = "retailer.shipping.cost.wizard"
    _description = "Report Shipping Cost"

    picking_id = fields.Many2one("stock.picking", required=True)
    currency_id = fields.Many2one(related="picking_id.retailer_currency_id")
    amount = fields.Monetary(string="Shipping Cost", required=True, currency_field="currency_id")

    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = _("Report Shipping Cost")

    def action_report(self):
        self.ensure_one()
        self.picking_id.report_shipping_cost(self.amount)
        return {"type": "ir.actions.act_window_close"}

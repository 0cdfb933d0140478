"""Buy-side dropshipping: a supplier ships our customers' orders (issue 16 §1).

A vendor pricelist line ticked "Dropship" sends the product's sale order lines down the
dropship route to that supplier: one purchase order per sale order, delivered to the
customer's address. The supplier's dropship agreement decides when the order is released to
the supplier (pay first: once the vendor bill made at confirmation is paid), which shipping
line the bill carries, and how returns are credited.
"""

from odoo import Command, _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_is_zero

PAID_STATES = ("paid", "in_payment")


def _dropship_route(env):
    return env.ref("stock_dropshipping.route_drop_shipping", raise_if_not_found=False)


class DropshipAgreement(models.Model):
    _inherit = "dropship.agreement"

    po_channel = fields.Selection(
        [
            ("email", "E-mail"),
            ("xmlrpc", "XML-RPC (the supplier reads released orders)"),
        ],
        string="Purchase order channel",
        default="email",
        tracking=True,
        help="How a released dropship purchase order reaches the supplier.",
    )
    po_email = fields.Char(
        string="Purchase order e-mail",
        tracking=True,
        help="Where released purchase orders are e-mailed; empty: the supplier's e-mail.",
    )


class ProductSupplierinfo(models.Model):
    _inherit = "product.supplierinfo"

    dropship = fields.Boolean(
        help="This supplier ships the product straight to our customers: sale order lines of "
        "the product take the dropship route to this supplier (needs a dropship agreement "
        "with the supplier).",
    )

    @api.constrains("dropship", "partner_id", "company_id")
    def _check_dropship_agreement(self):
        for info in self.filtered("dropship"):
            partner = info.partner_id.with_company(info.company_id or self.env.company)
            if not partner._dropship_agreement("supplier"):
                raise ValidationError(
                    _(
                        "%(product)s can only be dropshipped by %(supplier)s under a dropship "
                        "agreement: record the supplier's agreement first.",
                        product=info.product_tmpl_id.display_name,
                        supplier=info.partner_id.display_name,
                    )
                )


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _dropship_supplierinfo(self, company):
        """The vendor pricelist line this product is dropshipped from in ``company``."""
        self.ensure_one()
        return self.product_tmpl_id.seller_ids.filtered(
            lambda s: (
                s.dropship
                and s.company_id in (company, self.env["res.company"])
                and (not s.product_id or s.product_id == self)
            )
        )[:1]


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _make_po_get_domain(self, company_id, values, partner):
        """A dropship purchase order is the sale order's own: never merged with another
        customer's order, whatever the rule's group propagation."""
        domain = super()._make_po_get_domain(company_id, values, partner)
        route = _dropship_route(self.env)
        group = values.get("group_id")
        if (
            route
            and self.route_id == route
            and group
            and not any(term[0] == "group_id" for term in domain)
        ):
            domain += (("group_id", "=", group.id),)
        return domain

    def _prepare_purchase_order(self, company_id, origins, values):
        result = super()._prepare_purchase_order(company_id, origins, values)
        route = _dropship_route(self.env)
        group = values[0].get("group_id")
        if route and self.route_id == route and group and not result.get("group_id"):
            result["group_id"] = group.id
        return result


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._dropship_set_route()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if "product_id" in vals:
            self._dropship_set_route()
        return result

    def _dropship_set_route(self):
        """Lines of a product dropshipped from a supplier take the dropship route."""
        route = _dropship_route(self.env)
        for line in self.filtered(lambda sol: sol.product_id and not sol.route_id):
            if route and line.product_id._dropship_supplierinfo(line.order_id.company_id):
                line.route_id = route

    def _dropship_check_supplier(self):
        """A line on the dropship route needs a supplier of the product (clear error instead
        of the procurement's)."""
        route = _dropship_route(self.env)
        for line in self.filtered(lambda sol: route and sol.route_id == route):
            company = line.order_id.company_id
            sellers = line.product_id._prepare_sellers(False).filtered(
                lambda s, company=company: s.company_id in (company, self.env["res.company"])
            )
            if not sellers:
                raise UserError(
                    _(
                        "%s is dropshipped but has no supplier: add the supplier on the "
                        "product's vendor pricelist (Purchase tab) and tick Dropship.",
                        line.product_id.display_name,
                    )
                )

    def _action_launch_stock_rule(self, **kwargs):
        self._dropship_check_supplier()
        return super()._action_launch_stock_rule(**kwargs)

    def _prepare_procurement_values(self, group_id=False):
        values = super()._prepare_procurement_values(group_id)
        route = _dropship_route(self.env)
        if route and self.route_id == route:
            info = self.product_id._dropship_supplierinfo(self.order_id.company_id)
            if info:
                values["supplierinfo_id"] = info
        return values


class SaleOrder(models.Model):
    _inherit = "sale.order"

    dropship_purchase_ids = fields.One2many(
        "purchase.order", "dropship_sale_id", string="Dropship purchase orders"
    )
    dropship_cost = fields.Monetary(
        compute="_compute_dropship_margin",
        help="What the dropship suppliers charge for this order: their purchase orders "
        "untaxed, shipping included (the final shipping cost once reported).",
    )
    dropship_margin = fields.Monetary(
        compute="_compute_dropship_margin",
        help="The untaxed sale of the dropshipped lines less their dropship cost.",
    )

    @api.depends(
        "dropship_purchase_ids.amount_untaxed",
        "dropship_purchase_ids.state",
        "order_line.price_subtotal",
    )
    def _compute_dropship_margin(self):
        route = _dropship_route(self.env)
        for order in self:
            purchases = order.sudo().dropship_purchase_ids.filtered(
                lambda po: po.state in ("purchase", "done")
            )
            cost = sum(
                po.currency_id._convert(
                    po.amount_untaxed, order.currency_id, order.company_id, po.date_order
                )
                for po in purchases
            )
            sold = sum(
                order.order_line.filtered(lambda sol: sol.route_id == route).mapped(
                    "price_subtotal"
                )
            )
            order.dropship_cost = cost
            order.dropship_margin = sold - cost if purchases else 0.0

    def _dropship_note_shipment(self, picking):
        """The supplier shipped: the customer invoices not yet sent as e-documents carry the
        shipment date and carrier in their shipment data."""
        self.ensure_one()
        # the supplier's shipment completes our invoices' data, whoever reports it
        invoices = self.sudo().invoice_ids.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state != "cancel"
                and not m._l10n_tr_edocument_left()
            )
        )
        for invoice in invoices:
            values = {
                "l10n_tr_shipment_date": fields.Date.context_today(self),
                "l10n_tr_tracking_number": picking.marketplace_tracking_number or False,
            }
            if picking.marketplace_cargo_provider and not invoice.l10n_tr_carrier_name:
                values["l10n_tr_carrier_name"] = picking.marketplace_cargo_provider
            invoice.write(values)


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    dropship_agreement_id = fields.Many2one(
        "dropship.agreement",
        compute="_compute_dropship_agreement_id",
        store=True,
        readonly=True,
        index="btree_not_null",
        help="The supplier's dropship agreement, for a dropship purchase order.",
    )
    dropship_payment_policy = fields.Selection(related="dropship_agreement_id.payment_policy")
    dropship_shipping_policy = fields.Selection(related="dropship_agreement_id.shipping_policy")
    dropship_sale_id = fields.Many2one(
        "sale.order",
        string="Customer order",
        compute="_compute_dropship_sale_id",
        store=True,
        index="btree_not_null",
    )
    dropship_package_ref = fields.Char(
        string="Customer package",
        compute="_compute_dropship_sale_id",
        store=True,
        help="The customer's package number(s) on the sales channel, for the supplier.",
    )
    dropship_state = fields.Selection(
        [
            ("waiting_payment", "Waiting for payment"),
            ("released", "Released to the supplier"),
        ],
        string="Dropship status",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
    )
    dropship_released_at = fields.Datetime(string="Released on", readonly=True, copy=False)
    dropship_bill_id = fields.Many2one(
        "account.move", string="Pay-first bill", readonly=True, copy=False
    )
    dropship_carrier_account = fields.Char(
        string="Ship on carrier account",
        compute="_compute_dropship_carrier_account",
        help="Our carrier account the supplier ships on (shipping not invoiced).",
    )
    dropship_shipping_cost = fields.Monetary(
        string="Reported shipping cost", readonly=True, copy=False
    )
    dropship_shipping_reported = fields.Boolean(readonly=True, copy=False)
    dropship_adjustment_ids = fields.One2many(
        "account.move", "dropship_purchase_id", string="Dropship adjustments", readonly=True
    )

    @api.depends("partner_id", "picking_type_id", "company_id")
    def _compute_dropship_agreement_id(self):
        for order in self:
            if order.state not in ("draft", "sent") and order.dropship_agreement_id:
                continue
            agreement = self.env["dropship.agreement"]
            if order.picking_type_id.code == "dropship" and order.partner_id:
                agreement = order.partner_id.with_company(order.company_id)._dropship_agreement(
                    "supplier"
                )
            order.dropship_agreement_id = agreement

    @api.depends("group_id.sale_id", "group_id.sale_id.order_line.marketplace_package_id")
    def _compute_dropship_sale_id(self):
        for order in self:
            sale = order.group_id.sale_id if order.picking_type_id.code == "dropship" else False
            order.dropship_sale_id = sale
            packages = sale.order_line.mapped("marketplace_package_id") if sale else []
            order.dropship_package_ref = ", ".join(sorted(set(filter(None, packages)))) or False

    @api.depends("dropship_agreement_id.shipping_policy", "dropship_agreement_id.carrier_account")
    def _compute_dropship_carrier_account(self):
        for order in self:
            agreement = order.dropship_agreement_id
            order.dropship_carrier_account = (
                agreement.carrier_account if agreement.shipping_policy == "omit" else False
            )

    # ------------------------------------------------------------- confirmation
    def button_confirm(self):
        dropship = self.filtered(lambda o: o.dropship_agreement_id and o.state in ("draft", "sent"))
        for order in dropship:
            order._dropship_check_currency()
            order._dropship_prepare_lines()
        result = super().button_confirm()
        dropship._dropship_stamp_receipts()
        for order in dropship.filtered(lambda o: o.state == "purchase" and not o.dropship_state):
            if order.dropship_agreement_id.payment_policy == "prepaid":
                order._dropship_create_prepaid_bill()
            else:
                order._dropship_release()
        return result

    def _dropship_stamp_receipts(self):
        """The dropship receipt carries the customer's package number, like our deliveries."""
        for picking in self.picking_ids.filtered(
            lambda p: p.is_dropship and not p.marketplace_package_id
        ):
            packages = picking.move_ids.sale_line_id.mapped("marketplace_package_id")
            if packages and packages[0]:
                picking.marketplace_package_id = packages[0]

    def _dropship_check_currency(self):
        agreement = self.dropship_agreement_id
        if self.currency_id != agreement.currency_id:
            raise UserError(
                _(
                    "%(order)s is in %(currency)s but the dropship agreement with %(supplier)s "
                    "is in %(agreed)s: change the order's currency or the agreement.",
                    order=self.name,
                    currency=self.currency_id.name,
                    supplier=self.partner_id.display_name,
                    agreed=agreement.currency_id.name,
                )
            )

    def _dropship_prepare_lines(self):
        """The agreed shipping line (rate, or the estimate of an actual-cost agreement), and
        our carrier account in the order's terms when shipping is not invoiced."""
        agreement = self.dropship_agreement_id
        if agreement.shipping_policy == "omit":
            note = _("Ship on our carrier account %s.", agreement.carrier_account)
            if note not in (self.notes or ""):
                self.notes = f"{self.notes or ''}<p>{note}</p>"
            return
        if self._dropship_shipping_line() or float_is_zero(
            agreement.shipping_rate, precision_rounding=self.currency_id.rounding
        ):
            return
        self.write(
            {
                "order_line": [
                    Command.create(self._dropship_shipping_line_values(agreement.shipping_rate))
                ]
            }
        )

    def _dropship_shipping_product(self):
        product = self.dropship_agreement_id.shipping_product_id
        if not product:
            raise UserError(
                _(
                    "The dropship agreement with %s has no shipping product: set it to bill "
                    "the supplier's shipping.",
                    self.partner_id.display_name,
                )
            )
        return product

    def _dropship_shipping_line_values(self, price):
        product = self._dropship_shipping_product()
        return {
            "product_id": product.id,
            "name": product.display_name,
            "product_qty": 1.0,
            "product_uom": product.uom_po_id.id,
            "price_unit": price,
            "date_planned": fields.Datetime.now(),
            "dropship_shipping": True,
        }

    def _dropship_shipping_line(self):
        return self.order_line.filtered("dropship_shipping")[:1]

    def _dropship_create_prepaid_bill(self):
        """Pay first: the bill of the ordered quantities, posted to be paid; the order waits."""
        self.action_create_invoice()
        bill = self.invoice_ids.filtered(
            lambda m: m.move_type == "in_invoice" and m.state == "draft"
        )[:1]
        if not bill:
            raise UserError(_("%s has nothing to bill.", self.name))
        if not bill.invoice_date:
            bill.invoice_date = fields.Date.context_today(self)
        bill.action_post()
        self.write({"dropship_bill_id": bill.id, "dropship_state": "waiting_payment"})

    # ------------------------------------------------------------------ release
    def _dropship_release(self):
        """Send the order to the supplier, once."""
        self.ensure_one()
        if self.dropship_state == "released":
            return
        agreement = self.dropship_agreement_id
        if agreement.po_channel == "email":
            template = self.env.ref("purchase.email_template_edi_purchase_done")
            email_values = {"email_to": agreement.po_email} if agreement.po_email else None
            template.send_mail(self.id, email_values=email_values)
            message = _("Released to the supplier by e-mail.")
        else:
            message = _("Released to the supplier: available to the supplier over XML-RPC.")
        self.write({"dropship_state": "released", "dropship_released_at": fields.Datetime.now()})
        self._message_log(body=message)

    def _dropship_release_if_paid(self):
        for order in self.filtered(lambda o: o.dropship_state == "waiting_payment"):
            if order.dropship_bill_id.payment_state in PAID_STATES:
                order._dropship_release()

    def action_dropship_release(self):
        """Release pay-first orders whose bill is paid. XML-RPC:
        ``purchase.order.action_dropship_release([ids])`` → ids released."""
        orders = arguments.check_self(self)
        orders.check_access("write")
        for order in orders:
            if order.dropship_state != "waiting_payment":
                raise UserError(_("%s is not waiting for payment.", order.name))
            bill = order.dropship_bill_id
            if bill.payment_state not in PAID_STATES:
                raise UserError(
                    _(
                        "%(order)s waits for the payment of %(bill)s (%(due)s due): it is "
                        "released to the supplier once paid.",
                        order=order.name,
                        bill=bill.name,
                        due=bill.amount_residual,
                    )
                )
        orders._dropship_release_if_paid()
        return orders.ids

    def action_rfq_send(self):
        for order in self.filtered(lambda o: o.dropship_agreement_id.payment_policy == "prepaid"):
            if order.dropship_state != "released":
                raise UserError(
                    _(
                        "%s is a pay-first dropship order: it goes to the supplier once its "
                        "bill is paid.",
                        order.name,
                    )
                )
        return super().action_rfq_send()

    # ------------------------------------------------------------ final costs
    def report_shipping_cost(self, amount):
        """The supplier's actual shipping cost of this dropship order (actual-cost agreement):
        the shipping line takes it and the bills are adjusted (a draft bill updated; a posted
        one completed by a supplementary bill or a credit note for the difference).

        XML-RPC: ``purchase.order.report_shipping_cost([id], amount)`` →
        ``{'difference', 'adjustment_id'}`` (``adjustment_id``: the supplementary bill or
        credit note, False when a draft bill was updated or nothing was billed yet).
        """
        order = arguments.check_one(self)
        amount = arguments.check_number(self.env, amount, _("Shipping cost"), minimum=0)
        order.check_access("write")
        agreement = order.dropship_agreement_id
        if not agreement:
            raise UserError(_("%s is not a dropship purchase order.", order.name))
        if agreement.shipping_policy != "actual":
            raise UserError(
                _(
                    "The dropship agreement with %s does not bill shipping at actual cost.",
                    order.partner_id.display_name,
                )
            )
        if order.dropship_shipping_reported:
            raise UserError(
                _(
                    "The shipping cost of %(order)s was already reported (%(amount)s).",
                    order=order.name,
                    amount=order.dropship_shipping_cost,
                )
            )
        if order.state not in ("purchase", "done"):
            raise UserError(_("Confirm %s before reporting its shipping cost.", order.name))
        line = order._dropship_shipping_line()
        previous = line.price_unit if line else 0.0
        if line:
            line.price_unit = amount
        else:
            line = self.env["purchase.order.line"].create(
                dict(order._dropship_shipping_line_values(amount), order_id=order.id)
            )
        adjustment = order._dropship_adjust_bills(line, previous, amount)
        order.write({"dropship_shipping_cost": amount, "dropship_shipping_reported": True})
        order._message_log(body=_("Actual shipping cost reported: %s.", amount))
        return {"difference": amount - previous, "adjustment_id": adjustment.id or False}

    def _dropship_adjust_bills(self, line, previous, amount):
        """Bring the bills to the reported shipping cost; the adjustment document or none."""
        no_move = self.env["account.move"]
        bill_lines = line.invoice_lines.filtered(
            lambda aml: aml.move_id.move_type == "in_invoice" and aml.move_id.state != "cancel"
        )
        draft = bill_lines.filtered(lambda aml: aml.move_id.state == "draft")
        if draft:
            draft.write({"price_unit": amount})
            return no_move
        if not bill_lines:
            bills = self.invoice_ids.filtered(
                lambda m: m.move_type == "in_invoice" and m.state != "cancel"
            )
            draft_bill = bills.filtered(lambda m: m.state == "draft")[:1]
            if draft_bill:
                draft_bill.write(
                    {
                        "invoice_line_ids": [
                            Command.create(line._prepare_account_move_line(draft_bill))
                        ]
                    }
                )
                return no_move
            if not bills or float_is_zero(amount, precision_rounding=self.currency_id.rounding):
                return no_move  # billed later, with the shipping line
            return self._dropship_adjustment("in_invoice", line, amount)
        difference = amount - previous
        if float_is_zero(difference, precision_rounding=self.currency_id.rounding):
            return no_move
        kind = "in_invoice" if difference > 0 else "in_refund"
        return self._dropship_adjustment(kind, line, abs(difference))

    def _dropship_adjustment(self, move_type, line, amount):
        """A draft supplementary bill or credit note of the shipping difference."""
        return self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": self.partner_id.id,
                "currency_id": self.currency_id.id,
                "company_id": self.company_id.id,
                "invoice_origin": self.name,
                "ref": _("Shipping cost of %s", self.name),
                "invoice_date": fields.Date.context_today(self),
                "dropship_purchase_id": self.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "name": line.name,
                            "quantity": 1.0,
                            "price_unit": amount,
                            "tax_ids": [Command.set(line.taxes_id.ids)],
                        }
                    )
                ],
            }
        )

    def action_open_shipping_cost(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Actual shipping cost"),
            "res_model": "dropship.shipping.cost.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_purchase_id": self.id},
        }

    # --------------------------------------------------------------- tracking
    def report_tracking(self, tracking_number, carrier=None):
        """The supplier shipped: its tracking number goes on the dropship receipt, which is
        validated; the customer's channel and invoice follow like for our own shipments.

        XML-RPC: ``purchase.order.report_tracking([id], tracking_number, carrier)`` →
        ``{'picking_id'}``.
        """
        order = arguments.check_one(self)
        tracking_number = arguments.check_text(
            self.env, tracking_number, _("Tracking number"), required=True, max_length=100
        ).strip()
        carrier = arguments.check_text(self.env, carrier, _("Carrier"), max_length=100).strip()
        order.check_access("write")
        if not order.dropship_agreement_id:
            raise UserError(_("%s is not a dropship purchase order.", order.name))
        if order.dropship_state != "released":
            raise UserError(_("%s was not released to the supplier yet.", order.name))
        pickings = order.picking_ids.filtered(lambda p: p.is_dropship and p.state != "cancel")
        if not pickings:
            raise UserError(_("%s has no dropship receipt.", order.name))
        shipped = pickings.filtered(lambda p: p.state == "done")
        if shipped:
            raise UserError(
                _(
                    "The shipment of %(order)s was already reported (tracking %(tracking)s).",
                    order=order.name,
                    tracking=shipped[0].marketplace_tracking_number or "-",
                )
            )
        picking = pickings[0]
        values = {"marketplace_tracking_number": tracking_number}
        if carrier:
            values["marketplace_cargo_provider"] = carrier
        picking.write(values)
        picking._dropship_validate()
        return {"picking_id": picking.id}


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    dropship_shipping = fields.Boolean(readonly=True, copy=False)

    def _compute_qty_invoiced(self):
        """Dropship orders are billed on ordered quantities (``purchase_method = purchase``):
        the supplier's receipt is the customer's delivery."""
        super()._compute_qty_invoiced()
        for line in self:
            if line.order_id.dropship_agreement_id and line.order_id.state in ("purchase", "done"):
                line.qty_to_invoice = line.product_qty - line.qty_invoiced


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _dropship_validate(self):
        self.ensure_one()
        if self.state in ("draft", "waiting", "confirmed"):
            self.action_assign()
        for move in self.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
            move.quantity = move.product_uom_qty
            move.picked = True
        self.with_context(skip_backorder=True, skip_sms=True).button_validate()

    def _action_done(self):
        result = super()._action_done()
        for picking in self.filtered(lambda p: p.is_dropship and p.state == "done" and p.sale_id):
            picking.sale_id._dropship_note_shipment(picking)
        return result


class AccountMove(models.Model):
    _inherit = "account.move"

    dropship_purchase_id = fields.Many2one(
        "purchase.order",
        string="Dropship order",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The dropship purchase order this supplementary bill or credit note adjusts.",
    )
    dropship_claim_id = fields.Many2one(
        "marketplace.claim",
        string="Return",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer's return this supplier credit note asks the refund of.",
    )


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def reconcile(self):
        result = super().reconcile()
        bills = self.move_id.filtered(lambda m: m.move_type == "in_invoice")
        if bills:
            # the payer may not read purchase orders: the release is the agreement's, not theirs
            orders = (
                self.env["purchase.order"]
                .sudo()
                .search(
                    [
                        ("dropship_bill_id", "in", bills.ids),
                        ("dropship_state", "=", "waiting_payment"),
                    ]
                )
            )
            orders._dropship_release_if_paid()
        return result


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    def _create_payments(self):
        orders = self._dropship_check_currency()
        payments = super()._create_payments()
        # a payment without journal entry only matches the bill: no reconcile() call
        orders.filtered(lambda o: o.dropship_state == "waiting_payment")._dropship_release_if_paid()
        return payments

    def _dropship_check_currency(self):
        bills = self.line_ids.move_id.filtered(lambda m: m.move_type == "in_invoice")
        if not bills:
            return self.env["purchase.order"]
        orders = self.env["purchase.order"].sudo().search([("dropship_bill_id", "in", bills.ids)])
        for order in orders:
            agreed = order.dropship_agreement_id.currency_id
            if self.currency_id != agreed:
                raise UserError(
                    _(
                        "The pay-first bill of %(order)s is paid in %(agreed)s, as agreed with "
                        "%(supplier)s, not in %(currency)s.",
                        order=order.name,
                        agreed=agreed.name,
                        supplier=order.partner_id.display_name,
                        currency=self.currency_id.name,
                    )
                )
        return orders

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

from ..lib.pricing import invoice_line_price
from .marketplace_order_inbound import to_datetime


class SaleOrder(models.Model):
    _inherit = "sale.order"

    marketplace_account_id = fields.Many2one(
        "marketplace.account", readonly=True, index="btree_not_null", copy=False
    )
    marketplace_order_number = fields.Char(readonly=True, index="btree_not_null", copy=False)
    marketplace_inbound_ids = fields.One2many("marketplace.order.inbound", "sale_order_id")
    marketplace_flagged = fields.Boolean(
        readonly=True,
        copy=False,
        help="Some lines use the fallback product: map their barcode in Listings.",
    )

    _sql_constraints = [
        (
            "marketplace_order_unique",
            "unique(marketplace_account_id, marketplace_order_number)",
            "This marketplace order already has a sale order.",
        ),
    ]

    def _prepare_invoice(self):
        values = super()._prepare_invoice()
        if self.marketplace_account_id:
            values["marketplace_account_id"] = self.marketplace_account_id.id
            values["marketplace_order_number"] = self.marketplace_order_number
        return values

    # ---------------------------------------------------------------- creation
    @api.model
    def _marketplace_ensure_order(self, inbound, package):
        """The sale order of the package's marketplace order; lines are added once per line id."""
        account = inbound.account_id
        order = inbound.sale_order_id or self.search(
            [
                ("marketplace_account_id", "=", account.id),
                ("marketplace_order_number", "=", str(package["order_number"])),
            ],
            limit=1,
        )
        if not order:
            customer, invoice, delivery = self.env["res.partner"]._marketplace_partners(
                account, package
            )
            order = self.with_company(account.company_id).create(
                self._marketplace_order_values(account, package, customer, invoice, delivery)
            )
        known = set(order.order_line.mapped("marketplace_line_id"))
        new_lines = [line for line in package["lines"] if str(line["line_id"]) not in known]
        if new_lines or not order.order_line:
            commands = [
                Command.create(order._marketplace_line_values(account, line, package))
                for line in new_lines
            ]
            if not order.order_line.filtered("marketplace_is_cargo"):
                cargo = order._marketplace_cargo_line_values(account, package)
                if cargo:
                    commands.append(Command.create(cargo))
            if commands:
                order.write({"order_line": commands})
        flagged = any(line.marketplace_fallback for line in order.order_line)
        if flagged != order.marketplace_flagged:
            order.marketplace_flagged = flagged
        return order

    @api.model
    def _marketplace_order_values(self, account, package, customer, invoice, delivery):
        values = {
            "partner_id": customer.id,
            "partner_invoice_id": invoice.id,
            "partner_shipping_id": delivery.id,
            "company_id": account.company_id.id,
            "client_order_ref": str(package["order_number"]),
            "origin": f"{account._adapter_class().name} {package['order_number']}",
            "marketplace_account_id": account.id,
            "marketplace_order_number": str(package["order_number"]),
        }
        order_date = to_datetime(package.get("order_date"))
        if order_date:
            values["date_order"] = order_date
        if account.warehouse_id:
            values["warehouse_id"] = account.warehouse_id.id
        if account.team_id:
            values["team_id"] = account.team_id.id
        if account.pricelist_id:
            values["pricelist_id"] = account.pricelist_id.id
        if account.user_id:
            values["user_id"] = account.user_id.id
        return values

    def _marketplace_line_values(self, account, line, package):
        product, fallback = self.env["marketplace.listing"]._match_product(account, line)
        quantity = float(line.get("quantity") or 1)
        price_unit, discount = invoice_line_price(line, account.marketplace_discount_policy)
        name = line.get("product_name") or product.display_name
        rate = line.get("vat_rate")
        if rate is None:  # the marketplace does not send it: the product's KDV
            rate = self._marketplace_product_vat_rate(account, product)
        if fallback:
            name = f"[{line.get('barcode') or line.get('stock_code')}] {name}"
        return {
            "product_id": product.id,
            "name": name,
            "product_uom_qty": quantity,
            "price_unit": price_unit,
            "discount": discount,
            "tax_id": [Command.set(self._marketplace_taxes(account, rate).ids)],
            "marketplace_line_id": str(line["line_id"]),
            "marketplace_package_id": str(package["package_id"] or ""),
            "marketplace_seller_discount": float(line.get("discount_seller") or 0.0),
            "marketplace_funded_discount": float(line.get("discount_marketplace") or 0.0),
            "marketplace_fallback": fallback,
        }

    def _marketplace_cargo_line_values(self, account, package):
        fee = float(package.get("cargo_fee") or 0.0)
        if float_is_zero(fee, precision_digits=2):
            return None
        product = account.cargo_product_id or account.fallback_product_id
        if not product:
            raise UserError(
                _("Set a cargo fee product on the marketplace account %s.", account.name)
            )
        return {
            "product_id": product.id,
            "name": _("Cargo fee"),
            "product_uom_qty": 1,
            "price_unit": fee,
            "marketplace_is_cargo": True,
            "tax_id": [Command.set(self._marketplace_taxes(account, 20).ids)],
        }

    @api.model
    def _marketplace_product_vat_rate(self, account, product):
        """The KDV rate of the product's sale tax in the account's company."""
        taxes = product.taxes_id.filtered(
            lambda tax: tax.company_id == account.company_id and tax.amount_type == "percent"
        )
        if not taxes:
            raise UserError(
                _(
                    "The marketplace gives no VAT rate for %(product)s and the product has no "
                    "sale tax in %(company)s: set its customer tax (KDV).",
                    product=product.display_name,
                    company=account.company_id.name,
                )
            )
        return taxes[0].amount

    def _marketplace_taxes(self, account, rate):
        """The company's VAT-included sale tax (KDV) of this rate; marketplace prices are gross."""
        if rate in (None, False, ""):
            return self.env["account.tax"]
        Tax = self.env["account.tax"].with_company(account.company_id)
        domain = [
            ("company_id", "=", account.company_id.id),
            ("type_tax_use", "=", "sale"),
            ("amount_type", "=", "percent"),
            ("amount", "=", float(rate)),
        ]
        tax = Tax.search(domain + [("price_include", "=", True)], limit=1)
        if tax:
            return tax
        base = Tax.search(domain, order="sequence, id", limit=1)
        if not base:
            raise UserError(
                _(
                    "No %(rate)s%% sale tax (KDV) in company %(company)s.",
                    rate=rate,
                    company=account.company_id.name,
                )
            )
        return (
            base.sudo()
            .copy(
                {
                    "name": _("%s (KDV included)", base.name),
                    "price_include_override": "tax_included",
                    "description": base.description,
                }
            )
            .sudo(False)
        )

    # ----------------------------------------------------------- fulfilment
    def _marketplace_stamp_pickings(self, package):
        cargo = package.get("cargo") or {}
        for picking in self.picking_ids.filtered(
            lambda p: (
                p.picking_type_code in ("outgoing", "dropship")
                and p.state not in ("done", "cancel")
            )
        ):
            values = {"marketplace_package_id": str(package["package_id"] or "")}
            if cargo.get("tracking_number"):
                values["marketplace_tracking_number"] = str(cargo["tracking_number"])
            if cargo.get("provider_name"):
                values["marketplace_cargo_provider"] = cargo["provider_name"]
            if any(picking[key] != value for key, value in values.items()):
                picking.write(values)

    def _marketplace_deliver(self, package):
        """Validate the open deliveries of the package's lines (the carrier has them)."""
        line_ids = {str(line["line_id"]) for line in package["lines"]}
        for picking in self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
        ):
            moves = picking.move_ids.filtered(
                lambda m: (
                    m.state not in ("done", "cancel")
                    and m.sale_line_id.marketplace_line_id in line_ids
                )
            )
            if not moves:
                continue
            if picking.state in ("draft", "waiting", "confirmed"):
                picking.action_assign()
            for move in moves:
                move.quantity = move.product_uom_qty
                move.picked = True
            # Lines of other packages stay in a backorder; no wizard in between.
            other = (picking.move_ids - moves).filtered(lambda m: m.state not in ("done", "cancel"))
            picking.with_context(
                skip_backorder=True,
                skip_sms=True,
                picking_ids_not_to_backorder=[] if other else picking.ids,
            ).button_validate()

    def _marketplace_invoice(self, inbound, package):
        """Create and post the invoice of what is invoiceable, with the internet-sale data."""
        self.ensure_one()
        if not self._get_invoiceable_lines():
            return self.invoice_ids.filtered(
                lambda m: m.move_type == "out_invoice" and m.state == "posted"
            )[:1]
        invoices = self.with_context(mail_notrack=True)._create_invoices(final=True)
        for invoice in invoices:
            invoice._marketplace_fill_internet_sale(inbound.account_id, package)
        invoices.action_post()
        account = inbound.account_id
        # the e-document is sent once the batch is committed (marketplace.order.inbound.
        # _send_edocuments): never from inside an uncommitted batch
        for invoice in invoices.filtered(lambda m: m.move_type == "out_invoice"):
            if account.payment_journal_id:
                invoice._marketplace_register_payment(account.payment_journal_id)
        return invoices.filtered(lambda m: m.move_type == "out_invoice")[:1]

    # ----------------------------------------------------------- cancellation
    def _marketplace_cancel_lines(self, line_ids, reason=None, quantities=None):
        """Reverse what was done for these marketplace lines: return the goods that left,
        credit what was invoiced, cancel what is left; the whole order when nothing remains."""
        self.ensure_one()
        if self.state == "cancel":
            return
        lines = self.order_line.filtered(lambda line: line.marketplace_line_id in line_ids)
        product_lines = self.order_line.filtered(
            lambda line: line.marketplace_line_id and not line.display_type
        )
        remaining = product_lines.filtered(
            lambda line: line.marketplace_line_id not in line_ids and line.product_uom_qty > 0
        )
        quantities = quantities or {}
        full = not remaining and not quantities
        returns = {}
        for line in lines:
            qty = quantities.get(line.marketplace_line_id, line.product_uom_qty)
            delivered_back = min(qty, line.qty_delivered)
            if delivered_back > 0:
                returns[line] = delivered_back
        if full:
            returns.update(
                {
                    line: line.qty_delivered
                    for line in self.order_line
                    if line.marketplace_is_cargo and line.qty_delivered
                }
            )
        if returns:
            self._marketplace_return(returns)
        posted = self.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        )
        if full:
            to_reverse = posted.filtered(lambda m: m.payment_state != "reversed")
            if to_reverse:
                ref = _("Marketplace cancellation (%s)", reason or "")
                refunds = to_reverse._reverse_moves([{"ref": ref}] * len(to_reverse), cancel=False)
                refunds.action_post()
            self.with_context(disable_cancel_warning=True)._action_cancel()
            self.message_post(body=_("Cancelled by the marketplace (%s).", reason or ""))
            return
        for line in lines:
            qty = quantities.get(line.marketplace_line_id, line.product_uom_qty)
            line.product_uom_qty = max(line.product_uom_qty - qty, 0.0)
        if posted and self._get_invoiceable_lines(final=True):
            refunds = self._create_invoices(final=True)
            refunds.action_post()
        self.message_post(
            body=_(
                "Marketplace lines %(lines)s cancelled (%(reason)s).",
                lines=", ".join(sorted(line_ids)),
                reason=reason or "",
            )
        )

    def _marketplace_return(self, quantities_by_line):
        """Create and validate a return of the delivered quantities {sale line: qty}."""
        self.ensure_one()
        done = self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done"
        )
        returned = self.env["stock.picking"]
        left = dict(quantities_by_line)
        for picking in done:
            todo = {
                move: min(left.get(move.sale_line_id, 0.0), move.quantity)
                for move in picking.move_ids
                if move.state == "done"
            }
            if not any(todo.values()):
                continue
            wizard = (
                self.env["stock.return.picking"]
                .with_context(active_id=picking.id, active_model="stock.picking")
                .create({"picking_id": picking.id})
            )
            for return_line in wizard.product_return_moves:
                qty = todo.get(return_line.move_id, 0.0)
                return_line.quantity = qty
                sale_line = return_line.move_id.sale_line_id
                if sale_line in left:
                    left[sale_line] -= qty
            new_picking = wizard._create_return()
            for move in new_picking.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            new_picking.with_context(skip_backorder=True, skip_sms=True)._action_done()
            returned |= new_picking
        return returned


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    marketplace_line_id = fields.Char(readonly=True, index="btree_not_null", copy=False)
    marketplace_package_id = fields.Char(readonly=True, copy=False)
    marketplace_seller_discount = fields.Float(
        readonly=True,
        digits="Product Price",
        copy=False,
        help="Discount funded by the seller (on the invoice).",
    )
    marketplace_funded_discount = fields.Float(
        string="Marketplace-funded discount",
        readonly=True,
        digits="Product Price",
        copy=False,
        help="Discount of the whole line paid by the marketplace. Deducted on the invoice "
        "only when the account's discount policy says so; otherwise the marketplace settles "
        "it with the seller.",
    )
    marketplace_fallback = fields.Boolean(readonly=True, copy=False)
    marketplace_is_cargo = fields.Boolean(readonly=True, copy=False)

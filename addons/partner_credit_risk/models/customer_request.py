"""Customer requests: a tracked request of a customer that turns into its document in one click."""

from odoo import Command, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models.arguments import check_self
from odoo.exceptions import UserError, ValidationError

OPEN_STAGES = ("new", "in_progress", "waiting")
# the document each type converts into ("warranty" only with a charge; "help" never)
CONVERTIBLE = {"service": "sale.order", "warranty": "sale.order", "account": "sale.order"}


class CustomerRequest(models.Model):
    _name = "customer.request"
    _description = "Customer request"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _mail_post_access = "read"  # the customer adds to their request from the portal

    name = fields.Char(
        "Tracking number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    subject = fields.Char(required=True, tracking=True)
    request_type = fields.Selection(
        [
            ("service", "Service"),
            ("fee", "Fee reimbursement"),
            ("account", "Account"),
            ("warranty", "Warranty"),
            ("help", "Help"),
        ],
        "Type",
        required=True,
        default="help",
        tracking=True,
    )
    stage = fields.Selection(
        [
            ("new", "New"),
            ("in_progress", "In progress"),
            ("waiting", "Waiting customer"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="new",
        tracking=True,
        group_expand=True,
        copy=False,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
        help="The customer (commercial entity) the request belongs to.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        "Contact",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="The person who asked; the confirmation e-mail goes to this contact.",
    )
    description = fields.Html()
    user_id = fields.Many2one(
        "res.users",
        "Assigned to",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        "Sales team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    date_deadline = fields.Date("Deadline", tracking=True)
    rule_id = fields.Many2one(
        "customer.request.rule", "Created by rule", readonly=True, index="btree_not_null"
    )
    # service: at a time and place
    service_date = fields.Datetime("Service date")
    service_location = fields.Char("Service location")
    # warranty: about a product (optionally its serial / lot)
    product_id = fields.Many2one("product.product", "Product", check_company=True)
    lot_id = fields.Many2one(
        "stock.lot",
        "Lot / serial number",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    warranty_charged = fields.Boolean(
        "With charge", help="Out of warranty: the repair or replacement is charged (a quotation)."
    )
    # fee: reimbursement of expenses
    currency_id = fields.Many2one(related="company_id.currency_id")
    fee_amount = fields.Monetary("Fee amount")
    fee_document = fields.Selection(
        [("invoice", "Customer invoice"), ("refund", "Credit note")],
        "Fee document",
        default="invoice",
        help="Customer invoice: the customer reimburses us. "
        "Credit note: we reimburse the customer.",
    )
    # account: about an order, shipment, invoice or payment
    document_ref = fields.Reference(
        [
            ("sale.order", "Sale order"),
            ("stock.picking", "Shipment"),
            ("account.move", "Invoice"),
            ("account.payment", "Payment"),
        ],
        "Related document",
    )
    # the document the request was converted into
    sale_order_id = fields.Many2one("sale.order", "Quotation", readonly=True, copy=False)
    invoice_id = fields.Many2one("account.move", "Invoice / credit note", readonly=True, copy=False)
    confirmation_sent = fields.Boolean(readonly=True, copy=False)
    can_convert = fields.Boolean(compute="_compute_can_convert")

    @api.depends("user_id")
    def _compute_team_id(self):
        for request in self:
            if request.user_id and not request.team_id:
                team = request.user_id.sudo().sale_team_id
                if team.company_id in (request.company_id, team.company_id.browse()):
                    request.team_id = team

    @api.depends("request_type", "warranty_charged", "sale_order_id", "invoice_id", "stage")
    def _compute_can_convert(self):
        for request in self:
            done = request.sale_order_id or request.invoice_id or request.stage == "cancelled"
            request.can_convert = not done and (
                request.request_type in ("service", "account", "fee")
                or (request.request_type == "warranty" and request.warranty_charged)
            )

    def init(self):
        # one open request per rule and customer, whatever runs the rule at the same time
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS customer_request_rule_open_uniq
               ON customer_request (rule_id, partner_id)
               WHERE rule_id IS NOT NULL AND stage IN ('new', 'in_progress', 'waiting')"""
        )

    def _compute_access_url(self):
        super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/requests/{request.id}"

    # --- checks ------------------------------------------------------------------------------

    @api.constrains("partner_id", "contact_id", "company_id")
    def _check_customer(self):
        for request in self:
            partner = request.partner_id
            if partner.company_id and partner.company_id != request.company_id:
                raise ValidationError(
                    self.env._(
                        "Customer %(customer)s belongs to company %(other)s: a request of "
                        "%(company)s cannot be opened for it.",
                        customer=partner.display_name,
                        other=partner.company_id.name,
                        company=request.company_id.name,
                    )
                )
            if partner != partner.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "The customer of a request is a company or an individual customer, not "
                        "the contact %(contact)s: set it as the contact.",
                        contact=partner.display_name,
                    )
                )
            if request.contact_id and request.contact_id.commercial_partner_id != partner:
                raise ValidationError(
                    self.env._(
                        "Contact %(contact)s does not belong to customer %(customer)s.",
                        contact=request.contact_id.display_name,
                        customer=partner.display_name,
                    )
                )

    @api.constrains("fee_amount")
    def _check_fee_amount(self):
        for request in self:
            if request.fee_amount < 0:
                raise ValidationError(
                    self.env._(
                        "The fee amount of request %(number)s cannot be negative: choose a credit "
                        "note as fee document to pay the customer back.",
                        number=request.name,
                    )
                )

    @api.constrains("document_ref", "partner_id")
    def _check_document_ref(self):
        for request in self.filtered("document_ref"):
            document = request.document_ref.sudo()
            partner = document.partner_id.commercial_partner_id
            if partner != request.partner_id or document.company_id != request.company_id:
                raise ValidationError(
                    self.env._(
                        "Document %(document)s is not one of customer %(customer)s in company "
                        "%(company)s.",
                        document=document.display_name,
                        customer=request.partner_id.display_name,
                        company=request.company_id.name,
                    )
                )

    @api.constrains("lot_id", "product_id")
    def _check_lot(self):
        for request in self.filtered("lot_id"):
            if request.lot_id.product_id != request.product_id:
                raise ValidationError(
                    self.env._(
                        "Lot / serial number %(lot)s is not one of product %(product)s.",
                        lot=request.lot_id.name,
                        product=request.product_id.display_name or "-",
                    )
                )

    # --- creation ------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        for vals in vals_list:
            # a contact person given as the customer: its company is the customer
            if vals.get("partner_id"):
                partner = Partner.browse(vals["partner_id"]).exists()
                if partner and partner.commercial_partner_id != partner:
                    vals.setdefault("contact_id", partner.id)
                    vals["partner_id"] = partner.commercial_partner_id.id
        requests = super().create(vals_list)
        for request in requests:
            request.name = request._next_number()
            request.message_subscribe(partner_ids=(request.contact_id or request.partner_id).ids)
        requests._send_automatic_confirmation()
        return requests

    def _send_automatic_confirmation(self):
        """On creation, when the company asks for it: to customers with an e-mail address, for
        the requests they asked (not those a rule opened)."""
        self.filtered(
            lambda r: (
                r.company_id.customer_request_auto_confirm
                and not r.rule_id
                and (r.contact_id or r.partner_id).email
            )
        ).action_send_confirmation()

    def _next_number(self):
        """The company's next tracking number (one sequence per company, made on first use)."""
        self.ensure_one()
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search(
            [("code", "=", "customer.request"), ("company_id", "=", self.company_id.id)], limit=1
        )
        if not sequence:
            sequence = Sequence.create(
                {
                    "name": f"Customer requests ({self.company_id.name})",
                    "code": "customer.request",
                    "company_id": self.company_id.id,
                    "prefix": "REQ/%(year)s/",
                    "padding": 5,
                }
            )
        return sequence.next_by_id()

    # --- confirmation e-mail -------------------------------------------------------------------

    def action_send_confirmation(self):
        """Send the confirmation with the tracking number to the customer's contact; returns the
        ids of the posted messages."""
        check_self(self)
        self.check_access("write")
        template = self.env.ref("partner_credit_risk.mail_template_customer_request_confirmation")
        message_ids = []
        for request in self:
            recipient = request.contact_id or request.partner_id
            if not recipient.email:
                raise UserError(
                    self.env._(
                        "%(partner)s has no e-mail address: the confirmation of request "
                        "%(number)s cannot be sent.",
                        partner=recipient.display_name,
                        number=request.name,
                    )
                )
            message = request.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
                partner_ids=recipient.ids,
                email_layout_xmlid="mail.mail_notification_light",
            )
            message_ids += message.ids
            request.confirmation_sent = True
        return message_ids

    # --- conversion ----------------------------------------------------------------------------

    def action_convert(self):
        """Turn each request into its document (service, account and warranty with a charge: a
        quotation; fee: a customer invoice or credit note). All requests are checked first:
        one that cannot convert stops the call before anything is created. Returns
        ``[{"request_id", "number", "model", "res_id", "name"}]``."""
        check_self(self)
        if not self:
            raise UserError(self.env._("No request to convert: give the ids of the requests."))
        self.check_access("write")
        # a second call for the same requests waits for the first and then sees its link
        self.env.cr.execute(
            "SELECT id FROM customer_request WHERE id IN %s FOR UPDATE", [tuple(self.ids)]
        )
        self.invalidate_recordset(["sale_order_id", "invoice_id"])
        for request in self:
            request._check_convertible()
        results = []
        for request in self:
            document = (
                request._create_invoice()
                if request.request_type == "fee"
                else request._create_quotation()
            )
            results.append(
                {
                    "request_id": request.id,
                    "number": request.name,
                    "model": document._name,
                    "res_id": document.id,
                    "name": document.display_name,
                }
            )
        return results

    def action_convert_open(self):
        """The form's button: convert, then open the document."""
        result = self.action_convert()[0]
        return {
            "type": "ir.actions.act_window",
            "res_model": result["model"],
            "res_id": result["res_id"],
            "view_mode": "form",
        }

    def _check_convertible(self):
        self.ensure_one()
        document = self.sale_order_id or self.invoice_id
        if document:
            raise UserError(
                self.env._(
                    "Request %(number)s was already converted into %(document)s.",
                    number=self.name,
                    document=document.display_name,
                )
            )
        if self.stage == "cancelled":
            raise UserError(
                self.env._("Request %(number)s is cancelled: it cannot convert.", number=self.name)
            )
        if self.request_type == "help":
            raise UserError(
                self.env._(
                    "Request %(number)s is a help request: it has no document to convert into.",
                    number=self.name,
                )
            )
        if self.request_type == "warranty" and not self.warranty_charged:
            raise UserError(
                self.env._(
                    "Warranty request %(number)s is without charge: only a charged warranty "
                    "request converts into a quotation.",
                    number=self.name,
                )
            )
        if self.request_type == "warranty" and not self.product_id:
            raise UserError(
                self.env._("Warranty request %(number)s has no product to quote.", number=self.name)
            )
        if self.request_type == "fee" and self.fee_amount <= 0:
            raise UserError(
                self.env._(
                    "Fee request %(number)s has no amount: enter the fee amount to invoice.",
                    number=self.name,
                )
            )

    def _document_note(self):
        text = self.env._(
            "Customer request %(number)s: %(subject)s", number=self.name, subject=self.subject
        )
        if self.lot_id:
            text += " - " + self.env._("Lot / serial number %(lot)s", lot=self.lot_id.name)
        if self.service_location:
            text += " - " + self.service_location
        return text

    def _create_quotation(self):
        vals = {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "origin": self.name,
            "user_id": (self.user_id or self.env.user).id,
            "client_order_ref": self.subject,
        }
        if self.team_id:
            vals["team_id"] = self.team_id.id
        if self.service_date:
            vals["commitment_date"] = self.service_date
        lines = [Command.create({"display_type": "line_note", "name": self._document_note()})]
        if self.product_id:
            lines.append(Command.create({"product_id": self.product_id.id, "product_uom_qty": 1}))
        vals["order_line"] = lines
        order = self.env["sale.order"].with_company(self.company_id).create(vals)
        self.write({"sale_order_id": order.id, "stage": self._stage_after_conversion()})
        return order

    def _create_invoice(self):
        line = {"name": self._document_note(), "quantity": 1, "price_unit": self.fee_amount}
        if self.product_id:
            line["product_id"] = self.product_id.id
        else:
            line["tax_ids"] = [Command.clear()]
        move = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "out_refund" if self.fee_document == "refund" else "out_invoice",
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "invoice_origin": self.name,
                    "ref": self.subject,
                    "invoice_user_id": (self.user_id or self.env.user).id,
                    "invoice_line_ids": [Command.create(line)],
                }
            )
        )
        if self.product_id:
            move.invoice_line_ids.price_unit = self.fee_amount
        self.write({"invoice_id": move.id, "stage": self._stage_after_conversion()})
        return move

    def _stage_after_conversion(self):
        return "in_progress" if self.stage == "new" else self.stage

    # --- buttons -------------------------------------------------------------------------------

    def action_open_document(self):
        self.ensure_one()
        document = self.sale_order_id or self.invoice_id
        return {
            "type": "ir.actions.act_window",
            "res_model": document._name,
            "res_id": document.id,
            "view_mode": "form",
        }

    def action_set_stage(self, stage):
        """Move requests to a stage (``new``, ``in_progress``, ``waiting``, ``done``,
        ``cancelled``); returns True."""
        check_self(self)
        stages = [key for key, _label in self._fields["stage"].selection]
        if stage not in stages:
            raise UserError(
                self.env._(
                    "Stage must be one of %(stages)s, not %(stage)r.",
                    stages=", ".join(stages),
                    stage=stage,
                )
            )
        self.write({"stage": stage})
        return True

    def _get_report_base_filename(self):
        return self.name

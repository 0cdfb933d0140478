from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from .common import CustomerMasterCommon


class CreditCommon(CustomerMasterCommon):
    """A 20% VAT product, a credit manager and an ordinary salesperson; helpers that build
    customers, orders, deliveries and cheques."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("partner_credit_risk.group_credit_manager")
        cls.vat20 = cls.env["account.tax"].create(
            {
                "name": "KDV %20",
                "amount": 20.0,
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Un 50 kg",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "taxes_id": [Command.set(cls.vat20.ids)],
            }
        )
        base = "base.group_user,sales_team.group_sale_salesman"
        cls.credit_manager = new_test_user(
            cls.env,
            login="credit_manager",
            groups=f"{base},sales_team.group_sale_manager,partner_credit_risk.group_credit_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.salesperson = new_test_user(
            cls.env,
            login="salesperson",
            groups=base,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.today = fields.Date.today()

    @classmethod
    def _customer(cls, name, mode="partner", order="block", delivery="block", limit=0.0, **vals):
        partner = cls.Partner.create({"name": name, "is_company": True})
        partner.with_company(cls.company).write(
            {
                "credit_control_mode": mode,
                "credit_check_order": order,
                "credit_check_delivery": delivery,
                "credit_limit": limit,
                **vals,
            }
        )
        return partner

    @classmethod
    def _account(cls, partner, currency=None, account_type="CSW"):
        currency = currency or cls.try_
        account = partner.financial_account_ids.filtered(
            lambda a: a.currency_id == currency and a.account_type == account_type
        )
        if not account:
            account = cls.env["partner.financial.account"].create(
                {
                    "partner_id": partner.id,
                    "currency_id": currency.id,
                    "account_type": account_type,
                    "company_id": cls.company.id,
                }
            )
        return account

    @classmethod
    def _order(cls, partner, qty=10, price=100.0, account=None, user=None):
        Order = cls.env["sale.order"].with_user(user) if user else cls.env["sale.order"]
        vals = {
            "partner_id": partner.id,
            "company_id": cls.company.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": cls.product.id,
                        "product_uom_qty": qty,
                        "price_unit": price,
                        "tax_id": [Command.set(cls.vat20.ids)],
                    }
                )
            ],
        }
        if account:
            vals["financial_account_id"] = account.id
        order = Order.create(vals)
        if account and account.pricelist_id:
            order.order_line.price_unit = price  # keep the price given, in the account's currency
        return order

    @classmethod
    def _deliver(cls, order, qty):
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking.move_ids.write({"quantity": qty, "picked": True})
        picking.with_context(cancel_backorder=False)._action_done()
        return picking

    @classmethod
    def _document(cls, partner, amount, kind="customer_cheque", days=30, currency=None, **vals):
        return cls.env["partner.portfolio.document"].create(
            {
                "name": f"CK-{partner.id}-{amount}-{days}",
                "kind": kind,
                "partner_id": partner.id,
                "amount": amount,
                "currency_id": (currency or cls.try_).id,
                "due_date": cls.today + timedelta(days=days),
                **vals,
            }
        )

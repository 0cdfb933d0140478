from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import new_test_user


class CustomerMasterCommon(AccountTestInvoicingCommon):
    """A Turkish company (TRY) on Odoo's generic chart, with USD activated.

    The addon does not depend on l10n_tr: its tests use the chart every install has, so they run
    when partner_credit_risk is installed alone."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("tr")
    @AccountTestInvoicingCommon.setup_chart_template("generic_coa")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.env.user.groups_id += cls.env.ref("partner_credit_risk.group_customer_master_manager")
        cls.usd = cls.setup_other_currency("USD", rates=[("2000-01-01", 0.025)])
        cls.try_ = cls.company.currency_id
        cls.Partner = cls.env["res.partner"].with_context(res_partner_search_mode="customer")
        cls.customer = cls.Partner.create({"name": "Marmara Gıda A.Ş.", "is_company": True})
        cls.usd_pricelist = cls.env["product.pricelist"].create(
            {"name": "USD list", "currency_id": cls.usd.id, "company_id": cls.company.id}
        )
        group = "partner_credit_risk.group_customer_master_"
        base_groups = "base.group_user,sales_team.group_sale_salesman,account.group_account_invoice"
        cls.master_user = new_test_user(
            cls.env,
            login="master_user",
            groups=f"{base_groups},{group}user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.master_manager = new_test_user(
            cls.env,
            login="master_manager",
            groups=f"{base_groups},{group}manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.plain_user = new_test_user(
            cls.env,
            login="plain_sales",
            groups=base_groups,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

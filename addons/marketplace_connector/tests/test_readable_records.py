from lxml import etree

from odoo.addons.base.tests.common import new_test_user
from odoo.models import BaseModel
from odoo.tests import tagged

from .common import MarketplaceCase, trendyol_package, with_status


@tagged("post_install", "-at_install")
class TestReadableRecords(MarketplaceCase):
    def test_package_status_in_words_next_to_the_api_code(self):
        package = trendyol_package()
        self.store(package)
        row = self.inbound(package)
        labels = dict(row._fields["status_label"]._description_selection(self.env))
        self.assertEqual((row.status, row.status_label), ("Created", "Created"))
        self.assertEqual(labels[row.status_label], "New, to pick")
        self.store(with_status(package, "Picking"))
        self.assertEqual(labels[row.status_label], "Picking")
        self.store(with_status(package, "AtCollectionPoint"))
        self.assertEqual(labels[row.status_label], "At the collection point")
        arch = self.Inbound.get_view(False, "list")["arch"]
        self.assertIn('name="status_label"', arch)

    def test_dashboard_counters_have_readable_labels(self):
        fields = self.env["marketplace.account"].fields_get(
            ["count_new", "count_error", "count_processed", "count_claims"], ["string"]
        )
        self.assertEqual(
            {name: f["string"] for name, f in fields.items()},
            {
                "count_new": "New Orders",
                "count_error": "Orders in Error",
                "count_processed": "Processed Orders",
                "count_claims": "Returns to Decide",
            },
        )

    def test_discount_column_on_marketplace_order_lines(self):
        group = self.env.ref("sale.group_discount_per_so_line")
        salesperson = new_test_user(
            self.env,
            login="mp_sales_disc",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        self.assertNotIn(group, salesperson.groups_id)
        manager = new_test_user(
            self.env,
            login="mp_sales_disc_mgr",
            groups="base.group_user,sales_team.group_sale_manager,sale.group_discount_per_so_line",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        for user in (salesperson, manager):
            arch = etree.fromstring(
                self.env["sale.order"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            columns = arch.xpath("//field[@name='order_line']/list/field[@name='discount']")
            with self.subTest(user=user.login):
                self.assertEqual(len(columns), 1, "one discount column, whoever looks")
                if group not in user.groups_id:
                    self.assertEqual(
                        columns[0].get("column_invisible"), "not parent.marketplace_account_id"
                    )

    def test_every_record_and_wizard_has_a_title(self):
        for module in ("marketplace_connector", "l10n_tr_efatura"):
            self.assertFalse(models_without_title(self.env, module), module)
        # a wizard names the package it works on
        package = trendyol_package()
        self.store(package)
        row = self.inbound(package)
        wizard = self.env["marketplace.split.wizard"].new({"inbound_id": row.id})
        self.assertIn(row.display_name, wizard.display_name)
        self.assertNotIn("marketplace.split.wizard", wizard.display_name)


def models_without_title(env, module):
    """Models of ``module`` whose records would be titled "model,id"."""
    untitled = []
    for ir_model in env["ir.model"].search([]):
        model = env.get(ir_model.model)
        if model is None or model._abstract or model._original_module != module:
            continue
        own_compute = type(model)._compute_display_name is not BaseModel._compute_display_name
        if not (model._rec_name or own_compute):
            untitled.append(ir_model.model)
    return untitled

from odoo.exceptions import UserError
from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestNeutralize(TransactionCase):
    """``odoo neutralize`` (data/neutralize.sql) turns a copy into one that cannot reach GİB."""

    def test_neutralized_copy_has_no_live_integrator(self):
        company = self.env.company.sudo()
        company.write(
            {
                "l10n_tr_integrator": "izibiz",
                "l10n_tr_integrator_environment": "production",
                "l10n_tr_integrator_username": "canli-kullanici",
                "l10n_tr_integrator_password": "canli-parola",
                "l10n_tr_edoc_auto_send": True,
            }
        )
        company.l10n_tr_izibiz_einvoice_url = "https://efaturaws.izibiz.com.tr/EInvoiceWS?wsdl"
        self.assertTrue(company._l10n_tr_has_integrator())
        queries = list(get_neutralization_queries(["l10n_tr_efatura"]))
        self.assertEqual(len(queries), 1)
        self.env.flush_all()
        for query in queries:
            self.env.cr.execute(query)
        self.env.invalidate_all()
        self.assertEqual(company.l10n_tr_integrator_environment, "test")
        self.assertFalse(company.l10n_tr_integrator_username)
        self.assertFalse(company.l10n_tr_integrator_password)
        self.assertFalse(company.l10n_tr_edoc_auto_send)
        self.assertFalse(company.l10n_tr_izibiz_einvoice_url)
        self.assertFalse(company._l10n_tr_has_integrator())
        with self.assertRaisesRegex(UserError, "Configure an e-Fatura integrator"):
            company._l10n_tr_provider()

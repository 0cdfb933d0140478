from odoo.addons.l10n_tr_commerce_base.tests.common import TurkishTranslationCheck
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTurkishTranslations(TurkishTranslationCheck, TransactionCase):
    MODULE = "partner_credit_risk_mass_mailing"

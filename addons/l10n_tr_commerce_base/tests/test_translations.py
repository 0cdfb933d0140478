from odoo.tests import TransactionCase, tagged

from .common import TurkishTranslationCheck


@tagged("post_install", "-at_install")
class TestTurkishTranslations(TurkishTranslationCheck, TransactionCase):
    MODULE = "l10n_tr_commerce_base"

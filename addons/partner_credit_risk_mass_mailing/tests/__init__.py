from . import test_mailing_list, test_translations

from . import test_customer_type, test_translations

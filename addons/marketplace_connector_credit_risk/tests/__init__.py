from . import test_credit_hold, test_customer_type, test_translations

from . import (
    test_credit_hold,
    test_customer_type,
    test_dropship_retailer_hold,
    test_profitability,
    test_translations,
)

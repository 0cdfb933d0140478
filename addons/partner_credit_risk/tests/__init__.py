from . import (
    test_bad_input,
    test_customer_status,
    test_financial_account,
    test_master_card_security,
    test_trade_defaults,
)

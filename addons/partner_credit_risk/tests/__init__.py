from . import (
    test_customer_status,
    test_financial_account,
    test_kvkk,
    test_master_card_security,
    test_trade_defaults,
)

from . import (
    test_bad_input,
    test_cogs,
    test_credit_control,
    test_credit_risk_engine,
    test_credit_xmlrpc,
    test_customer_status,
    test_financial_account,
    test_kvkk,
    test_master_card_security,
    test_tours,
    test_trade_defaults,
    test_translations,
)

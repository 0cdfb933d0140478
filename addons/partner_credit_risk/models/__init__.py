from . import (
    account_fiscal_position,
    account_move,
    account_payment,
    partner_financial_account,
    partner_master_data,
    res_partner,
    sale_order,
    sale_report,
    stock_picking,
)

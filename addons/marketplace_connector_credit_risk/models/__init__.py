from . import (
    account_move,
    dropship_retailer,
    marketplace_order_inbound,
    partner_customer_type,
    partner_profitability,
    sale_order,
)

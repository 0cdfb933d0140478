from . import (
    account_move,
    marketplace_account,
    marketplace_carrier,
    marketplace_claim,
    marketplace_listing,
    marketplace_order_inbound,
    marketplace_sync_cursor,
    marketplace_sync_run,
    res_config_settings,
    res_partner,
    sale_order,
    stock_picking,
)

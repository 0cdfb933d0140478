# marketplace_raw_mixin first: other models inherit it
from . import marketplace_raw_mixin  # noqa: I001
from . import (
    account_move,
    account_move_segment,
    dropship_agreement,
    invoice_segment,
    invoice_value_band,
    marketplace_account,
    marketplace_account_segment,
    marketplace_carrier,
    marketplace_claim,
    marketplace_claim_reason,
    marketplace_listing,
    marketplace_order_inbound,
    marketplace_sync_cursor,
    marketplace_sync_run,
    res_company_segment,
    res_config_settings,
    res_partner,
    res_partner_dropship,
    sale_order,
    stock_picking,
    sale_order_retailer,
    stock_picking_retailer,
    account_move_retailer,
)

# after the models they extend (marketplace.claim)
from . import dropship_claim, dropship_purchase  # noqa: E402, I001

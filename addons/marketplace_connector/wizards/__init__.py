from . import (
    dropship_shipping_cost_wizard,
    marketplace_claim_decision_wizard,
    marketplace_package_lines_mixin,
    marketplace_split_wizard,
    marketplace_undelivered_wizard,
    marketplace_unsupply_wizard,
)

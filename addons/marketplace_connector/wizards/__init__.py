from . import (
    marketplace_claim_decision_wizard,
    marketplace_split_wizard,
    marketplace_unsupply_wizard,
)

from . import (
    partner_campaign_report,
    partner_profitability_report,
    partner_statement,
    partner_transaction,
)

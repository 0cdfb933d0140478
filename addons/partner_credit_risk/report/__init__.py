from . import partner_profitability_report, partner_statement, partner_transaction

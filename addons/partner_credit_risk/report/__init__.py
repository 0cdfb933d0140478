from . import partner_statement, partner_transaction

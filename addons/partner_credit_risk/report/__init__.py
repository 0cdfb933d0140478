from . import partner_transaction

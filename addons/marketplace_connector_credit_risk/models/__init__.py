from . import account_move, partner_customer_type, sale_order

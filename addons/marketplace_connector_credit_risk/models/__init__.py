from . import account_move, marketplace_order_inbound, partner_customer_type, sale_order

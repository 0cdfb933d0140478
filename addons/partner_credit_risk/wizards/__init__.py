from . import partner_status_change

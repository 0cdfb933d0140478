"""Plain-Python UBL-TR protocol code: no ``odoo`` import anywhere below."""

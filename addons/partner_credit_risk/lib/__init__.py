"""Plain-Python credit and risk helpers: no ``odoo`` import anywhere below."""

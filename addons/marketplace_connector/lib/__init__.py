"""Plain-Python marketplace protocol code (REST clients, payload mapping).

No ``odoo`` import anywhere below.
"""

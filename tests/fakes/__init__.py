"""Local fake servers (marketplaces, GİB integrators) speaking the documented
protocols over real HTTP/SOAP on 127.0.0.1.

Each module is runnable on its own (``python -m tests.fakes.<name> --port N``)
so the Docker sandbox service can start it, and importable by the pure suite
and by the addons' Odoo tests.
"""

from . import test_xmlrpc_smoke

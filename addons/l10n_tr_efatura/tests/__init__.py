from . import test_edocument, test_transport, test_transport_xmlrpc, test_xmlrpc_smoke

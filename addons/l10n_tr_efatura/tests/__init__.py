from . import (
    test_bad_input,
    test_edocument,
    test_preview,
    test_transport,
    test_transport_uyumsoft,
    test_transport_xmlrpc,
    test_xmlrpc_smoke,
)

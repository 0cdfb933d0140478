from . import (
    test_booked_figures,
    test_edocument,
    test_incoming_documents,
    test_neutralize,
    test_numbering_concurrency,
    test_preview,
    test_tours,
    test_translations,
    test_transport,
    test_transport_uyumsoft,
    test_transport_xmlrpc,
    test_xmlrpc_smoke,
)

from . import (
    test_backchannel,
    test_carrier,
    test_claims,
    test_concurrency,
    test_faults,
    test_fetch,
    test_neutralize,
    test_processing,
    test_rights,
    test_security,
    test_tours,
    test_translations,
)

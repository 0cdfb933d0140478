from . import (
    test_backchannel,
    test_carrier,
    test_claims,
    test_concurrency,
    test_faults,
    test_fetch,
    test_processing,
    test_security,
)

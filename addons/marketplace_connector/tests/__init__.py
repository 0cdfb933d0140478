from . import (
    test_backchannel,
    test_bad_input,
    test_carrier,
    test_claims,
    test_concurrency,
    test_fetch,
    test_processing,
    test_readme_examples,
    test_security,
)

from . import test_backchannel, test_concurrency, test_fetch, test_processing, test_security

from . import test_arguments, test_translations

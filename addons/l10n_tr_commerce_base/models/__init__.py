from . import arguments

from . import test_service_level

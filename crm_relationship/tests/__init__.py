from . import test_relationship_metrics

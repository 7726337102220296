from . import test_relationship_metrics
from . import test_relationship_engine
from . import test_relationship_access
from . import test_seed_stories
from . import test_engine_queries
from . import test_request_alias
from . import test_money
from . import test_history

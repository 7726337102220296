from . import test_service_level
from . import test_service_access
from . import test_sla_policy
from . import test_privacy
from . import test_core_flow_roles
from . import test_engine_queries
from . import test_real_flows
from . import test_uninstall

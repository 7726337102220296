from . import crm_service_level_report
from . import crm_commitment
from . import crm_profitability_report

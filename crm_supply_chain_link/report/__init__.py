from . import crm_service_level_report
from . import crm_commitment

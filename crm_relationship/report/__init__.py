from . import crm_commitment
from . import crm_price_conflict
from . import crm_relationship_snapshot_flow

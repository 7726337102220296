from . import crm_commitment
from . import crm_price_conflict

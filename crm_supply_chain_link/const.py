# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Constants of the supply-chain addon."""

# who reads the service figures: relationship users and logistics staff
# (inventory users), who do not read the money (../shared/METRICS.md, 9)
SERVICE_GROUPS = "crm_relationship.crm_relationship_group_user,stock.group_stock_user"

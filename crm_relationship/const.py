# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Constants both addons share."""

# who reads money (revenue, margins, predicted value...): the relationship
# group, which Odoo's sales users imply; logistics staff read the service
# values of the same models, not the money
MONEY_GROUPS = "crm_relationship.crm_relationship_group_user"
# who reads the lifecycle values related on contacts (related fields are
# computed as superuser, so each field carries its groups): the relationship
# group, implied by Odoo's sales users; portal users and employees without it
# read none (../shared/METRICS.md, 9)
RELATIONSHIP_GROUPS = "crm_relationship.crm_relationship_group_user"
# who sees the internal warnings on quotations (price conflicts, open
# requests): sales rights only, never the portal customer, who must not read
# another salesperson's price or our view of its complaints
WARNING_GROUPS = "sales_team.group_sale_salesman"

"""Who sees which dashboard.

- The office dashboard (the whole plan's progress, the knowledge corner's statistics, searches
  and contributors) is for those who steer KM: the CKO, the KM team head and the secretary, and
  administrators. Every list and title on it is still limited to what the viewer may open.
- Everyone on the staff has a personal dashboard: their own activities, drafts, action items and
  meetings.
"""

import rules

from apps.teams.predicates import is_admin, is_cko, is_head, is_secretary, is_staff_member

__all__ = ["is_staff_member", "steers_km"]

steers_km = is_cko | is_head | is_secretary | is_admin

rules.add_perm("dashboard.view_office", is_staff_member & steers_km)
rules.add_perm("dashboard.view_personal", is_staff_member)

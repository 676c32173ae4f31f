"""Permissions of the teams app, built from ``predicates`` (autodiscovered by django-rules)."""

import rules

from .predicates import is_km_office, is_staff_member, is_team_head

rules.add_perm("teams.view_team", is_staff_member)
rules.add_perm("teams.manage_team", is_km_office)
# A team's own head may keep its roster too (a KM group's head, say).
rules.add_perm("teams.manage_roster", is_km_office | is_team_head)
rules.add_perm("teams.edit_duties", is_km_office)
rules.add_perm("teams.view_order", is_staff_member)
rules.add_perm("teams.manage_order", is_km_office)
rules.add_perm("teams.view_directory", is_staff_member)

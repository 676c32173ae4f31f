"""Permissions of the document library."""

import rules

from apps.teams.predicates import is_admin, is_km_member, is_km_office, is_staff_member

from .access import can_open_document


@rules.predicate
def is_uploader(user, document) -> bool:
    return document is not None and document.uploaded_by_id == user.pk


rules.add_perm("library.browse", is_staff_member)
rules.add_perm("library.view_document", can_open_document)
# KM members stock the shelves; the KM office and administrators keep them in order.
rules.add_perm("library.add_document", is_km_member | is_km_office | is_admin)
rules.add_perm(
    "library.change_document", can_open_document & (is_uploader | is_km_office | is_admin)
)
rules.add_perm("library.delete_document", can_open_document & (is_km_office | is_admin))
rules.add_perm("library.manage_categories", is_km_office | is_admin)

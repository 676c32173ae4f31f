"""Permissions of learning and development, built from the teams app's predicates.

- Mentoring pairs (ระบบพี่เลี้ยง) are the office's assignment of a mentor to a mentee, so the KM
  roles who steer people's learning (the KM secretary, head and CKO, and administrators) create
  them. The mentor runs the pair: with the KM roles they change its goals and status and the
  mentee's skills checklist; only the mentor signs a skill off. Mentor and mentee both log
  sessions. A pair is seen by its mentor, its mentee and the KM roles only.
- Job rotation and secondment records are kept by the KM roles; the person rotated sees their
  own and writes what they learned and the after-action review with the KM roles.
- Learning events are open to every staff member. The KM roles create them; the organisers
  (and the KM roles) change them, mark attendance and write the organisers' AAR. Registration,
  the evaluation and the certificate have state rules of their own (see ``services``).
"""

import rules

from apps.teams.predicates import is_admin, is_cko, is_head, is_secretary, is_staff_member

is_km_roles = is_secretary | is_head | is_cko | is_admin


@rules.predicate
def is_mentor(user, pair) -> bool:
    return pair is not None and pair.mentor_id == user.pk


@rules.predicate
def is_mentee(user, pair) -> bool:
    return pair is not None and pair.mentee_id == user.pk


@rules.predicate
def is_rotated_person(user, rotation) -> bool:
    return rotation is not None and rotation.person_id == user.pk


@rules.predicate
def is_organiser(user, event) -> bool:
    if event is None or not is_staff_member(user):
        return False
    return event.created_by_id == user.pk or any(
        person.pk == user.pk for person in event.organisers.all()
    )


rules.add_perm("learning.view_home", is_staff_member)
rules.add_perm("learning.view_pair", is_staff_member & (is_mentor | is_mentee | is_km_roles))
rules.add_perm("learning.add_pair", is_staff_member & is_km_roles)
rules.add_perm("learning.change_pair", is_staff_member & (is_mentor | is_km_roles))
rules.add_perm("learning.log_session", is_staff_member & (is_mentor | is_mentee | is_km_roles))
rules.add_perm("learning.sign_off_skill", is_staff_member & is_mentor)

rules.add_perm("learning.view_rotation", is_staff_member & (is_rotated_person | is_km_roles))
rules.add_perm("learning.add_rotation", is_staff_member & is_km_roles)
rules.add_perm("learning.change_rotation", is_staff_member & is_km_roles)
rules.add_perm("learning.review_rotation", is_staff_member & (is_rotated_person | is_km_roles))

rules.add_perm("learning.view_event", is_staff_member)
rules.add_perm("learning.add_event", is_staff_member & is_km_roles)
rules.add_perm("learning.manage_event", is_staff_member & (is_organiser | is_km_roles))
rules.add_perm("learning.register_event", is_staff_member)

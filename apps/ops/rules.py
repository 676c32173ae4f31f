"""Permissions of the operations pages (autodiscovered by django-rules): the system status and
the backups and the background jobs are for administrators (superusers) only."""

import rules

rules.add_perm("ops.view_status", rules.is_superuser)
rules.add_perm("ops.download_backup", rules.is_superuser)
rules.add_perm("ops.view_jobs", rules.is_superuser)

"""Views of the plans app: the plan (``plans``), progress (``progress``), meetings
(``meetings``). Writes validate input and call one service; permissions are checked with
``user.has_perm`` against ``apps/plans/rules.py``."""

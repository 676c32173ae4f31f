"""Views of the plans app: the plan (``plans``) and progress (``progress``). Writes validate
input and call one service; permissions are checked with ``user.has_perm`` against
``apps/plans/rules.py``."""

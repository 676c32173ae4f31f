"""Writes of the plans app, one transaction each: the plan and its workflow (``plans``) and
progress (``progress``). Views call exactly one of these per request."""

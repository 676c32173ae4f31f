"""Writes of the plans app, one transaction each: the plan and its workflow (``plans``), progress
(``progress``) and meetings (``meetings``). Views call exactly one of these per request."""

"""Forms of the plans app: the plan and progress (``plans``)."""

"""Working-day calendar and statutory deadline engine (pure; no Django)."""

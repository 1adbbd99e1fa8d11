"""The pure core: every rule that needs no database. Never imports Django."""

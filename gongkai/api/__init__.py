"""The REST API (django-ninja, OpenAPI at /api/docs). Each app contributes a router
in its own ``api.py``; every endpoint calls the same services and the same
permission helper as the screens."""

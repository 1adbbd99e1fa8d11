import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")

application = get_wsgi_application()

from gongkai.accounts.safety import refuse_demo_accounts_in_production  # noqa: E402

refuse_demo_accounts_in_production()

"""Settings of the portal throughput benchmark only: the app's settings plus a bare view.

Never used by the platform; bench/bench_portal_throughput.py points gunicorn here.
"""

from gongkai.config.settings import *  # noqa: F403

ROOT_URLCONF = "_portal_urls"
DEBUG = False

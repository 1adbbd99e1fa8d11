from django.urls import path

from gongkai.api.core import api
from gongkai.api.routers import register_routers

register_routers(api)

urlpatterns = [path("", api.urls)]

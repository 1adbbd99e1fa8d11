from django.templatetags.static import static
from django.urls import path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from gongkai.backoffice import views

# Browsers ask for /favicon.ico whatever the page links; send them to the static
# file (hashed name in production, so resolved on the first request, not at import).
# Temporary redirect: the hashed name changes with the icon.
_favicon = RedirectView.as_view(
    url=lazy(static, str)("gongkai/favicon.ico"), permanent=False
)

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", _favicon, name="favicon"),
    path("office/", views.dashboard, name="dashboard"),
    path("office/todo/", views.todo, name="todo"),
    path("office/switch/", views.switch_organisation, name="switch_organisation"),
    path(
        "office/orgs/<int:pk>/", views.organisation_detail, name="organisation_detail"
    ),
]

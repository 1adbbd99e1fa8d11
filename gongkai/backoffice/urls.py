from django.urls import path

from gongkai.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("office/", views.dashboard, name="dashboard"),
    path("office/todo/", views.todo, name="todo"),
    path("office/switch/", views.switch_organisation, name="switch_organisation"),
    path(
        "office/orgs/<int:pk>/", views.organisation_detail, name="organisation_detail"
    ),
]

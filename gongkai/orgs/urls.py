from django.urls import path

from gongkai.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.first_run, name="first_run"),
]

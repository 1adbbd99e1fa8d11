from django.urls import path

from gongkai.calendars import views

app_name = "calendars"

urlpatterns = [
    path("", views.calendar_index, name="index"),
    path("import/", views.calendar_import, name="import"),
]

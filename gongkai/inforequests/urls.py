from django.urls import path

from gongkai.inforequests import views

app_name = "inforequests"

urlpatterns = [
    path("", views.list, name="list"),
]

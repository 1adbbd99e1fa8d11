from django.urls import path

from gongkai.feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.moderation, name="moderation"),
    path("<int:pk>/moderate/", views.moderate, name="moderate"),
    path("<int:pk>/contact/", views.contact_reveal, name="contact_reveal"),
    path("surveys/new/", views.survey_create, name="survey_create"),
]

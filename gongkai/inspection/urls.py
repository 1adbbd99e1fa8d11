from django.urls import path

from gongkai.inspection import views

app_name = "inspection"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("run/", views.run_view, name="run"),
    path("below/", views.below_view, name="below"),
    path("report.<str:fmt>", views.report_export, name="report"),
    path("findings/<int:pk>/", views.finding_action, name="finding"),
    path("dictionary/", views.dictionary_view, name="dictionary"),
]

from django.urls import path

from gongkai.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("generate/", views.report_generate, name="generate"),
    path("import/", views.report_import, name="import"),
    path("import/<int:pk>/", views.report_import_job, name="import_job"),
    path(
        "import/<int:pk>/retry/",
        views.report_import_job_retry,
        name="import_job_retry",
    ),
    path("rollup/<int:year>/", views.report_rollup_view, name="rollup"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/do/<str:action>/", views.report_action, name="action"),
    path("<int:pk>/cells/<str:key>/", views.report_cell, name="cell"),
    path("<int:pk>/download/<str:fmt>/", views.report_download, name="download"),
]

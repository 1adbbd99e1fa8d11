from django.urls import path

from gongkai.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("scores/", views.scores_view, name="scores"),
    path("scores/evidence/", views.score_evidence, name="score_evidence"),
    path("scores/example.toml", views.rulepack_example, name="rulepack_example"),
    path("notices/", views.notices_view, name="notices"),
    path("notices/<int:pk>/ack/", views.notice_ack, name="notice_ack"),
    path("imports/", views.imports_view, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
]

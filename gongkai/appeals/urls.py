from django.urls import path

from gongkai.appeals import views

app_name = "appeals"

urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("new/", views.appeal_new, name="new"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
    path("<int:pk>/reply/", views.appeal_reply, name="reply"),
    path("<int:pk>/decision/", views.appeal_decision, name="decision"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path(
        "<int:pk>/documents/<int:document_id>/",
        views.document_download,
        name="document_download",
    ),
]

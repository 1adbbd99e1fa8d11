from django.urls import path

from gongkai.inforequests import views

app_name = "inforequests"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<str:action>/", views.act, name="act"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path(
        "<int:pk>/deadline-changes/ack/",
        views.acknowledge_deadline_changes,
        name="ack_deadline_changes",
    ),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:pk>/letters/<int:letter_id>.<str:fmt>",
        views.letter_download,
        name="letter_download",
    ),
    path(
        "<int:pk>/letters/<int:letter_id>/delivery/",
        views.letter_delivery,
        name="letter_delivery",
    ),
]

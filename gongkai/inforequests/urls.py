from django.urls import path

from gongkai.inforequests import delivery_views, redaction_views, views

app_name = "inforequests"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.register, name="register"),
    path("export.<str:fmt>", views.request_list_export, name="export"),
    path("<int:pk>/dossier.pdf", views.dossier, name="dossier"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<str:action>/", views.act, name="act"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path(
        "<int:pk>/deadline-changes/ack/",
        views.acknowledge_deadline_changes,
        name="ack_deadline_changes",
    ),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/transfer/", views.transfer_propose, name="transfer_propose"),
    path("<int:pk>/assistance/", views.assistance_ask, name="assistance_ask"),
    path("transfers/", views.transfers_pending, name="transfers"),
    path(
        "transfers/<int:transfer_id>/accept/",
        views.transfer_accept,
        name="transfer_accept",
    ),
    path(
        "transfers/<int:transfer_id>/decline/",
        views.transfer_decline,
        name="transfer_decline",
    ),
    path(
        "assistance/<int:assistance_id>/answer/",
        views.assistance_answer,
        name="assistance_answer",
    ),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    # 电子送达: files disclosed with the reply (docs/applications.md §10)
    path(
        "<int:pk>/released/",
        delivery_views.released_file_upload,
        name="released_file_upload",
    ),
    path(
        "<int:pk>/released/<int:file_id>/",
        delivery_views.released_file_download,
        name="released_file_download",
    ),
    # 区分处理 (部分公开): docs/applications.md §9
    path(
        "<int:pk>/redactions/",
        redaction_views.redaction_upload,
        name="redaction_upload",
    ),
    path(
        "<int:pk>/redactions/<int:rid>/",
        redaction_views.redaction_page,
        name="redaction",
    ),
    path(
        "<int:pk>/redactions/<int:rid>/pages/<int:page>.png",
        redaction_views.redaction_page_image,
        name="redaction_page_image",
    ),
    path(
        "<int:pk>/redactions/<int:rid>/marks/",
        redaction_views.redaction_mark,
        name="redaction_mark",
    ),
    path(
        "<int:pk>/redactions/<int:rid>/marks/<int:mid>/delete/",
        redaction_views.redaction_unmark,
        name="redaction_unmark",
    ),
    path(
        "<int:pk>/redactions/<int:rid>/produce/",
        redaction_views.redaction_produce,
        name="redaction_produce",
    ),
    path(
        "<int:pk>/redactions/<int:rid>/<str:which>/",
        redaction_views.redaction_download,
        name="redaction_download",
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

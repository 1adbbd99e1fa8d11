from django.urls import path

from gongkai.publishing import views

app_name = "publishing"

urlpatterns = [
    path("", views.index, name="index"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/new/", views.catalogue_item_create, name="catalogue_create"),
    path("catalogue/<int:pk>/edit/", views.catalogue_item_edit, name="catalogue_edit"),
    path("items/", views.publication_list, name="list"),
    path("items/new/", views.publication_create, name="create"),
    path("items/export.<str:fmt>", views.publication_list_export, name="export"),
    path("items/<int:pk>/", views.publication_detail, name="detail"),
    path("items/<int:pk>/edit/", views.publication_edit, name="edit"),
    path(
        "items/<int:pk>/do/<str:action>/",
        views.publication_action,
        name="action",
    ),
    path(
        "items/<int:pk>/attachments/",
        views.attachment_upload,
        name="attachment_upload",
    ),
    path(
        "attachments/<int:pk>/", views.attachment_download, name="attachment_download"
    ),
    path("registers/", views.registers_view, name="registers"),
    path("registers/normative/new/", views.normative_create, name="normative_create"),
    path(
        "registers/normative/<int:pk>/end/", views.normative_end, name="normative_end"
    ),
    path("registers/decisions/new/", views.decision_create, name="decision_create"),
    path("registers/decisions/import/", views.decision_import, name="decision_import"),
    path("registers/fees/new/", views.fee_create, name="fee_create"),
    path("late/", views.late_list, name="late"),
    path("stale/", views.stale_list, name="stale"),
    path("sync/", views.channel_sync, name="sync"),
    path("sync/<int:pk>/<str:action>/", views.delivery_action, name="delivery_action"),
    path("feeds/<int:org_pk>/rss.xml", views.feed_rss, name="feed_rss"),
    path("feeds/<int:org_pk>/atom.xml", views.feed_atom, name="feed_atom"),
    path("feeds/<int:org_pk>/feed.json", views.feed_json, name="feed_json"),
    path("screen/<int:org_pk>/", views.hall_screen, name="screen"),
    path("poster/<int:org_pk>.pdf", views.poster, name="poster"),
]

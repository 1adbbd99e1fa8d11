from django.urls import path

from gongkai.engagement import views as engagement_views
from gongkai.feedback import views as feedback_views
from gongkai.portal import applicant_views, opendata_views, views

app_name = "portal"

urlpatterns = [
    path("", views.portal_index, name="index"),
    path("status/", views.status, name="status"),
    path("download/<str:token>/", views.download, name="download"),
    path("me/", applicant_views.me, name="me"),
    path("me/code/", applicant_views.me_code, name="me_code"),
    path("me/verify/", applicant_views.me_verify, name="me_verify"),
    path("me/sign-out/", applicant_views.me_sign_out, name="me_sign_out"),
    path("me/oidc/", applicant_views.me_oidc, name="me_oidc"),
    path(
        "me/oidc/callback/",
        applicant_views.me_oidc_callback,
        name="me_oidc_callback",
    ),
    path("me/<str:tracking>/", applicant_views.me_case, name="me_case"),
    path("me/<str:tracking>/clarify/", applicant_views.me_clarify, name="me_clarify"),
    path(
        "me/<str:tracking>/withdraw/", applicant_views.me_withdraw, name="me_withdraw"
    ),
    path("rate/<str:tracking>/", applicant_views.rate, name="rate"),
    path("elderly/", views.toggle_elderly, name="toggle_elderly"),
    path("<int:org_id>/", views.column, name="column"),
    path("<int:org_id>/guide/", views.guide, name="guide"),
    path("<int:org_id>/rules/", views.rules, name="rules"),
    path("<int:org_id>/publications/", views.publication_list, name="publications"),
    path(
        "<int:org_id>/publications/<int:pk>/",
        views.publication_detail,
        name="publication",
    ),
    path(
        "<int:org_id>/publications/<int:pk>/files/<int:attachment_pk>/",
        views.publication_attachment,
        name="publication_attachment",
    ),
    path("<int:org_id>/search/", views.search, name="search"),
    path("<int:org_id>/feedback/", feedback_views.feedback_post, name="feedback"),
    path("<int:org_id>/surveys/<int:pk>/", feedback_views.survey_page, name="survey"),
    # 政民互动 (issue 21): 意见征集 and 咨询/留言 in the body's column.
    path("<int:org_id>/interaction/", engagement_views.interaction, name="interaction"),
    path(
        "<int:org_id>/consultations/<int:pk>/",
        engagement_views.consultation_page,
        name="consultation",
    ),
    path(
        "<int:org_id>/messages/new/", engagement_views.message_new, name="message_new"
    ),
    path("<int:org_id>/reports/", views.report_list, name="reports"),
    path("<int:org_id>/reports/<int:year>/", views.report_page, name="report"),
    path(
        "<int:org_id>/reports/<int:year>/<str:fmt>/",
        views.report_download,
        name="report_download",
    ),
    # 数据下载 (issue 21): bulk JSON/CSV of the column, its schema and licence.
    path("<int:org_id>/data/", opendata_views.open_data, name="open_data"),
    path(
        "<int:org_id>/data/datapackage.json",
        opendata_views.open_data_schema,
        name="open_data_schema",
    ),
    path(
        "<int:org_id>/data/<str:name>.<str:fmt>",
        opendata_views.open_data_file_view,
        name="open_data_file",
    ),
    path("<int:org_id>/apply/", views.apply, name="apply"),
    path("<int:org_id>/apply/done/", views.apply_done, name="apply_done"),
]

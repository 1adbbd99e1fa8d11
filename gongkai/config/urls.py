from django.contrib import admin
from django.urls import include, path

from gongkai.accounts import views as account_views

admin.site.site_header = "Gongkai 政府信息公开平台 · 系统管理"
admin.site.site_title = "Gongkai 系统管理"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("login/", account_views.GongkaiLoginView.as_view(), name="login"),
    path("logout/", account_views.logout_view, name="logout"),
    path("account/", include("gongkai.accounts.urls")),
    # Every sign-in goes through the one login page (lockout message, TOTP step);
    # a signed-in user without admin access gets a 403 here, not a redirect loop.
    path("admin/login/", account_views.admin_login, name="admin_login_redirect"),
    path("admin/", admin.site.urls),
    path("api/", include("gongkai.api.urls")),
    path("office/publishing/", include("gongkai.publishing.urls")),
    path("office/requests/", include("gongkai.inforequests.urls")),
    path("office/requests/appeals/", include("gongkai.appeals.urls")),
    path("office/calendar/", include("gongkai.calendars.urls")),
    path("office/reports/", include("gongkai.reports.urls")),
    path("office/supervision/", include("gongkai.supervision.urls")),
    path("office/feedback/", include("gongkai.feedback.urls")),
    path("office/engagement/", include("gongkai.engagement.urls")),
    path("office/privacy/", include("gongkai.privacy.urls")),
    path("office/inspection/", include("gongkai.inspection.urls")),
    path("gk/", include("gongkai.portal.urls")),
    # First-run screen of an empty platform (404 once an organisation exists).
    path("setup/", include("gongkai.orgs.urls")),
    path("", include("gongkai.backoffice.urls")),
]

# JSON {"detail": "…"} under /api/, the templates elsewhere (gongkai/api/errors.py);
# the 403 page is drawn in the back office's frame for the signed-in.
handler400 = "gongkai.api.errors.bad_request"
handler403 = "gongkai.api.errors.permission_denied"
handler404 = "gongkai.api.errors.not_found"
handler500 = "gongkai.api.errors.server_error"

from django.urls import path

from gongkai.accounts import views

app_name = "accounts"

urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path("otp/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("security/", views.security_screen, name="security"),
    path("security/unlock/", views.security_unlock, name="security_unlock"),
    path("security/otp-reset/", views.security_otp_reset, name="security_otp_reset"),
]

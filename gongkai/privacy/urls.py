from django.urls import path

from gongkai.privacy import views

app_name = "privacy"

urlpatterns = [
    path("items/<int:pk>/mask/", views.mask_view, name="mask"),
    path("items/<int:pk>/basis/", views.basis_view, name="basis"),
    path("scan/", views.scan_view, name="scan"),
    path("rules/", views.rules_view, name="rules"),
]

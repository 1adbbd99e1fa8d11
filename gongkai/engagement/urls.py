from django.urls import path

from gongkai.engagement import views

app_name = "engagement"

urlpatterns = [
    path("", views.office, name="office"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path(
        "consultations/<int:pk>/result/",
        views.consultation_result,
        name="consultation_result",
    ),
    path(
        "comments/<int:pk>/moderate/", views.comment_moderate, name="comment_moderate"
    ),
    path("comments/<int:pk>/adopt/", views.comment_adopt, name="comment_adopt"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("messages/<int:pk>/public/", views.message_public, name="message_public"),
    path(
        "messages/<int:pk>/original/", views.message_original, name="message_original"
    ),
]

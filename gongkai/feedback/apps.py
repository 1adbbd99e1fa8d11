from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "gongkai.feedback"
    label = "feedback"
    verbose_name = "意见反馈与满意度"

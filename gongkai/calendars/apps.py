from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "gongkai.calendars"
    label = "calendars"
    verbose_name = "节假日日历"

from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "gongkai.synth"
    verbose_name = "合成数据（基准测试）"

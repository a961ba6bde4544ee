from django.apps import AppConfig


class BenchmarkConfig(AppConfig):
    name = "socialgov.benchmark"
    label = "benchmark"
    verbose_name = "Benchmark (reference pages)"

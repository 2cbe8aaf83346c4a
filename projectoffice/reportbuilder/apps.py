from django.apps import AppConfig


class ReportBuilderConfig(AppConfig):
    name = "projectoffice.reportbuilder"
    label = "reportbuilder"
    verbose_name = "Report builder"

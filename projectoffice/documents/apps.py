from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "projectoffice.documents"
    label = "documents"
    verbose_name = "Document control"

    def ready(self) -> None:
        from . import registers  # noqa: F401  (declares the document register)

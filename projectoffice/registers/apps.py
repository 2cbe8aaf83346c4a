from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "projectoffice.registers"
    label = "registers"
    verbose_name = "Register kernel"

    def ready(self) -> None:
        from projectoffice.audit.queries import hide_entries_with

        from .queries import restricted_entries

        # A restricted register's items stay hidden in the audit trail too.
        hide_entries_with(restricted_entries)

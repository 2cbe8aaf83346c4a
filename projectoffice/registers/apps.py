from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "projectoffice.registers"
    label = "registers"
    verbose_name = "Register kernel"

from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "projectoffice.notices"
    label = "notices"
    verbose_name = "Announcements"

    def ready(self) -> None:
        from projectoffice.mail import send_with

        from .outbox import send_message

        # The office's mail keeps what the server refuses, to send again.
        send_with(send_message)

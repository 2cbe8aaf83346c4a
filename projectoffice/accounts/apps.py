from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "projectoffice.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from typing import Any

        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .actions import record_local_sign_in, record_refused_sign_in
        from .throttle import client_address

        local = "django.contrib.auth.backends.ModelBackend"

        def signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
            # Directory sign-ins are recorded by sign_in_from_directory itself.
            if getattr(user, "backend", local) == local:
                record_local_sign_in(user=user, address=client_address(
                    request.META) if request is not None else "")

        def refused(sender: Any, credentials: dict[str, Any], request: Any = None,
                    **kwargs: Any) -> None:
            record_refused_sign_in(username=str(credentials.get("username") or ""),
                                   address=client_address(request.META)
                                   if request is not None else "")

        # Every local sign-in, and every refused one, is in the audit trail.
        user_logged_in.connect(signed_in, dispatch_uid="audit-local-sign-in", weak=False)
        user_login_failed.connect(refused, dispatch_uid="audit-refused-sign-in", weak=False)

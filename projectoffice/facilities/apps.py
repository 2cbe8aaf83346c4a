from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "projectoffice.facilities"
    label = "facilities"
    verbose_name = "Requests and facilities"

    def ready(self) -> None:
        from typing import Any

        from projectoffice.meetings.actions import meeting_cancelled, meeting_moved
        from projectoffice.meetings.views import add_to_meeting_page

        from . import registers  # noqa: F401  (declares the requests register)
        from .actions import cancel_meeting_bookings, move_meeting_bookings
        from .views import meeting_bookings

        def cancelled(sender: Any, actor: Any, meeting: Any, **kwargs: Any) -> int:
            return cancel_meeting_bookings(actor=actor, meeting=meeting)

        def moved(sender: Any, actor: Any, meeting: Any, starts_at: Any, ends_at: Any,
                  **kwargs: Any) -> int:
            return move_meeting_bookings(actor=actor, meeting=meeting, starts_at=starts_at,
                                         ends_at=ends_at)

        # Rooms booked for a meeting are released or moved with it, and its page shows them.
        meeting_cancelled.connect(cancelled, dispatch_uid="facilities-meeting-cancelled",
                                  weak=False)
        meeting_moved.connect(moved, dispatch_uid="facilities-meeting-moved", weak=False)
        add_to_meeting_page(meeting_bookings)

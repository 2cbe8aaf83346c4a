from django.urls import path

from . import views

M = "projects/<str:code>/meetings/"

urlpatterns = [
    path(M, views.meeting_list, name="meeting-list"),
    path(M + "new/", views.meeting_create, name="meeting-create"),
    path(M + "feed/", views.calendar_feed_create, name="calendar-feed-create"),
    path(M + "<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path(M + "<int:pk>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path(M + "<int:pk>/decisions/", views.meeting_decision, name="meeting-decision"),
    path(M + "<int:pk>/actions/", views.meeting_action, name="meeting-action"),
    path(M + "<int:pk>/issue/", views.meeting_issue, name="meeting-issue"),
    path(M + "<int:pk>/cancel/", views.meeting_cancel, name="meeting-cancel"),
    path(M + "<int:pk>/reschedule/", views.meeting_reschedule, name="meeting-reschedule"),
    path(M + "<int:pk>/invite.ics", views.meeting_ics_view, name="meeting-ics"),
    path(M + "<int:pk>/minutes.pdf", views.meeting_pdf, name="meeting-pdf"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]

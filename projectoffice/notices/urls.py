from django.urls import path

from . import views

urlpatterns = [
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/<int:pk>/withdraw/", views.announcement_withdraw,
         name="announcement-withdraw"),
    path("notifications/preferences/", views.preferences, name="notification-preferences"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/", views.outbox_message, name="outbox-message"),
]

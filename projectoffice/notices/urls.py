from django.urls import path

from . import views

urlpatterns = [
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/<int:pk>/withdraw/", views.announcement_withdraw,
         name="announcement-withdraw"),
    path("notifications/preferences/", views.preferences, name="notification-preferences"),
]

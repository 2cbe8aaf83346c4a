from django.urls import path

from . import views

P = "projects/<str:code>/engagement/"

urlpatterns = [
    path(P + "map/", views.stakeholder_map, name="engagement-map"),
    path(P + "calendar/", views.communications_calendar, name="engagement-calendar"),
    path(P + "effectiveness/", views.effectiveness, name="engagement-effectiveness"),
    path(P + "communications/<str:ref>/audience/", views.set_audience,
         name="engagement-audience"),
    path(P + "communications/<str:ref>/send/", views.send, name="engagement-send"),
    path(P + "communications/<str:ref>/record/", views.record, name="engagement-record"),
    path(P + "readiness/", views.readiness_page, name="engagement-readiness"),
    path(P + "impacts/<str:ref>/activity/", views.impact_activity,
         name="engagement-activity"),
    path("reply/<str:token>/", views.reply, name="engagement-reply"),
]

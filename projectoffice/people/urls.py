from django.urls import path

from . import views

urlpatterns = [
    path("people/", views.directory, name="people"),
    path("people/whereabouts/", views.whereabouts, name="whereabouts"),
    path("people/calendar/", views.absence_calendar, name="absence-calendar"),
    path("people/<str:username>/", views.person_page, name="person"),
    path("people/<str:username>/edit/", views.profile_edit, name="profile-edit"),
    path("people/<str:username>/absences/", views.absence_add, name="absence-add"),
    path("people/<str:username>/absences/<int:absence_id>/remove/", views.absence_remove,
         name="absence-remove"),
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/<int:contact_id>/", views.contact_page, name="contact"),
]

from django.urls import path

from . import account_views, views

urlpatterns = [
    path("people/", views.directory, name="people"),
    path("people/whereabouts/", views.whereabouts, name="whereabouts"),
    path("people/calendar/", views.absence_calendar, name="absence-calendar"),
    path("people/absences/awaiting/", views.absences_awaiting, name="absences-awaiting"),
    path("people/absences/settings/", views.absence_settings, name="absence-settings"),
    path("people/absences/<int:absence_id>/decide/", views.absence_decide,
         name="absence-decide"),
    path("people/skills/", views.skills_catalogue, name="skills-catalogue"),
    path("people/accounts/", account_views.accounts_page, name="office-accounts"),
    path("people/accounts/<str:username>/role/", account_views.account_role,
         name="office-account-role"),
    path("people/accounts/<str:username>/active/", account_views.account_active,
         name="office-account-active"),
    path("people/accounts/<str:username>/password-link/", account_views.account_password_link,
         name="office-account-password"),
    path("people/<str:username>/", views.person_page, name="person"),
    path("people/<str:username>/skills/", views.person_skill, name="person-skill"),
    path("people/<str:username>/edit/", views.profile_edit, name="profile-edit"),
    path("people/<str:username>/absences/", views.absence_add, name="absence-add"),
    path("people/<str:username>/absences/<int:absence_id>/remove/", views.absence_remove,
         name="absence-remove"),
    path("people/<str:username>/absences/<int:absence_id>/cancel/", views.absence_cancel,
         name="absence-cancel"),
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/<int:contact_id>/", views.contact_page, name="contact"),
]

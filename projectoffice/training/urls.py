from django.urls import path

from . import views

P = "projects/<str:code>/training/"

urlpatterns = [
    path(P, views.home, name="training-home"),
    path(P + "sessions/<int:pk>/", views.session_page, name="training-session"),
    path(P + "sessions/<int:pk>/invitation.ics", views.invitation, name="training-ics"),
    path(P + "sessions/<int:pk>/<slug:what>/", views.session_action,
         name="training-session-action"),
    path(P + "courses/<str:ref>/material/", views.course_material, name="course-material"),
]

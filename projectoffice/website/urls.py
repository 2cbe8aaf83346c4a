from django.urls import path

from . import views

urlpatterns = [
    path("projects/<str:code>/status-page/", views.status_page, name="status-page"),
    path("projects/<str:code>/status-page/publish/", views.status_publish,
         name="status-publish"),
    path("programmes/<str:code>/status-page/", views.programme_status_page,
         name="programme-status-page"),
    path("programmes/<str:code>/status-page/publish/", views.programme_status_publish,
         name="programme-status-publish"),
    path("<str:kind>/<str:code>/status-page/announcements/", views.status_announce,
         name="status-announce"),
    path("status/<str:token>/", views.status_public, name="status-public"),
    path("status/<str:token>/documents/<int:pk>/", views.status_public_file,
         name="status-public-file"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("projects/<str:code>/status-page/", views.status_page, name="status-page"),
    path("projects/<str:code>/status-page/publish/", views.status_publish,
         name="status-publish"),
    path("status/<str:token>/", views.status_public, name="status-public"),
]

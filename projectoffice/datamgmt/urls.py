from django.urls import path

from . import views

urlpatterns = [
    path("projects/<str:code>/data-migrations/<str:ref>/runs/", views.migration_run,
         name="migration-run"),
]

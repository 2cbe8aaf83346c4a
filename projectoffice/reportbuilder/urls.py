from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.report_index, name="saved-reports"),
    path("projects/<str:code>/reports/", views.report_index, name="project-saved-reports"),
    path("reports/new/", views.report_new, name="saved-report-new"),
    path("reports/<int:pk>/", views.report_view, name="saved-report"),
    path("reports/<int:pk>/edit/", views.report_edit, name="saved-report-edit"),
    path("reports/<int:pk>/delete/", views.report_delete, name="saved-report-delete"),
    path("reports/<int:pk>/export.<slug:fmt>", views.report_export, name="saved-report-export"),
]

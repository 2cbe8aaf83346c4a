from django.urls import path

from . import views

urlpatterns = [
    path("projects/<str:code>/testing/runs/", views.runs, name="assurance-runs"),
    path("projects/<str:code>/testing/runs/<int:run_id>/", views.run_detail,
         name="assurance-run"),
    path("projects/<str:code>/testing/runs/<int:run_id>/execute/<str:ref>/", views.execute,
         name="assurance-execute"),
    path("projects/<str:code>/testing/cases/<str:ref>/steps/", views.case_steps,
         name="assurance-case-steps"),
    path("projects/<str:code>/traceability/", views.matrix, name="assurance-matrix"),
    path("projects/<str:code>/traceability.csv", views.matrix_csv,
         name="assurance-matrix-csv"),
]

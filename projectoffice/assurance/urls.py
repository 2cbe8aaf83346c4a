from django.urls import path

from . import config_views, quality_views, views

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
    path("projects/<str:code>/quality/", quality_views.quality_page, name="assurance-quality"),
    path("projects/<str:code>/quality/reviews/<str:ref>/checklist/",
         quality_views.review_checks, name="assurance-review-checks"),
    path("projects/<str:code>/quality/<str:register>/<str:ref>/follow-up/",
         quality_views.follow_up, name="assurance-follow-up"),
    path("quality/", quality_views.office_quality, name="office-quality"),
    path("projects/<str:code>/configuration/", config_views.configuration_page,
         name="assurance-configuration"),
    path("projects/<str:code>/configuration/baselines/<int:baseline_id>/",
         config_views.baseline_detail, name="assurance-baseline"),
    path("projects/<str:code>/configuration/baselines/<int:baseline_id>/export.<str:fmt>",
         config_views.baseline_export, name="assurance-baseline-export"),
    path("projects/<str:code>/configuration/items/<str:ref>/versions/",
         config_views.item_version, name="assurance-item-version"),
]

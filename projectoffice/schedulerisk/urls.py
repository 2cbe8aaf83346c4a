from django.urls import path

from . import views

urlpatterns = [
    path("schedule-health/", views.rollup_page, name="schedule-health-rollup"),
    path("schedule-health/thresholds/", views.thresholds_page,
         name="schedule-health-thresholds"),
    path("projects/<str:code>/plan/health/", views.health_page, name="schedule-health"),
    path("projects/<str:code>/plan/health/record/", views.record_health,
         name="schedule-health-record"),
    path("projects/<str:code>/plan/risk/", views.risk_page, name="schedule-risk"),
    path("projects/<str:code>/plan/risk/run/", views.start_run, name="schedule-risk-start"),
    path("projects/<str:code>/plan/risk/run/<int:number>/progress/", views.run_progress,
         name="schedule-risk-progress"),
    path("projects/<str:code>/plan/risk/estimates/", views.estimates_page,
         name="schedule-risk-estimates"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("jobs/", views.jobs_page, name="jobs"),
    path("jobs/start/", views.job_start, name="job-start"),
    path("jobs/<str:job_id>/", views.job_page, name="job"),
]

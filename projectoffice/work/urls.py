from django.urls import path

from . import views

urlpatterns = [
    path("my-work/", views.my_work, name="my-work"),
    path("my-work/reviews/<int:pk>/", views.decide_review, name="my-work-review"),
    path("my-work/timesheets/<int:pk>/", views.decide_timesheet, name="my-work-timesheet"),
    path("my-work/timesheets/<int:pk>/lines/", views.timesheet_lines,
         name="my-work-timesheet-lines"),
    path("my-work/<str:source>/<int:pk>/", views.decide_item, name="my-work-decide"),
    path("my-work/tasks/<str:code>/<int:uid>/progress/", views.task_progress,
         name="my-work-progress"),
]

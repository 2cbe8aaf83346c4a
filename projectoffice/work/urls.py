from django.urls import path

from . import views

urlpatterns = [
    path("my-work/", views.my_work, name="my-work"),
    path("my-work/reviews/<int:pk>/", views.decide_review, name="my-work-review"),
    path("my-work/<str:source>/<int:pk>/", views.decide_item, name="my-work-decide"),
    path("my-work/tasks/<str:code>/<int:uid>/progress/", views.task_progress,
         name="my-work-progress"),
]

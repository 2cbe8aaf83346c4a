from django.urls import path

from . import views

urlpatterns = [
    path("projects/<str:code>/access-reviews/<str:ref>/load/", views.review_load,
         name="access-review-load"),
    path("projects/<str:code>/access-reviews/<str:ref>/lines/<int:pk>/decide/",
         views.review_decide, name="access-review-decide"),
]

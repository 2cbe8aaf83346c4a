from django.urls import path

from . import views

urlpatterns = [
    path("runs/<uuid:run_id>/", views.run_page, name="run"),
]

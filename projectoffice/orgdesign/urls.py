from django.urls import path

from . import views

urlpatterns = [
    path("projects/<str:code>/organisation/", views.charts, name="orgdesign-charts"),
]

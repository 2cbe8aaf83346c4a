from django.urls import path

from . import views

urlpatterns = [
    path("projects/<str:code>/organisation/", views.charts, name="orgdesign-charts"),
    path("projects/<str:code>/organisation/skills/", views.skills, name="orgdesign-skills"),
    path("projects/<str:code>/organisation/positions/<str:ref>/skills/", views.position_skill,
         name="orgdesign-position-skill"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("projects/<str:code>/architecture/diagram/", views.component_diagram,
         name="component-diagram"),
    path("projects/<str:code>/components/<str:ref>/interfaces/", views.interface_add,
         name="interface-add"),
    path("projects/<str:code>/architecture/interfaces/<int:pk>/remove/",
         views.interface_remove, name="interface-remove"),
    path("projects/<str:code>/adrs/<str:ref>/supersede/", views.adr_supersede,
         name="adr-supersede"),
]

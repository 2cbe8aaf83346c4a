from django.urls import path

from . import views

DOC = "projects/<str:code>/documents/<str:ref>/"

urlpatterns = [
    path("projects/<str:code>/documents/templates/", views.templates,
         name="document-templates"),
    path(DOC + "upload/", views.upload, name="document-upload"),
    path(DOC + "checkout/", views.check_out, name="document-checkout"),
    path(DOC + "checkin/", views.release, name="document-release"),
    path(DOC + "recipients/", views.add_recipient, name="document-recipient"),
    path(DOC + "acknowledge/", views.acknowledge, name="document-acknowledge"),
    path(DOC + "v<int:number>/", views.download, name="document-download"),
    path(DOC + "v<int:number>/review/", views.send_for_review, name="document-review"),
    path(DOC + "v<int:number>/decide/", views.decide, name="document-decide"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("support/", views.desk, name="support-desk"),
    path("support/new/", views.raise_ticket, name="support-raise"),
    path("support/articles/", views.articles, name="support-articles"),
    path("support/articles/new/", views.article_edit, name="support-article-new"),
    path("support/articles/<int:pk>/", views.article, name="support-article"),
    path("support/articles/<int:pk>/edit/", views.article_edit, name="support-article-edit"),
    path("support/service-levels/", views.service_levels, name="support-levels"),
    path("projects/<str:code>/support/", views.desk_project, name="support-desk-project"),
    path("projects/<str:code>/tickets/<str:ref>/note/", views.ticket_note, name="ticket-note"),
    path("projects/<str:code>/tickets/<str:ref>/close-rated/", views.ticket_close,
         name="ticket-close"),
    path("projects/<str:code>/tickets/<str:ref>/article/", views.ticket_article,
         name="ticket-article"),
    path("projects/<str:code>/assets/<str:ref>/checkout/", views.asset_checkout,
         name="asset-checkout"),
    path("projects/<str:code>/assets/<str:ref>/checkouts/<int:pk>/return/",
         views.asset_return, name="asset-return"),
]

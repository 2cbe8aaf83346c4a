from django.urls import path

from . import views

urlpatterns = [
    path("facilities/bookings/", views.bookings, name="bookings"),
    path("facilities/bookings/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("facilities/resources/", views.resources, name="facility-resources"),
    path("facilities/stock/", views.stock, name="stock"),
    path("facilities/stock/<int:pk>/", views.stock_item, name="stock-item"),
    path("projects/<str:code>/meetings/<int:pk>/book/", views.meeting_book_room,
         name="meeting-book-room"),
]

from django.urls import path

from hotline.exchange import views

app_name = "exchange"
urlpatterns = [
    path("orders/", views.orders, name="orders"),
    path("quality/", views.data_quality, name="quality"),
]

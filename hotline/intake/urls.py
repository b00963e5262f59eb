"""Routing desk URLs, mounted at /routing/."""

from django.urls import path

from hotline.intake import views

app_name = "intake"
urlpatterns = [
    path("suggest/<str:number>/", views.suggest, name="suggest"),
    path("similar/", views.similar, name="similar"),
    path("hotspots/", views.hotspots, name="hotspots"),
]

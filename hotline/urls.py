"""URL map: admin, the JSON API, and the server-rendered screens."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("hotline.api.urls")),
    path("", include("hotline.web.urls")),
]

"""Mounted at /api/v1/ by hotline.urls; the OpenAPI document is /api/v1/openapi.json."""

from django.urls import path

from hotline.api.api import api

urlpatterns = [path("", api.urls)]

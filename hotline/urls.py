"""URL map: admin, the JSON API, the knowledge base, routing and hotspots, and the server-rendered screens."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("hotline.api.urls")),
    path("knowledge/", include("hotline.knowledge.urls")),
    path("followups/", include("hotline.followups.urls")),
    path("routing/", include("hotline.intake.urls")),
    path("reports/", include("hotline.reports.urls")),
    path("duty/", include("hotline.duty.urls")),  # Art. 8, 20, 27
    path("supervision/", include("hotline.supervision.urls")),
    path("captcha/", include("captcha.urls")),
    path("", include("hotline.channels.urls")),
    path("", include("hotline.web.urls")),
]

# A lost database answers 503 in Chinese, saying whether the action was saved (hotline/lib/outage.py).
handler500 = "hotline.lib.outage.server_error"

"""URL map: admin, the JSON API, the knowledge base, routing and hotspots, and the server-rendered screens."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("hotline.api.urls")),
    path("knowledge/", include("hotline.knowledge.urls")),
    path("followups/", include("hotline.followups.urls")),
    path("routing/", include("hotline.intake.urls")),
    path("reports/", include("hotline.reports.urls")),
    path("duty/", include("hotline.duty.urls")),  # Art. 8, 20, 27
    path("supervision/", include("hotline.supervision.urls")),
    path("exchange/", include("hotline.exchange.urls")),  # Art. 7, 27
    path("captcha/", include("captcha.urls")),
    # Browsers ask for /favicon.ico on pages without an icon link (and on error pages): answer with the icon.
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True), name="favicon"),
    path("", include("hotline.channels.urls")),
    path("", include("hotline.web.urls")),
]

# A lost database answers 503 in Chinese, saying whether the action was saved (hotline/lib/outage.py).
handler500 = "hotline.lib.outage.server_error"

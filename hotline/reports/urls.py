from django.urls import path

from hotline.reports import month_views, views

app_name = "reports"
urlpatterns = [
    path("channels/", views.channels, name="channels"),
    path("months/", month_views.months, name="months"),
    path("months/<int:year>/<int:month>/", month_views.month_page, name="month"),
    path("months/<int:year>/<int:month>/bulletin.<str:fmt>", month_views.bulletin_file, name="bulletin"),
    path("months/<int:year>/<int:month>/<slug:action>/", month_views.month_action, name="month_action"),
    # A county sub-centre's own month (Art. 26, 30); the city's stays at months/.
    path("platforms/<slug:code>/months/", month_views.platform_months, name="platform_months"),
    path("platforms/<slug:code>/months/<int:year>/<int:month>/", month_views.platform_month,
         name="platform_month"),
    path("platforms/<slug:code>/months/<int:year>/<int:month>/bulletin.<str:fmt>", month_views.platform_bulletin,
         name="platform_bulletin"),
    path("platforms/<slug:code>/months/<int:year>/<int:month>/<slug:action>/", month_views.platform_month_action,
         name="platform_month_action"),
    path("assessment/", month_views.assessment_latest, name="assessment_latest"),
    path("assessment/<int:year>/<int:month>/", month_views.assessment_page, name="assessment"),
    path("assessment/<int:year>/<int:month>/<slug:code>/", month_views.sheet_page, name="sheet"),
    path("assessment/<int:year>.xlsx", month_views.assessment_export, name="assessment_export"),
    path("live/", month_views.live_page, name="live"),
    path("live/data.json", month_views.live_data, name="live_data"),
]

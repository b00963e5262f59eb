"""Routes of the supervision screens (督办中心, 催办工作台, case pages, the units' 督办件)."""

from django.urls import path

from hotline.supervision import coordination_views, views

app_name = "supervision"
urlpatterns = [
    path("", views.center, name="center"),
    path("urge/", views.urge_desk, name="urge_desk"),
    path("unit/", views.unit_cases, name="unit_cases"),
    path("new/", views.open_case, name="open"),
    path("proposals/<int:proposal_id>/<slug:decision>/", views.proposal, name="proposal"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/papers/<slug:kind>.<slug:fmt>", views.case_document, name="document"),
    path("cases/<int:case_id>/<slug:verb>/", views.case_action, name="case_action"),
    path("difficult/", coordination_views.pool, name="pool"),
    path("difficult/<int:coord_id>/", coordination_views.record, name="coordination"),
    path("difficult/<int:coord_id>/<slug:verb>/", coordination_views.action, name="coordination_action"),
]

"""The follow-up desk, appeals and the appeal ledger, mounted at /followups/."""

from django.urls import path

from hotline.followups import views

app_name = "followups"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<int:appeal_id>/", views.appeal_detail, name="appeal_detail"),
    path("appeals/<int:appeal_id>/evidence/<int:evidence_id>/", views.evidence, name="appeal_evidence"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger.csv", views.ledger_csv, name="ledger_csv"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("<str:number>/", views.call, name="call"),
    path("<str:number>/appeal/", views.appeal, name="appeal"),
]

"""Knowledge base pages, mounted at /knowledge/."""

from django.urls import path

from hotline.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("suggest/", views.suggest, name="suggest"),
    path("new/", views.create, name="create"),
    path("review/", views.review_queue, name="review"),
    path("upkeep/", views.upkeep, name="upkeep"),
    path("import/", views.import_view, name="import"),
    path("export.xlsx", views.export_view, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/request-update/", views.request_update, name="request_update"),
    path("<int:pk>/request-update/cancel/", views.cancel_update, name="cancel_update"),
    path("<int:pk>/wrong/", views.report_wrong, name="report_wrong"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/<slug:action>/", views.transition, name="transition"),
    path("answer/<str:number>/", views.answer_ticket, name="answer_ticket"),
    path("answer/<str:number>/<int:pk>/", views.answer_ticket_with, name="answer_with"),
]

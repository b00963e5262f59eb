from django.urls import path

from hotline.duty import views

app_name = "duty"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("slots/<int:pk>/", views.slot, name="slot"),
    path("slots/<int:pk>/notice/", views.notice, name="notice"),
    path("rosters/", views.roster_list, name="rosters"),
    path("rosters/template.xlsx", views.roster_template, name="roster-template"),
    path("rosters/<int:pk>/", views.roster, name="roster"),
    path("now/", views.now_panel, name="now"),
    path("now/reveal/", views.now_reveal, name="now-reveal"),
]

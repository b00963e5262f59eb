"""Routes of the server-rendered screens."""

from django.contrib.auth import views as auth_views
from django.urls import path

from hotline.web import privacy_views, twofactor, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("otp/enrol/", twofactor.otp_enrol, name="otp_enrol"),
    path("otp/verify/", twofactor.otp_verify, name="otp_verify"),
    path("desk/", views.desk, name="desk"),
    path("inbox/", views.inbox, name="inbox"),
    path("tickets/", views.ticket_list, name="tickets"),
    path("tickets/<str:number>/", views.ticket_detail, name="ticket"),
    # Before the generic action route, which would take "reveal" for a workflow verb.
    path("tickets/<str:number>/reveal/", privacy_views.ticket_reveal, name="ticket_reveal"),
    path("tickets/<str:number>/contact/", privacy_views.ticket_contact, name="ticket_contact"),
    path("access-log/", privacy_views.access_log_page, name="access_log"),
    path("access-log.csv", privacy_views.access_log_csv, name="access_log_csv"),
    path("tickets/<str:number>/<slug:verb>/", views.ticket_action, name="ticket_action"),
]

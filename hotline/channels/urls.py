from django.urls import include, path, re_path

from hotline.channels import desk_views, inbound, open311, portal

app_name = "channels"
XML = {"fmt": "xml"}

# GeoReport v2: every resource as .xml (required of every endpoint) and .json (optional), one name per format.
open311_patterns = [
    path("services.json", open311.services_list, name="open311-services"),
    re_path(r"^services/(?P<code>[^/]+)\.json$", open311.service_definition, name="open311-service"),
    path("requests.json", open311.requests_collection, name="open311-requests"),
    re_path(r"^requests/(?P<request_id>[^/]+)\.json$", open311.request_detail, name="open311-request"),
    re_path(r"^tokens/(?P<token>[^/]+)\.json$", open311.token_detail, name="open311-token"),
    path("services.xml", open311.services_list, XML, name="open311-services-xml"),
    re_path(r"^services/(?P<code>[^/]+)\.xml$", open311.service_definition, XML, name="open311-service-xml"),
    path("requests.xml", open311.requests_collection, XML, name="open311-requests-xml"),
    re_path(r"^requests/(?P<request_id>[^/]+)\.xml$", open311.request_detail, XML, name="open311-request-xml"),
    re_path(r"^tokens/(?P<token>[^/]+)\.xml$", open311.token_detail, XML, name="open311-token-xml"),
]

urlpatterns = [
    path("portal/", portal.submit, name="portal-submit"),
    path("portal/receipt/", portal.receipt, name="portal-receipt"),
    path("portal/track/", portal.track, name="portal-track"),
    path("portal/recover/", portal.recover, name="portal-recover"),
    path("portal/recover/code/", portal.recover_code, name="portal-recover-code"),
    path("portal/track/<str:number>/", portal.status, name="portal-status"),
    path("portal/track/<str:number>/rate/", portal.rate, name="portal-rate"),
    path("open311/v2/", include(open311_patterns)),
    path("desk/call/", desk_views.call, name="desk-call"),
    path("desk/call/caller/", desk_views.caller_panel, name="desk-caller"),
    path("desk/call/assist/", desk_views.assist_panel, name="desk-assist"),
    path("desk/flags/", desk_views.flags, name="desk-flags"),
    path("desk/flags/<int:pk>/review/", desk_views.review_flag, name="desk-flag-review"),
    path("desk/deputies/", desk_views.deputies, name="desk-deputies"),
    path("desk/deputies/ledger.xlsx", desk_views.deputies_xlsx, name="desk-deputies-xlsx"),
    path("desk/deputies/report/", desk_views.deputies_report, name="desk-deputies-report"),
    path("desk/deputies/import/", desk_views.deputies_import, name="desk-deputies-import"),
    path("channels/tickets", inbound.gateway_ticket, name="gateway-ticket"),
    path("channels/110/tickets", inbound.police_transfer, name="police-transfer"),
    path("channels/ratings/sms", inbound.sms_rating, name="sms-rating"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from . import recording_pages, review_queue, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("search/", views.search_page, name="search"),
    path("browse/", views.browse, name="browse"),
    path("labels/", views.labels_page, name="labels"),
    path("traditions/<str:slug>/", views.tradition_detail, name="tradition"),
    path("communities/<str:slug>/", views.community_detail, name="community"),
    path("collections/<uuid:pk>/", views.collection_detail, name="collection"),
    path("recordings/new/", recording_pages.recording_new, name="recording-new"),
    path("recordings/<uuid:pk>/", views.recording_detail, name="recording"),
    path("recordings/<uuid:pk>/edit/", recording_pages.recording_edit, name="recording-edit"),
    path("recordings/<uuid:pk>/withdraw/", recording_pages.recording_withdraw_page, name="recording-withdraw"),
    path("recordings/<uuid:pk>/narratives/", recording_pages.recording_narrative, name="recording-narrative"),
    path("recordings/<uuid:pk>/upload/", views.recording_upload, name="recording-upload"),
    path("recordings/<uuid:pk>/request-access/", views.recording_request_access, name="recording-request-access"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/ingest/", views.dashboard_ingest, name="dashboard-ingest"),
    path("dashboard/communities/<uuid:pk>/members/", views.dashboard_members, name="dashboard-members"),
    path("dashboard/communities/<uuid:pk>/note-correctors/", views.dashboard_note_correctors,
         name="dashboard-note-correctors"),
    path("dashboard/communities/<uuid:pk>/protocols/", views.dashboard_protocol, name="dashboard-protocol"),
    path("dashboard/communities/<uuid:pk>/sources/", review_queue.sources_page, name="harvest-sources-page"),
    path("dashboard/sources/<uuid:pk>/", review_queue.review_queue, name="review-queue"),
    path("dashboard/sources/<uuid:pk>/harvest/", review_queue.source_harvest, name="review-queue-harvest"),
    path("dashboard/candidates/<uuid:pk>/<str:action>/", review_queue.candidate_decide, name="candidate-decide"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("share/<str:token>/", views.share_open, name="share-open"),
    path("recordings/<uuid:pk>/share/", views.recording_share, name="recording-share"),
    path("share-links/<uuid:pk>/revoke/", views.share_revoke, name="share-revoke"),
    path("dashboard/consent/<uuid:pk>/", views.dashboard_consent, name="dashboard-consent"),
    path("dashboard/<str:kind>/<uuid:pk>/", views.dashboard_decide, name="dashboard-decide"),
]

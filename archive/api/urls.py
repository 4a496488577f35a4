from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .views.auth import TokenView
from .views.communities import CollectionViewSet, CommunityViewSet, TraditionViewSet
from .views.decisions import AccessRequestViewSet, ProposalViewSet
from .views.harvest import (
    CandidateAccept,
    CandidateAcknowledge,
    CandidateDetail,
    CandidateFetchMedia,
    CandidateMerge,
    CandidateReject,
    Candidates,
    HarvestSourceDetail,
    HarvestSources,
    HarvestSourceStart,
)
from .views.hub import HubProjectApply, HubProjectDetail, HubProjectRefresh, HubProjects
from .views.ingest import IngestBatchDetail, IngestBatches, IngestBatchStart, IngestCheck
from .views.languages import LanguagesView
from .views.recordings import AnnotationDetail, RecordingViewSet
from .views.search import SearchView
from .views.share_links import ShareLinkViewSet
from .views.tus import UploadCreate, UploadDetail

router = DefaultRouter()
router.register("communities", CommunityViewSet, basename="community")
router.register("traditions", TraditionViewSet, basename="tradition")
router.register("collections", CollectionViewSet, basename="collection")
router.register("recordings", RecordingViewSet, basename="recording")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("access-requests", AccessRequestViewSet, basename="access-request")
router.register("share-links", ShareLinkViewSet, basename="share-link")

annotation = AnnotationDetail.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"})

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("search/", SearchView.as_view(), name="api-search"),
    path("languages/", LanguagesView.as_view(), name="api-languages"),
    path("ingest/check/", IngestCheck.as_view(), name="ingest-check"),
    path("ingest/batches/", IngestBatches.as_view(), name="ingest-batches"),
    path("ingest/batches/<uuid:pk>/", IngestBatchDetail.as_view(), name="ingest-batch"),
    path("ingest/batches/<uuid:pk>/start/", IngestBatchStart.as_view(), name="ingest-batch-start"),
    path("harvest-sources/", HarvestSources.as_view(), name="harvest-sources"),
    path("harvest-sources/<uuid:pk>/", HarvestSourceDetail.as_view(), name="harvest-source"),
    path("harvest-sources/<uuid:pk>/harvest/", HarvestSourceStart.as_view(), name="harvest-source-start"),
    path("candidates/", Candidates.as_view(), name="candidates"),
    path("candidates/<uuid:pk>/", CandidateDetail.as_view(), name="candidate"),
    path("candidates/<uuid:pk>/accept/", CandidateAccept.as_view(), name="candidate-accept"),
    path("candidates/<uuid:pk>/merge/", CandidateMerge.as_view(), name="candidate-merge"),
    path("candidates/<uuid:pk>/reject/", CandidateReject.as_view(), name="candidate-reject"),
    path("candidates/<uuid:pk>/fetch-media/", CandidateFetchMedia.as_view(), name="candidate-fetch-media"),
    path("candidates/<uuid:pk>/acknowledge/", CandidateAcknowledge.as_view(), name="candidate-acknowledge"),
    path("hub-projects/", HubProjects.as_view(), name="hub-projects"),
    path("hub-projects/<uuid:pk>/", HubProjectDetail.as_view(), name="hub-project"),
    path("hub-projects/<uuid:pk>/refresh/", HubProjectRefresh.as_view(), name="hub-project-refresh"),
    path("hub-projects/<uuid:pk>/apply/", HubProjectApply.as_view(), name="hub-project-apply"),
    path("uploads/", UploadCreate.as_view(), name="tus-create"),
    path("uploads/<uuid:pk>/", UploadDetail.as_view(), name="tus-upload"),
    path("recordings/<uuid:pk>/annotations/<uuid:annotation_pk>/", annotation, name="annotation-detail"),
    path("", include(router.urls)),
]

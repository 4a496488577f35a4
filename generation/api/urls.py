from rest_framework.routers import SimpleRouter

from .views import StudyExampleViewSet, StyleModelViewSet

router = SimpleRouter()
router.register("style-models", StyleModelViewSet, basename="style-model")
router.register("examples", StudyExampleViewSet, basename="example")
urlpatterns = router.urls

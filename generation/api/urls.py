from rest_framework.routers import SimpleRouter

from .views import PracticeSetViewSet, StudyExampleViewSet, StyleModelViewSet

router = SimpleRouter()
router.register("style-models", StyleModelViewSet, basename="style-model")
router.register("examples", StudyExampleViewSet, basename="example")
router.register("practice-sets", PracticeSetViewSet, basename="practice-set")
urlpatterns = router.urls

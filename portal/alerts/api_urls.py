"""API routes of alerts, mounted under /api/v1/ by portal/api/urls.py."""

from rest_framework.routers import SimpleRouter

from .api import SavedSearchViewSet

router = SimpleRouter()
router.register("saved-searches", SavedSearchViewSet, basename="saved-search")

urlpatterns = router.urls

"""Routes of the supplier directory search: the page at the site root, the API under /api/v1/."""

from django.urls import path

from .api.search import SuggestView, SupplierSearchView
from .views.suppliers import suppliers

app_name = "suppliers"

urlpatterns = [path("suppliers/", suppliers, name="search")]

api_urlpatterns = (
    [
        path("suppliers/", SupplierSearchView.as_view(), name="search"),
        path("suggest/", SuggestView.as_view(), name="suggest"),
    ],
    "suppliers_api",
)

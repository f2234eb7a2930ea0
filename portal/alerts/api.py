"""``/api/v1/saved-searches/``: list, create, read, change and delete the caller's saved
searches (token or session auth). ``q`` and ``filters`` are checked by ``criteria.clean``
against the parameters of the search API they replay; refusals answer 400 in the API's error
shape with a message per field. Another user's saved search answers 404.
"""

from __future__ import annotations

from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from .criteria import CriteriaError, clean
from .forms import MAX_PER_USER
from .models import Kind, SavedSearch


class SavedSearchSerializer(serializers.ModelSerializer):
    # A plain string in the schema: an enum here would collide with the notices' "kind" enum.
    kind = serializers.CharField(help_text="supplier | notice: which search to replay")
    search_url = serializers.CharField(read_only=True)

    class Meta:
        model = SavedSearch
        fields = [
            "id",
            "kind",
            "name",
            "q",
            "filters",
            "frequency",
            "active",
            "created",
            "last_run_at",
            "last_sent_at",
            "search_url",
        ]
        read_only_fields = ["id", "created", "last_run_at", "last_sent_at", "search_url"]

    def validate_kind(self, value: str) -> str:
        if value not in Kind.values:
            raise serializers.ValidationError("Choose supplier or notice.")
        return value

    def validate_name(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise serializers.ValidationError("Give the search a name.")
        return value

    def validate(self, attrs: dict) -> dict:
        instance = self.instance
        kind = attrs.get("kind", instance.kind if instance else None)
        if instance is not None and "kind" in attrs and attrs["kind"] != instance.kind:
            raise serializers.ValidationError({"kind": ["The kind of a saved search is fixed."]})
        q = attrs.get("q", instance.q if instance else "")
        filters = attrs.get("filters", instance.filters if instance else {})
        try:
            attrs["q"], attrs["filters"] = clean(kind, q, filters)
        except CriteriaError as error:
            raise serializers.ValidationError(
                {name: [message] for name, message in error.fields.items()}
            ) from error
        user = self.context["request"].user
        if instance is None and SavedSearch.objects.filter(user=user).count() >= MAX_PER_USER:
            raise serializers.ValidationError(
                f"You already have {MAX_PER_USER} saved searches; delete one to save another."
            )
        return attrs


class SavedSearchViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own saved searches, newest first."""

    serializer_class = SavedSearchSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SavedSearch.objects.none()
        return SavedSearch.objects.filter(user=self.request.user)

    def perform_create(self, serializer) -> None:
        serializer.save(user=self.request.user)

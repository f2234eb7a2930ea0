from django.urls import path

from .views import claims, confirmation, dashboard, directory, documents, wizard

app_name = "enterprises"

urlpatterns = [
    path("", directory.directory, name="directory"),
    path("<int:pk>/", directory.profile, name="profile"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("register/", wizard.start, name="register"),
    path("register/basics/", wizard.basics_new, name="register_basics"),
    path("<int:pk>/edit/<slug:step>/", wizard.edit, name="edit"),
    path("<int:pk>/submit/", wizard.submit, name="submit"),
    path(
        "<int:pk>/qualifications/<int:qid>/document/",
        documents.qualification_document,
        name="qualification_document",
    ),
    path(
        "<int:pk>/draft/qualifications/<int:index>/document/",
        documents.draft_document,
        name="draft_document",
    ),
    path("confirm/<str:token>/", confirmation.confirm_link, name="confirm"),
    path("<int:pk>/confirm/", confirmation.confirm_owned, name="confirm_owned"),
    path("claim/", claims.claim_profile, name="claim"),
    path("claim/<int:pk>/withdraw/", claims.withdraw_claim, name="claim_withdraw"),
    path("claim/<int:pk>/letter/", documents.claim_letter, name="claim_letter"),
]

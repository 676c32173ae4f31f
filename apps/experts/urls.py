from django.urls import path

from . import views

app_name = "experts"

urlpatterns = [
    path("", views.ExpertListView.as_view(), name="list"),
    path("suggest/", views.ExpertSuggestView.as_view(), name="suggest"),
    path("add/", views.ExpertCreateView.as_view(), name="create"),
    path("review/", views.ExpertReviewView.as_view(), name="review"),
    path("<int:pk>/", views.ExpertDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ExpertUpdateView.as_view(), name="update"),
    path("<int:pk>/approve/", views.expert_approve, name="approve"),
    path("<int:pk>/reject/", views.expert_reject, name="reject"),
    path("<int:pk>/delete/", views.expert_delete, name="delete"),
    path("<int:pk>/engagements/add/", views.EngagementAddView.as_view(), name="engagement_add"),
    path("engagements/<int:pk>/delete/", views.engagement_delete, name="engagement_delete"),
]

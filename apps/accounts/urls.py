from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.my_profile, name="profile"),
    path("profile/edit/", views.ProfileEditView.as_view(), name="profile_edit"),
    path("people/<str:username>/", views.PersonDetailView.as_view(), name="person"),
    path("people/<str:username>/photo/", views.person_photo, name="photo"),
]

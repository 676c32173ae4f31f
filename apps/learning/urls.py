from django.urls import path

from . import views
from .views import events, mentoring, rotations

app_name = "learning"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("events/", events.EventListView.as_view(), name="event_list"),
    path("events/new/", events.EventCreateView.as_view(), name="event_create"),
    path("events/<int:pk>/", events.EventDetailView.as_view(), name="event_detail"),
    path("events/<int:pk>/edit/", events.EventUpdateView.as_view(), name="event_update"),
    path("events/<int:pk>/register/", events.event_register, name="event_register"),
    path("events/<int:pk>/cancel/", events.event_cancel, name="event_cancel"),
    path("events/<int:pk>/call-off/", events.event_call_off, name="event_call_off"),
    path(
        "events/<int:pk>/attendance/", events.EventAttendanceView.as_view(), name="event_attendance"
    ),
    path("events/<int:pk>/evaluate/", events.EvaluationView.as_view(), name="event_evaluate"),
    path("events/<int:pk>/aar/", events.EventAARView.as_view(), name="event_aar"),
    path("registrations/<int:pk>/certificate/", events.certificate, name="certificate"),
    path("mentoring/", mentoring.PairListView.as_view(), name="pair_list"),
    path("mentoring/new/", mentoring.PairCreateView.as_view(), name="pair_create"),
    path("mentoring/<int:pk>/", mentoring.PairDetailView.as_view(), name="pair_detail"),
    path("mentoring/<int:pk>/edit/", mentoring.PairUpdateView.as_view(), name="pair_update"),
    path(
        "mentoring/<int:pk>/sessions/add/", mentoring.SessionAddView.as_view(), name="session_add"
    ),
    path("mentoring/<int:pk>/skills/add/", mentoring.SkillsAddView.as_view(), name="skills_add"),
    path("skills/<int:pk>/sign-off/", mentoring.skill_sign_off, name="skill_sign_off"),
    path("rotations/", rotations.RotationListView.as_view(), name="rotation_list"),
    path("rotations/new/", rotations.RotationCreateView.as_view(), name="rotation_create"),
    path("rotations/<int:pk>/", rotations.RotationDetailView.as_view(), name="rotation_detail"),
    path(
        "rotations/<int:pk>/edit/", rotations.RotationUpdateView.as_view(), name="rotation_update"
    ),
    path(
        "rotations/<int:pk>/review/", rotations.RotationReviewView.as_view(), name="rotation_review"
    ),
]

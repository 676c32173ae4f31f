from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("new/", views.MeetingCreateView.as_view(), name="create"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="update"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/answer/", views.invitation_answer, name="answer"),
    path("<int:pk>/meeting.ics", views.MeetingCalendarView.as_view(), name="calendar"),
    path("<int:pk>/agenda/", views.AgendaView.as_view(), name="agenda"),
    path("<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("<int:pk>/minutes/", views.MinutesView.as_view(), name="minutes"),
    path("<int:pk>/minutes/adopt/", views.minutes_adopt, name="minutes_adopt"),
    path("<int:pk>/minutes/print/", views.MinutesPrintView.as_view(), name="minutes_print"),
    path("<int:pk>/minutes.pdf", views.MinutesPdfView.as_view(), name="minutes_pdf"),
    path("<int:meeting_pk>/actions/new/", views.ActionEditView.as_view(), name="action_create"),
    path("actions/<int:pk>/edit/", views.ActionEditView.as_view(), name="action_update"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("actions/<int:pk>/reopen/", views.action_reopen, name="action_reopen"),
]

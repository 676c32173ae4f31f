from django.urls import path

from . import views, views_page

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("new/", views.MeetingCreateView.as_view(), name="create"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="update"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/answer/", views.invitation_answer, name="answer"),
    path("<int:pk>/meeting.ics", views.MeetingCalendarView.as_view(), name="calendar"),
    # The secretary's one page: agenda, attendance, minutes and action items, step by step.
    path("<int:pk>/record/", views_page.record_page, name="record"),
    path("<int:pk>/record/agenda/", views_page.agenda_add, name="record_agenda_add"),
    path("<int:pk>/record/answers/", views_page.attendance_from_answers, name="record_answers"),
    path("<int:pk>/record/header/", views_page.minutes_header, name="record_header"),
    path("agenda/<int:pk>/move/", views_page.agenda_move, name="item_move"),
    path("agenda/<int:pk>/remove/", views_page.agenda_remove, name="item_remove"),
    path("agenda/<int:pk>/minutes/", views_page.item_minutes, name="item_minutes"),
    path("agenda/<int:pk>/action/", views_page.item_action, name="item_action"),
    path("attendance/<int:pk>/mark/", views_page.attendance_mark, name="attendance_mark"),
    path("attendance/<int:pk>/chair/", views_page.attendance_chair, name="attendance_chair"),
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

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_update, name="update"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/agenda/", views.agenda_edit, name="agenda"),
    path("<int:pk>/attendance/", views.attendance_edit, name="attendance"),
    path("<int:pk>/minutes/", views.minutes_edit, name="minutes"),
    path("<int:pk>/minutes/adopt/", views.minutes_adopt, name="minutes_adopt"),
    path("<int:pk>/minutes/print/", views.minutes_print, name="minutes_print"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<int:meeting_pk>/actions/new/", views.action_edit, name="action_create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_update"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("actions/<int:pk>/reopen/", views.action_reopen, name="action_reopen"),
]

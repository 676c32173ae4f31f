"""The addresses meetings had under /plans/ before they became their own app: each redirects
permanently to its page under /meetings/ (``apps.core.views.moved``). Included under
``plans/`` ahead of the plans app's own addresses."""

from django.urls import path

from apps.core.views.moved import moved_to

urlpatterns = [
    path("meetings/", moved_to("meetings:list")),
    path("meetings/new/", moved_to("meetings:create")),
    path("meetings/<int:pk>/", moved_to("meetings:detail")),
    path("meetings/<int:pk>/edit/", moved_to("meetings:update")),
    path("meetings/<int:pk>/cancel/", moved_to("meetings:cancel")),
    path("meetings/<int:pk>/agenda/", moved_to("meetings:agenda")),
    path("meetings/<int:pk>/attendance/", moved_to("meetings:attendance")),
    path("meetings/<int:pk>/minutes/", moved_to("meetings:minutes")),
    path("meetings/<int:pk>/minutes/adopt/", moved_to("meetings:minutes_adopt")),
    path("meetings/<int:pk>/minutes/print/", moved_to("meetings:minutes_print")),
    path("meetings/<int:pk>/minutes.pdf", moved_to("meetings:minutes_pdf")),
    path("meetings/<int:meeting_pk>/actions/new/", moved_to("meetings:action_create")),
    path("actions/<int:pk>/edit/", moved_to("meetings:action_update")),
    path("actions/<int:pk>/done/", moved_to("meetings:action_done")),
    path("actions/<int:pk>/reopen/", moved_to("meetings:action_reopen")),
]

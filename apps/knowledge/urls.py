from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.SetListView.as_view(), name="list"),
    path("mine/", views.WorkbenchView.as_view(), name="workbench"),
    path("new/", views.SetCreateView.as_view(), name="create"),
    path("preview/", views.preview, name="preview"),
    path("notices/read/", views.notifications_read, name="notifications_read"),
    path("<int:pk>/", views.SetDetailView.as_view(), name="detail"),
    path("<int:pk>/working/", views.SetWorkingView.as_view(), name="working"),
    path("<int:pk>/print/", views.SetPrintView.as_view(), name="print"),
    path("<int:pk>/edit/", views.SetUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.set_delete, name="delete"),
    path("<int:pk>/step/<slug:action>/", views.set_transition, name="transition"),
    path("<int:pk>/reviewers/", views.reviewers_assign, name="reviewers"),
    path("<int:pk>/confirm/", views.confirm_current, name="confirm"),
    path("<int:pk>/comments/", views.comment_add, name="comment"),
    path("<int:pk>/useful/", views.vote, name="vote"),
    path("<int:pk>/history/", views.HistoryView.as_view(), name="history"),
    path("<int:pk>/compare/", views.CompareView.as_view(), name="compare"),
    path("<int:pk>/versions/<int:number>/", views.VersionDetailView.as_view(), name="version"),
    path("<int:pk>/versions/<int:number>/restore/", views.version_restore, name="restore"),
    path("<int:pk>/attachments/", views.AttachmentAddView.as_view(), name="attachment_add"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
]

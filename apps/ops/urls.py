from django.urls import path

from . import views

app_name = "ops"

urlpatterns = [
    path("status/", views.SystemStatusView.as_view(), name="status"),
    path("jobs/", views.JobsView.as_view(), name="jobs"),
    path("backups/", views.BackupListView.as_view(), name="backups"),
    path("backups/<str:name>", views.BackupDownloadView.as_view(), name="backup_download"),
]

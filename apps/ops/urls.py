from django.urls import path

from . import views

app_name = "ops"

urlpatterns = [
    path("status/", views.system_status, name="status"),
    path("backups/", views.backup_list, name="backups"),
    path("backups/<str:name>", views.backup_download, name="backup_download"),
]

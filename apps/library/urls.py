from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="list"),
    path("new/", views.document_create, name="create"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_update, name="update"),
    path("<int:pk>/files/", views.document_add_files, name="add_files"),
    path("<int:pk>/delete/", views.document_delete, name="delete"),
    path("files/<int:pk>/", views.download, name="download"),
    path("files/<int:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
]

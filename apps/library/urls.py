from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="list"),
    path("new/", views.DocumentCreateView.as_view(), name="create"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.DocumentUpdateView.as_view(), name="update"),
    path("<int:pk>/files/", views.DocumentAddFilesView.as_view(), name="add_files"),
    path("<int:pk>/delete/", views.document_delete, name="delete"),
    path("files/<int:pk>/", views.download, name="download"),
    path("files/<int:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("files/<int:pk>/ocr/", views.OcrCorrectView.as_view(), name="ocr_correct"),
    path("files/<int:pk>/ocr/rerun/", views.ocr_rerun, name="ocr_rerun"),
]

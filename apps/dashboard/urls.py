from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("office/", views.OfficeView.as_view(), name="office"),
    path("office/print/", views.OfficePrintView.as_view(), name="office_print"),
    path("office/summary.pdf", views.OfficeSummaryPdfView.as_view(), name="office_pdf"),
    path("office/dashboard.xlsx", views.OfficeXlsxView.as_view(), name="office_xlsx"),
    path("list/<slug:kind>/", views.FigureListView.as_view(), name="list"),
    path("me/", views.PersonalView.as_view(), name="personal"),
]

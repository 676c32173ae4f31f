from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("office/", views.office, name="office"),
    path("office/print/", views.office_print, name="office_print"),
    path("office/dashboard.xlsx", views.office_xlsx, name="office_xlsx"),
    path("list/<slug:kind>/", views.figure_list, name="list"),
    path("me/", views.personal_view, name="personal"),
]

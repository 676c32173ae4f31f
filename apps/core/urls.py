from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_trail, name="audit"),
    path("pick/records/", views.pick_records, name="pick_records"),
    path("pick/people/", views.pick_people, name="pick_people"),
]

from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("teams/", views.TeamListView.as_view(), name="list"),
    path("teams/new/", views.TeamCreateView.as_view(), name="create"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="detail"),
    path("teams/<int:pk>/edit/", views.TeamUpdateView.as_view(), name="update"),
    path("teams/<int:pk>/duties/", views.DutiesEditView.as_view(), name="duties"),
    path("teams/<int:pk>/members/add/", views.MembershipAddView.as_view(), name="membership_add"),
    path(
        "teams/memberships/<int:pk>/edit/",
        views.MembershipEditView.as_view(),
        name="membership_edit",
    ),
    path("teams/memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("orders/", views.OrderListView.as_view(), name="order_list"),
    path("orders/new/", views.OrderCreateView.as_view(), name="order_create"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/edit/", views.OrderUpdateView.as_view(), name="order_update"),
    path("orders/<int:pk>/scan/", views.order_scan, name="order_scan"),
    path("directory/", views.DirectoryView.as_view(), name="directory"),
]

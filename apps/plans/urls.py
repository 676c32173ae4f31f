from django.urls import path

from .views import plans, progress

app_name = "plans"

urlpatterns = [
    # The plan of each fiscal year (B.E.), its rows and workflow.
    path("", plans.plan_list, name="list"),
    path("new/", plans.plan_create, name="create"),
    path("steps/", plans.steps_overview, name="steps"),
    path("<int:year>/", plans.plan_detail, name="detail"),
    path("<int:year>/edit/", plans.plan_update, name="update"),
    path("<int:year>/submit/", plans.plan_submit, name="submit"),
    path("<int:year>/approve/", plans.plan_approve, name="approve"),
    path("<int:year>/return/", plans.plan_return, name="return"),
    path("<int:year>/revise/", plans.plan_revise, name="revise"),
    path("<int:year>/history/", plans.plan_history, name="history"),
    path("<int:year>/action-plan.xlsx", plans.export_xlsx, name="export_xlsx"),
    path("<int:year>/action-plan.pdf", plans.export_pdf, name="export_pdf"),
    path("<int:year>/needs/new/", plans.need_create, name="need_create"),
    path("needs/<int:pk>/edit/", plans.need_update, name="need_update"),
    path("needs/<int:pk>/delete/", plans.need_delete, name="need_delete"),
    path("<int:year>/focus-areas/new/", plans.area_create, name="area_create"),
    path("focus-areas/<int:pk>/edit/", plans.area_update, name="area_update"),
    path("focus-areas/<int:pk>/delete/", plans.area_delete, name="area_delete"),
    path("<int:year>/desired-states/new/", plans.state_create, name="state_create"),
    path("desired-states/<int:pk>/edit/", plans.state_update, name="state_update"),
    path("desired-states/<int:pk>/delete/", plans.state_delete, name="state_delete"),
    path("<int:year>/activities/new/", plans.activity_create, name="activity_create"),
    path("activities/<int:pk>/", plans.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", plans.activity_update, name="activity_update"),
    path("activities/<int:pk>/delete/", plans.activity_delete, name="activity_delete"),
    # Progress.
    path("activities/<int:pk>/report/", progress.report_create, name="report_create"),
    path("reports/<int:pk>/delete/", progress.report_delete, name="report_delete"),
    path("evidence/<int:pk>/", progress.evidence, name="evidence"),
    path("<int:year>/progress/", progress.progress, name="progress"),
    path("<int:year>/progress/print/", progress.progress_print, name="progress_print"),
    path("<int:year>/progress/progress.xlsx", progress.progress_xlsx, name="progress_xlsx"),
]

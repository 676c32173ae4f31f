from django.urls import path

from .views import plans, progress

app_name = "plans"

urlpatterns = [
    # The plan of each fiscal year (B.E.), its rows and workflow.
    path("", plans.PlanListView.as_view(), name="list"),
    path("new/", plans.PlanCreateView.as_view(), name="create"),
    path("steps/", plans.StepsView.as_view(), name="steps"),
    path("<int:year>/", plans.PlanDetailView.as_view(), name="detail"),
    path("<int:year>/edit/", plans.PlanUpdateView.as_view(), name="update"),
    path("<int:year>/submit/", plans.plan_submit, name="submit"),
    path("<int:year>/approve/", plans.plan_approve, name="approve"),
    path("<int:year>/return/", plans.plan_return, name="return"),
    path("<int:year>/revise/", plans.plan_revise, name="revise"),
    path("<int:year>/history/", plans.PlanHistoryView.as_view(), name="history"),
    path(
        "<int:year>/action-plan.xlsx", plans.PlanExportView.as_view(kind="xlsx"), name="export_xlsx"
    ),
    path("<int:year>/action-plan.pdf", plans.PlanExportView.as_view(kind="pdf"), name="export_pdf"),
    path("<int:year>/needs/new/", plans.PartFormView.as_view(kind="need"), name="need_create"),
    path("needs/<int:pk>/edit/", plans.PartFormView.as_view(kind="need"), name="need_update"),
    path("needs/<int:pk>/delete/", plans.need_delete, name="need_delete"),
    path(
        "<int:year>/focus-areas/new/", plans.PartFormView.as_view(kind="area"), name="area_create"
    ),
    path("focus-areas/<int:pk>/edit/", plans.PartFormView.as_view(kind="area"), name="area_update"),
    path("focus-areas/<int:pk>/delete/", plans.area_delete, name="area_delete"),
    path(
        "<int:year>/desired-states/new/",
        plans.PartFormView.as_view(kind="state"),
        name="state_create",
    ),
    path(
        "desired-states/<int:pk>/edit/",
        plans.PartFormView.as_view(kind="state"),
        name="state_update",
    ),
    path("desired-states/<int:pk>/delete/", plans.state_delete, name="state_delete"),
    path(
        "<int:year>/activities/new/",
        plans.PartFormView.as_view(kind="activity"),
        name="activity_create",
    ),
    path("activities/<int:pk>/", plans.ActivityDetailView.as_view(), name="activity"),
    path(
        "activities/<int:pk>/edit/",
        plans.PartFormView.as_view(kind="activity"),
        name="activity_update",
    ),
    path("activities/<int:pk>/delete/", plans.activity_delete, name="activity_delete"),
    # Progress.
    path("activities/<int:pk>/report/", progress.ReportCreateView.as_view(), name="report_create"),
    path("reports/<int:pk>/delete/", progress.report_delete, name="report_delete"),
    path("evidence/<int:pk>/", progress.EvidenceView.as_view(), name="evidence"),
    path("<int:year>/progress/", progress.ProgressView.as_view(), name="progress"),
    path("<int:year>/progress/remind/", progress.progress_remind, name="progress_remind"),
    path("<int:year>/progress/print/", progress.ProgressPrintView.as_view(), name="progress_print"),
    path(
        "<int:year>/progress/progress.pdf", progress.ProgressPdfView.as_view(), name="progress_pdf"
    ),
    path(
        "<int:year>/progress/progress.xlsx",
        progress.ProgressExportView.as_view(),
        name="progress_xlsx",
    ),
]

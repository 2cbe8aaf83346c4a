from django.urls import path

from . import views

R = "projects/<str:code>/status-reports/"

urlpatterns = [
    path(R, views.report_list, name="report-list"),
    path(R + "setup/", views.report_setup, name="report-setup"),
    path(R + "start/", views.report_start, name="report-start"),
    path(R + "<int:pk>/", views.report_detail, name="report-detail"),
    path(R + "<int:pk>/edit/", views.report_edit, name="report-edit"),
    path(R + "<int:pk>/submit/", views.report_submit, name="report-submit"),
    path(R + "<int:pk>/review/", views.report_review, name="report-review"),
    path(R + "<int:pk>/publish/", views.report_publish, name="report-publish"),
    path(R + "<int:pk>/report.pdf", views.report_pdf_view, name="report-pdf"),
    path(R + "<int:pk>/trend.svg", views.report_trend_svg, name="report-trend-svg"),
    path("status-reports/", views.office_reports, name="office-reports"),
    path("status-reports/pack/<str:kind>/<str:start>.pdf", views.pack_view, name="report-pack"),
]

urlpatterns += [
    path("portfolio/dashboard/", views.portfolio_dashboard, name="portfolio-dashboard"),
    path("portfolio/dashboard/<slug:chart>.<slug:fmt>", views.dashboard_chart,
         name="dashboard-chart"),
    path("programmes/<str:code>/", views.programme_page, name="programme"),
    path("programmes/<str:code>/roadmap.<slug:fmt>", views.programme_chart,
         name="programme-roadmap"),
]

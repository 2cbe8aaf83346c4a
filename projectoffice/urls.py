from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from projectoffice.api import api
from projectoffice.assurance.urls import urlpatterns as assurance_urls
from projectoffice.background.urls import urlpatterns as background_urls
from projectoffice.controls import views as control_views
from projectoffice.documents.urls import urlpatterns as document_urls
from projectoffice.facilities.urls import urlpatterns as facility_urls
from projectoffice.finance import views as finance_views
from projectoffice.health import healthz, readyz
from projectoffice.jobs.urls import urlpatterns as job_urls
from projectoffice.meetings.urls import urlpatterns as meeting_urls
from projectoffice.notices.urls import urlpatterns as notice_urls
from projectoffice.people.urls import urlpatterns as people_urls
from projectoffice.planning import task_info
from projectoffice.planning import views as plan_views
from projectoffice.portfolio import views as portfolio_views
from projectoffice.registers import views as register_views
from projectoffice.resources import capacity_views
from projectoffice.resources import views as resource_views
from projectoffice.search import views as search_views
from projectoffice.shell import password_views, sso_views, twofactor_views, views
from projectoffice.timesheets import views as timesheet_views
from projectoffice.timesheets import week_views as timesheet_week
from projectoffice.work.urls import urlpatterns as work_urls

ITEM = "projects/<str:code>/<slug:register>/<str:ref>/"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", twofactor_views.login_code, name="login-code"),
    path("login/forgotten/", password_views.forgotten, name="password-forgotten"),
    path("login/password/<str:uidb64>/<str:token>/", password_views.set_password,
         name="password-set"),
    path("login/sso/", sso_views.oidc_start, name="login-oidc"),
    path("login/sso/callback/", sso_views.oidc_callback, name="login-oidc-callback"),
    path("account/two-factor/", twofactor_views.two_factor, name="two-factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("projects/", views.portfolio, name="portfolio"),
    path("actions/mine/", views.my_actions, name="my-actions"),
    path("actions/overdue/", views.overdue_actions, name="overdue-actions"),
    path("audit/", views.audit, name="audit"),
    path("raid/", control_views.raid, name="raid"),
    path("notifications/", register_views.notifications, name="notifications"),
    path("projects/new/", portfolio_views.project_create, name="project-create"),
    path("health-thresholds/", portfolio_views.health_thresholds, name="health-thresholds"),
    path("projects/<str:code>/", views.project_overview, name="project"),
    path("projects/<str:code>/edit/", portfolio_views.project_edit, name="project-edit"),
    path("projects/<str:code>/members/", views.add_member, name="project-add-member"),
    path("projects/<str:code>/members/<int:membership_id>/remove/", views.remove_member,
         name="project-remove-member"),
    path("projects/<str:code>/audit/", views.project_audit, name="project-audit"),
    path("projects/<str:code>/issues/<str:ref>/escalate/", control_views.escalate,
         name="issue-escalate"),
    path("projects/<str:code>/risk-overview/", control_views.risk_overview,
         name="risk-overview"),
    path("projects/<str:code>/controls/", control_views.project_controls_page,
         name="project-controls"),
    path("projects/<str:code>/changes/<str:ref>/edits/", control_views.change_edit_add,
         name="change-edit-add"),
    path("projects/<str:code>/changes/<str:ref>/edits/<int:row>/remove/",
         control_views.change_edit_remove, name="change-edit-remove"),
    path("projects/<str:code>/changes/<str:ref>/assess/", control_views.change_assess,
         name="change-assess"),
    path("plans/master/", plan_views.master_page, name="plan-master"),
    path("plans/master/tasks/", plan_views.master_tasks, name="plan-master-tasks"),
    path("projects/<str:code>/plan/", plan_views.plan_page, name="plan"),
    path("projects/<str:code>/plan/cell/", plan_views.edit_cell, name="plan-cell"),
    path("projects/<str:code>/plan/layout/", plan_views.save_layout, name="plan-layout"),
    path("projects/<str:code>/plan/tasks/<int:uid>/", task_info.task_info,
         name="plan-task-info"),
    path("projects/<str:code>/resources/task/<int:uid>/", resource_views.task_resources,
         name="task-resources"),
    path("projects/<str:code>/plan/op/", plan_views.row_op, name="plan-op"),
    path("projects/<str:code>/plan/toggle/", plan_views.toggle, name="plan-toggle"),
    path("projects/<str:code>/plan/rows/", plan_views.plan_rows, name="plan-rows"),
    path("projects/<str:code>/plan/settings/", plan_views.plan_settings, name="plan-settings"),
    path("projects/<str:code>/plan/variance/", plan_views.variance_page, name="plan-variance"),
    path("projects/<str:code>/plan/calendar/", plan_views.calendar_page, name="plan-calendar"),
    path("projects/<str:code>/plan/import/", plan_views.import_page, name="plan-import"),
    path("projects/<str:code>/plan/export/<str:fmt>/", plan_views.export, name="plan-export"),
    path("", include("projectoffice.schedulerisk.urls")),
    path("projects/<str:code>/resources/", resource_views.resources_page, name="resources"),
    path("projects/<str:code>/plan/levelling/", resource_views.levelling_page,
         name="plan-levelling"),
    path("projects/<str:code>/plan/levelling/apply/", resource_views.levelling_post,
         name="plan-levelling-post"),
    path("projects/<str:code>/resources/edit/", resource_views.resources_post,
         name="resources-post"),
    path("projects/<str:code>/timesheets/", timesheet_views.timesheet_page, name="timesheets"),
    path("projects/<str:code>/timesheets/save/", timesheet_views.timesheet_post,
         name="timesheet-post"),
    path("projects/<str:code>/timesheets/import/", timesheet_views.timesheet_import,
         name="timesheet-import"),
    path("timesheets/status/", timesheet_views.submission_status_page, name="timesheet-status"),
    path("timesheets/week/", timesheet_week.week_page, name="timesheet-week"),
    path("timesheets/week/save/", timesheet_week.week_post, name="timesheet-week-post"),
    path("timesheets/week/tasks/", timesheet_week.week_tasks, name="timesheet-week-tasks"),
    path("timesheets/parts/<int:timesheet_id>/", timesheet_week.part_page,
         name="timesheet-part"),
    path("timesheets/parts/<int:timesheet_id>/decide/", timesheet_week.part_decide,
         name="timesheet-part-decide"),
    path("projects/<str:code>/timesheets/<int:timesheet_id>/decide/",
         timesheet_views.timesheet_decide, name="timesheet-decide"),
    path("projects/<str:code>/timesheets/<int:timesheet_id>/adjust/",
         timesheet_views.timesheet_adjust, name="timesheet-adjust"),
    path("projects/<str:code>/finance/", finance_views.finance_page, name="finance"),
    path("projects/<str:code>/finance/edit/", finance_views.finance_post, name="finance-post"),
    path("projects/<str:code>/finance/new/<slug:kind>/", finance_views.finance_new,
         name="finance-new"),
    path("projects/<str:code>/finance/cash-flow/", finance_views.cash_flow_page,
         name="finance-cash-flow"),
    path("projects/<str:code>/finance/cash-flow.csv", finance_views.cash_flow_csv,
         name="finance-cash-flow-csv"),
    path("earned-value/", finance_views.rollup_page, name="ev-rollup"),
    path("finance/cash-flow/", finance_views.cash_flow_rollup_page, name="cash-flow-rollup"),
    path("benefits/", finance_views.benefits_rollup_page, name="benefits-rollup"),
    path("projects/<str:code>/benefits/<str:ref>/measure/", finance_views.benefit_measure,
         name="benefit-measure"),
    path("programmes/<str:code>/earned-value/", finance_views.rollup_page,
         name="programme-ev"),
    path("portfolios/<int:pid>/earned-value/", finance_views.rollup_page, name="portfolio-ev"),
    path("finance/exchange-rates/", finance_views.exchange_rates_page, name="exchange-rates"),
    path("capacity/", capacity_views.capacity_page, name="capacity"),
    path("capacity/<str:username>/<str:week>/", capacity_views.capacity_cell,
         name="capacity-cell"),
    path("people/<str:username>/load/", capacity_views.capacity_person, name="capacity-person"),
    path("search/", search_views.search_page, name="search"),
    *document_urls,
    *meeting_urls,
    *people_urls,
    *facility_urls,
    *notice_urls,
    *job_urls,
    *background_urls,
    *work_urls,
    path("", include("projectoffice.engagement.urls")),
    path("", include("projectoffice.training.urls")),
    path("", include("projectoffice.orgdesign.urls")),
    path("", include("projectoffice.reports.urls")),
    path("", include("projectoffice.reportbuilder.urls")),
    *assurance_urls,
    path("", include("projectoffice.support.urls")),
    path("", include("projectoffice.architecture.urls")),
    path("", include("projectoffice.infosec.urls")),
    path("", include("projectoffice.datamgmt.urls")),
    path("", include("projectoffice.website.urls")),
    path("projects/<str:code>/services/<slug:service>/", register_views.service_hub,
         name="service-hub"),
    path("projects/<str:code>/<slug:register>/", register_views.item_list,
         name="register-list"),
    path("projects/<str:code>/<slug:register>/new/", register_views.item_create,
         name="register-create"),
    path("projects/<str:code>/<slug:register>/import/", register_views.item_import,
         name="register-import"),
    path(ITEM, register_views.item_detail, name="register-item"),
    path(ITEM + "edit/", register_views.item_edit, name="register-edit"),
    path(ITEM + "move/", register_views.item_transition, name="register-transition"),
    path(ITEM + "comment/", register_views.item_comment, name="register-comment"),
    path(ITEM + "attach/", register_views.item_attach, name="register-attach"),
    path(ITEM + "link/", register_views.item_link, name="register-link"),
    path(ITEM + "attachments/<int:attachment_id>/", register_views.item_download,
         name="register-download"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "projectoffice.web.errors.not_found"
handler403 = "projectoffice.web.errors.forbidden"

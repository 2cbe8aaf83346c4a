"""The Reporting service: a project's status reports, as one entry in its navigation."""

from projectoffice.registers.services import Service, ServicePage, register_service

REPORTING = register_service(Service(
    key="reporting", label="Reporting",
    description="Status reports per reporting period: written by the project manager, "
                "reviewed and published by the Project Office, e-mailed as PDF; "
                "saved reports shared with the project.",
    order=40,
    pages=(ServicePage("Status reports", "report-list", "project.view",
                       "This period's report and the history of published reports"),
           ServicePage("Saved reports", "project-saved-reports", "project.view",
                       "Report-builder tables shared with the project: any register or "
                       "list with chosen columns, filters, grouping and totals"))))

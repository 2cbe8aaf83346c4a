"""Demo saved reports: the office's open risks by project (e-mailed weekly to the
investment board), the open milestones of every plan, invoices totalled by currency, and
a project manager's report shared with their project."""

from __future__ import annotations

from projectoffice.accounts.models import User
from projectoffice.portfolio.models import Project

from .actions import ReportInput, create_report


def demo_saved_reports(pmo: User) -> None:
    office_reports = [
        ReportInput(
            name="Open risks by project", source="risks",
            description="Every open risk of the portfolio, worst first, e-mailed to the "
                        "investment board on Mondays.",
            columns=["reference", "title", "owner", "status", "residual_score"],
            filters=[{"field": "status", "op": "ne", "value": "Closed"}],
            group_by="project", sort="-residual_score", scope="office", schedule="weekly",
            recipients=["investment-board@example.org"], export_format="pdf"),
        ReportInput(
            name="Invoices by currency", source="invoices",
            description="What the suppliers have invoiced, totalled per currency (each "
                        "reader sees the invoices of the projects whose costs they see).",
            columns=["project", "supplier", "number", "date", "amount", "status"],
            group_by="currency", totals=["amount"], sort="-date", scope="office",
            schedule="monthly", recipients=["finance@example.org"], export_format="xlsx"),
        ReportInput(
            name="Milestones still open", source="tasks",
            columns=["project", "name", "finish", "critical", "total_float"],
            filters=[{"field": "milestone", "op": "eq", "value": "yes"},
                     {"field": "percent_complete", "op": "lt", "value": "100"}],
            group_by="project", sort="finish", scope="office"),
    ]
    for data in office_reports:
        create_report(actor=pmo, data=data)
    project = Project.objects.filter(plan__isnull=False, manager__isnull=False) \
        .select_related("manager").order_by("pk").first()
    if project is not None and project.manager is not None:
        create_report(actor=project.manager, data=ReportInput(
            name=f"{project.code}: open actions by assignee", source="actions",
            columns=["reference", "title", "status", "due_date"],
            filters=[{"field": "status", "op": "ne", "value": "Done"}],
            group_by="assignee", sort="due_date", scope="project", project=project))

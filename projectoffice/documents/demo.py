"""Demo documents for one project: versions in every review state, a check-out and a
distribution list. Written through the actions, like the rest of the demo."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from projectoffice.accounts.models import User
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as register_actions

from . import actions
from .models import Document, DocumentTemplate, DocumentVersion
from .registers import DOCUMENTS


def _pdf(title: str, lines: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(pdf.epw, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for line in lines:
        pdf.multi_cell(pdf.epw, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _new(project: Project, actor: User, title: str, doc_type: str, owner: User,
         description: str, today: date) -> Document:
    document = register_actions.create_item(
        actor=actor, spec=DOCUMENTS, project=project, today=today,
        data={"title": title, "doc_type": doc_type, "owner": owner,
              "description": description})
    assert isinstance(document, Document)
    return document


def _upload(document: Document, who: User, name: str, data: bytes,
            note: str = "") -> DocumentVersion:
    document = Document.objects.get(pk=document.pk)
    return actions.upload_version(actor=who, document=document,
                                  upload=SimpleUploadedFile(name, data), note=note)


def _review(version: DocumentVersion, by: User, reviewers: list[User],
            decisions: list[tuple[User, str, str]]) -> DocumentVersion:
    version = actions.submit_for_review(actor=by, doc_version=version, reviewers=reviewers,
                                        version=version.version)
    for person, decision, comment in decisions:
        version = actions.decide_review(actor=person, doc_version=version, decision=decision,
                                        comment=comment, version=version.version)
    return version


LETTER = """# {{ subject }}

{{ today }}

Dear {{ recipient }},

I am writing on behalf of the {{ project.name }} project ({{ project.code }}), which runs from
{{ project.start_date }} to {{ project.finish_date }} under the sponsorship of
{{ project.sponsor }}.

Please reply to me or to the project manager, {{ project.manager }}.

Yours sincerely,

{{ author }}
Project Office"""

BRIEF = """# {{ project.name }}: project brief

Customer: {{ project.customer }}
Programme: {{ project.programme }}
Project manager: {{ project.manager }}

# Background

# Objectives

# Scope and exclusions

# Constraints and assumptions"""


def _templates(pmo: User) -> list[DocumentTemplate]:
    found = list(DocumentTemplate.objects.filter(project=None))
    if found:
        return found
    return [actions.create_document_template(actor=pmo, project=None, name="Formal letter",
                                             kind="letter", doc_type="LET", body=LETTER),
            actions.create_document_template(actor=pmo, project=None, name="Project brief",
                                             kind="document", doc_type="PLN", body=BRIEF)]


def demo_documents(project: Project, manager: User, people: dict[str, User],
                   today: date) -> None:
    erin, george, nina = people["erin"], people["george"], people["nina"]
    name = project.name
    letter = _templates(people["pmo"])[0]
    actions.create_from_template(actor=erin, project=project, template=letter,
                                 title="Letter to the supplier about the re-plan",
                                 recipient="Sam Reid, Northwind Supplies",
                                 subject="Revised delivery plan", today=today)

    pmp = _new(project, erin, "Project management plan", "PLN", manager,
               "How the project is organised, planned, controlled and closed.", today)
    v1 = _upload(pmp, manager, "project-management-plan.md", (
        f"# {name}: project management plan\n\nGovernance: the project board meets "
        "monthly. Tolerances: two weeks on time, five per cent on cost.\n").encode())
    _review(v1, manager, [george], [(george, "approved", "")])
    v2 = _upload(pmp, manager, "project-management-plan.md", (
        f"# {name}: project management plan, issue 2\n\nGovernance: the project board "
        "meets monthly; a weekly checkpoint with the team leads. Tolerances: two weeks on "
        "time, five per cent on cost. Quality reviews follow the quality register.\n")
        .encode(), note="Adds weekly checkpoints and quality reviews")
    _review(v2, manager, [george, nina],
            [(george, "approved", "Quality section is clear."), (nina, "approved", "")])

    case = _new(project, erin, "Business case", "RPT", manager,
                "Costs, benefits and risks that justify the investment.", today)
    c1 = _upload(case, manager, "business-case.txt", (
        f"Business case for {name}. Benefits: lower cost to serve, faster response. "
        "Payback within three years.\n").encode())
    _review(c1, manager, [george], [(george, "approved", "")])
    c2 = _upload(case, manager, "business-case.txt", (
        f"Business case for {name}, refreshed after the supplier re-plan. Benefits: lower "
        "cost to serve. Payback within three and a half years.\n").encode(),
        note="Refreshed after the supplier re-plan")
    _review(c2, manager, [george, people["exec"]], [])

    tests = _new(project, people["hana"], "Test strategy", "SPC", people["hana"],
                 "Levels of testing, environments and acceptance criteria.", today)
    t1 = _upload(tests, people["hana"], "test-strategy.txt",
                 b"Test strategy: unit, integration, system and user acceptance testing.\n")
    _review(t1, people["hana"], [george],
            [(george, "rejected", "Performance testing and the regression pack are missing.")])
    _upload(tests, people["hana"], "test-strategy.txt",
            b"Test strategy: unit, integration, system, performance and user acceptance "
            b"testing, with an automated regression pack.\n",
            note="Adds performance testing and the regression pack")

    comms = _new(project, erin, "Communications plan", "PLN", people["julia"],
                 "Who hears what, when and how.", today)
    _upload(comms, people["julia"], "communications-plan.txt",
            b"Communications plan: monthly newsletter, briefing packs for team leaders, "
            b"go-live announcement.\n")
    comms = Document.objects.get(pk=comms.pk)
    actions.check_out_document(actor=people["julia"], document=comms, version=comms.version)

    report = _new(project, erin, "Highlight report", "RPT", manager,
                  "The monthly highlight report to the project board.", today)
    r1 = _upload(report, manager, "highlight-report.pdf", _pdf(
        f"{name}: highlight report", [
            "Status: amber. The supplier delivery slipped by two weeks; a recovery plan "
            "is agreed.", "Next period: complete the integration test and the cut-over "
            "rehearsal."]))
    _review(r1, manager, [nina], [(nina, "approved", "")])
    report = Document.objects.get(pk=report.pk)
    for username in ("quinn", "farah", "julia"):
        actions.add_recipient(actor=erin, document=report, user=people[username])
    actions.acknowledge_document(actor=people["quinn"], document=report)

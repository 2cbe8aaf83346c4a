"""Document control: numbering, versions, check-out, review, approval and supersession."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projectoffice.audit.models import AuditEntry
from projectoffice.documents import actions
from projectoffice.documents.models import Document, DocumentVersion, VersionState
from projectoffice.documents.registers import DOCUMENTS
from projectoffice.errors import Conflict, Forbidden, InvalidInput, StaleVersion
from projectoffice.registers import actions as register_actions


def upload(office: Any, who: Any = None, name: str = "plan.txt",
           data: bytes = b"The plan") -> DocumentVersion:
    return actions.upload_version(actor=who or office.pm, document=office.document,
                                  upload=SimpleUploadedFile(name, data))


def fresh(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def approve(version: DocumentVersion, submitter: Any, reviewers: list[Any]) -> DocumentVersion:
    version = actions.submit_for_review(actor=submitter, doc_version=version,
                                        reviewers=reviewers, version=version.version)
    for person in reviewers:
        version = actions.decide_review(actor=person, doc_version=fresh(version),
                                        decision="approved", version=fresh(version).version)
    return version


def test_documents_are_numbered_per_project_and_type(office: Any) -> None:
    assert office.document.code == "MTX-PLN-001"
    second = register_actions.create_item(actor=office.pm, spec=DOCUMENTS,
                                          project=office.project,
                                          data={"title": "Test plan", "doc_type": "PLN"})
    report = register_actions.create_item(actor=office.pm, spec=DOCUMENTS,
                                          project=office.project,
                                          data={"title": "Highlight", "doc_type": "RPT"})
    assert (second.code, report.code) == ("MTX-PLN-002", "MTX-RPT-001")


def test_approval_makes_the_version_current_and_supersedes_the_previous(office: Any) -> None:
    qm = office.members["quality_manager"]
    arch = office.members["architect"]
    v1 = approve(upload(office), office.pm, [qm])
    assert v1.state == VersionState.APPROVED
    assert fresh(office.document).current_version == v1

    v2 = upload(office, data=b"The plan, revised")
    v2 = actions.submit_for_review(actor=office.pm, doc_version=v2, reviewers=[qm, arch],
                                   version=v2.version)
    v2 = actions.decide_review(actor=qm, doc_version=v2, decision="approved",
                               version=v2.version)
    assert v2.state == VersionState.IN_REVIEW  # the architect has not decided yet
    assert fresh(office.document).current_version == v1
    v2 = actions.decide_review(actor=arch, doc_version=v2, decision="approved",
                               version=v2.version)
    document = fresh(office.document)
    assert (v2.state, fresh(v1).state) == (VersionState.APPROVED, VersionState.SUPERSEDED)
    assert document.current_version == v2 and document.review_state == "approved"
    # Every version stays downloadable with its own fingerprint.
    assert fresh(v1).file.open("rb").read() == b"The plan"
    assert AuditEntry.objects.filter(verb="approved", object_id=document.pk).count() == 3


def test_rejection_needs_a_reason_and_keeps_the_current_version(office: Any) -> None:
    qm = office.members["quality_manager"]
    v1 = approve(upload(office), office.pm, [qm])
    v2 = upload(office, data=b"Worse plan")
    v2 = actions.submit_for_review(actor=office.pm, doc_version=v2, reviewers=[qm],
                                   version=v2.version)
    with pytest.raises(InvalidInput) as err:
        actions.decide_review(actor=qm, doc_version=v2, decision="rejected",
                              version=v2.version)
    assert "comment" in err.value.errors
    v2 = actions.decide_review(actor=qm, doc_version=v2, decision="rejected",
                               comment="Budget section missing", version=v2.version)
    assert v2.state == VersionState.REJECTED
    assert fresh(office.document).current_version == v1


def test_only_named_reviewers_decide_and_racing_decisions_conflict(office: Any) -> None:
    qm = office.members["quality_manager"]
    arch = office.members["architect"]
    v1 = upload(office)
    v1 = actions.submit_for_review(actor=office.pm, doc_version=v1, reviewers=[qm, arch],
                                   version=v1.version)
    with pytest.raises(Forbidden):
        actions.decide_review(actor=office.members["planner"], doc_version=v1,
                              decision="approved", version=v1.version)
    read_by_both = v1.version
    actions.decide_review(actor=qm, doc_version=v1, decision="approved", version=read_by_both)
    with pytest.raises(StaleVersion):
        actions.decide_review(actor=arch, doc_version=v1, decision="approved",
                              version=read_by_both)
    assert fresh(v1).state == VersionState.IN_REVIEW
    assert fresh(v1).reviews.get(reviewer=arch).decision == "pending"


def test_versions_are_immutable(office: Any) -> None:
    v = upload(office)
    v.sha256 = "0" * 64
    with pytest.raises(ValueError, match="immutable"):
        v.save()
    with pytest.raises(ValueError, match="history"):
        fresh(v).delete()


def test_check_out_blocks_others_until_checked_in(office: Any) -> None:
    planner = office.members["planner"]
    doc = actions.check_out_document(actor=office.pm, document=office.document,
                                     version=office.document.version)
    with pytest.raises(Conflict):
        actions.check_out_document(actor=planner, document=doc, version=doc.version)
    with pytest.raises(Conflict) as err:
        upload(office, who=planner)
    assert "checked out by" in err.value.message
    assert not DocumentVersion.objects.exists()
    upload(office)  # the holder's upload checks the document in
    doc = fresh(office.document)
    assert doc.checked_out_by is None
    upload(office, who=planner, data=b"second")
    assert doc.versions.count() == 2


@pytest.mark.parametrize(("name", "data", "message"), [
    ("run.exe", b"MZ", "not accepted"),
    ("C:\\Users\\erin\\plan.txt", b"x", "without folders"),
    ("empty.txt", b"", "empty"),
])
def test_bad_uploads_are_refused_and_nothing_is_kept(office: Any, name: str, data: bytes,
                                                     message: str) -> None:
    file = SimpleUploadedFile("x.txt", data)
    file.name = name  # as a client could send it, before any clean-up
    with pytest.raises(InvalidInput) as err:
        actions.upload_version(actor=office.pm, document=office.document, upload=file)
    assert message in err.value.message and "file" in err.value.errors
    assert not DocumentVersion.objects.exists()


def test_upload_over_the_size_limit_is_refused(office: Any, settings: Any) -> None:
    settings.PMO_MAX_ATTACHMENT_BYTES = 10
    with pytest.raises(InvalidInput, match="larger than"):
        upload(office, data=b"x" * 11)


def test_stakeholder_cannot_upload(office: Any) -> None:
    with pytest.raises(Forbidden):
        upload(office, who=office.members["stakeholder"])


def test_text_is_extracted_from_docx(office: Any) -> None:
    buffer = io.BytesIO()
    word = docx.Document()
    word.add_paragraph("Cut-over rehearsal with the zebrafish team")
    word.save(buffer)
    v = upload(office, name="plan.docx", data=buffer.getvalue())
    assert "zebrafish" in v.text


def test_distribution_and_read_acknowledgement(office: Any) -> None:
    qm = office.members["quality_manager"]
    approve(upload(office), office.pm, [qm])
    stakeholder = office.members["stakeholder"]
    document = fresh(office.document)
    actions.add_recipient(actor=office.pm, document=document, user=stakeholder)
    with pytest.raises(Forbidden):
        actions.acknowledge_document(actor=office.members["planner"], document=document)
    ack = actions.acknowledge_document(actor=stakeholder, document=document)
    assert ack.version == document.current_version
    with pytest.raises(Conflict):
        actions.acknowledge_document(actor=stakeholder, document=document)


def test_document_pages(office: Any, client: Any) -> None:
    from tests.conftest import PASSWORD

    upload(office)
    client.login(username=office.pm.username, password=PASSWORD)
    page = client.get(f"/projects/MTX/documents/{office.document.reference}/")
    assert page.status_code == 200 and b"MTX-PLN-001" in page.content
    assert b"Send for review" in page.content
    got = client.get(f"/projects/MTX/documents/{office.document.reference}/v1/")
    assert b"".join(got.streaming_content) == b"The plan"
    assert Document.objects.count() == 1
    assert client.get("/projects/MTX/documents/templates/").status_code == 200


def test_document_from_a_letter_template(office: Any) -> None:
    import datetime as dt

    from projectoffice.documents.models import DocumentTemplate

    admin = office.members["administrator"]
    with pytest.raises(Forbidden):  # office-wide templates are for the PMO manager
        actions.create_document_template(actor=admin, project=None, name="x", kind="letter",
                                         doc_type="LET", body="x")
    with pytest.raises(InvalidInput) as err:
        actions.create_document_template(actor=office.pm, project=office.project, name="Bad",
                                         kind="letter", doc_type="LET",
                                         body="{{ settings.SECRET_KEY }}")
    assert "body" in err.value.errors
    letter = actions.create_document_template(
        actor=office.pmo, project=None, name="Supplier letter", kind="letter", doc_type="LET",
        body="# {{ subject }}\n\nDear {{ recipient }},\n\n{{ project.name }} "
             "({{ project.code }}) starts on {{ project.start_date }}.\n\n{{ author }}")
    document = actions.create_from_template(
        actor=office.pm, project=office.project, template=letter, title="Kick-off letter",
        recipient="Sam Reid", subject="Kick-off", today=dt.date(2026, 1, 2))
    assert document.code == "MTX-LET-001" and document.versions.count() == 1
    text = document.versions.get().text
    assert "Dear Sam Reid" in text and "Matrix project (MTX) starts on 05 January 2026" in text
    assert DocumentTemplate.objects.count() == 1


def test_a_team_member_drafts_a_document_and_sends_it_for_review(office: Any,
                                                                 api_as: Any) -> None:
    member = office.members["team_member"]
    api = api_as(member)
    r = api.post("/projects/MTX/documents", {"title": "Interface notes", "doc_type": "SPC"})
    assert r.status_code == 201, r.content
    ref = r.json()["reference"]
    document = Document.objects.get(project=office.project, title="Interface notes")
    version = actions.upload_version(actor=member, document=document,
                                     upload=SimpleUploadedFile("notes.txt", b"Notes"))
    # Reviewing one's own submission is not allowed; someone else reviews and approves.
    r = api.post(f"/projects/MTX/documents/{ref}/versions/1/review",
                 {"version": version.version, "reviewers": [member.username]})
    assert r.status_code == 422 and "own submission" in r.json()["errors"]["reviewers"][0]
    r = api.post(f"/projects/MTX/documents/{ref}/versions/1/review",
                 {"version": version.version, "reviewers": [office.pm.username]})
    assert r.status_code == 200 and r.json()["state"] == "in_review"
    r = api.post(f"/projects/MTX/documents/{ref}/versions/1/decision",
                 {"version": r.json()["version"], "decision": "approved"})
    assert r.status_code == 403
    r = api.post(f"/projects/MTX/documents/{ref}/transitions",
                 {"transition": "withdraw", "version": document.version})
    assert r.status_code == 403
    actions.decide_review(actor=office.pm, doc_version=fresh(version), decision="approved",
                          version=fresh(version).version)
    assert fresh(document).current_version_id == version.pk

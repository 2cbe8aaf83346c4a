"""The project's status page: its content is chosen by the project manager, it is published
under an unguessable link readable signed out, the link can be revoked (404 afterwards) and
the public page shows its chosen content and nothing else of the office."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from projectoffice.accounts.models import User
from projectoffice.architecture.registers import COMPONENTS
from projectoffice.documents import actions as document_actions
from projectoffice.documents.registers import DOCUMENTS
from projectoffice.errors import Forbidden, InvalidInput, StaleVersion
from projectoffice.registers import actions as kernel
from projectoffice.registers.spec import all_specs
from projectoffice.website import actions
from tests.conftest import Api, Office
from tests.planning.helpers import make_plan


def _component(office: Office, title: str, project: object = None, **extra: object) -> object:
    return kernel.create_item(actor=office.pmo, spec=COMPONENTS,
                              project=project or office.project,  # type: ignore[arg-type]
                              data={"title": title, **extra})


def _published(office: Office) -> tuple[object, str]:
    shown = _component(office, "Customer portal", technology="Hidden-Tech-Stack",
                       description="Internal design notes")
    page = actions.update_status_page(
        actor=office.pm, project=office.project, version=None,
        changes={"headline": "On track for the spring go-live",
                 "message": "Testing started this week.", "show_rag": True,
                 "show_milestones": True},
        components=[shown.reference])  # type: ignore[attr-defined]
    page = actions.publish_status_page(actor=office.pm, project=office.project)
    return page, f"/status/{page.token}/"


def test_the_public_page_leaks_nothing_beyond_its_content(office: Office) -> None:
    make_plan(office)
    _component(office, "Billing engine")  # not chosen
    _component(office, "Other portal", project=office.other)
    page, url = _published(office)
    response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    # What was chosen is there…
    for shown in ("Matrix project", "On track for the spring go-live", "Testing started",
                  "Customer portal", "Release", "Green"):
        assert shown in text, shown
    # …and nothing else: no other project, register item, document or person.
    forbidden = {"MTX", "OTHER", "Other project", "Billing engine", "Other portal",
                 "Hidden-Tech-Stack", "Internal design notes", "Portfolio P", "PRG"}
    for spec in all_specs():
        for item in spec.model.objects.all():
            if item.title != "Customer portal":
                forbidden |= {item.title, item.reference}
    for user in User.objects.all():
        forbidden |= {user.username, user.display_name}
        if user.email:
            forbidden.add(user.email)
    leaks = sorted(word for word in forbidden if word and re.search(
        rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE))
    assert leaks == []
    # No way further into the office: no links, forms or scripts on the page.
    assert re.findall(r"<a\s", html) == [] and "<form" not in html and "<script" not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert len(page.token) >= 40  # type: ignore[attr-defined]


def test_publish_revoke_and_who_may(office: Office) -> None:
    with pytest.raises(Forbidden):
        actions.publish_status_page(actor=office.members["team_member"], project=office.project)
    _, url = _published(office)
    assert Client().get(url).status_code == 200
    assert Client().get(url[:-5] + "x/").status_code == 404
    # The web master may publish too; members read the page inside the office.
    member = Api(office.members["stakeholder"]).get("/projects/MTX/status-page").json()
    assert member["published"] is True and member["public_path"] is None
    web = Api(office.members["web_master"]).get("/projects/MTX/status-page").json()
    assert web["public_path"] == url
    revoked = Api(office.members["web_master"]).post("/projects/MTX/status-page/revoke")
    assert revoked.status_code == 200 and revoked.json()["published"] is False
    assert Client().get(url).status_code == 404
    with pytest.raises(InvalidInput):
        actions.revoke_status_page(actor=office.pm, project=office.project)
    again = actions.publish_status_page(actor=office.pm, project=office.project)
    assert f"/status/{again.token}/" != url and Client().get(url).status_code == 404


def test_bad_content_is_refused_with_nothing_written(office: Office) -> None:
    foreign = _component(office, "Other portal", project=office.other)
    api = Api(office.pm)
    response = api.patch("/projects/MTX/status-page", {
        "headline": "New", "components": [foreign.reference]})  # type: ignore[attr-defined]
    assert response.status_code == 422 and "components" in response.json()["errors"]
    assert api.get("/projects/MTX/status-page").json()["headline"] == ""
    ok = api.patch("/projects/MTX/status-page", {"headline": "Fine"})
    assert ok.status_code == 200
    stale = api.patch("/projects/MTX/status-page", {"version": 1, "headline": "Late"})
    assert stale.status_code == 409
    with pytest.raises(StaleVersion):
        actions.update_status_page(actor=office.pm, project=office.project, version=1,
                                   changes={"headline": "Late"})
    assert Api(office.members["team_member"]).patch(
        "/projects/MTX/status-page", {"headline": "Mine"}).status_code == 403


def approved_version(office: Office, title: str, data: bytes, project: object = None,
                     approve: bool = True) -> object:
    """A document with one version, approved by the project's quality manager (or by the
    other project's manager for OTHER)."""
    project = project or office.project
    owner = office.pm if project == office.project else office.outsider
    document = kernel.create_item(actor=owner, spec=DOCUMENTS, project=project,  # type: ignore[arg-type]
                                  data={"title": title, "doc_type": "RPT"})
    version = document_actions.upload_version(
        actor=owner, document=document,  # type: ignore[arg-type]
        upload=SimpleUploadedFile(f"{title.lower().replace(' ', '-')}.txt", data))
    if not approve:
        return version
    reviewer = office.members["quality_manager"] if project == office.project else office.pmo
    version = document_actions.submit_for_review(actor=owner, doc_version=version,
                                                 reviewers=[reviewer],
                                                 version=version.version)
    version.refresh_from_db()
    return document_actions.decide_review(actor=reviewer, doc_version=version,
                                          decision="approved", version=version.version)


def _programme_published(office: Office) -> tuple[object, str, object]:
    make_plan(office)
    _component(office, "Customer portal", technology="Hidden-Tech-Stack")
    actions.update_status_page(actor=office.pm, project=office.project, version=None,
                               changes={"headline": "On track for the spring go-live"},
                               components=[])
    report = approved_version(office, "Quarterly newsletter", b"Quarter news for all")
    approved_version(office, "Supplier contract terms", b"SECRET-CONTRACT")  # not chosen
    draft = approved_version(office, "Draft strategy", b"draft", approve=False)
    page = actions.update_programme_page(
        actor=office.pm, programme=office.programme, version=None,
        changes={"headline": "The programme is on course", "message": "Two releases due."},
        projects=["MTX"], documents=[report.pk])  # type: ignore[attr-defined]
    with pytest.raises(InvalidInput) as refused:  # only approved versions are published
        actions.update_programme_page(actor=office.pm, programme=office.programme,
                                      version=page.version, changes={},
                                      documents=[draft.pk])  # type: ignore[attr-defined]
    assert "documents" in refused.value.errors
    actions.post_status_announcement(actor=office.members["web_master"], page=page,
                                     title="Open day on the 12th",
                                     body="Come and see the new portal.")
    page = actions.publish_programme_page(actor=office.members["web_master"],
                                          programme=office.programme)
    return page, f"/status/{page.token}/", report


def test_the_programme_page_shows_its_chosen_content_and_leaks_nothing(
        office: Office) -> None:
    _page, url, report = _programme_published(office)
    response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    for shown in ("Programme status", "The programme is on course", "Two releases due",
                  "Matrix project", "On track for the spring go-live", "Green", "Release",
                  "Open day on the 12th", "Come and see the new portal",
                  "Quarterly newsletter"):
        assert shown in text, shown
    forbidden = {"OTHER", "Other project", "Hidden-Tech-Stack", "Portfolio P", "PRG",
                 "SECRET-CONTRACT", "web_master", "Web Master", "Customer portal"}
    for spec in all_specs():
        for item in spec.model.objects.all():
            if item.title != "Quarterly newsletter":
                forbidden |= {item.title, item.reference}
    for user in User.objects.all():
        forbidden |= {user.username, user.display_name}
    leaks = sorted(word for word in forbidden if word and re.search(
        rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE))
    assert leaks == []
    # The only links are the chosen document's download; no forms or scripts.
    links = re.findall(r'<a\s[^>]*href="([^"]+)"', html)
    assert links == [f"{url}documents/{report.pk}/"]  # type: ignore[attr-defined]
    assert "<form" not in html and "<script" not in html
    download = Client().get(links[0])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"Quarter news for all"  # type: ignore[attr-defined]
    # Any other version — of the same office, even approved — is not reachable from it.
    from projectoffice.documents.models import DocumentVersion
    for other in DocumentVersion.objects.exclude(pk=report.pk):  # type: ignore[attr-defined]
        assert Client().get(f"{url}documents/{other.pk}/").status_code == 404
    # Revoking the link: the page and its downloads answer 404.
    actions.revoke_programme_page(actor=office.pm, programme=office.programme)
    assert Client().get(url).status_code == 404
    assert Client().get(links[0]).status_code == 404


def test_the_programme_page_over_the_api_and_who_may_publish(office: Office) -> None:
    api = Api(office.members["web_master"])
    assert api.get("/programmes/PRG/status-page").json()["published"] is False
    chosen = api.patch("/programmes/PRG/status-page", {"headline": "All well",
                                                       "projects": ["MTX"]})
    assert chosen.status_code == 200, chosen.content
    assert chosen.json()["projects"] == ["MTX"]
    # A project outside the programme cannot be chosen; nothing is written.
    bad = api.patch("/programmes/PRG/status-page", {"version": chosen.json()["version"],
                                                    "headline": "Changed",
                                                    "projects": ["OTHER"]})
    assert bad.status_code == 422 and "projects" in bad.json()["errors"]
    assert api.get("/programmes/PRG/status-page").json()["headline"] == "All well"
    post = api.post("/programmes/PRG/status-page/announcements", {"title": "Launch"})
    assert post.status_code == 201
    assert api.post("/programmes/PRG/status-page/announcements",
                    {"title": ""}).status_code == 422
    published = api.post("/programmes/PRG/status-page/publish").json()
    assert published["public_path"].startswith("/status/")
    assert published["announcements"][0]["title"] == "Launch"
    assert Client().get(published["public_path"]).status_code == 200
    # Members read it without the link; others neither read nor publish it.
    reader = Api(office.members["stakeholder"]).get("/programmes/PRG/status-page").json()
    assert reader["public_path"] is None and reader["project_summaries"][0]["name"] == \
        "Matrix project"
    assert Api(office.members["team_member"]).post(
        "/programmes/PRG/status-page/revoke").status_code == 403
    assert Api(office.outsider).get("/programmes/PRG/status-page").status_code == 404
    with pytest.raises(Forbidden):
        actions.publish_programme_page(actor=office.staff, programme=office.programme)
    removed = api.post(f"/programmes/PRG/status-page/announcements/{post.json()['id']}/remove")
    assert removed.status_code == 204
    revoked = api.post("/programmes/PRG/status-page/revoke")
    assert revoked.status_code == 200 and revoked.json()["published"] is False
    assert Client().get(published["public_path"]).status_code == 404


def test_a_project_page_offers_announcements_and_documents(office: Office) -> None:
    report = approved_version(office, "Quarterly newsletter", b"news")
    foreign = approved_version(office, "Other plan", b"other", project=office.other)
    api = Api(office.pm)
    bad = api.patch("/projects/MTX/status-page", {"documents": [foreign.pk]})  # type: ignore[attr-defined]
    assert bad.status_code == 422 and "documents" in bad.json()["errors"]
    ok = api.patch("/projects/MTX/status-page", {"documents": [report.pk]})  # type: ignore[attr-defined]
    assert ok.status_code == 200 and ok.json()["documents"][0]["title"] == "Quarterly newsletter"
    assert api.post("/projects/MTX/status-page/announcements",
                    {"title": "Go-live moved to May"}).status_code == 201
    page = actions.publish_status_page(actor=office.pm, project=office.project)
    html = Client().get(f"/status/{page.token}/").content.decode()
    assert "Go-live moved to May" in html and "Quarterly newsletter" in html
    assert Client().get(f"/status/{page.token}/documents/{report.pk}/").status_code == 200  # type: ignore[attr-defined]
    assert Client().get(f"/status/{page.token}/documents/{foreign.pk}/").status_code == 404  # type: ignore[attr-defined]

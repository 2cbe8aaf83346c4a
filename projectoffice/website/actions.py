"""Writes of the website: choosing a status page's content (a project's, or a programme's),
posting its announcements, publishing it under an unguessable link and revoking that link."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.architecture.models import Component
from projectoffice.audit.actions import record_change, record_creation
from projectoffice.documents.models import DocumentVersion, VersionState
from projectoffice.editing import apply_changes
from projectoffice.errors import Forbidden, InvalidInput, NotFound
from projectoffice.portfolio.access import access_project, has_global, has_perm, visible_projects
from projectoffice.portfolio.models import Programme, Project

from .models import StatusAnnouncement, StatusPage

PUBLISH = "statuspage.publish"
FIELDS = ("headline", "message", "show_rag", "show_milestones")
PROGRAMME_FIELDS = ("headline", "message")


def programme_projects(user: User, programme: Programme) -> list[Project]:
    """The programme's projects the user sees; none means the programme reads as missing."""
    return list(visible_projects(user).filter(programme=programme).order_by("code"))


def may_publish_programme(user: User, programme: Programme) -> bool:
    """The programme's web master: its manager, whoever publishes office-wide (the Project
    Office manager), or who publishes the page of one of its projects (its project managers
    and web masters)."""
    if not user.is_authenticated:
        return False
    if has_global(user, PUBLISH) or programme.manager_id == user.pk:
        return True
    return any(has_perm(user, p, PUBLISH) for p in programme_projects(user, programme))


def access_programme(user: User, code: str, publish: bool = False) -> Programme:
    """The programme, when the user sees one of its projects (404 otherwise); `publish`
    also needs its web master (403)."""
    programme = Programme.objects.filter(code=code).first()
    if programme is None or not (programme_projects(user, programme)
                                 or has_global(user, "project.view")):
        raise NotFound(f"No programme {code!r}")
    if publish and not may_publish_programme(user, programme):
        raise Forbidden(f"You need the {PUBLISH!r} permission on {programme.code}")
    return programme


def _made(actor: User, project: Project | None = None,
          programme: Programme | None = None) -> tuple[StatusPage, bool]:
    """The page, made on first use; the actor must be allowed to publish it."""
    if programme is not None:
        access_programme(actor, programme.code, publish=True)
        page, made = StatusPage.objects.get_or_create(programme=programme)
    else:
        assert project is not None
        access_project(actor, project.code, PUBLISH)
        page, made = StatusPage.objects.get_or_create(project=project)
    if made:
        record_creation(actor=actor, obj=page, fields=FIELDS)
    return page, made


def require_publisher(actor: User, page: StatusPage) -> None:
    _made(actor, page.project, page.programme)


def _set_many(actor: User, page: StatusPage, name: str, label: str, before: list[str],
              after: list[str], rows: list[Any]) -> None:
    if sorted(before) != sorted(after):
        getattr(page, name).set(rows)
        StatusPage.objects.filter(pk=page.pk).update(version=page.version + 1)
        page.version += 1
        record_change(actor=actor, obj=page, verb="updated",
                      changes={label: [", ".join(before), ", ".join(after)]})


def _choose_components(actor: User, page: StatusPage, project: Project,
                       components: Sequence[str]) -> None:
    refs = [r.strip().upper() for r in components if r.strip()]
    found = list(Component.objects.filter(project=project, reference__in=refs)
                 .order_by("number"))
    missing = sorted(set(refs) - {c.reference for c in found})
    if missing:
        raise InvalidInput.field("components", f"no component {missing[0]} in {project.code}")
    _set_many(actor, page, "components", "components",
              list(page.components.values_list("reference", flat=True)),
              [c.reference for c in found], found)


def _choose_documents(actor: User, page: StatusPage, projects: list[Project],
                      documents: Sequence[int]) -> None:
    """Approved versions of documents of the page's project(s) that the actor may read."""
    readable = [p for p in projects if has_perm(actor, p, "document.view")]
    wanted = sorted({int(d) for d in documents})
    found = list(DocumentVersion.objects.filter(pk__in=wanted, project__in=readable)
                 .select_related("document").order_by("document__code", "number"))
    missing = sorted(set(wanted) - {v.pk for v in found})
    if missing:
        raise InvalidInput.field("documents", f"no document version {missing[0]} of "
                                 f"{', '.join(p.code for p in projects)} to choose")
    unapproved = [v for v in found if v.state not in (VersionState.APPROVED,
                                                      VersionState.SUPERSEDED)]
    if unapproved:
        raise InvalidInput.field("documents", f"{unapproved[0]} is not approved: only "
                                 "approved versions are published")
    _set_many(actor, page, "documents", "documents",
              [str(v) for v in page.documents.select_related("document")],
              [str(v) for v in found], found)


@transaction.atomic
def update_status_page(*, actor: User, project: Project, version: int | None,
                       changes: dict[str, Any],
                       components: Sequence[str] | None = None,
                       documents: Sequence[int] | None = None) -> StatusPage:
    """Sets what the project's page shows; `components` are references of the project's
    components (CMP-0003) and `documents` ids of approved document versions, each replacing
    the chosen ones. The first edit, which makes the page, needs no version; later ones send
    the version they read."""
    page, made = _made(actor, project)
    if made and version is None:
        version = page.version
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise InvalidInput.field(unknown[0], "is not part of the status page")
    saved = apply_changes(actor=actor, obj=page, expected_version=version, changes=changes,
                          editable=FIELDS)
    if components is not None:
        _choose_components(actor, saved, project, components)
    if documents is not None:
        _choose_documents(actor, saved, [project], documents)
    return saved


@transaction.atomic
def update_programme_page(*, actor: User, programme: Programme, version: int | None,
                          changes: dict[str, Any], projects: Sequence[str] | None = None,
                          documents: Sequence[int] | None = None) -> StatusPage:
    """Sets what the programme's page shows: a headline and message, which of its projects
    (by code; each shown with the content its own page chooses) and approved document
    versions of those projects."""
    page, made = _made(actor, programme=programme)
    if made and version is None:
        version = page.version
    unknown = sorted(set(changes) - set(PROGRAMME_FIELDS))
    if unknown:
        raise InvalidInput.field(unknown[0], "is not part of the programme's status page")
    saved = apply_changes(actor=actor, obj=page, expected_version=version, changes=changes,
                          editable=PROGRAMME_FIELDS)
    own = programme_projects(actor, programme)
    if projects is not None:
        codes = [c.strip().upper() for c in projects if c.strip()]
        found = [p for p in own if p.code in codes]
        missing = sorted(set(codes) - {p.code for p in found})
        if missing:
            raise InvalidInput.field("projects", f"no project {missing[0]} in "
                                     f"{programme.code}")
        _set_many(actor, saved, "projects", "projects",
                  list(saved.projects.values_list("code", flat=True)),
                  [p.code for p in found], found)
    if documents is not None:
        _choose_documents(actor, saved, own, documents)
    return saved


@transaction.atomic
def post_status_announcement(*, actor: User, page: StatusPage, title: str,
                             body: str = "") -> StatusAnnouncement:
    """Posts a dated announcement on the page (shown publicly once the page is published)."""
    require_publisher(actor, page)
    title, body = title.strip(), body.strip()
    if not title:
        raise InvalidInput.field("title", "give the announcement a title")
    if len(title) > 200:
        raise InvalidInput.field("title", "keep the title under 200 characters")
    if len(body) > 5000:
        raise InvalidInput.field("body", "keep the announcement under 5000 characters")
    post = StatusAnnouncement.objects.create(page=page, title=title, body=body,
                                             posted_at=timezone.now(), posted_by=actor)
    record_change(actor=actor, obj=page, verb="announced", changes={"announcement": [
        None, title]})
    return post


@transaction.atomic
def remove_status_announcement(*, actor: User, page: StatusPage, post_id: int) -> None:
    require_publisher(actor, page)
    post = StatusAnnouncement.objects.filter(page=page, pk=post_id).first()
    if post is None:
        raise NotFound(f"No announcement {post_id} on this page")
    record_change(actor=actor, obj=page, verb="announcement removed",
                  changes={"announcement": [post.title, None]})
    post.delete()


def _publish(actor: User, page: StatusPage) -> StatusPage:
    locked = StatusPage.objects.select_for_update().get(pk=page.pk)
    if locked.token:
        return locked
    locked.token = secrets.token_urlsafe(32)
    locked.published_at = timezone.now()
    locked.published_by = actor
    locked.version += 1
    locked.save(update_fields=["token", "published_at", "published_by", "version",
                               "updated_at"])
    record_change(actor=actor, obj=locked, verb="published", changes={"public link": [
        None, "published"]})
    return locked


def _revoke(actor: User, page: StatusPage) -> StatusPage:
    locked = StatusPage.objects.select_for_update().get(pk=page.pk)
    if not locked.token:
        raise InvalidInput.field("token", "the page has no public link to revoke")
    locked.token = ""
    locked.published_at = None
    locked.version += 1
    locked.save(update_fields=["token", "published_at", "version", "updated_at"])
    record_change(actor=actor, obj=locked, verb="revoked", changes={"public link": [
        "published", None]})
    return locked


@transaction.atomic
def publish_status_page(*, actor: User, project: Project) -> StatusPage:
    """Gives the page a public link (a new one if it had none); anyone holding it reads the
    page signed out."""
    return _publish(actor, _made(actor, project)[0])


@transaction.atomic
def revoke_status_page(*, actor: User, project: Project) -> StatusPage:
    """Revokes the public link: it answers 404 from now on; publishing again gives a new
    link. Members still read the page inside the office."""
    return _revoke(actor, _made(actor, project)[0])


@transaction.atomic
def publish_programme_page(*, actor: User, programme: Programme) -> StatusPage:
    return _publish(actor, _made(actor, programme=programme)[0])


@transaction.atomic
def revoke_programme_page(*, actor: User, programme: Programme) -> StatusPage:
    return _revoke(actor, _made(actor, programme=programme)[0])

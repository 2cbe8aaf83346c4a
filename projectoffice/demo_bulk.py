"""The large-portfolio demo loader: copies of the story projects, written in bulk.

`pmo demo --projects N` builds the eight story projects through the actions, one write at a
time, as a user would (each with its audit trail). A project built that way takes seconds,
so beyond the eight the demo copies them instead: project ``n`` is a copy of story project
``n % 8`` in "wave" ``n // 8`` — its plan, baselines, assignments, timesheets, budget,
costs, benefits and register items, every row the story project owns (what deleting the
project would delete), written with ``bulk_create`` in a few large statements.

Each wave is staffed by its own people (generated accounts with the same job titles as the
story team), so a person works on as many projects as the story team does and the capacity
of the office stays realistic. Documents, meetings, notifications and search entries are
not copied; the search index is rebuilt for the copies afterwards.

The audit history records each copy: one "create" entry per project, naming the story
project it was copied from and the rows written, by the Project Office manager who loaded
the demo. Dates are those of the story project (the copies run in step with it).
"""

from __future__ import annotations

import sys
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction

from projectoffice.accounts.models import User
from projectoffice.audit.models import AuditEntry, ProjectVersion
from projectoffice.portfolio.models import Project

# Rows a copy leaves out: office records of the story projects only, and derived rows.
# (A background run is the record of work someone started on the story project.)
SKIPPED_APPS = {"documents", "meetings", "background"}
SKIPPED_MODELS = {"registers.notification", "search.searchentry", "audit.auditentry",
                  # a copy's data version is its own audit entry; its figures are its own
                  "audit.projectversion", "finance.figuresmemo"}

FIRST_NAMES = ["Aisha", "Bruno", "Carmen", "Dev", "Elif", "Felix", "Grace", "Hugo", "Ines",
               "Jonas", "Keira", "Luca", "Maya", "Nikhil", "Olga", "Pablo", "Rhea", "Soren",
               "Tara", "Umar", "Vera", "Wes", "Xenia", "Yusuf", "Zara"]
LAST_NAMES = ["Abbott", "Bianchi", "Chen", "Dlamini", "Evans", "Fonseca", "Gallagher", "Horvat",
              "Iqbal", "Jensen", "Kaur", "Lindqvist", "Moreau", "Novak", "Osei", "Patel",
              "Quigley", "Reyes", "Schmidt", "Tanaka", "Underwood", "Varga", "Walsh", "Young"]


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


class ProjectGraph:
    """Every row one project owns, read once: the rows a copy writes again.

    A row is the project's when a key it cannot do without (or one that deletes it with
    its parent) leads to the project; a row that also needs a row outside the project (a
    link from another project's plan to one of this project's milestones) stays with the
    other project and is not copied."""

    def __init__(self, project: Project) -> None:
        rows: dict[type[models.Model], dict[Any, models.Model]] = defaultdict(dict)
        rows[Project][project.pk] = project
        frontier: dict[type[models.Model], set[Any]] = {Project: {project.pk}}
        while frontier:
            found: dict[type[models.Model], set[Any]] = defaultdict(set)
            for model, pks in frontier.items():
                for rel in model._meta.get_fields(include_hidden=True):
                    if not (rel.auto_created and not rel.concrete
                            and (rel.one_to_many or rel.one_to_one)):
                        continue
                    child = rel.related_model
                    field = getattr(rel, "field", None)
                    if child is None or field is None or _skipped(child) or not _owns(field):
                        continue
                    for obj in child._default_manager.filter(**{f"{field.name}__in": pks}):
                        if obj.pk not in rows[child]:
                            rows[child][obj.pk] = obj
                            found[child].add(obj.pk)
            frontier = dict(found)
        self.project = project
        self.rows = _self_contained(rows)

    def count(self) -> int:
        return sum(len(objs) for objs in self.rows.values())


def _skipped(model: type[models.Model]) -> bool:
    return model._meta.app_label in SKIPPED_APPS or _label(model) in SKIPPED_MODELS


def _owns(field: Any) -> bool:
    on_delete = getattr(field.remote_field, "on_delete", None)
    if on_delete is models.CASCADE:
        return True
    return on_delete in (models.PROTECT, models.RESTRICT) and not field.null


def _self_contained(rows: dict[type[models.Model], dict[Any, models.Model]]
                    ) -> dict[type[models.Model], list[models.Model]]:
    """Leaves out rows that need (by a key that cannot be empty) a row of a copied kind
    that is not copied, until none is left."""
    kept = {model: dict(objs) for model, objs in rows.items()}
    changed = True
    while changed:
        changed = False
        for model, objs in kept.items():
            checks = [f for f in model._meta.concrete_fields
                      if f.is_relation and not f.null and f.related_model in kept]
            for pk, obj in list(objs.items()):
                for f in checks:
                    value = getattr(obj, f.attname)
                    if value is not None and value not in kept[f.related_model]:  # type: ignore[index]
                        del objs[pk]
                        changed = True
                        break
    return {model: sorted(objs.values(), key=lambda o: o.pk)
            for model, objs in kept.items() if objs}


class Table:
    """One kind of row of a graph, each row's values as the database takes them, and how a
    copy changes them: its own keys, keys to the graph's other rows, the team, fresh UUIDs."""

    def __init__(self, model: type[models.Model], objs: list[models.Model]) -> None:
        self.model = model
        fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in fields]
        self.rows = [[f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields]
                     for o in objs]
        self.index = {o.pk: i for i, o in enumerate(objs)}
        self.fields = fields
        names = {f.name: i for i, f in enumerate(fields)}
        attnames = {f.attname: i for i, f in enumerate(fields)}
        self.gfks: list[tuple[int, int]] = []
        for gfk in model._meta.private_fields:
            if isinstance(gfk, GenericForeignKey):
                self.gfks.append((names[gfk.ct_field], attnames[gfk.fk_field]))
        for ct_name, fk_name in _loose_gfks(model):
            self.gfks.append((names[ct_name], attnames[fk_name]))


class ProjectCopier:
    """Writes copies of a few story projects with new keys handed out above each table's
    largest (the sequences are set past them at the end)."""

    def __init__(self, graphs: list[ProjectGraph]) -> None:
        self.tables = [{model: Table(model, objs) for model, objs in g.rows.items()}
                       for g in graphs]
        self.stories = [g.project for g in graphs]
        self.next: dict[type[models.Model], int] = {}
        for tables in self.tables:
            for model in tables:
                if model not in self.next:
                    top = model._default_manager.aggregate(top=models.Max("pk"))["top"]
                    self.next[model] = int(top or 0) + 1
        self.pending: dict[type[models.Model], list[list[Any]]] = defaultdict(list)
        self.written = 0

    def copy(self, story: int, *, code: str, name: str, users: dict[int, int]) -> int:
        """Queues one copy of story project `story`; returns the new project's id."""
        tables = self.tables[story]
        offset = {}
        for model, table in tables.items():
            offset[model] = self.next[model]
            self.next[model] += len(table.rows)
        ct_models = _content_types()
        for model, table in tables.items():
            plan: list[tuple[int, Table | None, int]] = []
            for i, f in enumerate(table.fields):
                if f.primary_key and not f.is_relation:
                    plan.append((i, tables[model], offset[model]))
                elif f.is_relation and f.related_model is User:
                    plan.append((i, None, 0))
                elif f.is_relation and f.related_model in tables:
                    target: Any = f.related_model
                    plan.append((i, tables[target], offset[target]))
            uuids = [i for i, f in enumerate(table.fields)
                     if f.unique and isinstance(f, models.UUIDField)]
            out = self.pending[model]
            for row in table.rows:
                new = list(row)
                for i, target_table, base in plan:
                    value = new[i]
                    if value is None:
                        continue
                    if target_table is None:
                        new[i] = users.get(value, value)
                    else:
                        at = target_table.index.get(value)
                        if at is not None:
                            new[i] = base + at
                for ct_i, id_i in table.gfks:
                    kind = ct_models.get(new[ct_i])
                    if kind is not None and kind in tables and new[id_i] is not None:
                        at = tables[kind].index.get(new[id_i])
                        if at is not None:
                            new[id_i] = offset[kind] + at
                for i in uuids:
                    new[i] = table.fields[i].get_db_prep_save(uuid.uuid4(), connection)
                out.append(new)
        project_table = tables[Project]
        row = self.pending[Project][-1]
        row[project_table.columns.index("code")] = code
        row[project_table.columns.index("name")] = name
        return int(offset[Project])

    def flush(self) -> None:
        """Writes the queued rows (COPY on PostgreSQL, one multi-row insert on SQLite)."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for model, rows in self.pending.items():
                if not rows:
                    continue
                columns = next(t[model].columns for t in self.tables if model in t)
                table = quote(str(model._meta.db_table))
                names = ", ".join(quote(str(c)) for c in columns)
                if connection.vendor == "postgresql":
                    with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    marks = ", ".join("?" for _ in columns)
                    raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
                self.written += len(rows)
        self.pending = defaultdict(list)

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.next))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


_CT_CACHE: dict[int, type[models.Model] | None] = {}


def _content_types() -> dict[int, type[models.Model] | None]:
    if not _CT_CACHE:
        _CT_CACHE.update({ct.pk: ct.model_class() for ct in ContentType.objects.all()})
    return _CT_CACHE


def _loose_gfks(model: type[models.Model]) -> list[tuple[str, str]]:
    """Content type and id pairs that are not declared as a GenericForeignKey."""
    names = {f.attname for f in model._meta.concrete_fields}
    declared = {g.ct_field for g in model._meta.private_fields
                if isinstance(g, GenericForeignKey)}
    pairs = []
    for f in model._meta.concrete_fields:
        if (f.is_relation and f.related_model is ContentType and f.name.endswith("_type")
                and f.name not in declared and f"{f.name[:-5]}_id" in names):
            pairs.append((f.name, f"{f.name[:-5]}_id"))
    return pairs


def wave_people(story_team: list[User], waves: Iterable[int]) -> dict[int, dict[int, int]]:
    """Accounts for each wave's team: the story team's job titles, new names. Returns, per
    wave, the story person's id → the wave person's id. Their password is the demo's."""
    waves = list(waves)
    template_hash = story_team[0].password if story_team else ""
    new: list[User] = []
    plan: list[tuple[int, int, str]] = []
    taken = set(User.objects.values_list("username", flat=True))
    k = 0
    for wave in waves:
        for person in story_team:
            first = FIRST_NAMES[k % len(FIRST_NAMES)]
            last = LAST_NAMES[(k // len(FIRST_NAMES) + k) % len(LAST_NAMES)]
            k += 1
            username = f"{first}.{last}".lower()
            n = 2
            while username in taken:
                username = f"{first}.{last}{n}".lower()
                n += 1
            taken.add(username)
            new.append(User(username=username, display_name=f"{first} {last}",
                            job_title=person.job_title, email=f"{username}@example.org",
                            password=template_hash, is_active=True))
            plan.append((wave, person.pk, username))
    User.objects.bulk_create(new, batch_size=1000)
    by_name = dict(User.objects.filter(username__in=[u for _, _, u in plan])
                   .values_list("username", "pk"))
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for wave, story_id, username in plan:
        out[wave][story_id] = by_name[username]
    return dict(out)


def load_copies(*, stories: list[Project], count: int, story_team: list[User], actor: User,
                progress: bool = False, batch: int = 50) -> int:
    """Adds `count` projects, project i a copy of stories[i % len(stories)] staffed by wave
    (i + len(stories)) // len(stories). Returns the number of rows written."""
    if count <= 0:
        return 0
    first = len(stories)
    copier = ProjectCopier([ProjectGraph(p) for p in stories])
    waves = range(2, (first + count - 1) // len(stories) + 2)
    with transaction.atomic():
        people = wave_people(story_team, waves)
    project_ct = ContentType.objects.get_for_model(Project)
    done = 0
    while done < count:
        size = min(batch, count - done)
        audit: list[AuditEntry] = []
        for n in range(first + done, first + done + size):
            story = stories[n % first]
            wave = n // first + 1
            code = f"{story.code[:8]}-{wave}"
            name = f"{story.name} (wave {wave})"
            rows = sum(len(t.rows) for t in copier.tables[n % first].values())
            pk = copier.copy(n % first, code=code, name=name, users=people.get(wave, {}))
            audit.append(AuditEntry(
                actor=actor, verb="create", content_type=project_ct, object_id=str(pk),
                object_repr=f"{code} {name}"[:250], project_id=pk,
                changes={"code": code, "name": name, "copied_from": story.code,
                         "rows": rows}))
        with transaction.atomic():
            copier.flush()
            AuditEntry.objects.bulk_create(audit)
            ProjectVersion.objects.bulk_create(
                [ProjectVersion(project_id=e.project_id, entry_id=e.pk) for e in audit
                 if e.project_id is not None])
        done += size
        if progress:
            sys.stdout.write(f"\rCopies       {done}/{count}")
            sys.stdout.flush()
    if progress:
        sys.stdout.write("\n")
    copier.reset_sequences()
    return copier.written

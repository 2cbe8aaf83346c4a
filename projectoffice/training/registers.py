"""Training needs and courses, declared on the kernel; the Training service with its own
pages (coverage and sessions); and the link that turns each new change impact into a
proposed training need for its group (apps.py links it)."""

from __future__ import annotations

from projectoffice.registers.services import Service, ServicePage, register_service
from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from .models import Course, TrainingNeed

NEED_WORKFLOW = Workflow(
    initial="proposed",
    states=(
        State("proposed", "Proposed", tone="info"),
        State("agreed", "Agreed", tone="progress"),
        State("met", "Met", closed=True, tone="success"),
        State("dropped", "Not needed", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("agree", "Agree", ("proposed",), "agreed", "trainingneed.transition"),
        Transition("meet", "Mark met", ("proposed", "agreed"), "met", "trainingneed.close"),
        Transition("drop", "Not needed", ("proposed", "agreed"), "dropped",
                   "trainingneed.close", needs_comment=True),
        Transition("reopen", "Reopen", ("met", "dropped"), "agreed",
                   "trainingneed.transition"),
    ),
)

COURSE_WORKFLOW = Workflow(
    initial="draft",
    states=(
        State("draft", "In preparation", tone="info"),
        State("open", "Open for sessions", tone="progress"),
        State("retired", "Retired", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("open", "Open for sessions", ("draft",), "open", "course.transition"),
        Transition("retire", "Retire", ("draft", "open"), "retired", "course.close",
                   needs_comment=True),
        Transition("reopen", "Reopen", ("retired",), "open", "course.transition"),
    ),
)

SERVICE_KEY = "training"

register_service(Service(
    key=SERVICE_KEY, label="Training", order=42,
    description="What each group must learn for the change, the courses and sessions in "
                "the office's rooms, who attended, and how much of each group is trained.",
    pages=(
        ServicePage("Training coverage and sessions", "training-home", "trainingneed.view",
                    "The share of each group trained before go-live, the people still "
                    "missing it, and the sessions with their places and waiting lists"),
    ),
))

NEEDS = register(RegisterSpec(
    key="training-needs", model=TrainingNeed, prefix="TNE", area="trainingneed",
    label="Training needs", item_label="Training need", workflow=NEED_WORKFLOW,
    fields=("group", "impact", "skill", "proficiency", "needed_by"),
    list_columns=("group", "skill", "proficiency", "needed_by"),
    list_related=("group",),
    description="Who must learn what, to which level and by when — proposed from each change "
                "impact, or raised for a role's skills.",
    icon="book", service=SERVICE_KEY,
))

COURSES = register(RegisterSpec(
    key="courses", model=Course, prefix="CRS", area="course",
    label="Courses", item_label="Course", workflow=COURSE_WORKFLOW,
    fields=("need", "objectives", "duration_hours", "skill", "skill_level"),
    list_columns=("need", "duration_hours", "skill", "skill_level"),
    list_related=("need", "skill"),
    detail_main_template="training/course_panel.html",
    description="Courses with their objectives, length and the skill they teach; material "
                "kept as documents; sessions booked in the office's rooms.",
    icon="book", service=SERVICE_KEY,
))

"""PSPLIB single-mode ``.sm`` files and their ``optimum.csv`` tables, read from text.

Activities are numbered from 0 in file order (file job ``k`` is activity ``k - 1``), dummy
source and sink included, so results line up with the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from projectoffice.engine.rcpsp import RcpspProblem


class PsplibFormatError(ValueError):
    """The text is not a single-mode PSPLIB file."""


def parse_sm(text: str) -> RcpspProblem:
    lines = text.splitlines()
    job_count: int | None = None
    successors: dict[int, tuple[int, ...]] = {}
    durations: dict[int, int] = {}
    demands: dict[int, tuple[int, ...]] = {}
    capacities: tuple[int, ...] | None = None
    section = ""
    for index, raw in enumerate(lines):
        line = raw.strip()
        if line.startswith("jobs (incl. supersource/sink )"):
            job_count = int(line.split(":")[1])
        elif line.startswith("PRECEDENCE RELATIONS"):
            section = "precedence"
        elif line.startswith("REQUESTS/DURATIONS"):
            section = "requests"
        elif line.startswith("RESOURCEAVAILABILITIES"):
            # The capacities are on the line after the resource names.
            try:
                capacities = tuple(int(v) for v in lines[index + 2].split())
            except (IndexError, ValueError) as error:
                raise PsplibFormatError("bad RESOURCEAVAILABILITIES section") from error
            section = ""
        elif line.startswith("*"):
            section = ""
        elif section and line and line[0].isdigit():
            fields = [int(v) for v in line.split()]
            if section == "precedence":
                job, _modes, count = fields[0], fields[1], fields[2]
                successors[job] = tuple(s - 1 for s in fields[3 : 3 + count])
            else:
                job, _mode, duration = fields[0], fields[1], fields[2]
                durations[job] = duration
                demands[job] = tuple(fields[3:])
    if job_count is None or capacities is None:
        raise PsplibFormatError("missing job count or resource availabilities")
    jobs = range(1, job_count + 1)
    if any(j not in successors or j not in durations for j in jobs):
        raise PsplibFormatError("precedence or request rows are missing")
    return RcpspProblem(
        durations=tuple(durations[j] for j in jobs),
        demands=tuple(demands[j] for j in jobs),
        capacities=capacities,
        successors=tuple(successors[j] for j in jobs),
    )


@dataclass(frozen=True)
class KnownBounds:
    """Reference values for one instance; ``upper`` is optimal when ``lower == upper``."""

    lower: int | None
    upper: int

    @property
    def optimal(self) -> bool:
        return self.lower == self.upper


def parse_optimum_csv(text: str) -> dict[str, KnownBounds]:
    """``X`` is an optimum, ``L..U`` a range, ``..U`` an upper bound; an inverted range
    keeps only its upper bound (as the data's README prescribes)."""
    table: dict[str, KnownBounds] = {}
    for line in text.splitlines()[1:]:
        if not line.strip():
            continue
        name, value = (part.strip() for part in line.split(",", 1))
        if ".." in value:
            low_text, high_text = value.split("..")
            upper = int(high_text)
            lower = int(low_text) if low_text else None
            if lower is not None and lower > upper:
                lower = None
            table[name] = KnownBounds(lower, upper)
        else:
            table[name] = KnownBounds(int(value), int(value))
    return table

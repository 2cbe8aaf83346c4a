"""Plans in formats only MPXJ reads (.mpp, Primavera XER and PMXML, MPX), through MSPDI.

:func:`read_plan_file` reads any plan file, choosing the reader by content: MS Project XML
with our own reader, everything else with MPXJ (the optional ``projectoffice[mpp]`` extra and
a Java runtime), converted to MSPDI in a child process — the Java virtual machine then never
lives in the office's own process — and read back with our reader.  Without MPXJ or Java,
:class:`MpxjUnavailable` says plainly what to install.

Run as ``python -m projectoffice.formats.mpxj_bridge IN OUT`` it is that child: it writes the
plan IN as MSPDI to OUT.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

from projectoffice.formats.mspdi import MspdiError, MspdiPlan, read_mspdi
from projectoffice.formats.sniff import LABELS, MSPDI, UNKNOWN, plan_kind

TIMEOUT_SECONDS = 300
INSTALL = (
    "install the optional reader with pip install 'projectoffice[mpp]' and a Java runtime "
    "(Java 11 or later, e.g. apt install default-jre-headless)"
)


class MpxjUnavailable(MspdiError):
    """The file needs MPXJ, and MPXJ or Java is not installed here."""


def java_runtime() -> str | None:
    """The Java virtual machine JPype would start, or None."""
    try:
        import jpype

        path: str = jpype.getDefaultJVMPath()
    except Exception:  # JVMNotFoundException, or JPype missing: no usable Java either way
        return None
    return path if path and Path(path).exists() else None


def mpxj_problem(kind: str) -> str | None:
    """Why MPXJ cannot read ``kind`` files here, or None when it can."""
    label = LABELS[kind]
    if importlib.util.find_spec("mpxj") is None or importlib.util.find_spec("jpype") is None:
        return f"{label[0].upper()}{label[1:]} needs the MPXJ reader, which is not installed: " \
            + INSTALL
    if java_runtime() is None:
        return (f"{label[0].upper()}{label[1:]} is read with MPXJ, which needs a Java runtime, "
                "and none is installed: install Java 11 or later (e.g. apt install "
                "default-jre-headless)")
    return None


def read_plan_file(data: bytes) -> MspdiPlan:
    """Any plan file as an :class:`MspdiPlan`; :class:`MspdiError` says what is wrong."""
    kind = plan_kind(data)
    if kind == MSPDI:
        return read_mspdi(data)
    if kind == UNKNOWN:
        raise MspdiError(
            "not a plan file this office can read: give MS Project XML (.xml), an MS Project "
            ".mpp or .mpx file, or a Primavera P6 XER or PMXML export"
        )
    problem = mpxj_problem(kind)
    if problem is not None:
        raise MpxjUnavailable(problem)
    return read_mspdi(convert_to_mspdi(data, kind))


def convert_to_mspdi(data: bytes, kind: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="pmo-mpxj-") as folder:
        source = Path(folder) / f"plan.{kind}"
        target = Path(folder) / "plan.xml"
        source.write_bytes(data)
        try:
            done = subprocess.run(
                [sys.executable, "-m", "projectoffice.formats.mpxj_bridge", str(source),
                 str(target)],
                capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
            )
        except subprocess.TimeoutExpired:
            raise MspdiError(f"reading {LABELS[kind]} took longer than "
                             f"{TIMEOUT_SECONDS} s") from None
        if done.returncode != 0 or not target.exists():
            reason = done.stdout.strip().splitlines()[-1:] or ["MPXJ could not read it"]
            raise MspdiError(f"{LABELS[kind]} that cannot be read: {reason[0]}")
        return target.read_bytes()


def _convert(source: str, target: str) -> int:
    import jpype
    import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

    jpype.startJVM("-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple."
                   "SimpleLoggerContextFactory", convertStrings=True)
    from org.mpxj.mspdi import MSPDIWriter
    from org.mpxj.reader import UniversalProjectReader

    try:
        project = UniversalProjectReader().read(source)
    except Exception as error:  # MPXJ's MPXJException and Java's I/O errors
        print(str(error).splitlines()[0] if str(error) else type(error).__name__)
        return 1
    if project is None:
        print("MPXJ does not recognise this file")
        return 1
    MSPDIWriter().write(project, target)
    return 0


if __name__ == "__main__":
    raise SystemExit(_convert(sys.argv[1], sys.argv[2]))

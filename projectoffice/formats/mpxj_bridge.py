"""Plans in formats only MPXJ reads (.mpp, Primavera XER and PMXML, MPX), through MSPDI.

:func:`read_plan_file` reads any plan file, choosing the reader by content: MS Project XML
with our own reader, everything else with MPXJ (the optional ``projectoffice[mpp]`` extra and
a Java runtime), converted to MSPDI in a child process — the Java virtual machine then never
lives in the office's own process — and read back with our reader.  Without MPXJ or Java,
:class:`MpxjUnavailable` says plainly what to install.

Run as ``python -m projectoffice.formats.mpxj_bridge --serve`` it is that child: it starts
the Java virtual machine once and, for each ``SOURCE<TAB>TARGET`` line on its input, writes the
plan SOURCE as MSPDI to TARGET and answers one line.  One child serves a worker process for
its lifetime, so only the first plan file pays for starting Java.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
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
    """``data`` (a ``kind`` file) as MSPDI, written by MPXJ in the reader child process."""
    with tempfile.TemporaryDirectory(prefix="pmo-mpxj-") as folder:
        source = Path(folder) / f"plan.{kind}"
        target = Path(folder) / "plan.xml"
        source.write_bytes(data)
        reply = _READER.convert(str(source), str(target), kind)
        if not reply.ok or not target.exists():
            raise MspdiError(f"{LABELS[kind]} that cannot be read: "
                             f"{reply.message or 'MPXJ could not read it'}")
        return target.read_bytes()


@dataclass(frozen=True)
class Reply:
    """The child's answer to one file: whether MPXJ read it, why not, and how long MPXJ's
    own read and the MSPDI write took (milliseconds, measured in Java)."""

    ok: bool
    message: str = ""
    read_ms: float = 0.0
    write_ms: float = 0.0


class _Reader:
    """One long-lived child process running MPXJ for this (worker) process.

    Starting the Java virtual machine costs seconds; the file itself is read in tenths of a
    second once it runs.  So the child is started on the first plan file and kept: each file
    is one line of request on its standard input and one line of answer on its output.  A
    child that dies, hangs or answers nonsense is ended and the next file starts a new one.
    The JVM never runs in the office's own process.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._child: subprocess.Popen[str] | None = None
        self._owner = os.getpid()

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child is not None else None

    def convert(self, source: str, target: str, kind: str) -> Reply:
        with self._lock:
            child = self._running()
            assert child.stdin is not None
            try:
                child.stdin.write(f"{source}\t{target}\n")
                child.stdin.flush()
                line = self._answer(child, kind)
            except BaseException:
                self._stop()  # dead, hung or half answered: the next file gets a fresh child
                raise
        return _parse_reply(line)

    def _running(self) -> subprocess.Popen[str]:
        if self._owner != os.getpid():
            # A forked worker: the child belongs to the parent process; start our own.
            self._child, self._owner = None, os.getpid()
        if self._child is not None and self._child.poll() is None:
            return self._child
        self._child = subprocess.Popen(
            [sys.executable, "-m", "projectoffice.formats.mpxj_bridge", "--serve"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, bufsize=1,
        )
        return self._child

    def _answer(self, child: subprocess.Popen[str], kind: str) -> str:
        """The child's next answer line (lines Java or MPXJ print themselves are skipped)."""
        assert child.stdout is not None
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([child.stdout], [], [], max(left, 0))
            if not ready:
                raise MspdiError(f"reading {LABELS[kind]} took longer than "
                                 f"{TIMEOUT_SECONDS} s")
            line = child.stdout.readline()
            if not line:
                raise MspdiError(f"{LABELS[kind]} that cannot be read: the MPXJ reader stopped")
            if line.startswith(_MARK):
                return line[len(_MARK):].rstrip("\n")

    def _stop(self) -> None:
        child, self._child = self._child, None
        if child is None:
            return
        with contextlib.suppress(OSError):
            child.kill()
        child.wait()

    def close(self) -> None:
        if self._owner != os.getpid():
            return  # the parent's child: not ours to end
        with self._lock:
            if self._child is not None and self._child.stdin is not None:
                with contextlib.suppress(OSError):
                    self._child.stdin.close()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._child.wait(timeout=10)
            self._stop()


_MARK = "PMO-MPXJ "
_READER = _Reader()
atexit.register(_READER.close)


def reader_pid() -> int | None:
    """The process id of the MPXJ child, while one runs (for measuring it)."""
    return _READER.pid


_READER_LAST: list[Reply | None] = [None]


def last_reply() -> Reply | None:
    """The child's answer to the last file (MPXJ's own read and write times)."""
    return _READER_LAST[0]


def _parse_reply(line: str) -> Reply:
    status, _, rest = line.partition("\t")
    if status == "ok":
        read_ms, _, write_ms = rest.partition("\t")
        reply = Reply(True, read_ms=float(read_ms or 0), write_ms=float(write_ms or 0))
    else:
        reply = Reply(False, message=rest.strip())
    _READER_LAST[0] = reply
    return reply


def _serve() -> int:
    """The child: start the JVM once, then convert each ``SOURCE<TAB>TARGET`` line."""
    import jpype
    import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

    jpype.startJVM("-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple."
                   "SimpleLoggerContextFactory", convertStrings=True)
    from org.mpxj.mspdi import MSPDIWriter
    from org.mpxj.reader import UniversalProjectReader

    out = sys.stdout
    for request in sys.stdin:
        source, _, target = request.rstrip("\n").partition("\t")
        began = time.perf_counter()
        try:
            project = UniversalProjectReader().read(source)
        except Exception as error:  # MPXJ's MPXJException and Java's I/O errors
            text = str(error).splitlines()[0] if str(error) else type(error).__name__
            out.write(f"{_MARK}error\t{text}\n")
            out.flush()
            continue
        read = time.perf_counter()
        if project is None:
            out.write(f"{_MARK}error\tMPXJ does not recognise this file\n")
            out.flush()
            continue
        try:
            MSPDIWriter().write(project, target)
        except Exception as error:  # an MPXJ writer failure: the file cannot be passed on
            out.write(f"{_MARK}error\t{str(error).splitlines()[0] if str(error) else error}\n")
            out.flush()
            continue
        written = time.perf_counter()
        out.write(f"{_MARK}ok\t{(read - began) * 1000:.1f}\t{(written - read) * 1000:.1f}\n")
        out.flush()
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        raise SystemExit(_serve())
    raise SystemExit("usage: python -m projectoffice.formats.mpxj_bridge --serve")

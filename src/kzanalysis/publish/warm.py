"""Warm kernels: each report's kernel forked from a server with the heavy libraries imported.

A fresh ``python -m ipykernel_launcher`` spends about 3 s importing pandas,
matplotlib, seaborn, statsmodels and the library, and loading and validating the
curated tables, before a report's first cell does any work. Here a *fork server*
does that once per build (started by the build process, :func:`share`, and used by
every worker through :class:`SharedServer`; or once per process that runs several
kernels itself); every kernel is then an ``os.fork()`` of it: still a fresh process
with a clean user namespace (IPython starts after the fork), but with those modules
already in memory (copy-on-write).

Pieces:

* :func:`engine_kwargs` (the public switch): ``{"kernel_manager_class":
  WarmKernelManager}`` for ``papermill.execute_notebook`` (forwarded to nbclient),
  or ``{}`` when ``KZANALYSIS_WARM_KERNELS=0`` or ``os.fork`` is unavailable.
* :class:`WarmKernelManager` / :class:`WarmProvisioner`: jupyter_client's kernel
  manager with a provisioner that asks the server to fork instead of spawning.
  Interrupt, kill and terminate signal the kernel's process group directly; the
  exit status comes back from the server. Any other kernel command (not this
  Python's ipykernel) or a server that cannot start falls back to a normal launch.
* the server (``python -m kzanalysis.publish.warm CONFIG_JSON``, started lazily, once
  per owning process and environment; stopped at exit): imports the modules,
  optionally loads every catalogued table into the ``kzanalysis.datasets`` cache,
  then listens on a Unix socket (folder 0700, socket 0600, peer uid checked). A
  request carries the kernel's argv, cwd, environment and its stdin/stdout/stderr
  file descriptors; the forked child starts a new session, takes them over and
  runs ``IPKernelApp``. The server reaps its children and reports each exit status
  on the request's connection; a closed connection kills that kernel; the server
  stops when asked, on SIGTERM, or when its parent process is gone (Linux: told at
  once by a parent-death signal, SIGUSR1; elsewhere seen within half a second), and
  then kills its kernels' process groups. A forked kernel gets SIGKILL when the
  server dies (parent-death signal), so no kernel outlives a killed server.

Staleness: the server is keyed on the full environment (what a fresh kernel would
import under); it refuses to fork once a library source file it imported has
changed (the client then restarts it); a forked kernel re-hashes the data files
(sha256) and ``datapackage.json`` the cache was loaded from and drops the cache if
any byte changed, so changed data are never served from memory.

Fork safety: nothing is started before forking but what imports start (OpenBLAS
and Arrow's jemalloc worker threads, which handle ``fork`` themselves); no zmq
context exists in the server (checked); the child reseeds numpy's global RNG
(Python's ``random`` reseeds itself after ``fork``).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import gc
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from kzanalysis import reads
from kzanalysis.publish.kernels import IpcKernelManager
from kzanalysis.publish.store import pid_alive, pid_running, set_parent_death_signal

#: Environment switch: ``0``/``false``/``no``/``off`` gives normal kernels.
ENV_SWITCH = "KZANALYSIS_WARM_KERNELS"
#: Environment switch for loading the curated tables in the server (default on).
ENV_DATA = "KZANALYSIS_WARM_DATA"
#: Set by a build for its workers: ``PID:SOCKET`` of the build's shared server (:func:`share`).
ENV_SHARED = "KZANALYSIS_WARM_SOCKET"
#: What the server preloads: ``full`` (default: :func:`default_modules`, the tables and
#: :func:`warm_up`) or ``kernel`` (only :data:`KERNEL_MODULES`, what every kernel imports
#: itself). A build sets it from its notebooks' imports (:func:`preload_for`).
ENV_PRELOAD = "KZANALYSIS_WARM_PRELOAD"
#: Modules the server imports before forking (missing ones are skipped); the chapters'
#: analysis and claims-metric modules are added from the registry (:func:`default_modules`).
BASE_MODULES = (
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.pyplot",
    "seaborn",
    "scipy.stats",
    "statsmodels.api",
    "statsmodels.formula.api",
    "pandera",
    "pydantic",
    "IPython",
    "ipykernel.kernelapp",
    # what every kernel imported after the fork (measured: ~180 modules per report): the
    # kernel's debugger support (debugpy), the SVG and Agg backends, pandas' Styler
    # with its jinja2 templates, IPython's kernel-side extras
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "IPython.core.pylabtools",
    "IPython.core.debugger",
    "IPython.core.oinspect",
    "IPython.core.completerlib",
    "IPython.extensions.storemagic",
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_svg",
    "pandas.io.formats.style",
    "tornado.queues",
    "kzanalysis.datasets",
    "kzanalysis.plotting",
    "kzanalysis.report",
    "kzanalysis.countries",
    "kzanalysis.stats",
    "kzanalysis.params",
    "kzanalysis.catalog",
    "kzanalysis.claims.ledger",
    "kzanalysis.bigtrade",
)


#: The kernel's own imports (IPython, ipykernel and what they start with): a ``kernel``
#: server imports only these, in about 0.5 s of CPU instead of about 3 s for ``full``.
KERNEL_MODULES = (
    "IPython",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "IPython.core.debugger",
    "IPython.core.oinspect",
    "IPython.core.completerlib",
    "IPython.extensions.storemagic",
    "tornado.queues",
)


def default_modules() -> tuple[str, ...]:
    """What the server imports: :data:`BASE_MODULES` and every registered chapter's analysis
    module, its ``<analysis>_report`` element builders and its claims-metric module (the
    chapter registry, :mod:`kzanalysis.chapters`)."""
    from kzanalysis import chapters

    analysis = chapters.analysis_modules()
    reports = tuple(f"{m}_report" for m in analysis)  # element builders; missing ones skipped
    return BASE_MODULES + analysis + reports + chapters.metric_modules()


#: Seconds the server may take to import and load before the client gives up.
READY_TIMEOUT_S = 180.0
#: Seconds a fork request may take.
REQUEST_TIMEOUT_S = 30.0
#: Environment variables that differ per kernel or test and affect no import: a server
#: is shared across them (``KZANALYSIS_*`` folders are read when called, not at import).
_PER_KERNEL_ENV = ("JPY_SESSION_NAME", "JPY_PARENT_PID", "JPY_INTERRUPT_EVENT")
_PER_KERNEL_PREFIXES = ("KZANALYSIS_", "PYTEST_")
_HEADER = struct.Struct("!I")
_OFF = {"0", "false", "no", "off"}


class WarmKernelError(RuntimeError):
    """The fork server cannot start or cannot fork (callers fall back to normal kernels)."""


# --------------------------------------------------------------------------- switch


def enabled(environ: dict[str, str] | None = None) -> bool:
    """True unless ``$KZANALYSIS_WARM_KERNELS`` is off or ``os.fork`` is unavailable."""
    env = os.environ if environ is None else environ
    if env.get(ENV_SWITCH, "1").strip().lower() in _OFF:
        return False
    return (
        hasattr(os, "fork")
        and hasattr(socket, "AF_UNIX")
        and hasattr(socket, "send_fds")
        and hasattr(socket, "SO_PEERCRED")  # Linux: the peer's uid is checked
    )


@contextlib.contextmanager
def off_for_one_kernel(kernels: int) -> Iterator[None]:
    """Normal kernels in the block when this process will start at most one kernel.

    A server imports the libraries and loads the tables once so that every later kernel
    is a fork; for a single kernel it is that same work done twice on the same cores
    (the kernel starts normally while the server starts beside it). With more kernels
    the block changes nothing.
    """
    with _env_unless_set(ENV_SWITCH, "0" if kernels <= 1 else None):
        yield


@contextlib.contextmanager
def _env_unless_set(name: str, value: str | None) -> Iterator[None]:
    """``$name`` is ``value`` in the block (removed after it), unless ``value`` is None or
    the variable is already set: an explicit choice is kept."""
    if value is None or name in os.environ:
        yield
        return
    os.environ[name] = value
    try:
        yield
    finally:
        os.environ.pop(name, None)


def engine_kwargs() -> dict[str, Any]:
    """Keyword arguments for ``papermill.execute_notebook``: the kernel manager class.

    Warm kernels (:class:`WarmKernelManager`) when :func:`enabled`, else normal ones;
    both talk over Unix sockets (:class:`~kzanalysis.publish.kernels.IpcKernelManager`).
    """
    if not enabled():
        return {"kernel_manager_class": IpcKernelManager}
    return {"kernel_manager_class": WarmKernelManager}


def preload_level(env: dict[str, str]) -> str:
    """The server's preload level in ``env`` (``$KZANALYSIS_WARM_PRELOAD``): ``full`` unless
    it says ``kernel`` (any other value means ``full``: preloading more is only slower)."""
    return "kernel" if env.get(ENV_PRELOAD, "").strip().lower() == "kernel" else "full"


def stdlib_only(notebook: str | Path) -> bool:
    """True if every code cell of ``notebook`` parses as Python and imports only
    standard-library modules (``sys.stdlib_module_names``).

    False when the file cannot be read or parsed, or a cell uses IPython syntax
    (magics, ``!``): such a notebook gets the ``full`` server, as before.
    """
    import ast

    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            tree = ast.parse("".join(source) if isinstance(source, list) else source)
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [node.module or ""] if node.level == 0 else ["."]
                else:
                    continue
                if any(n.split(".")[0] not in sys.stdlib_module_names for n in names):
                    return False
    except (OSError, ValueError, SyntaxError, AttributeError, TypeError):
        return False
    return True


@contextlib.contextmanager
def preload_for(notebooks: Iterable[str | Path]) -> Iterator[None]:
    """In the block, servers started here or in processes spawned here preload only
    what a kernel imports itself (``kernel``) when every notebook imports only the
    standard library (:func:`stdlib_only`); otherwise nothing changes.

    The libraries, the tables and the warm-up serve only notebooks that use them; for
    the others a ``full`` server is about 3 s of CPU per build worker spent for nothing
    (test projects, small custom chapters). An explicit ``$KZANALYSIS_WARM_PRELOAD``
    is kept.
    """
    paths = [] if ENV_PRELOAD in os.environ else list(notebooks)
    light = bool(paths) and all(stdlib_only(p) for p in paths)
    with _env_unless_set(ENV_PRELOAD, "kernel" if light else None):
        yield


# --------------------------------------------------------------------------- framing


def _send_msg(sock: socket.socket, obj: dict[str, Any], fds: Iterable[int] = ()) -> None:
    data = json.dumps(obj).encode("utf-8")
    payload = _HEADER.pack(len(data)) + data
    fds = list(fds)
    if fds:
        sent = socket.send_fds(sock, [payload], fds)
        payload = payload[sent:]
    if payload:
        sock.sendall(payload)


def _recv_exact(sock: socket.socket, n: int, buf: bytes = b"") -> bytes:
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed mid-message")
        buf += chunk
    return buf


def _recv_msg(sock: socket.socket, with_fds: bool = False) -> tuple[dict[str, Any], list[int]]:
    fds: list[int] = []
    if with_fds:
        first, fds, _flags, _addr = socket.recv_fds(sock, 1 << 20, 8)
        if not first:
            raise ConnectionError("connection closed before a message")
        head = _recv_exact(sock, _HEADER.size, first)
    else:
        head = _recv_exact(sock, _HEADER.size)
    (size,) = _HEADER.unpack(head[: _HEADER.size])
    body = _recv_exact(sock, size, head[_HEADER.size :])
    return json.loads(body[:size].decode("utf-8")), fds


# --------------------------------------------------------------------------- server


@dataclass
class _Server:
    """State of the fork server process (runs in ``python -m kzanalysis.publish.warm``)."""

    sock_path: str
    modules: tuple[str, ...]
    preload: bool
    warm: bool = True  # run warm_up() (the ``full`` level)
    parent_pid: int = 0
    server_pid: int = 0
    listener: socket.socket | None = None
    kernels: dict[int, socket.socket | None] = field(default_factory=dict)  # pid → status conn
    sources: dict[str, str] = field(default_factory=dict)  # library file → sha256
    data_files: dict[str, str] = field(default_factory=dict)  # data file → sha256
    wake_r: int = -1
    wake_w: int = -1

    def prepare(self) -> None:
        """Import the modules and load the tables; nothing that starts threads we own."""
        import importlib

        os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        # the server's own preloading is no report's read; each kernel gets its variant's
        # reads file in the environment of its fork request
        os.environ.pop(reads.ENV, None)
        for name in self.modules:
            try:
                importlib.import_module(name)
            except Exception as exc:  # a fresh kernel will meet the same error itself
                print(f"warm: import {name} failed: {exc!r}", file=sys.stderr, flush=True)
        if self.preload:
            self._preload_tables()
        try:
            if self.warm:
                warm_up()
        except Exception as exc:  # only a saving: kernels do the same work themselves
            print(f"warm: warm-up failed: {exc!r}", file=sys.stderr, flush=True)
        self.sources = _library_sources()
        # everything loaded so far is shared by every fork: keep it out of the garbage
        # collector, so a kernel's collections neither walk it (CPU) nor write to its pages
        # (copy-on-write); with the kernel-side imports above, a kernel's CPU before its
        # first cell fell from 0.16 to 0.09 s (page faults 12.3k → 9.6k)
        gc.collect()
        gc.freeze()
        zmq = sys.modules.get("zmq")
        if zmq is not None and getattr(zmq.Context, "_instance", None) is not None:
            raise WarmKernelError("a zmq context exists before forking (unsafe); not serving")
        if "matplotlib_inline.backend_inline" in sys.modules:
            raise WarmKernelError(
                "matplotlib's inline backend was imported without a kernel; figures would "
                "not display in forked kernels: remove the module that selects a backend"
            )

    def _preload_tables(self) -> None:
        from kzanalysis import catalog, datasets
        from kzanalysis.hashing import sha256_file
        from kzanalysis.paths import data_dir

        folder = data_dir().resolve()
        catalog_file = str(folder / "datapackage.json")
        before = _sha256_or_none(catalog_file)
        try:
            doc = catalog.load_catalog(folder)
        except Exception as exc:  # no catalog: kernels load (and fail) as usual
            print(f"warm: no tables preloaded ({exc!r})", file=sys.stderr, flush=True)
            return
        # each cached frame passed load()'s check against its catalog sha256: remember that
        # hash (not the file's hash now, which may already be newer than the frame)
        files = {catalog_file: before or ""}
        for res in doc.get("resources", []):
            try:
                datasets.load(res["name"], folder)
            except Exception as exc:  # not cached: the kernel gets the real error
                print(f"warm: table {res.get('name')} not preloaded: {exc!r}", file=sys.stderr)
                continue
            digest = str(res.get("hash", "")).removeprefix("sha256:")
            files[str(catalog.resource_path(res, folder))] = digest
        if before is None or sha256_file(Path(catalog_file)) != before:  # changed meanwhile
            datasets.clear_cache()
            return
        self.data_files = dict(sorted(files.items()))

    def serve(self) -> None:
        """Bind the socket, say ready on stdout, and serve until stopped."""
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_w, False)
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGTERM, lambda *_: None)  # handled in the loop via the pipe
        signal.signal(signal.SIGUSR1, lambda *_: None)  # parent death: the loop checks
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        old_umask = os.umask(0o177)
        try:
            self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.listener.bind(self.sock_path)
        finally:
            os.umask(old_umask)
        try:
            os.chmod(self.sock_path, 0o600)
            self.listener.listen(16)
            print(f"ready {os.getpid()}", flush=True)  # BrokenPipeError: the owner is gone
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)  # the pipe closes; fd 1 stays taken (received fds land above 2)
            os.close(devnull)
            self._loop()
        finally:
            self.shutdown()

    def _loop(self) -> None:
        assert self.listener is not None
        while True:
            conns = {c.fileno(): (pid, c) for pid, c in self.kernels.items() if c is not None}
            ready, _, _ = select.select([self.listener, self.wake_r, *conns], [], [], 0.5)
            stop = False
            for item in ready:
                if item is self.listener:
                    stop = self._accept() or stop
                elif item == self.wake_r:
                    signals = os.read(self.wake_r, 512)
                    stop = stop or signal.SIGTERM in signals
                    self._reap()
                else:  # the client closed a kernel's connection (or broke the protocol)
                    pid, conn = conns[item]
                    conn.close()
                    self.kernels[pid] = None
                    _killpg(pid, signal.SIGKILL)  # no one is left to manage that kernel
            self._reap()
            if stop or os.getppid() != self.parent_pid:
                return

    def _accept(self) -> bool:
        """Serve one request; True when it asked the server to stop."""
        assert self.listener is not None
        conn, _ = self.listener.accept()
        uid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[1]
        if uid != os.getuid():  # only our own user may ask for kernels
            conn.close()
            return False
        conn.settimeout(REQUEST_TIMEOUT_S)
        fds: list[int] = []
        try:
            request, fds = _recv_msg(conn, with_fds=True)
            if request.get("op") == "stop":
                _send_msg(conn, {"ok": True})
                conn.close()
                return True
            stale = [p for p, h in self.sources.items() if _sha256_or_none(p) != h]
            if stale:
                _send_msg(conn, {"error": "stale", "files": stale[:5]})
                conn.close()
                return True  # useless now: the client starts a new server
            pid = self._fork_kernel(request, fds, conn)
            self.kernels[pid] = conn
            try:
                _send_msg(conn, {"pid": pid})
            except OSError:  # the client left: the kernel has no manager
                _killpg(pid, signal.SIGKILL)
                raise
            conn.settimeout(None)
        except Exception as exc:
            with contextlib.suppress(OSError):
                _send_msg(conn, {"error": f"{type(exc).__name__}: {exc}"})
            conn.close()
        finally:
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
        return False

    def _fork_kernel(self, request: dict[str, Any], fds: list[int], conn: socket.socket) -> int:
        if len(fds) != 3:
            raise WarmKernelError(f"expected 3 file descriptors (stdin, out, err), got {len(fds)}")
        gate_r, gate_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the kernel: never returns to the server loop
            code = 1
            try:
                os.close(gate_r)
                os.setsid()
                set_parent_death_signal(signal.SIGKILL)  # no kernel outlives its server
                if os.getppid() != self.server_pid:
                    os._exit(1)
                os.write(gate_w, b"1")
                os.close(gate_w)
                self._become_kernel(request, fds, conn)
                _run_kernel(request["args"], os.getppid())
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                with contextlib.suppress(BaseException):
                    atexit._run_exitfuncs()  # history, temp files: as interpreter exit does
                with contextlib.suppress(BaseException):
                    sys.stdout.flush()
                    sys.stderr.flush()
                os._exit(code)
        os.close(gate_w)
        os.read(gate_r, 1)  # the child has its own session before anyone may signal it
        os.close(gate_r)
        return pid

    def _become_kernel(self, request: dict[str, Any], fds: list[int], conn: socket.socket) -> None:
        """In the forked child: drop the server's state, take the request's fds, env, cwd."""
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGUSR1, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as at interpreter start
        signal.set_wakeup_fd(-1)
        for sock in (self.listener, conn, *self.kernels.values()):  # the server's, not ours
            if sock is not None:
                sock.close()
        os.close(self.wake_r)
        os.close(self.wake_w)
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in fds]
        for fd in fds:
            os.close(fd)
        for target, fd in enumerate(high):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = [request.get("argv0", "ipykernel_launcher"), *request["args"]]
        numpy_random = sys.modules.get("numpy.random")
        if numpy_random is not None:
            numpy_random.seed()  # fresh entropy, as a fresh process has
        self._drop_stale_tables()

    def _drop_stale_tables(self) -> None:
        if not self.data_files:
            return
        if any(_sha256_or_none(p) != h for p, h in self.data_files.items()):
            from kzanalysis import datasets

            datasets.clear_cache()

    def _reap(self) -> None:
        """Wait for every ended child; send each exit status to its client."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.kernels.pop(pid, None)
            if conn is not None:
                with contextlib.suppress(OSError):
                    _send_msg(conn, {"exit": os.waitstatus_to_exitcode(status)})
                conn.close()

    def shutdown(self) -> None:
        """Stop every kernel (TERM, then KILL after 2 s), reap them, remove the socket folder."""
        for pid in list(self.kernels):
            _killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + 2.0
        while self.kernels and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.02)
        for pid in list(self.kernels):
            _killpg(pid, signal.SIGKILL)
        for pid, conn in list(self.kernels.items()):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            if conn is not None:
                conn.close()
        self.kernels.clear()
        if self.listener is not None:
            self.listener.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.sock_path)
        folder = Path(self.sock_path).parent
        if folder.name.startswith("kzwarm-"):  # ours (the client may have died: no cleanup)
            shutil.rmtree(folder, ignore_errors=True)


def warm_up() -> None:
    """Do once, before forking, the first-use work every report's kernel repeated.

    A report's first figure found and opened its fonts, set up its log-axis tick labels
    (:func:`kzanalysis.plotting.log_scale`) and rendered SVG and PNG for the first time;
    its first model fit and styled table did their own first-call setup. Measured in one process
    (``benchmarks/floor.py``), the first report, trade-KAZ, took 5.5 s before this warm-up
    and 2.4 s after it; the same report again takes 2.3–2.7 s. This draws one
    small figure with the project's style, log ticks, a title, a legend and a note and
    saves it in both formats, fits one HAC regression and renders one styled table. It
    uses no pyplot (the kernels choose their backend), restores every rcParam and keeps
    nothing: only the libraries' caches stay warm, shared copy-on-write by the kernels.
    """
    import io

    import matplotlib as mpl
    import numpy as np
    import pandas as pd
    from matplotlib.figure import Figure

    from kzanalysis import plotting, stats

    with mpl.rc_context():
        plotting.use_style()
        fig = Figure()
        ax = fig.add_subplot()
        ax.plot([2000, 2010, 2020], [300, 3000, 30000], label="warm-up (US$ mn)")
        plotting.log_scale(ax)
        ax.set_title("Warm-up", loc="left", fontsize=12, fontweight="bold")
        ax.set_xlabel("Year")
        ax.set_ylabel("Value (US$ mn)")
        ax.legend(frameon=False)
        fig.text(0.01, -0.02, "Source: none.", ha="left", va="top", fontsize=8, wrap=True)
        fig.tight_layout()
        with mpl.rc_context({"svg.fonttype": "none"}):
            fig.savefig(io.StringIO(), format="svg", bbox_inches="tight")
        fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    years = np.arange(2000.0, 2012.0)
    x = pd.DataFrame({"const": 1.0, "trend": years - 2000.0})
    stats.ols_hac(2.0 * years + np.sin(years), x).summary()
    pd.DataFrame({"value_usd_mn": [1.5, 2.5]}).style.format("{:.1f}").to_html()


def _run_kernel(args: list[str], server_pid: int) -> None:
    """Run IPKernelApp with ``args`` (those after ``-m ipykernel_launcher``) until shutdown."""
    from ipykernel.kernelapp import IPKernelApp

    # the kernel exits if the server (its parent) goes away, as with JPY_PARENT_PID
    IPKernelApp.launch_instance(argv=[*args, f"--IPKernelApp.parent_handle={server_pid}"])


def _killpg(pid: int, sig: int) -> None:
    with contextlib.suppress(OSError):
        os.killpg(pid, sig)


def _sha256_or_none(path: str) -> str | None:
    from kzanalysis.hashing import sha256_file

    try:
        return sha256_file(Path(path))
    except OSError:
        return None


def _library_sources() -> dict[str, str]:
    """sha256 of every imported ``kzanalysis`` source file (code changes make a server stale)."""
    from kzanalysis.hashing import sha256_file

    out = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if (name == "kzanalysis" or name.startswith("kzanalysis.")) and path:
            with contextlib.suppress(OSError):
                out[path] = sha256_file(Path(path))
    return out


def _exit_if_orphan(server: _Server) -> None:
    """End a server whose parent is gone before it serves (no kernels yet; folder removed)."""
    if os.getppid() != server.parent_pid:
        folder = Path(server.sock_path).parent
        if folder.name.startswith("kzwarm-"):
            shutil.rmtree(folder, ignore_errors=True)
        os._exit(1)


def _serve_main(argv: list[str]) -> int:
    """``python -m kzanalysis.publish.warm CONFIG_JSON``: run the fork server."""
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]  # as ipykernel_launcher does; IPython adds the kernel's cwd back
    config = json.loads(argv[0])
    server = _Server(
        config["socket"],
        tuple(config["modules"]),
        bool(config["preload"]),
        bool(config.get("warm_up", True)),
    )
    server.parent_pid = os.getppid()  # before the slow imports: a parent dying then is seen
    server.server_pid = os.getpid()
    # the parent's death (strictly: its thread that started us) sends SIGUSR1; while
    # importing, a parent really gone ends the server at once (it has no kernels yet)
    signal.signal(signal.SIGUSR1, lambda *_: _exit_if_orphan(server))
    set_parent_death_signal(signal.SIGUSR1)
    _exit_if_orphan(server)
    try:
        server.prepare()
        server.serve()
    except BaseException:
        folder = Path(server.sock_path).parent
        if os.getppid() != server.parent_pid and folder.name.startswith("kzwarm-"):
            shutil.rmtree(folder, ignore_errors=True)  # no owner left to read the log
            return 1
        raise
    return 0


# --------------------------------------------------------------------------- client


def server_key(env: dict[str, str], options: Iterable[str] = ()) -> tuple[Any, ...]:
    """What a server depends on: interpreter options and the kernels' environment.

    Per-kernel ids (``JPY_SESSION_NAME`` …), ``PYTEST_*`` and the ``KZANALYSIS_*``
    folders (read at call time; a kernel with another data folder just misses the
    preloaded cache) are left out; any other difference (``PYTHONPATH``, ``MPLBACKEND``,
    locale …) needs its own server, since a fresh kernel imports under exactly that.
    """
    items = sorted((k, v) for k, v in env.items() if not _per_kernel(k))
    return (tuple(options), tuple(items))


def _per_kernel(name: str) -> bool:
    return name in _PER_KERNEL_ENV or name.startswith(_PER_KERNEL_PREFIXES)


class ServerHandle:
    """A running fork server, owned by the process that started it."""

    def __init__(
        self,
        env: dict[str, str],
        modules: Iterable[str],
        preload: bool,
        options: Iterable[str] = (),
        warm: bool = True,
    ) -> None:
        """Start the server (``python OPTIONS -m kzanalysis.publish.warm``); do not wait for it."""
        options = list(options)
        modules = list(modules)
        self.key = (server_key(env, options), preload, tuple(modules), warm)
        self.owner = os.getpid()
        self.dir = Path(tempfile.mkdtemp(prefix="kzwarm-"))  # mode 0700
        self.socket = str(self.dir / "fork.sock")
        self.log = self.dir / "server.log"
        config = {"socket": self.socket, "modules": modules, "preload": preload, "warm_up": warm}
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, *options, "-m", "kzanalysis.publish.warm", json.dumps(config)],
                env={k: v for k, v in env.items() if k not in _PER_KERNEL_ENV},
                cwd=self.dir,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
            )
        self.started = time.monotonic()
        self._ready = False
        self._line = b""

    def ready(self, wait: float = 0.0) -> bool:
        """True once the server listens; waits up to ``wait`` seconds for it.

        Raises:
            WarmKernelError: the server exited before it was ready, or was not ready
                ``READY_TIMEOUT_S`` after it started (the message has its log's tail).
        """
        deadline = time.monotonic() + wait
        while not self._ready:
            assert self.proc.stdout is not None
            left = max(0.0, deadline - time.monotonic())
            readable, _, _ = select.select([self.proc.stdout], [], [], left)
            if not readable:
                if time.monotonic() - self.started > READY_TIMEOUT_S:
                    raise WarmKernelError(
                        f"warm-kernel server not ready after {READY_TIMEOUT_S:g} s: "
                        f"{self.log_tail()}; set {ENV_SWITCH}=0 for normal kernels"
                    )
                return False
            chunk = os.read(self.proc.stdout.fileno(), 256)
            if not chunk:
                raise WarmKernelError(
                    f"warm-kernel server exited while starting: {self.log_tail()}; "
                    f"set {ENV_SWITCH}=0 for normal kernels"
                )
            self._line += chunk
            if self._line.endswith(b"\n"):
                self._ready = True
                self.proc.stdout.close()
        return True

    def log_tail(self, lines: int = 5) -> str:
        """The last lines of the server's stderr."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return " | ".join(text.strip().splitlines()[-lines:]) or "(empty log)"

    def fork(self, request: dict[str, Any], fds: list[int]) -> tuple[int, socket.socket]:
        """Ask for a kernel; return its pid and the connection its exit status comes on.

        Raises:
            WarmKernelError: the server refused (``stale`` in the message when its
                library code changed) or did not answer.
        """
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(REQUEST_TIMEOUT_S)
        try:
            conn.connect(self.socket)
            _send_msg(conn, request, fds)
            reply, _ = _recv_msg(conn)
        except (OSError, ConnectionError, ValueError) as exc:
            conn.close()
            raise WarmKernelError(
                f"warm-kernel server at {self.socket} did not answer ({exc}); "
                f"log: {self.log_tail()}"
            ) from exc
        if "pid" not in reply:
            conn.close()
            raise WarmKernelError(f"warm-kernel server refused: {reply.get('error', reply)}")
        conn.settimeout(None)
        return int(reply["pid"]), conn

    def alive(self) -> bool:
        """True while the server process runs."""
        return self.proc.poll() is None

    def listening(self) -> bool:
        """True if the server has said it listens (checked now, without waiting)."""
        try:
            return self.ready(0)
        except WarmKernelError:
            return False

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the server (it stops its kernels), reap it and remove its folder.

        A server that never said it listens is still importing and has no kernels: it is
        killed. One that listens is asked to stop, so it ends each kernel's process group
        (the kernel and what its cells started), and is killed if it has not exited after
        ``timeout``. The build owns its server without ever waiting for it (its workers do),
        so this is checked here: killing a listening server at once left its kernels to the
        parent-death signal, which ends the kernel only, and a subprocess a cell had started
        outlived the stopped build. In a build stopped by a signal the request is served too:
        its workers leave the shared server's socket folder alone (``executors.end_worker``).
        """
        if self.proc.poll() is None and os.getpid() == self.owner and not self.listening():
            self.proc.kill()  # still importing: it has no kernels yet
            self.proc.wait()
        if self.proc.poll() is None and os.getpid() == self.owner:
            with contextlib.suppress(OSError, WarmKernelError, ConnectionError):
                conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                conn.settimeout(timeout)
                conn.connect(self.socket)
                _send_msg(conn, {"op": "stop"})
                _recv_msg(conn)
                conn.close()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class SharedServer(ServerHandle):
    """A server another process (the build) started and owns, reached at its socket.

    Build workers use it instead of starting their own (:func:`share`): one server per
    build instead of one per worker. This process neither starts nor stops it; a server
    that refuses or fails means normal kernels here (the owner replaces nothing).
    """

    def __init__(self, shared: str) -> None:
        """Attach to the server ``shared`` names (``PID:SOCKET``, as :func:`share` sets it)."""
        pid, _, sock = shared.partition(":")
        self.key = ("shared", shared)
        self.owner = os.getpid()
        self.server_pid = int(pid) if pid.isdigit() else 0
        self.socket = sock
        self.dir = Path(sock).parent
        self.log = self.dir / "server.log"
        self.started = time.monotonic()

    def ready(self, wait: float = 0.0) -> bool:
        """True once the socket exists (the server binds it when ready); waits up to ``wait``.

        Raises:
            WarmKernelError: the server exited before it was ready (the message has its
                log's tail), or its folder is gone (the build stopped it).
        """
        deadline = time.monotonic() + wait
        while not os.path.exists(self.socket):
            if not self.dir.is_dir():
                raise WarmKernelError(f"the build's warm-kernel server at {self.socket} is gone")
            if not pid_running(self.server_pid):
                raise WarmKernelError(
                    f"the build's warm-kernel server (pid {self.server_pid}) exited while "
                    f"starting: {self.log_tail()}; set {ENV_SWITCH}=0 for normal kernels"
                )
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
        return True

    def alive(self) -> bool:
        """True while the owner's folder exists (the owner removes it when it stops)."""
        return self.dir.is_dir()

    def stop(self, timeout: float = 5.0) -> None:
        """Nothing: the owner stops the server."""


_LOCK = threading.Lock()
_SERVER: list[ServerHandle] = []  # zero or one, owned by this process (or shared with it)


def get_server(env: dict[str, str], options: Iterable[str] = ()) -> ServerHandle:
    """This process's fork server for ``env`` and interpreter ``options`` (started as needed)."""
    options = list(options)
    with _LOCK:
        current = _SERVER[0] if _SERVER else None
        if current is not None and current.owner != os.getpid():
            _SERVER.clear()  # inherited through fork: not ours to use or stop
            current = None
        shared = env.get(ENV_SHARED, "").strip()
        if shared:  # a build worker: the build's server (see share())
            if not (isinstance(current, SharedServer) and current.key == ("shared", shared)):
                if current is not None:
                    current.stop()
                _SERVER[:] = [SharedServer(shared)]
            return _SERVER[0]
        full = preload_level(env) == "full"
        preload = full and env.get(ENV_DATA, "1").strip().lower() not in _OFF
        modules = default_modules() if full else KERNEL_MODULES
        key = (server_key(env, options), preload, modules, full)
        if current is not None and (current.key != key or not current.alive()):
            current.stop()
            _SERVER.clear()
            current = None
        if current is None:
            current = ServerHandle(env, modules, preload, options, warm=full)
            _SERVER.append(current)
        return current


@contextlib.contextmanager
def share(kernel_name: str = "python3") -> Iterator[bool]:
    """One server for a build's workers: started here, reached by every worker.

    Starts this process's server without waiting (it imports and loads while the build
    evaluates its claims ledger) and, in the block, sets ``$KZANALYSIS_WARM_SOCKET`` so
    that worker processes spawned in it fork their kernels from this server
    (:class:`SharedServer`) instead of each starting its own: the libraries are imported
    and the tables loaded once per build, not once per worker. The server stops when
    the block ends. Yields False (and changes nothing) when warm kernels are off or the
    server cannot start.
    """
    started = False
    if enabled() and ENV_SHARED not in os.environ:
        try:
            prestart(kernel_name)  # does not wait
        except WarmKernelError as exc:
            print(f"kzanalysis: no shared warm-kernel server: {exc}", file=sys.stderr)
        own = _SERVER[0] if _SERVER else None
        started = type(own) is ServerHandle and own.owner == os.getpid()
    if not started:
        yield False
        return
    try:
        with _env_unless_set(ENV_SHARED, f"{_SERVER[0].proc.pid}:{_SERVER[0].socket}"):
            yield True
    finally:
        stop_server()


def stop_server() -> None:
    """Stop this process's fork server, if any (registered with :mod:`atexit`)."""
    with _LOCK:
        if _SERVER and _SERVER[0].owner == os.getpid():
            _SERVER[0].stop()
        _SERVER.clear()


atexit.register(stop_server)


class ForkedKernel:
    """A ``subprocess.Popen``-like handle on a forked kernel (not our child: the server's)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, conn: socket.socket) -> None:
        """Wrap the kernel ``pid`` whose exit status arrives on ``conn``."""
        self.pid = pid
        self.returncode: int | None = None
        self._conn: socket.socket | None = conn

    def poll(self) -> int | None:
        """The exit code if the kernel has ended, else None (never blocks)."""
        if self.returncode is not None or self._conn is None:
            return self.returncode
        ready, _, _ = select.select([self._conn], [], [], 0)
        if ready:
            try:
                self.returncode = int(_recv_msg(self._conn)[0]["exit"])
            except (OSError, ConnectionError, ValueError, KeyError):
                # server gone without a status: the kernel dies with it (parent poller)
                self.returncode = None if pid_alive(self.pid) else -signal.SIGKILL
                if self.returncode is None:
                    return None
            self.close()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the exit code (polling).

        Raises:
            subprocess.TimeoutExpired: still running after ``timeout`` seconds.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.02)
        return code

    def send_signal(self, sig: int) -> None:
        """Signal the kernel's process group (nothing once it has ended)."""
        if self.poll() is None:
            os.killpg(self.pid, sig)

    def kill(self) -> None:
        """SIGKILL the kernel's process group."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """SIGTERM the kernel's process group."""
        self.send_signal(signal.SIGTERM)

    def close(self) -> None:
        """Drop the status connection (the server kills a kernel still running)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _kernel_args(cmd: list[str]) -> tuple[list[str], list[str]] | None:
    """(interpreter options, ipykernel arguments) if ``cmd`` runs this Python's ipykernel.

    ``[sys.executable, *options, "-m", "ipykernel_launcher", *arguments]`` where the
    options are ``-X…`` flags (ipykernel's kernelspec adds ``-Xfrozen_modules=off``);
    anything else is None (launched normally).
    """
    if not cmd or os.path.abspath(cmd[0]) != os.path.abspath(sys.executable):
        return None
    i = 1
    while i < len(cmd) and cmd[i].startswith("-X") and len(cmd[i]) > 2:
        i += 1
    if cmd[i : i + 2] != ["-m", "ipykernel_launcher"]:
        return None
    return cmd[1:i], cmd[i + 2 :]


def _launcher_path() -> str:
    import importlib.util

    spec = importlib.util.find_spec("ipykernel_launcher")
    return spec.origin if spec and spec.origin else "ipykernel_launcher"


def _fork(env: dict[str, str], options: list[str], request: dict[str, Any]) -> ForkedKernel | None:
    """A kernel forked by this process's server, or None while the server is starting.

    The server is started on first use and never waited for: kernels launch normally
    until it is ready, so a process that runs one small notebook pays nothing for it.

    Raises:
        WarmKernelError: the server failed or refused (a stale one is replaced, started
            for the next kernel).
    """
    server = get_server(env, options)
    try:
        if not server.ready():
            return None
        devnull = os.open(os.devnull, os.O_RDONLY)
        try:
            pid, conn = server.fork(request, [devnull, 1, 2])
        finally:
            os.close(devnull)
    except WarmKernelError:
        with _LOCK:
            if _SERVER and _SERVER[0] is server:
                _SERVER.clear()
        server.stop()
        get_server(env, options)  # its replacement gets ready while this kernel runs
        raise
    return ForkedKernel(pid, conn)


def prestart(kernel_name: str = "python3", wait: float = 0.0) -> bool:
    """Start this process's server for ``kernel_name`` kernels now; True once it is ready.

    Build workers may call it when they start; tests call it with ``wait`` so that
    the next kernel is forked. Returns False when warm kernels are off or the kernel
    is not this Python's ipykernel.

    Raises:
        WarmKernelError: the server failed to start (see :meth:`ServerHandle.ready`).
    """
    from jupyter_client.kernelspec import KernelSpecManager

    if not enabled():
        return False
    spec = KernelSpecManager().get_kernel_spec(kernel_name)
    argv = list(spec.argv)
    if argv and argv[0] in {"python", "python3", f"python3.{sys.version_info[1]}"}:
        argv[0] = sys.executable
    parsed = _kernel_args(argv)
    if parsed is None:
        return False
    env = {**os.environ, **(spec.env or {})}
    return get_server(env, parsed[0]).ready(wait)


class WarmProvisioner(LocalProvisioner):
    """jupyter_client's LocalProvisioner that forks ipykernel from the warm server.

    Commands other than this Python's ``-m ipykernel_launcher``, and a server that
    cannot start or fork, get the normal ``subprocess`` launch (a line on stderr says so).
    """

    warm = False

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        """Fork the kernel from the server (or launch it normally, see the class doc)."""
        parsed = _kernel_args(cmd)
        if parsed is None:
            return await super().launch_kernel(cmd, **kwargs)
        options, args = parsed
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        request = {"args": args, "cwd": cwd, "env": env, "argv0": _launcher_path()}
        try:
            process = _fork(env, options, request)
        except WarmKernelError as exc:
            print(f"kzanalysis: warm kernel unavailable, normal kernel: {exc}", file=sys.stderr)
            process = None
        if process is None:  # the server is still starting (or failed): a normal launch
            return await super().launch_kernel(cmd, **kwargs)
        self.process = process
        self.pid = self.pgid = process.pid
        self.cwd = cwd
        self.warm = True
        return self.connection_info

    async def send_signal(self, signum: int) -> None:
        """Signal the forked kernel's process group (nothing once it has ended)."""
        if self.warm and self.process is not None:
            self.process.send_signal(signum)
            return
        await super().send_signal(signum)

    async def cleanup(self, restart: bool = False) -> None:
        """Close the status connection, then the usual cleanup (cached ports)."""
        if self.warm and self.process is not None:
            self.process.close()
        await super().cleanup(restart=restart)


class WarmKernelManager(IpcKernelManager):
    """IpcKernelManager whose kernels are forked from the warm server.

    Pass it as ``kernel_manager_class`` to ``papermill.execute_notebook`` (nbclient);
    a kernelspec that names its own provisioner keeps it.
    """

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        spec_meta = getattr(self.kernel_spec, "metadata", None) or {}
        if self.provisioner is None and "kernel_provisioner" not in spec_meta:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = WarmProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kw)


if __name__ == "__main__":
    sys.exit(_serve_main(sys.argv[1:]))

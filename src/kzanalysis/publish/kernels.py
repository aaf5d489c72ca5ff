"""Kernel managers for builds: a kernel's sockets are Unix sockets in its own folder.

jupyter_client's default TCP transport picks "free" loopback ports by binding and
releasing them, writes them to the connection file and starts the kernel, which binds
them again. In between, another process — a parallel build worker, another test's
kernel, a browser — can take one; the kernel then dies with ``Address already in use``
before replying to ``kernel_info`` and the report fails for nothing (papermill #511; it
failed a CI run here once). ZeroMQ's ``ipc`` transport has no ports to race for: the
sockets are files in a folder made for the kernel (mode 0700, so no other local user can
connect either), removed when the kernel is cleaned up. Where those folders live and how
the ones of killed processes are removed: :mod:`kzanalysis.publish.sockets`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from jupyter_client.connect import ConnectionFileMixin
from jupyter_client.manager import AsyncKernelManager, KernelManager
from jupyter_client.utils import run_sync
from traitlets import CaselessStrEnum, default

from kzanalysis.publish.sockets import new_socket_dir


class _PrivateSockets(ConnectionFileMixin):
    """Mixin for a jupyter_client KernelManager: ``ipc`` transport in a private folder."""

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    @default("ip")
    def _ip_default(self) -> str:
        """For ``ipc``: a path prefix in a new private folder (``<tmp>/kzk-<pid>-XXXX/k``)."""
        if self.transport != "ipc":
            return super()._ip_default()  # type: ignore[misc]
        folder = new_socket_dir()
        self._socket_dir = folder
        return str(Path(folder) / "k")

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        """The usual cleanup; then, unless restarting, remove the socket folder."""
        await super()._async_cleanup_resources(restart=restart)  # type: ignore[misc]
        folder = getattr(self, "_socket_dir", None)
        if folder and not restart:
            shutil.rmtree(folder, ignore_errors=True)


class IpcKernelManager(_PrivateSockets, AsyncKernelManager):
    """AsyncKernelManager with private Unix sockets (builds, ``kzanalysis refresh``).

    Pass it as ``kernel_manager_class`` to ``papermill.execute_notebook`` or nbclient.
    """

    cleanup_resources = _PrivateSockets._async_cleanup_resources  # as AsyncKernelManager


class IpcBlockingKernelManager(_PrivateSockets, KernelManager):
    """The blocking KernelManager with private Unix sockets (the test suite's nbval)."""

    cleanup_resources = run_sync(_PrivateSockets._async_cleanup_resources)

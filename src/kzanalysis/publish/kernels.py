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

The async managers hand out :class:`ReadyKernelClient`: jupyter_client's readiness check
ends by waiting until IOPub has been quiet for 0.2 s, every time (a fifth of a second
idle per report); this one drains what is already there instead. Nothing depends on that
wait: the notebook client takes only the messages that answer its own requests.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.connect import ConnectionFileMixin
from jupyter_client.manager import AsyncKernelManager, KernelManager
from jupyter_client.utils import run_sync
from traitlets import CaselessStrEnum, DottedObjectName, Type, default

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


#: Seconds between checks that a stopped kernel's process has ended.
WAIT_POLL_S = 0.005
#: Seconds to wait for each reply while checking that a new kernel is ready.
READY_POLL_S = 1.0
#: Seconds to wait for the first IOPub message after the ``kernel_info`` reply (is IOPub
#: connected yet?), as jupyter_client does.
IOPUB_CHECK_S = 0.2


class ReadyKernelClient(AsyncKernelClient):
    """jupyter_client's async client; ready as soon as the kernel answers on both channels."""

    async def _ready(self, timeout: float | None = None) -> None:
        """Send ``kernel_info`` until the reply comes and IOPub is connected, then drain the
        IOPub messages already received (without waiting for more).

        Raises:
            RuntimeError: the kernel died or did not answer within ``timeout`` seconds (the
                messages jupyter_client gives, which nbclient reports).
        """
        deadline = time.time() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=READY_POLL_S)
            except Empty:
                pass
            else:
                if msg["msg_type"] == "kernel_info_reply":
                    try:
                        await self.iopub_channel.get_msg(timeout=IOPUB_CHECK_S)
                    except Empty:
                        pass  # IOPub not connected yet: ask again
                    else:
                        self._handle_kernel_info_reply(msg)
                        break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.time() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
        while True:  # what is already there; the rest is ignored by whoever executes
            try:
                await self.iopub_channel.get_msg(timeout=0)
            except Empty:
                break
            await asyncio.sleep(0)

    wait_for_ready = _ready


class IpcKernelManager(_PrivateSockets, AsyncKernelManager):
    """AsyncKernelManager with private Unix sockets (builds, ``kzanalysis refresh``) and
    :class:`ReadyKernelClient` clients.

    Pass it as ``kernel_manager_class`` to ``papermill.execute_notebook`` or nbclient.
    """

    client_class = DottedObjectName("kzanalysis.publish.kernels.ReadyKernelClient", config=True)
    client_factory = Type(klass=ReadyKernelClient, config=True)

    async def _async_wait(self, pollinterval: float = WAIT_POLL_S) -> None:
        """Wait for the kernel process to end, checking every :data:`WAIT_POLL_S` seconds
        (jupyter_client checks every 0.1 s: a killed kernel cost that much per report)."""
        await super()._async_wait(pollinterval=pollinterval)  # type: ignore[misc]

    cleanup_resources = _PrivateSockets._async_cleanup_resources  # as AsyncKernelManager


class IpcBlockingKernelManager(_PrivateSockets, KernelManager):
    """The blocking KernelManager with private Unix sockets (the test suite's nbval)."""

    cleanup_resources = run_sync(_PrivateSockets._async_cleanup_resources)

"""Several server processes on one address, each with a listening socket of its own.

``bcci-dispatch serve --workers N`` runs N processes under uvicorn's
supervisor. With one shared listening socket, every process woken by a new
connection races to accept it, and the first to run accepts all that are
waiting: a burst of connections (a client pool opening at once) mostly lands
on one process, whose clients then wait while the other idles (measured under
the bench's load: 40 of 50 keep-alive connections on one of two processes,
plan p99 820 ms against about 200 ms when they were spread 25/25). With a
socket each (``SO_REUSEPORT``), Linux spreads new connections over the sockets
by a hash of their addresses, whatever each process is doing (socket(7)): even on
average, not exactly (50 connections over two: 25/25 to 21/29 mostly, 33/17 at worst
in 27 measured rounds).
"""

from __future__ import annotations

import socket
from collections.abc import Callable

from uvicorn import Config
from uvicorn.supervisors import Multiprocess


def listening_sockets(host: str, port: int, count: int, backlog: int) -> list[socket.socket]:
    """``count`` sockets listening on ``host:port`` together (``SO_REUSEPORT``).

    Port 0: the port the first one gets, for all. Raises ``OSError`` when the
    address cannot be bound (every socket made so far is closed).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            port = sock.getsockname()[1]
            sock.listen(backlog)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


class OwnSocketEach(Multiprocess):
    """uvicorn's supervisor, where the process in slot ``i`` serves ``sockets[i]`` only.

    It starts, restarts (``SIGHUP``) and replaces (a dead or hung one) processes
    with uvicorn's own code, one slot at a time, so that a replacement serves
    its slot's socket: no socket is left without a process to accept on it.
    """

    def __init__(self, config: Config, sockets: list[socket.socket]) -> None:
        if len(sockets) != config.workers:
            raise ValueError(f"{len(sockets)} sockets for {config.workers} processes")
        super().__init__(config, sockets)
        self._slots = list(sockets)

    def _per_slot(self, step: Callable[[], None]) -> None:
        """Run ``step`` (a supervisor method) once per slot, as if it were the only one."""
        everyone = self.processes
        try:
            for idx, sock in enumerate(self._slots):
                self.processes, self.sockets, self.processes_num = everyone[idx:idx + 1], [sock], 1
                step()
                everyone[idx:idx + 1] = self.processes
        finally:
            self.processes, self.sockets = everyone, self._slots
            self.processes_num = len(self._slots)

    def init_processes(self) -> None:
        """Start one process per socket."""
        self._per_slot(super().init_processes)

    def restart_all(self) -> None:
        """Replace every process (``SIGHUP``), each by one on the same socket."""
        self._per_slot(super().restart_all)

    def keep_subprocess_alive(self) -> None:
        """Replace a dead or hung process by one on the same socket."""
        self._per_slot(super().keep_subprocess_alive)

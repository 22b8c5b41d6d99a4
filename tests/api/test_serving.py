"""``serve --workers N``: a listening socket per process, spread by the kernel, kept per slot."""

from __future__ import annotations

import signal
import socket
from typing import Any, ClassVar, cast

import pytest
import uvicorn
from uvicorn.supervisors import multiprocess

from api.serving import OwnSocketEach, listening_sockets

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="Linux/BSD only")


def test_new_connections_are_spread_over_the_sockets() -> None:
    """60 connections at once land on all three sockets (one shared socket: the first takes all)."""
    sockets = listening_sockets("127.0.0.1", 0, 3, 128)
    clients: list[socket.socket] = []
    try:
        port = sockets[0].getsockname()[1]
        assert {s.getsockname()[1] for s in sockets} == {port}
        for _ in range(60):
            clients.append(socket.create_connection(("127.0.0.1", port)))
        accepted = []
        for sock in sockets:
            sock.setblocking(False)
            count = 0
            while True:
                try:
                    conn, _ = sock.accept()
                except BlockingIOError:
                    break
                conn.close()
                count += 1
            accepted.append(count)
        assert sum(accepted) == 60
        assert min(accepted) >= 5, accepted  # all three: a (2/3)^60-unlikely miss otherwise
    finally:
        for s in clients + sockets:
            s.close()


def test_an_address_in_use_leaves_no_socket_open() -> None:
    """A port held without SO_REUSEPORT: OSError, and the sockets made are closed."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        with pytest.raises(OSError, match="in use"):
            listening_sockets("127.0.0.1", holder.getsockname()[1], 2, 16)


class _FakeProcess:
    """Stands for uvicorn's worker ``Process``: records its sockets; alive until told."""

    made: ClassVar[list[_FakeProcess]] = []

    def __init__(self, _config: Any, sockets: list[socket.socket]) -> None:
        self.sockets = sockets
        self.alive = True
        self.exitcode: int | None = None
        self.pid = len(self.made)
        self.made.append(self)

    def start(self) -> None:
        pass

    def is_alive(self, timeout: float = 5) -> bool:
        return self.alive

    def wait_until_ready(self, *_args: Any) -> bool:
        return True

    def kill(self) -> None:
        self.alive, self.exitcode = False, -9

    def terminate(self) -> None:
        self.alive = False

    def join(self) -> None:
        pass


def _fakes(supervisor: OwnSocketEach) -> list[_FakeProcess]:
    return cast(list[_FakeProcess], supervisor.processes)


def test_each_slot_keeps_its_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    """Started, replaced when dead and restarted: the process of slot i always serves socket i."""
    monkeypatch.setattr(multiprocess, "Process", _FakeProcess)
    monkeypatch.setattr(signal, "signal", lambda *_a: None)  # pytest's stay
    monkeypatch.setattr(_FakeProcess, "made", [])
    sockets = listening_sockets("127.0.0.1", 0, 3, 16)
    try:
        config = uvicorn.Config("api.main:worker_app", workers=3)
        supervisor = OwnSocketEach(config, sockets)
        supervisor.init_processes()
        assert [p.sockets for p in _fakes(supervisor)] == [[s] for s in sockets]
        dead = _fakes(supervisor)[1]
        dead.alive = False
        supervisor.keep_subprocess_alive()
        assert _fakes(supervisor)[1] is not dead
        assert [p.sockets for p in _fakes(supervisor)] == [[s] for s in sockets]
        first = list(supervisor.processes)
        supervisor.restart_all()
        assert all(new is not old for new, old in zip(supervisor.processes, first, strict=True))
        assert [p.sockets for p in _fakes(supervisor)] == [[s] for s in sockets]
        assert supervisor.sockets == sockets
        assert supervisor.processes_num == 3
    finally:
        for s in sockets:
            s.close()


def test_one_socket_per_process() -> None:
    """A socket count that is not the process count is refused."""
    config = uvicorn.Config("api.main:worker_app", workers=2)
    with socket.socket() as one, pytest.raises(ValueError, match="1 sockets for 2 processes"):
        OwnSocketEach(config, [one])

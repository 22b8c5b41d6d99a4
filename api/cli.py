"""``bcci-dispatch``: run the service, add users, store scenario comparisons.

``serve`` runs the service, ``users add`` adds a user, ``scenarios import DIR
--province CODE`` stores the output folder of ``planner scenarios run`` (shown
read-only to managers).

Each takes the database from ``--database-url`` or ``DATABASE_URL`` (default: a
SQLite file under the working directory) and brings its schema up to date
first, so ``users add`` and ``serve`` work on the same database in any order.
"""

from __future__ import annotations

import argparse
import functools
import getpass
import logging
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from api.config import Settings
from api.db import make_engine, make_sessionmaker, upgrade
from api.roles import Role
from api.security import new_password
from api.services.scenarios import ScenarioImportError, import_run
from api.services.users import UserError, add_user
from planner.commands._args import parse_count, parse_date, province_code
from planner.exceptions import InputError
from planner.output.publish import refuse_a_file


def parser() -> argparse.ArgumentParser:
    """The command line."""
    p = argparse.ArgumentParser(prog="bcci-dispatch", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", default=None,
                   help="SQLAlchemy URL (default: $DATABASE_URL, else ./bcci-dispatch.sqlite3)")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP service (API under /api/v1)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--database-url", default=argparse.SUPPRESS)
    serve.add_argument("--workers", type=parse_count, default=1,
                       help="server processes (default 1); with more, this process migrates, "
                       "loads the demo and runs the planning jobs, and N processes serve")
    serve.add_argument("--access-log", action=argparse.BooleanOptionalAction, default=True,
                       help="log every request (default); --no-access-log saves its cost "
                       "under heavy load (reads of personal data are audited either way)")
    serve.add_argument("--demo", action="store_true",
                       help="load the sample province (Lạng Sơn, 20) into an empty database")
    serve.add_argument("--demo-date", type=parse_date, default=None,
                       help="the demo day (default: the next working day in Vietnam)")
    serve.set_defaults(func=_serve)
    users = sub.add_parser("users", help="manage users").add_subparsers(dest="users",
                                                                        required=True)
    add = users.add_parser("add", help="add a user; the password is read from standard input "
                           "(empty: one is generated and printed once)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--province", action="append", default=[], metavar="CODE",
                     help="a 2025 province code the user works on, such as 20 (4 is 04; "
                     "repeat for several)")
    add.add_argument("--courier", default=None, metavar="ID", help="a courier user's courier id")
    add.add_argument("--database-url", default=argparse.SUPPRESS)
    add.set_defaults(func=_users_add)
    scen = sub.add_parser("scenarios", help="stored scenario comparisons").add_subparsers(
        dest="scenarios", required=True)
    imp = scen.add_parser("import", help="store the output folder of 'planner scenarios run' "
                          "(run.json, comparison.csv, days.csv) for a province")
    imp.add_argument("folder", type=Path)
    imp.add_argument("--province", required=True, metavar="CODE",
                     help="the 2025 province code the comparison is about "
                     "(e.g. 20, the sample's; 4 is 04)")
    imp.add_argument("--database-url", default=argparse.SUPPRESS)
    imp.set_defaults(func=_scenarios_import)
    return p


def settings_of(args: argparse.Namespace) -> Settings:
    """Settings from the environment, with the command line's choices on top."""
    overrides: dict[str, Any] = {}
    if args.database_url:
        overrides["database_url"] = args.database_url
    if getattr(args, "demo", False):
        overrides["demo"] = True
    if getattr(args, "demo_date", None) is not None:
        overrides["demo_date"] = args.demo_date
    return Settings(**overrides)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn  # noqa: PLC0415 - only serve needs it

    from api.main import create_app  # noqa: PLC0415 - keeps `users add` light

    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    settings = settings_of(args)
    if args.workers == 1:
        uvicorn.run(create_app(settings, freeze_gc=True), host=args.host, port=args.port,
                    access_log=args.access_log)
    else:
        _serve_processes(settings, args.host, args.port, args.workers,
                         access_log=args.access_log)
    return 0


def _serve_processes(settings: Settings, host: str, port: int, workers: int, *,
                     access_log: bool = True) -> None:
    """Serve from ``workers`` processes sharing one socket; jobs run from this one.

    This process migrates the database and loads the demo before any worker
    starts, then runs the one job runner (``job_workers`` solves at once in
    all) while uvicorn's supervisor keeps the server processes alive.
    """
    import uvicorn  # noqa: PLC0415 - only serve needs it
    from uvicorn.supervisors import Multiprocess  # noqa: PLC0415

    from api.main import close, make_context, start, worker_app  # noqa: PLC0415
    from api.serving import OwnSocketEach, listening_sockets  # noqa: PLC0415

    ctx = make_context(settings)
    try:
        start(ctx)
        ctx.runner.start()
        config = uvicorn.Config(functools.partial(worker_app, settings.model_dump_json()),
                                factory=True, host=host, port=port, workers=workers,
                                access_log=access_log,
                                # a process imports the planner before it answers: seconds
                                # on a loaded machine, over uvicorn's 5 s default
                                timeout_worker_healthcheck=60)
        if hasattr(socket, "SO_REUSEPORT"):
            OwnSocketEach(config, listening_sockets(host, port, workers, config.backlog)).run()
        else:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
    finally:
        close(ctx)


def _read_password() -> str:
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        return getpass.getpass("password (empty: generate one): ")
    return sys.stdin.readline().rstrip("\r\n")


def _users_add(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    engine = make_engine(settings.database_url, pooled=False)
    try:
        upgrade(engine)
        password = _read_password()
        generated = not password
        password = password or new_password()
        with make_sessionmaker(engine)() as session:
            user = add_user(session, args.name, Role(args.role), password,
                            provinces=args.province, courier_id=args.courier)
    except UserError as err:
        print(f"bcci-dispatch: {err}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"added {user.role} '{user.name}' (id {user.id})")
    if generated:
        print(f"password (shown once): {password}")
    return 0


def _scenarios_import(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    engine = make_engine(settings.database_url, pooled=False)
    try:
        upgrade(engine)
        with make_sessionmaker(engine)() as session:
            row = import_run(session, args.folder, args.province, by=getpass.getuser())
            row_id, scenarios = row.id, row.scenarios
    except ScenarioImportError as err:
        print(f"bcci-dispatch: {err}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"stored comparison {row_id} ({scenarios} scenarios) for province {args.province}: "
          f"GET /api/v1/scenarios/{row_id}")
    return 0


def check_options(args: argparse.Namespace) -> None:
    """Check and normalise the options argparse cannot, before any database is opened.

    The rules and words of ``planner`` (:mod:`planner.commands._args`,
    :func:`planner.output.publish.refuse_a_file`): a province is one of the 34
    codes of 2025 (DOMAIN.md §6), a leading zero may be dropped (``4`` is
    ``04``); the folder of ``scenarios import`` is not a file.

    Raises
    ------
    InputError
        A province code that is not one of 2025's, or a FOLDER that is a file.
    """
    if args.command == "users":
        args.province = list(dict.fromkeys(province_code(c) for c in args.province))
    elif args.command == "scenarios":
        args.province = province_code(args.province)
        refuse_a_file(args.folder, "FOLDER")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``bcci-dispatch``: exit 2 for a bad option, as argparse's own."""
    args = parser().parse_args(argv)
    try:
        check_options(args)
    except InputError as err:
        print(f"bcci-dispatch: {err}", file=sys.stderr)
        return 2
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())

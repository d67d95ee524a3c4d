"""`daihoi serve` (the committee web app) and `daihoi user add|list|disable` (its accounts)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pipeline.cli.common import Parents, add_db_option, reports_store_errors, say
from pipeline.i18n import message


def register(sub: Any, parents: Parents, lang: str) -> None:
    def h(key: str) -> str:
        return message(f"cli.opt.{key}", lang)

    p = sub.add_parser("serve", parents=[parents.common], help=message("cli.serve.help", lang),
                       description=message("cli.serve.help", lang))
    add_db_option(p, lang)
    p.add_argument("--host", default="127.0.0.1", help=h("serve.host"))
    p.add_argument("--port", type=int, default=8000, help=h("serve.port"))
    p.add_argument("--max-upload", type=float, default=50, metavar="MB",
                   help=h("serve.max_upload"))
    p.add_argument("--secure-cookies", action="store_true", help=h("serve.secure_cookies"))
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help=h("serve.timeout"))
    p.set_defaults(func=serve)

    user = sub.add_parser("user", parents=[parents.common], help=message("cli.user.help", lang),
                          description=message("cli.user.help", lang))
    actions = user.add_subparsers(dest="action", required=True, metavar="ACTION",
                                  title=message("cli.group.actions", lang), help=h("user.action"))
    add = actions.add_parser("add", parents=[parents.common], help=message("cli.user.add", lang))
    add.add_argument("name", metavar="NAME", help=h("user.name"))
    add.add_argument("--role", choices=("admin", "auditor", "unit"), required=True,
                     help=h("user.role"))
    add.add_argument("--unit", metavar="UNIT", help=h("user.unit"))
    add.add_argument("--password-stdin", action="store_true", help=h("user.password_stdin"))
    add_db_option(add, lang)
    add.set_defaults(func=user_add)
    listing = actions.add_parser("list", parents=[parents.common],
                                 help=message("cli.user.list", lang))
    add_db_option(listing, lang)
    listing.set_defaults(func=user_list)
    disable = actions.add_parser("disable", parents=[parents.common],
                                 help=message("cli.user.disable", lang))
    disable.add_argument("name", metavar="NAME", help=h("user.name"))
    add_db_option(disable, lang)
    disable.set_defaults(func=user_disable)


@reports_store_errors
def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from pipeline.store.database import Store
    from pipeline.store.web_tables import count_users, ensure_web_tables
    from pipeline.web.app import create_app

    app = create_app(args.db, max_upload_mb=args.max_upload, secure_cookies=args.secure_cookies,
                     analysis_timeout=args.timeout)
    with Store(args.db) as store:
        ensure_web_tables(store.conn)
        if count_users(store.conn) == 0:
            say("cli.serve.no_users", args.lang, stderr=True, db=args.db)
    say("cli.serve.listening", args.lang, url=f"http://{args.host}:{args.port}/", db=args.db)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _users_conn(db: Any) -> Any:
    from pipeline.store.database import Store
    from pipeline.store.web_tables import ensure_web_tables

    store = Store(db)
    ensure_web_tables(store.conn)
    return store


def _read_password(args: argparse.Namespace) -> str | None:
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(message("cli.user.password", args.lang))
    second = getpass.getpass(message("cli.user.password_again", args.lang))
    if first != second:
        say("cli.user.mismatch", args.lang, stderr=True)
        return None
    return first


@reports_store_errors
def user_add(args: argparse.Namespace) -> int:
    from pipeline.store.web_tables import add_user
    from pipeline.web.auth import MIN_PASSWORD, hash_password

    if args.role == "unit" and not (args.unit or "").strip():
        say("cli.user.unit_required", args.lang, stderr=True)
        return 2
    password = _read_password(args)
    if password is None:
        return 2
    if len(password) < MIN_PASSWORD:
        say("cli.user.too_short", args.lang, stderr=True, n=MIN_PASSWORD)
        return 2
    with _users_conn(args.db) as store:
        try:
            user = add_user(store.conn, args.name, args.role, args.unit, hash_password(password))
        except ValueError as exc:
            say(f"cli.user.{exc}", args.lang, stderr=True, name=args.name)
            return 2
    say("cli.user.added", args.lang, name=user.name, role=user.role,
        unit=user.unit or "-")
    return 0


@reports_store_errors
def user_list(args: argparse.Namespace) -> int:
    from rich.table import Table

    from pipeline.cli.common import console, shown
    from pipeline.store.web_tables import list_users

    with _users_conn(args.db) as store:
        users = list_users(store.conn)
    table = Table()
    for key in ("name", "role", "unit", "state"):
        table.add_column(message(f"cli.user.col.{key}", args.lang))
    for u in users:
        state = message("cli.user.disabled" if u.disabled else "cli.user.active", args.lang)
        table.add_row(shown(u.name), u.role, shown(u.unit or ""), state)
    console().print(table)
    return 0


@reports_store_errors
def user_disable(args: argparse.Namespace) -> int:
    from pipeline.store.web_tables import disable_user

    with _users_conn(args.db) as store:
        found = disable_user(store.conn, args.name)
    if not found:
        say("cli.user.no_such_user", args.lang, stderr=True, name=args.name)
        return 1
    say("cli.user.disabled_done", args.lang, name=args.name)
    return 0

"""Command line: thin wrappers over the services."""
from __future__ import annotations

import json
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from factcheck.errors import DomainError
from factcheck.extensions import db
from factcheck.models import Role
from factcheck.services import audit
from factcheck.services import users as user_service
from factcheck.services.context import Context, RequestInfo


def cli_context() -> Context:
    """The services' context of a command: the operator at the console, no client address."""
    return Context.of(db.session, current_app.extensions["factcheck"], RequestInfo(request_id="cli"))


users_cli = AppGroup("users", help="Manage user accounts.")
demo_cli = AppGroup("demo", help="The demo newsroom.")
audit_cli = AppGroup("audit", help="The audit log.")
claims_cli = AppGroup("claims", help="Claims and claim suggestions.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice([r.value for r in Role]),
              help="Repeat for several roles.")
@click.option("--name", "display_name", default=None, help="Display name (default: from the email).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email: str, roles: tuple[str, ...], display_name: str | None, password_stdin: bool) -> None:
    """Create a user; asks for the password unless --password-stdin is given."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = user_service.create_user(cli_context(), actor=None, actor_label="cli", email=email, password=password,
                                        roles=list(roles), display_name=display_name)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Created {user.email} ({', '.join(sorted(user.roles))}).")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only when the database has no users yet (what `make run` does).")
def load_demo(if_empty: bool) -> None:
    """Load the demo newsroom (does nothing when it is already there)."""
    from factcheck import demo

    if if_empty and not demo.database_is_empty(db.session):
        if demo.is_loaded(db.session):
            click.echo(demo.logins_text())
        else:
            click.echo("The database already has users; the demo newsroom was not loaded.")
        return
    created = demo.load(cli_context())
    click.echo("Demo newsroom loaded." if created else "Demo newsroom already present; nothing changed.")
    click.echo(demo.logins_text())


@audit_cli.command("verify")
def verify_audit() -> None:
    """Check the hash chain of the audit log; exit 1 naming the first broken event. The result is
    itself recorded in the log (action audit.verified, actor "cli")."""
    report = audit.verify_and_record(cli_context(), actor=None, actor_label="cli")
    if report.intact:
        click.echo(f"Audit chain intact: {report.count} events verified.")
        return
    click.echo(f"Audit chain BROKEN at event {report.first_broken_id}: {report.problem}. "
               f"{report.count} events before it verified.", err=True)
    sys.exit(1)


@audit_cli.command("verify-archive")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--filtered", is_flag=True, help="The export was filtered: check each line's hash, not the links between lines.")
@click.option("--offline", is_flag=True, help="Do not compare the hashes with this database's log.")
def verify_archive_command(path: str, filtered: bool, offline: bool) -> None:
    """Check an archived JSON Lines export: its hashes, its links, and that the live log holds the same events."""
    with open(path, encoding="utf-8") as lines:
        report = audit.verify_archive(lines, None if offline else db.session, linked=not filtered)
    if report.intact:
        against = "" if offline else f"; {report.matched_live} match the live log"
        click.echo(f"Archive intact: {report.count} events verified{against}.")
        return
    where = f" at event {report.event_id}" if report.event_id is not None else ""
    click.echo(f"Archive BROKEN{where}: {report.problem}. {report.count} events before it verified.", err=True)
    sys.exit(1)


@claims_cli.command("suggest")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "output_format", type=click.Choice(["json", "text"]), default="json", show_default=True)
def suggest_claims_command(path: str, output_format: str) -> None:
    """Print the claims factcheck would suggest for a UTF-8 text file (offsets into the file's text)."""
    from factcheck.extraction import suggest_file

    try:
        suggestions = suggest_file(path)
    except UnicodeDecodeError:
        raise click.ClickException(f"{path} is not UTF-8 text.") from None
    if output_format == "json":
        click.echo(json.dumps(suggestions, ensure_ascii=False, indent=1))
        return
    for item in suggestions:
        who = item["claimant"] or "(the outlet)"
        click.echo(f"[{item['start']}:{item['end']}] {item['score']:.2f} {item['kind']} — {who}: {item['quote']}")


def init_app(app: Flask) -> None:
    for group in (users_cli, demo_cli, audit_cli, claims_cli):
        app.cli.add_command(group)
    __import__("factcheck.cli_backup").cli_backup.init_app(app)  # export / import (factcheck/backup.py)

"""Command line: thin wrappers over the services."""
from __future__ import annotations

import json
import sys
from collections.abc import Sequence

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
mail_cli = AppGroup("mail", help="E-mail of notifications.")
db_roles_cli = AppGroup("db-roles", help="PostgreSQL roles: the tables' owner runs migrations, a runtime role runs the app.")


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
    """Check the audit log: every hash (keyed with FACTCHECK_AUDIT_KEY), every link and position, and
    that the head anchored outside the database is still there; exit 1 naming the first broken event
    or what is missing. The result is itself recorded in the log (action audit.verified, actor "cli")."""
    report = audit.verify_and_record(cli_context(), actor=None, actor_label="cli")
    if report.intact:
        anchored = f" (checkpoint at seq {report.checkpoint.seq} present)" if report.checkpoint else ""
        click.echo(f"Audit chain intact: {report.count} events verified{anchored}.")
        _echo_slow_reads(report.slow_reads, err=False)
        return
    where = f" at event {report.first_broken_id}" if report.first_broken_id is not None else ""
    click.echo(f"Audit chain BROKEN{where}: {report.problem}. {report.count} events before it verified.", err=True)
    _echo_slow_reads(report.slow_reads, err=True)
    sys.exit(1)


def _echo_slow_reads(slow_reads: Sequence[str], *, err: bool) -> None:
    """Where verification took the slower way and why: an operator sees an event stored in another
    form (another writer) before it costs a walk of the whole log."""
    for line in slow_reads[:audit.SLOW_READS_SHOWN]:
        click.echo(f"  read the slower way: {line}", err=err)
    if len(slow_reads) > audit.SLOW_READS_SHOWN:
        click.echo(f"  … and {len(slow_reads) - audit.SLOW_READS_SHOWN} more.", err=err)


@audit_cli.command("verify-archive")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--filtered", is_flag=True, help="The export was filtered: check each line's hash, not the links between lines.")
@click.option("--offline", is_flag=True, help="Do not compare the hashes with this database's log.")
@click.option("--without-checkpoint", is_flag=True,
              help="Accept an export made before exports ended with a checkpoint line.")
def verify_archive_command(path: str, filtered: bool, offline: bool, without_checkpoint: bool) -> None:
    """Check an archived JSON Lines export: its hashes, its links, its final checkpoint line, and that
    the live log holds the same events. Needs the audit key (FACTCHECK_AUDIT_KEY), even --offline."""
    with open(path, encoding="utf-8") as lines:
        report = audit.verify_archive(lines, None if offline else db.session, key=cli_context().settings.audit_key,
                                      linked=not filtered, require_checkpoint=not without_checkpoint)
    if report.intact:
        against = "" if offline else f"; {report.matched_live} match the live log"
        head = f"; checkpoint at seq {report.checkpoint.seq} holds" if report.checkpoint else ""
        click.echo(f"Archive intact: {report.count} events verified{against}{head}.")
        return
    where = f" at event {report.event_id}" if report.event_id is not None else ""
    click.echo(f"Archive BROKEN{where}: {report.problem}. {report.count} events before it verified.", err=True)
    sys.exit(1)


@db_roles_cli.command("grant-runtime")
@click.argument("role")
@click.option("--apply", "apply_", is_flag=True, help="Run the statements (as the tables' owner) instead of printing them.")
def grant_runtime_command(role: str, apply_: bool) -> None:
    """Print (or, with --apply, run) the GRANT/REVOKE statements for ROLE, the role the application
    connects as: normal rights on every table, only INSERT and SELECT on audit_events. Run it as the
    owner after every `flask db upgrade`."""
    from sqlalchemy import text

    from factcheck.services.db import runtime_role_grants

    engine = db.engine
    if engine.dialect.name != "postgresql":
        raise click.ClickException("Database roles are a PostgreSQL matter; SQLite has none (the file's "
                                   "permissions are its only guard).")
    with engine.begin() as connection:
        schema = connection.scalar(text("SELECT current_schema()"))
        owner, superuser = connection.execute(text(
            "SELECT t.tableowner, coalesce(r.rolsuper, false) FROM pg_tables t LEFT JOIN pg_roles r "
            "ON r.rolname = :role WHERE t.schemaname = current_schema() AND t.tablename = 'audit_events'"),
            {"role": role}).one()
        if role == owner or superuser:
            raise click.ClickException(f"{role} owns the tables or is a superuser: no GRANT can limit it. "
                                       "Create a separate role for the application.")
        tables = [t for t in db.metadata.tables] + ["alembic_version"]
        statements = runtime_role_grants(role, schema, tables, engine.dialect.identifier_preparer.quote)
        for statement in statements:
            click.echo(statement + ";")
            if apply_:
                connection.execute(text(statement))
    if apply_:
        click.echo(f"Applied: {role} may only INSERT and SELECT on {schema}.audit_events.")
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


@mail_cli.command("send-due")
@click.option("--limit", default=500, show_default=True, help="Handle at most this many e-mails.")
def send_due_mail(limit: int) -> None:
    """Send the queued e-mails that are due, once (what the mail job does); a failure stays queued with
    its error and is retried with back-off on a later run."""
    from factcheck.services import mail

    context = cli_context()
    if context.settings.smtp is None:
        raise click.ClickException("No SMTP server is configured (FACTCHECK_SMTP_URL): no e-mail is sent.")
    report = mail.deliver_due(context, limit=limit)
    click.echo(f"E-mail: {report.sent} sent, {report.retrying} to retry, {report.failed} given up, "
               f"{report.skipped} skipped (e-mail turned off).")


@click.command("notify-due")
def notify_due_command() -> None:
    """Remind assignees of claims due tomorrow and of overdue claims (once per claim, kind and due
    date: running it again sends nothing twice). Meant to run from a scheduler, e.g. hourly."""
    from factcheck.services import notifications

    run = notifications.notify_due(cli_context())
    click.echo(f"Reminders sent: {run.due_tomorrow} due tomorrow, {run.overdue} overdue.")


def init_app(app: Flask) -> None:
    from factcheck import cli_backup

    app.cli.add_command(notify_due_command)

    for group in (users_cli, demo_cli, audit_cli, claims_cli, db_roles_cli, mail_cli):
        app.cli.add_command(group)
    cli_backup.init_app(app)  # export / import (factcheck/backup.py)
    from factcheck.jobs.worker import worker_command

    app.cli.add_command(worker_command)

"""`flask --app factcheck export ARCHIVE` and `flask --app factcheck import ARCHIVE` (factcheck/backup.py)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from factcheck import backup
from factcheck.extensions import db


@click.command("export")
@click.argument("archive", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite ARCHIVE when it exists.")
def export_command(archive: Path, force: bool) -> None:
    """Write every row of every table (the audit chain included) to the zip file ARCHIVE."""
    if archive.exists() and not force:
        raise click.ClickException(f"{archive} exists; choose another name or pass --force.")
    partial = archive.with_name(archive.name + ".partial")
    try:
        summary = backup.export(db.engine, partial)
        partial.replace(archive)
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"Exported {summary.rows} rows of {len(summary.tables)} tables "
               f"(schema revision {summary.revision}) to {archive}.")


@click.command("import")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(archive: Path) -> None:
    """Restore ARCHIVE into this EMPTY database, migrated to the archive's revision; checks every
    table's checksum first and the audit chain after, and imports nothing if either fails."""
    try:
        summary = backup.import_archive(db.session, archive,
                                        audit_key=current_app.extensions["factcheck"].settings.audit_key)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Imported {summary.rows} rows of {len(summary.tables)} tables (schema revision {summary.revision}); "
               f"audit chain intact: {summary.audit_events} events verified.")


def init_app(app: Flask) -> None:
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)

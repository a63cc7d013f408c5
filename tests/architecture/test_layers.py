"""The layers hold: services and the permission table run without Flask, templates hold no rules."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = PROJECT_ROOT / "templates"


def test_services_and_permissions_import_no_flask():
    """Jobs, the command line and the API call the same services without a web request: importing
    every service module and the permission table in a fresh process must not load Flask."""
    script = textwrap.dedent("""
        import importlib, pkgutil, sys
        import factcheck.services, factcheck.security.permissions
        for info in pkgutil.iter_modules(factcheck.services.__path__):
            importlib.import_module(f"factcheck.services.{info.name}")
        loaded = sorted(name for name in sys.modules if name.split(".")[0].startswith("flask"))
        print(",".join(loaded))
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "", f"the services pulled in: {result.stdout.strip()}"


def test_the_check_fails_when_a_service_imports_flask(tmp_path):
    """The check above can fail: a module that imports Flask is caught."""
    (tmp_path / "leaky.py").write_text("import flask\n")
    script = "import sys; sys.path.insert(0, sys.argv[1]); import leaky; print('flask' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


# A status compared with a literal: `x.status == 'final'`, `status in ('a', 'b')`, `selectattr('status', …)`.
STATUS_RULE = re.compile(r"""status\s*(==|!=|\bin\b|\bnot in\b)\s*[(\[]?\s*['"]|selectattr\(\s*['"]status['"]""")


def status_rules(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if STATUS_RULE.search(line)]


def test_templates_ask_the_presenters_instead_of_comparing_statuses():
    offenders = {str(path.relative_to(PROJECT_ROOT)): rules for path in sorted(TEMPLATES.rglob("*.html"))
                 if (rules := status_rules(path.read_text()))}
    assert not offenders, f"templates decide from state lists; ask claims/articles.allowed_actions: {offenders}"


def test_the_template_check_catches_each_form_of_status_rule():
    for rule in ("{% if claim.status == 'final' %}", '{% if article.status not in ("approved", "published") %}',
                 "{% if claim.status in ['open'] %}", "{{ claims|selectattr('status', 'in', ['open']) }}"):
        assert status_rules(rule), rule
    assert not status_rules("{{ status_badge(claim.status) }}")

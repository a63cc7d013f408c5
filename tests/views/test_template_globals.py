"""The templates read the environment's globals themselves, not a ChainMap copied key by key on every
render (factcheck.__init__, FactcheckEnvironment; issue 15): the same globals as Jinja gives, those
added later included, and globals given to one template stay that template's."""
from __future__ import annotations

from collections import ChainMap


def test_a_template_reads_the_environments_globals_and_those_added_later(app):
    env = app.jinja_env
    base = env.get_template("base.html")
    assert base.globals is env.globals and type(env.globals) is dict
    source = env.from_string("{{ added_later }}")
    env.globals["added_later"] = "seen"
    try:
        assert source.render() == "seen"
    finally:
        del env.globals["added_later"]


def test_globals_given_to_one_template_stay_that_templates(app):
    env = app.jinja_env
    before = dict(env.globals)
    own = env.from_string("{{ mine }}|{{ csrf_token is defined }}", globals={"mine": "only here"})
    assert isinstance(own.globals, ChainMap) and own.render() == "only here|True"
    env.get_template("base.html")  # cached, then asked for again with globals of its own
    cached = env.get_template("base.html", globals={"mine": "cached"})
    assert isinstance(cached.globals, ChainMap) and cached.globals["mine"] == "cached"
    assert env.globals == before and "mine" not in env.globals
    assert env.from_string("{{ mine is defined }}").render() == "False"


def test_a_signed_in_page_renders_with_every_global(login_as):
    page = login_as("editor").get("/account/password")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="csrf-token"' in html and "Sign out" in html

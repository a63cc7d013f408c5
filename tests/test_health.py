from factcheck import create_app
from tests.conftest import base_config


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_unreachable_database(tmp_path):
    unreachable = tmp_path / "missing-folder" / "db.sqlite3"
    app = create_app(base_config(f"sqlite:///{unreachable}"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "error"}

"""`flask claims suggest` on the shared real article: offsets into the file as given."""
import json

from factcheck import create_app


def test_claims_suggest_prints_json_with_offsets_into_the_file(shared_data, tmp_path):
    path = shared_data / "articles" / "syria-russia-relations.txt"
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.sqlite3'}"})
    result = app.test_cli_runner().invoke(args=["claims", "suggest", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    suggestions = json.loads(result.output)
    text = path.read_bytes().decode("utf-8")
    labelled = json.loads((shared_data / "articles" / "syria-russia-relations.claims.json").read_text())
    assert suggestions and all(set(s) == {"quote", "start", "end", "claimant", "via", "kind", "score"} for s in suggestions)
    for item in suggestions:
        assert text[item["start"]:item["end"]] == item["quote"]
        assert 0 <= item["score"] <= 1
    peskov = next(s for s in suggestions if "continue dialogue" in s["quote"])
    assert peskov["claimant"] == "Dmitry Peskov" and peskov["via"] == ["Interfax"]
    furniture = labelled["not_claims"][0]["quote"]
    assert not any(furniture in s["quote"] for s in suggestions)


def test_claims_suggest_refuses_a_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.sqlite3'}"})
    result = app.test_cli_runner().invoke(args=["claims", "suggest", str(path)])
    assert result.exit_code != 0
    assert "not UTF-8 text" in result.output

"""Eighth round, second pass: suggestions that named the wrong claimant, each fix tested in
wording of our own (invented people, places and bodies), with cases that must not change."""

from __future__ import annotations

from factcheck.extraction import suggest_claims


def _by_start(text: str, opening: str) -> str | None:
    """Claimant of the suggestion that starts with ``opening``."""
    for s in suggest_claims(text, threshold=0.0):
        if s.quote.startswith(opening):
            return s.claimant
    raise AssertionError(f"no suggestion opens with {opening!r}")


def _quotes(text: str) -> list[str]:
    return [s.quote for s in suggest_claims(text, threshold=0.0)]


_REMARKS = ("Ida Marek, the mayor of Tarn, spoke about the bridge on Monday.\n\n"
            "\"We will rebuild the bridge before winter and nobody will pay a toll for it,\" Marek said.\n\n"
            "\"The contract will be signed next week with a local builder.\" {tag}\n")


def test_a_sentence_saying_where_the_remarks_were_made_is_the_tag_of_the_quotation() -> None:
    for tag in ("She made the remarks in a video posted on her social media page.",
                "Marek made the comments on a phone-in show on the regional radio."):
        text = _REMARKS.format(tag=tag)
        assert not any(q.startswith(tag[:12]) for q in _quotes(text))
        assert _by_start(text, "The contract will be signed") == "Ida Marek"


def test_remarks_sentence_after_reported_speech_is_left_as_it_was() -> None:
    # No quotation before it to be the tag of: it stays a sentence of its own.
    text = ("Pol Aster said the bridge would cost more than planned. He made the remarks at a briefing "
            "when asked about the tender, which closes on Friday.")
    assert any(q.startswith("He made the remarks") for q in _quotes(text))


def test_a_learned_source_across_a_fronted_clause_keeps_what_follows_the_comma() -> None:
    text = ("Although Orla Vance lacks a landmark law of her own, elected officials from both parties say she "
            "has built a name as a careful budget hand.")
    assert _by_start(text, "Although Orla Vance") == "elected officials from both parties"


def test_a_fronted_phrase_that_ends_before_the_subject_is_left_as_it_was() -> None:
    # The speaker already follows the comma: nothing to cut.
    text = "In a long interview on Sunday, Tomas Berg said the harbour would need dredging by spring."
    assert _by_start(text, "In a long interview") == "Tomas Berg"


def test_a_run_in_heading_before_the_tag_is_not_the_speaker() -> None:
    text = "Anger over the tram: Shop owners say the works have cut their takings by half since May."
    assert _by_start(text, "Anger over the tram") == "Shop owners"


def test_a_clause_before_a_colon_is_no_heading() -> None:
    # "We have been here before:" is a clause of the writer's; what follows has no verb of speech.
    text = "We have been here before: Ivo Marek declared war on the council in the spring."
    assert _by_start(text, "We have been here before") is None


def test_a_group_tag_between_commas_names_the_group() -> None:
    text = ("Mayor Ida Marek opened the new depot on Friday. But in recent weeks, advisers to Ms. Marek say, the "
            "mayor has grown tired of the dispute over the tram fares.")
    assert _by_start(text, "But in recent weeks") == "advisers to Ms. Marek"
    assert _by_start("The old bridge, structural engineers say, will need new cables within two years.",
                     "The old bridge") == "structural engineers"


def test_a_named_tag_between_commas_is_left_as_it_was() -> None:
    text = "Tomas Berg opened the depot. The old bridge, Berg said, will need new cables within two years."
    assert _by_start(text, "The old bridge") == "Tomas Berg"

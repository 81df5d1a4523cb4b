import pytest

from reporting.status import Status, parse_status


@pytest.mark.parametrize(
    "text, expected",
    [("Complete", Status.COMPLETE), ("completed", Status.COMPLETE), ("Blue", Status.COMPLETE),
     ("On track", Status.ON_TRACK), ("GREEN", Status.ON_TRACK), ("on-track", Status.ON_TRACK),
     ("Amber", Status.AT_RISK), ("At Risk", Status.AT_RISK), ("Red", Status.OFF_TRACK),
     ("Off track", Status.OFF_TRACK), ("Not started", Status.NOT_STARTED),
     ("Amber/Red", Status.OFF_TRACK), ("Green / Amber", Status.AT_RISK)],
)
def test_officers_spellings_map_onto_the_statuses(text, expected):
    assert parse_status(text) is expected


@pytest.mark.parametrize("text", ["", None, "   ", "Purple", "fine I think"])
def test_blank_or_unknown_gives_no_status(text):
    assert parse_status(text) is None

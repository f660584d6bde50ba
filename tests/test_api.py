"""The declared public API."""

import rashomon


def test_all_is_the_declared_api():
    assert sorted(rashomon.__all__) == [
        "Analysis", "Article", "Brief", "BriefsResult", "IngestResult", "RashomonError", "Rejected", "Span",
        "Store", "analysis_document", "analyze_article", "briefs_document", "build_briefs", "ingest", "read_inputs",
    ]
    for name in rashomon.__all__:
        assert hasattr(rashomon, name), name


def test_errors_share_one_base():
    from rashomon import errors

    for name in ("InputError", "PathNotFound", "StageError", "StoreError", "ModelMissing", "FetchError"):
        assert issubclass(getattr(errors, name), rashomon.RashomonError)


def test_reconcile_steps_declare_their_needs():
    import pytest

    from rashomon.errors import StageError
    from rashomon.reconcile.brief import STEPS, Step, check_steps

    check_steps(STEPS)
    with pytest.raises(StageError, match="needs nothing_adds_this"):
        check_steps([*STEPS, Step("extra", ("nothing_adds_this",), (), lambda ctx: {})])

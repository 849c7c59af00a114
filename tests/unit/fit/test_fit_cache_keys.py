"""Cached draws are keyed only on the code that shapes them; a series' rows on every file of fit/."""

from pathlib import Path

from trackrecord.fit import cache as run  # the cache keys live in fit/cache.py

FIT_DIR = Path(run.__file__).parent


def test_draws_are_keyed_on_the_models_sampler_and_data_only():
    assert set(run.DRAW_CODE_FILES) == {"structures.py", "sampler.py", "data.py", "posterior.py"}
    for name in run.DRAW_CODE_FILES:
        assert (FIT_DIR / name).is_file()


def test_editing_tables_or_run_changes_the_rows_key_but_not_the_draws_key(monkeypatch):
    real = run.hash_files
    seen: list[tuple[str, ...]] = []

    def spy(names):
        seen.append(tuple(names))
        return real(names)

    monkeypatch.setattr(run, "hash_files", spy)
    run.draws_code_version.cache_clear()
    run.code_version.cache_clear()
    try:
        run.draws_code_version()
        run.code_version()
    finally:
        run.draws_code_version.cache_clear()
        run.code_version.cache_clear()
    draws_files, rows_files = seen
    assert "tables.py" not in draws_files and "run.py" not in draws_files
    assert set(rows_files) == {p.name for p in FIT_DIR.glob("*.py")}
    assert run.draws_code_version() != run.code_version()

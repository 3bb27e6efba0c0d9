"""What every test shares: Hypothesis settings that depend neither on the machine nor on the order.

Loaded before any test module, so the settings objects the tests build (tests/reference/
inputs.py, test_strategies.py) inherit it: no deadline and no `too_slow` health check (both
measure the machine's speed), and no example database (a failure saved by one run would be
replayed first by the next, so a test would depend on what ran before it).  With
pytest-randomly active, the run ends by naming its order's seed.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings

settings.register_profile(
    "matgrade-tests",
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("matgrade-tests")


def pytest_terminal_summary(terminalreporter: Any, config: Any) -> None:
    """Name the order of a random run, also under -q (pytest-randomly's header is hidden there)."""
    if config.pluginmanager.hasplugin("randomly"):
        seed = config.getoption("randomly_seed", None)
        terminalreporter.write_line(f"test order: python -m pytest -p randomly --randomly-seed={seed}")

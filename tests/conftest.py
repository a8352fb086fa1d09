"""Shared test settings: hypothesis profiles (CI runs more examples)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# data_too_large is hypothesis's check on its own generator's efficiency, not on the code under
# test; older hypothesis releases (the lower bound, `make test-oldest`) trip it at random.
QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("default", max_examples=60, deadline=None, suppress_health_check=QUIET)
# CI draws more examples, from a fixed seed (derandomize): a red CI run is then reproducible
# with `CI=1 make test`, and a landing never hangs on a lucky draw. Local runs explore at
# random and keep what they find in .hypothesis/.
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=QUIET,
)
# `make test-fast` passes --hypothesis-profile=fast (the plugin loads it after this file): a quarter
# of the default examples, for the inner loop only; `make test` and CI keep the profiles above.
# Under CI (`make test-oldest` runs the fast suite there) it draws from a fixed seed too.
settings.register_profile(
    "fast",
    max_examples=15,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    database=None if os.environ.get("CI") else settings.default.database,
    suppress_health_check=QUIET,
)
settings.load_profile("ci" if os.environ.get("CI") else "default")

"""Shared test settings: hypothesis profiles (CI runs more examples)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=60, deadline=None)
# CI draws more examples, from a fixed seed (derandomize): a red CI run is then reproducible
# with `CI=1 make test`, and a landing never hangs on a lucky draw. Local runs explore at
# random and keep what they find in .hypothesis/.
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# `make test-fast` passes --hypothesis-profile=fast (the plugin loads it after this file): a quarter
# of the default examples, for the inner loop only; `make test` and CI keep the profiles above.
settings.register_profile("fast", max_examples=15, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "default")

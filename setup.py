"""The package list, which pyproject.toml cannot express; everything else is in pyproject.toml.

The top-level ``data/`` and ``notebooks/`` folders ship inside the package as ``divaecon._data``
and ``divaecon._notebooks`` (their files are listed under ``[tool.setuptools.package-data]``), so
they stay where a reader of the repository expects them and an installed copy still has them.
``pyproject.toml`` can either find packages or map folders to package names, not both; sub-packages
of ``divaecon`` are found here so that adding one needs no edit.
"""

from setuptools import find_packages, setup

SHIPPED = {"divaecon._data": "data", "divaecon._notebooks": "notebooks"}
# found through the mapping of their parent
DATA_SUBFOLDERS = ["divaecon._data.scenarios", "divaecon._data.scenarios.futures"]

setup(
    packages=[*find_packages(include=["divaecon", "divaecon.*"]), *SHIPPED, *DATA_SUBFOLDERS],
    package_dir=SHIPPED,
)

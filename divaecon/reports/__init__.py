"""Reports: the notebooks run for each scenario with papermill, exported to PDF, and a comparison.

One concern per module:

- :mod:`~divaecon.reports.inputs` — which notebooks and scenarios, their parameters checked
  before anything runs, and :func:`scenario_for_notebook`, how a notebook reads its scenario;
- :mod:`~divaecon.reports.batch` — the papermill batch: jobs in parallel, failures isolated,
  atomic outputs (:func:`run_batch`, :func:`run_job`);
- :mod:`~divaecon.reports.export` — executed notebook → HTML → PDF (Chromium, weasyprint
  fallback), MathJax from a local copy;
- :mod:`~divaecon.reports.index` — ``index.html`` of a batch;
- :mod:`~divaecon.reports.comparison` — the comparative report of all scenarios.

The command line (``divaecon report``: options, progress, summary) is in :mod:`divaecon.cli`;
the formatted tables the notebooks and the comparison share are in :mod:`divaecon.tables`.
"""

from __future__ import annotations

from divaecon.reports.batch import KERNEL_NAME, BatchResult, Job, quiet_kernel_manager, run_batch, run_job
from divaecon.reports.comparison import comparison_html, comparison_sections
from divaecon.reports.export import (
    CHROMIUM_ENV,
    find_chromium,
    html_to_pdf,
    mathjax_url,
    notebook_to_html,
    pdf_engine,
)
from divaecon.reports.index import write_index
from divaecon.reports.inputs import (
    FORMATS,
    QUICK_PARAMETERS,
    REPORT_NOTEBOOKS,
    SCENARIO_PARAMETER,
    declared_parameters,
    load_scenarios,
    notebook_parameters,
    parse_formats,
    resolve_notebooks,
    scenario_for_notebook,
    scenario_slug,
    shipped_base_scenario,
)

__all__ = [
    "CHROMIUM_ENV",
    "FORMATS",
    "KERNEL_NAME",
    "QUICK_PARAMETERS",
    "REPORT_NOTEBOOKS",
    "SCENARIO_PARAMETER",
    "BatchResult",
    "Job",
    "comparison_html",
    "comparison_sections",
    "declared_parameters",
    "find_chromium",
    "html_to_pdf",
    "load_scenarios",
    "mathjax_url",
    "notebook_parameters",
    "notebook_to_html",
    "parse_formats",
    "pdf_engine",
    "quiet_kernel_manager",
    "resolve_notebooks",
    "run_batch",
    "run_job",
    "scenario_for_notebook",
    "scenario_slug",
    "shipped_base_scenario",
    "write_index",
]

"""Reports: one PDF book per scenario and the comparison, from notebooks run by papermill.

One concern per module:

- :mod:`~divaecon.reports.inputs` — which notebooks and scenarios, their parameters checked
  before anything runs, and how a notebook reads them back (:func:`scenario_for_notebook`,
  :func:`scenarios_for_notebook`);
- :mod:`~divaecon.reports.book` — a scenario's book notebook assembled from the front notebook
  (cover, executive summary) and the topic notebooks, and cut back per topic (``--split``);
- :mod:`~divaecon.reports.batch` — the batch: a kernel per book in parallel, failures isolated,
  atomic outputs, interrupts (:func:`run_batch`);
- :mod:`~divaecon.reports.export` — executed notebook → safe print HTML with contents → PDF,
  printed by one Chromium (:class:`Printer`);
- :mod:`~divaecon.reports.index` — ``index.html`` of a batch.

The comparison is the notebook ``90_comparison.ipynb``; the command line (``divaecon report``:
options, progress, summary) is in :mod:`divaecon.cli`; the tables the notebooks show are in
:mod:`divaecon.tables`.
"""

from __future__ import annotations

from divaecon.reports.batch import MANIFEST, run_batch, run_book
from divaecon.reports.book import assemble_book, split_book
from divaecon.reports.export import (
    CHROMIUM_ENV,
    PAPERS,
    PrintDocument,
    Printer,
    clean_html,
    find_chromium,
    html_to_pdf,
    mathjax_url,
    notebook_to_html,
    pdf_engine,
    print_html,
)
from divaecon.reports.index import write_index
from divaecon.reports.inputs import (
    COMPARISON_NOTEBOOK,
    FORMATS,
    FRONT_NOTEBOOK,
    QUICK_PARAMETERS,
    REPORT_NOTEBOOKS,
    SCENARIO_PARAMETER,
    SCENARIOS_PARAMETER,
    ScenarioInput,
    declared_parameters,
    futures_for_notebook,
    load_scenario_inputs,
    load_scenarios,
    names_for_notebook,
    notebook_parameters,
    parse_formats,
    resolve_notebooks,
    scenario_file_facts,
    scenario_files_for_notebook,
    scenario_for_notebook,
    scenario_slug,
    scenarios_for_notebook,
    shipped_base_scenario,
)
from divaecon.reports.jobs import BatchResult, BookJob
from divaecon.reports.kernels import KERNEL_NAME, quiet_kernel_manager

__all__ = [
    "CHROMIUM_ENV",
    "COMPARISON_NOTEBOOK",
    "FORMATS",
    "FRONT_NOTEBOOK",
    "KERNEL_NAME",
    "MANIFEST",
    "PAPERS",
    "QUICK_PARAMETERS",
    "REPORT_NOTEBOOKS",
    "SCENARIOS_PARAMETER",
    "SCENARIO_PARAMETER",
    "BatchResult",
    "BookJob",
    "PrintDocument",
    "Printer",
    "ScenarioInput",
    "assemble_book",
    "clean_html",
    "declared_parameters",
    "find_chromium",
    "futures_for_notebook",
    "html_to_pdf",
    "load_scenario_inputs",
    "load_scenarios",
    "mathjax_url",
    "names_for_notebook",
    "notebook_parameters",
    "notebook_to_html",
    "parse_formats",
    "pdf_engine",
    "print_html",
    "quiet_kernel_manager",
    "resolve_notebooks",
    "run_batch",
    "run_book",
    "scenario_file_facts",
    "scenario_files_for_notebook",
    "scenario_for_notebook",
    "scenario_slug",
    "scenarios_for_notebook",
    "shipped_base_scenario",
    "split_book",
    "write_index",
]

"""The report build: ``reports.yaml`` variants → papermill → self-contained HTML in ``reports/``.

Modules: ``variants`` (config + parameter validation), ``fingerprint`` (what a
report depends on), ``store`` (state and atomic writes), ``execute`` (the
papermill worker), ``html`` (nbconvert template, header, footer, error page),
``index`` (``reports/index.html``), ``editions`` (data editions and their age),
``summary`` (``--summary-json``), ``lock``, ``progress``, ``runner`` (the
build itself) and ``cli`` (the ``build``/``params``/``refresh``/``index``
commands). Importing this package is cheap: heavy libraries load only in the
worker.
"""

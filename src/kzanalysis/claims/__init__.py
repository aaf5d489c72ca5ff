"""The claims ledger: every quantitative claim of the thesis, checked against the data.

``data/claims.yaml`` declares each claim (id, chapter, footnote, paraphrase, the
thesis' values with units and tolerances, and the registered metric with its
arguments — or, for an untestable claim, why and what data would test it). The
metric functions (``kzanalysis.claims.metrics_<chapter>``) compute the data's
values from the curated tables; :mod:`kzanalysis.claims.ledger` turns the
comparison into a verdict. Nothing about a verdict is typed in.
"""

# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: -papermill,-execution
#     notebook_metadata_filter: kzanalysis,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (kzanalysis)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Data overview

# %% tags=["parameters"]
country = "KAZ"

# %%
# Validate the parameters first: a bad value stops here with a message naming it.
from kzanalysis.params import validate_in_notebook

params = validate_in_notebook("overview", country=country)

# %%
# Compute the elements of the report (nothing is displayed here).
from IPython.display import display

from kzanalysis import report
from kzanalysis.catalog import catalog_element, catalog_findings

TABLES = catalog_element()
FINDINGS = catalog_findings(target=TABLES)

# %%
display(FINDINGS)

# %% [markdown]
# Every chapter of this suite tests a claim about Russian and Chinese influence in Kazakhstan against public data. This report lists the curated tables those chapters read: what each holds, how many rows, which years it covers and who published it. Each source is listed once under References at the end, with its edition, its address and the terms under which it may be reused.

# %% [markdown]
# ## The curated tables
#
# One row per table of the data catalog. Rows count the records of the Central Asian extract; the first and last years are the span of years with data, and chapters that compare periods can only use years inside it. The last column gives the numbers of the table's sources under References.

# %%
display(TABLES)

# %% [markdown]
# ## Publishers and terms
#
# The References below give each source once: publisher, title, edition, address and licence, then one note per publisher on the terms of reuse, which the reports respect.

# %%
report.references()

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
#
# Every chapter of this suite tests a claim about Russian and Chinese influence in Kazakhstan against public data. This notebook lists the curated tables those chapters read: what each holds, how many rows, which years it covers, who published it, which edition was used and under which terms it may be reused. The same list closes every report, limited to the tables that report uses.
#
# Run it in JupyterLab as it is, or build it as a report with `kzanalysis build overview-KAZ` (another country: `-p country=UZB`).

# %% tags=["parameters"]
country = "KAZ"

# %%
# Re-validate the parameters (a hand-run with a bad value fails here, clearly).
from kzanalysis.countries import name
from kzanalysis.params import validate_in_notebook

params = validate_in_notebook("overview", country=country)
print(f"Overview for {name(params.country)} ({params.country})")

# %% [markdown]
# ## The curated tables
#
# One row per table in `data/datapackage.json`. `rows` counts the records of the Central Asian extract, `start_year`–`end_year` is the span of years with data, and `terms` are the publishers' reuse terms, which the reports respect.

# %%
from kzanalysis.catalog import catalog_table

table = catalog_table()
print(f"{len(table)} tables, {int(table['rows'].sum())} rows in total")
table[["table", "title", "rows", "start_year", "end_year"]]

# %% [markdown]
# ## Coverage
#
# The span of years over all tables, and the tables that reach furthest back and furthest forward: chapters that compare periods can only use years inside a table's span.

# %%
first, last = int(table["start_year"].min()), int(table["end_year"].max())
print(f"Years with data in any table: {first}–{last}")
print("Earliest start:", ", ".join(table.loc[table["start_year"] == first, "table"]))
print("Latest end:", ", ".join(table.loc[table["end_year"] == last, "table"]))

# %% [markdown]
# ## Publishers and terms
#
# Who published the data behind each table, and on what terms; the full citation (title, URL, edition, retrieval date) is in the catalog.

# %%
import pandas as pd
from IPython.display import display

with pd.option_context("display.max_colwidth", None):
    display(table[["table", "publishers", "editions", "terms"]])

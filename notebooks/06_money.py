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
# # Money: investment and lending

# %% tags=["parameters"]
country = "KAZ"
start_year = 2000
end_year = 2021
window_years = 5

# %%
# Validate the parameters first: a bad value stops here with a message naming it.
from kzanalysis.params import validate_in_notebook

params = validate_in_notebook(
    "money",
    datasets=["investment_china_official_finance"],
    country=country,
    start_year=start_year,
    end_year=end_year,
    window_years=window_years,
)

# %%
# Compute every element first (nothing is displayed here), so the key findings can lead.
# The analysis is in kzanalysis.analysis.money (unit-tested), the elements in
# kzanalysis.analysis.money_report.
from IPython.display import display

from kzanalysis import datasets, report
from kzanalysis.analysis import money_report as R
from kzanalysis.claims.ledger import ledger_counts, ledger_element
from kzanalysis.plotting import use_style

use_style()
ctx = R.context(params)
res = R.compute(
    ctx,
    datasets.load("investment_fdi_by_origin"),
    datasets.load("investment_china_official_finance"),
    datasets.load("investment_china_projects_geolocated"),
)
elements = R.elements(res, ctx)
ledger = ledger_element(domain="investment")

# %%
display(R.findings(res, ctx, elements), ledger_counts(ledger), elements["scope"])

# %% [markdown]
# The thesis's central economic claim is that China leads in money — investment and lending — while Russia leads in arms, security and culture. This report tests the money side with the two measures the bundle holds: foreign direct investment by country of origin, as the host's central bank records it, and the commitments of loans and grants that AidData attributes to Chinese official lenders and donors. The two are different things and are never added together.

# %% [markdown]
# ## How to read the numbers
#
# * **Foreign direct investment** is money a foreign owner puts into a company it controls or holds a lasting stake in. The figures are gross inflows (and, for Kazakhstan, the stock at the end of each year) in millions of current US dollars, by the economy the money came from, from UNCTAD's bilateral FDI statistics, which take them from the host's central bank. They are not the "BRI investment" totals quoted in the press, which add construction contracts and announced deals.
# * **Chinese official finance** is what Chinese state lenders and donors committed — signed loans and grants — in the year of the commitment, in millions of constant 2021 US dollars, from AidData's Global Chinese Development Finance dataset. A commitment is not a disbursement, and a sum of commitments is not debt owed. The bundle has no Russian counterpart series.
# * A year that AidData does not list is shown as "no recorded commitment", never as zero. A year the FDI source marks as not available stays empty.
# * The project list comes from a different, geolocated subset of AidData's earlier release: it shows which lenders and projects stand behind the sums, not totals.

# %% [markdown]
# ## Foreign direct investment: China and Russia
#
# China's and Russia's gross inflows, and their shares of the inflows from the whole world, next to the Netherlands and "unspecified" investors: capital routed through a holding company in a third country, or not attributed, hides its owner, and Russian or Chinese capital may be part of it.

# %%
display(*R.fdi_elements(elements, ctx))

# %% [markdown]
# ## Chinese official finance
#
# Commitments per year by flow class, then summed over windows of equal length: single large loans make the yearly series jump, so the windows show the weight of each period.

# %%
display(elements["lending_figure"], elements["lending_table"], elements["windows_table"])

# %% [markdown]
# ## Projects behind the sums
#
# The projects AidData could place on a map, with lender, flow type and status; sort the table by a column's header.

# %%
display(elements["projects_table"])

# %% [markdown]
# ## Claims ledger: this chapter's rows
#
# The thesis's claims about money (C39–C44 in the ledger specification), with verdicts computed now from the curated data; the claims file declares each claim, its metric and its tolerance. The claims are about Kazakhstan (and, for one, Russia), so these rows do not change with this report's country.

# %%
display(ledger)

# %%
report.references()

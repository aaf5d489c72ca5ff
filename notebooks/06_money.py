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
#
# This chapter starts from an example: how much of a Central Asian state's trade runs with China and with Russia, as each partner's share of the country's total trade turnover (exports plus imports) per year, from the curated table of trade by partner. Replace the example with the chapter's own analysis.

# %% tags=["parameters"]
country = "KAZ"
start_year = 2000
end_year = 2024

# %%
# Validate the parameters first: a bad value stops here with a message naming it.
from kzanalysis.params import validate_in_notebook

params = validate_in_notebook(
    "money",
    datasets=["trade_partner_flows"],
    country=country,
    start_year=start_year,
    end_year=end_year,
)

# %%
# Compute every element first (nothing is displayed here), so the key findings can lead.
# The analysis is in kzanalysis.analysis.money (unit-tested), the elements in
# kzanalysis.analysis.money_report.
from IPython.display import display

from kzanalysis import countries, datasets, report
from kzanalysis.analysis import money as A
from kzanalysis.analysis import money_report as R
from kzanalysis.plotting import use_style

use_style()
NAME = countries.name(params.country)
flows = datasets.load("trade_partner_flows")
shares = A.partner_shares(flows, params.country, params.start_year, params.end_year)
cite = R.citation(flows, params.country, params.start_year, params.end_year)
figure = R.shares_figure(shares, NAME, cite)
table = R.shares_table(shares, NAME, cite)

# %%
R.findings(shares, NAME, figure, table)

# %% [markdown]
# ## China's and Russia's shares of trade turnover
#
# Each partner's trade with the country as a percentage of the country's trade with the world, both as the country reports them (IMF Direction of Trade Statistics where it covers a year, then national statistics, then WITS totals). A year without a reported total or without a partner's figures stays empty: a gap is never read as zero trade.

# %%
display(figure, table)

# %%
report.references()

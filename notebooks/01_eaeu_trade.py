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
# # Chapter 1a — The EAEU, Russia and China in Central Asia's trade

# %% tags=["parameters"]
country = "KAZ"
start_year = 1995
end_year = 2024
partners = ["RUS", "CHN", "EU27", "EAEU", "TUR", "USA"]
flow = "turnover"
source_preference = "auto"
breaks = [2015, 2022]

# %%
# Validate the parameters first: a bad value stops here with a message naming it.
from kzanalysis.params import validate_in_notebook

params = validate_in_notebook(
    "trade",
    country=country,
    start_year=start_year,
    end_year=end_year,
    partners=partners,
    flow=flow,
    source_preference=source_preference,
    breaks=breaks,
)

# %%
# Compute every section first (nothing is displayed here), so the key findings can lead.
from IPython.display import display

from kzanalysis import datasets, report
from kzanalysis.analysis import trade_report as TR
from kzanalysis.claims.ledger import ledger_counts, ledger_element
from kzanalysis.plotting import use_style

use_style()
data = TR.prepare(datasets.load("trade_partner_flows"), datasets.load("trade_products_hs4"), params)
partners_part = TR.partners_section(data)
rivals = TR.rivals_section(data)
shocks = TR.shocks_section(data)
launch = TR.launch_section(data)
products = TR.products_section(data)
sources = TR.sources_section(data)
ledger = ledger_element(domain="trade")

# %%
display(TR.findings(partners_part, rivals, shocks, launch, products, sources))
display(ledger_counts(ledger))
TR.scope_note(data)

# %% [markdown]
# The thesis argues (chapter 1) that the Eurasian Economic Union binds Kazakhstan to Russia while China becomes the larger economic partner, and that two shocks reshaped trade: the 2014–2015 ruble collapse, sanctions and EAEU launch, and the 2022 war. This report checks those claims against the reporting country's own trade statistics, for Kazakhstan and for each of the other four Central Asian states.
#
# Every number below is computed from the curated trade tables (partner flows from IMF DOTS, Kazakhstan's Bureau of National Statistics and WITS/UN Comtrade; Kazakhstan's trade with China by HS 4-digit product) by the project's tested analysis library. Where the data do not cover a country or a year, the report says so and leaves that part out.

# %% [markdown]
# ## 1. Partner structure over time
#
# Who does the country trade with, and how has that changed? Trade with each partner is the reporter's own figure; groups are the sum of their member countries, with EAEU members as of each year (the Union exists from 2015) and the EU at its present 27 members throughout. The stacked chart splits the total into parts that do not overlap: Russia, China and the other listed countries first, then the remaining EAEU members and the EU, and everything else.

# %%
display(*partners_part.elements)

# %% [markdown]
# ## 2. Russia and China
#
# The thesis expects China to have overtaken Russia as an economic partner. For each flow we find the first year in which trade with China exceeded trade with Russia and the year from which China stayed ahead; a ratio China / Russia above one means China leads. The balance (exports minus imports) shows who sells more to whom.

# %%
display(*rivals.elements)

# %% [markdown]
# ## 3. Shocks: trend breaks in 2015 and 2022
#
# A log-linear trend with a level shift and a change of slope at each break year is fitted to trade with Russia, China and the EAEU (least squares, Newey–West standard errors for autocorrelation). The EAEU series here keeps the Union's 2015 composition for all years, so that the series before and after the launch are comparable. The joint "no break" hypothesis is tested with a classic Chow F test and its autocorrelation-robust (HAC Wald) version. A break with fewer than three years on either side is not estimated, and the text says so. The dates are fixed in advance by the thesis, so the p-values are meaningful; they do not tell us that the break was caused by the event.

# %%
display(*shocks.elements)

# %% [markdown]
# ## 4. Intra-EAEU trade in the Union's first years
#
# How did trade with the other members move when the Union started? The table compares 2014, the last year before the Union, with the Union's first two years, for each member (as of the end of 2015) and for the members together. Both years were also the years of the ruble collapse and the oil price fall, so a fall in trade with members has to be read against the fall in total trade (the World row).

# %%
display(*launch.elements)

# %% [markdown]
# ## 5. What the country sells to and buys from China
#
# In the curated data, product detail (HS 4-digit) exists only for Kazakhstan's trade with China and with the world (the years are in the chart); where a large CEPII BACI trade source is configured (see the README, *Large trade data*), the rows come from it instead, for any country. In the curated (WITS) source some years are incomplete (a note in this section names them): many product lines are missing, so sums of lines are not totals and a missing line does not mean zero trade. Those years are shaded in the chart and left out of the rankings.

# %%
display(*products.elements)

# %% [markdown]
# ## 6. Sources: how much do they disagree, and which one is used
#
# Where two sources cover the same year, the table shows each and the differences. For Kazakhstan, IMF DOTS, the national bureau (BNS) and WITS/UN Comtrade overlap in some years (the table shows which); for the other states only DOTS is available. Mirror flows compare the country's own figures with what China and Russia report about the same trade: exports are valued FOB by the exporter and imports CIF by the importer, and transit, timing and re-exports add further gaps; the table gives each pair's median and largest gap, the charts every year's.

# %%
display(*sources.elements)

# %% [markdown]
# ## Claims ledger: this chapter's rows
#
# The thesis' quantitative claims that the trade data test (C10–C12 and C16–C18 in the ledger specification), with verdicts computed now from the curated data by the project's claims ledger (each claim is declared with its metric and its tolerance). The claims are about the thesis' own scope (mostly Kazakhstan, the editions named in each row), so these rows do not change with this report's country.

# %%
display(ledger)

# %% [markdown]
# ## What this chapter does not do yet
#
# Product detail for trade with Russia and for the other four states is not in the data, so the composition analysis covers Kazakhstan–China only.

# %%
report.references()

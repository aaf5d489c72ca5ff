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
# # Synthesis — Russia and China, sphere by sphere

# %% tags=["parameters"]
country = "KAZ"
start_year = 1996
end_year = 2025
window = 5
tie_band_pp = 5.0

# %%
# Validate the parameters first: a bad value stops here with a message naming it.
from kzanalysis.params import validate_in_notebook

params = validate_in_notebook(
    "synthesis",
    country=country,
    start_year=start_year,
    end_year=end_year,
    window=window,
    tie_band_pp=tie_band_pp,
)

from kzanalysis import countries
from kzanalysis.analysis import synthesis_report as R

C, NAME = params.country, countries.name(params.country)
Y0, Y1, W, BAND = params.start_year, params.end_year, params.window, params.tie_band_pp

# %%
# Compute every number and element of the report (nothing is displayed here).
from IPython.display import display

from kzanalysis import datasets, report
from kzanalysis.analysis import synthesis as S
from kzanalysis.claims.ledger import ledger_counts, ledger_element
from kzanalysis.plotting import use_style

use_style()

flows = datasets.load("trade_partner_flows")
gas = datasets.load("energy_gas_pipeline_flows")
deals = datasets.load("arms_deals")
deliveries = datasets.load("arms_deliveries")
polls = datasets.load("poll_toplines")
fdi = datasets.load("investment_fdi_by_origin")
TABLES = [flows, gas, deals, deliveries, polls]

frame = S.balance_frame(
    [
        S.economic_shares(flows, C, Y0, Y1),
        S.energy_shares(gas, C, Y0, Y1),
        S.military_shares(deals, deliveries, C, Y0, Y1),
        S.opinion_shares(polls, C, Y0, Y1),
    ]
)
leaders = S.period_leaders(frame, Y0, Y1, W, BAND)
changes = S.lead_changes(leaders)
FDI = S.fdi_measure(fdi, C, Y0, Y1, BAND)  # a separate measure: not in the frame

FIGURE = R.balance_figure(frame, NAME, Y0, Y1, sources=TABLES)
FDI_ELEMENTS = R.fdi_elements(frame, FDI, NAME, sources=[flows, fdi])
LEADERS = R.leader_table(leaders, NAME, BAND)
MEANS = R.means_table(leaders, NAME)
CHANGES = R.changes_element(leaders, changes, NAME, Y0, Y1)
COVERAGE = R.coverage_element(frame, NAME, Y0, Y1, fdi=FDI)
POLL_MEASURES = R.poll_measures_element(polls, frame, NAME)
YEARLY = R.yearly_element(frame, NAME, sources=TABLES)
LEDGER = ledger_element()
FINDINGS = R.findings(
    frame,
    leaders,
    changes,
    NAME,
    Y0,
    Y1,
    BAND,
    ledger=LEDGER,
    fdi=FDI,
    targets={
        "leaders": LEADERS,
        "figure": FIGURE,
        "changes": CHANGES,
        "coverage": COVERAGE,
        "ledger": LEDGER,
        "fdi": FDI_ELEMENTS[0],
    },
)

# %%
display(FINDINGS)
display(ledger_counts(LEDGER, scope="in all chapters"))

# %% [markdown]
# The thesis asks whether the convergence of Russian and Chinese interests in Kazakhstan produces cooperation or competition, and who leads in which sphere. Its answer is a division of labour: China leads in money and trade, Russia in arms, security and culture. This report puts the four chapters' measures side by side, year by year, for one Central Asian state, and reads from them who leads each sphere in each period. Each sphere keeps its own measure, unit and source: there is no composite index. Next to trade, the economic sphere shows foreign direct investment by investing economy as a separate measure, with its own, much shorter coverage.

# %%
R.parameters_note(NAME, Y0, Y1, W, BAND)

# %% [markdown]
# ## Russia and China, sphere by sphere
#
# One panel per sphere, in the colours every chapter uses (Russia vermillion, China blue). Lines join consecutive years only: a gap in a line is a year without data, a lone marker a single year. Nothing is interpolated.

# %%
display(FIGURE)

# %% [markdown]
# ## The economic sphere: FDI next to trade
#
# The thesis says China leads in money as well as trade. The only money measure with both powers in the bundle is foreign direct investment by investing economy, from UNCTAD's bilateral FDI statistics: inflows into the host by the economy the capital came from, in current US dollars, for Kazakhstan and Kyrgyzstan only and for a short run of years (given in the titles). It is shown here as its own measure, next to the shares of trade turnover over the same years, and is kept out of the leader table: the two are never added up. Shares are of the world total of the host's inflows; the table sums each investor's inflows over the years, so a single large year does not decide the comparison. UNCTAD records the immediate investor, not the ultimate owner: capital routed through the Netherlands, offshore centres or of unspecified origin may be Russian or Chinese, so where the bundle has the data the table shows those rows next to Russia's and China's.

# %%
display(*FDI_ELEMENTS)

# %% [markdown]
# ## Who leads each sphere, by period
#
# A period's leader is the power with the larger mean share over the period's years with both shares; when the two means are within the tie band, the period is close. The brackets give the years with data out of the period's years, so a leader resting on one year is visible. The second table gives the mean shares behind each cell, the third the changes of lead.

# %%
display(LEADERS)

# %%
display(MEANS)

# %%
display(CHANGES)

# %% [markdown]
# ## How the spheres are measured
#
# Every value is a share in %, Russia and China measured alike:
#
# * **Economic**: Russia's and China's shares of the country's total trade turnover (exports plus imports, in US dollars), from its own reported flows: IMF Direction of Trade Statistics first, then Kazakhstan's national statistics, then World Bank WITS totals. FDI inflows by investing economy (UNCTAD) are a separate economic measure, in the last row of the table below, and do not count towards the economic sphere's years.
# * **Energy**: the shares of the country's pipeline gas exports going to Russia and to China, from the Statistical Review's inter-country matrices (one data year per edition). Crude oil, Kazakhstan's main export, cannot be split by country in the bundled data, so it is not in this sphere.
# * **Military**: Russia's (with the Soviet Union) and China's shares of SIPRI deliveries over the five years ending in the year, from the latest bundled SIPRI edition. SIPRI's trend-indicator value is a volume index, not money.
# * **Opinion**: whole-sample poll shares for Russia and China from the same survey and question, or a matched pair of questions. No favourability question was asked about both powers in one survey; the comparable measures used are listed below.
#
# A sphere-year counts as data only when both shares are known.

# %%
display(COVERAGE)

# %%
display(POLL_MEASURES)

# %%
display(YEARLY)

# %% [markdown]
# ## Claims ledger: all chapters
#
# Every quantitative claim of the thesis, with its verdict computed now from the curated data: supported, partly supported, contradicted, or untestable with the data at hand. The claims are about the thesis' own scope (mostly Kazakhstan, in the data editions named in each row), so this table is the same in every country's report.

# %%
display(LEDGER)

# %% [markdown]
# ## Limits
#
# * The spheres measure different things in different units; comparing leaders across spheres says who is ahead where, not how much a lead in one sphere weighs against another. That weighing is left to the reader on purpose.
# * Energy covers pipeline gas only, and only the years with a bundled Statistical Review matrix; a year whose matrix has no Russia column is no data (the table of yearly shares says so). Crude oil routes (the CPC pipeline through Russia, the Kazakhstan–China pipeline) cannot be split by country here.
# * Opinion rests on a few surveys with different questions (best helper in the pandemic, confidence in the leader, relations rated good), several read in secondary reports; a period's opinion leader may rest on one year.
# * Trade after the IMF DOTS extract ends exists only for Kazakhstan (national statistics, WITS); SIPRI shares are of a volume index over five-year windows and swing with single large deliveries.
# * FDI by investing economy exists in the bundle only for Kazakhstan and Kyrgyzstan as hosts, and ends with UNCTAD's bilateral edition, long before the other spheres' data: it says nothing about the years of the latest periods. It records the immediate investor, so Russian and Chinese capital routed through transit hubs is missed; where the host's total inflows are small, one investor's yearly share swings widely, so the comparison rests on the cumulative shares.

# %%
report.references()

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
#
# The thesis asks whether the convergence of Russian and Chinese interests in Kazakhstan produces cooperation or competition, and who leads in which sphere; its answer is a division of labour: China leads in money and trade, Russia in arms, security and culture. This notebook puts the four chapters' measures side by side, year by year, for Kazakhstan by default or another Central Asian state (`country`), and reads from them who leads each sphere in each period.
#
# **How to read it.**
# * Each sphere keeps its own measure, unit and source; **there is no composite index**. Every value is a share in % with Russia and China measured alike:
#   * *economic*: Russia's and China's shares of the country's total trade turnover (exports + imports, US$), from its own reported flows (IMF DOTS first, then Kazakhstan's national statistics, then WITS totals; `kzanalysis.analysis.trade`);
#   * *energy*: the shares of the country's **pipeline gas exports** going to Russia and to China (Statistical Review inter-country matrices, one data year per edition; section 1 lists the years covered). Crude oil, Kazakhstan's main export, cannot be split by country in the bundled data (the Review's crude matrix lumps Kazakhstan into "Other CIS"; the HS product lines list China and the world only), so it is not in this sphere;
#   * *military*: Russia's (with the Soviet Union) and China's shares of SIPRI TIV deliveries over the 5-year window ending in the year (latest bundled SIPRI edition; TIV is a volume index, not money);
#   * *opinion*: whole-sample poll shares for Russia and China from the **same survey and question** (or a matched pair of questions). The bundle has no favourability question asked about both powers in one survey; the comparable measures used, in priority order, are listed in section 1.
# * A sphere-year counts as data only when both shares are known. Nothing is interpolated: missing years are gaps in the chart and are counted in every leader cell ("China (3/5 yrs)" = 3 of the period's 5 years had data).
# * A period's leader is the power with the larger mean share over its years with data; when the mean gap is within ± `tie_band_pp` percentage points the cell says "close". The band is a parameter, shown with every table.
#
# All numbers in the text are computed below from the curated tables; the logic lives in `kzanalysis.analysis.synthesis` (unit-tested on hand-made frames).

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
print(params)

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display

from kzanalysis import countries, datasets
from kzanalysis.analysis import synthesis as S
from kzanalysis.display import say, show
from kzanalysis.plotting import use_style

use_style()
pd.set_option("display.width", 120)

C = params.country
NAME = countries.name(C)
Y0, Y1, W, BAND = params.start_year, params.end_year, params.window, params.tie_band_pp
KEY = {}  # key results, printed together at the end


flows = datasets.load("trade_partner_flows")
gas = datasets.load("energy_gas_pipeline_flows")
deals = datasets.load("arms_deals")
deliveries = datasets.load("arms_deliveries")
polls = datasets.load("poll_toplines")
TABLES = [flows, gas, deals, deliveries, polls]

frame = S.balance_frame(
    [
        S.economic_shares(flows, C, Y0, Y1),
        S.energy_shares(gas, C, Y0, Y1),
        S.military_shares(deals, deliveries, C, Y0, Y1),
        S.opinion_shares(polls, C, Y0, Y1),
    ]
)
say(
    f"Country: {NAME} ({C}); years {Y0}–{Y1}; leader periods of {W} years; tie band ±{BAND:g} "
    f"percentage points. No weights and no composite index: the spheres are shown side by side."
)

# %% [markdown]
# ## 1. The spheres, year by year: measures and coverage
#
# One row per sphere: the measure behind it, how many years of the range have both shares, which years and which are missing. Then the comparable poll measures the opinion sphere may use (the first with both shares in a year is taken), and the full long table (one row per sphere, year and power; `note` names the window, matrix edition or survey, and flags poll numbers read in secondary reports).

# %%
cov = S.coverage_table(frame, Y0, Y1)
print(f"{NAME}: data coverage per sphere, {Y0}–{Y1}")
show(cov[["sphere", "coverage", "years", "missing"]])
print()
for r in cov.itertuples():
    say(f"{r.sphere}: {r.measures}")
with_data = list(cov.loc[cov["years_with_data"] > 0, "sphere"])
without = list(cov.loc[cov["years_with_data"] == 0, "sphere"])
print()
say(
    f"{NAME} has Russia-vs-China data in {len(with_data)} of {len(S.SPHERES)} spheres "
    f"({', '.join(with_data) or 'none'})" + (f"; none in {', '.join(without)}." if without else ".")
)
KEY["spheres with data"] = ", ".join(f"{r.sphere} {r.coverage}" for r in cov.itertuples())

# %%
print("Comparable poll measures (priority order)")
for i, pair in enumerate(S.OPINION_PAIRS, 1):
    print(
        f"{i}. {pair.measure}: Russia = {pair.russia[0]} / "
        f"'{pair.russia[1]}', China = {pair.china[0]} / '{pair.china[1]}'"
    )
print()
gaps = S.yearly_gaps(frame)
print(f"{NAME}: Russia and China per sphere and year (years with both shares)")
show(gaps[["sphere", "year", "russia_pct", "china_pct", "gap_pp"]])

# %%
long = frame.assign(share_pct=frame["share_pct"].round(2))
display(HTML(long.to_html(index=False, na_rep="no data", classes="kz-sortable")))

# %% [markdown]
# ## 2. Russia vs China by sphere over time
#
# One panel per sphere, the same colours as in every chapter (Russia vermillion, China blue). Lines join consecutive years only: a gap in the line is a year without data, a lone marker a single year.

# %%
CAPTION = S.caption(TABLES, frame, "Shares in % of each sphere's own total; no composite index.")
S.plot_balance(
    frame, Y0, Y1, title=f"{NAME}: Russia vs China by sphere over time", caption_text=CAPTION
)
plt.show()

# %% [markdown]
# ## 3. Who leads each sphere, by period
#
# Periods of `window` years from `start_year` (the last may be shorter). A cell names the power with the larger mean share over the period's years with data, or "close" when the mean gap is within the tie band, or "no data"; the brackets give the years with data out of the period's years. The second table gives the mean shares behind each cell.

# %%
leaders = S.period_leaders(frame, Y0, Y1, W, BAND)
matrix = S.leader_matrix(leaders)
print(f"{NAME}: leader by sphere and period (tie band ±{BAND:g} pp; years with data / years)")
print(matrix.to_string())
print()
show(
    leaders[
        [
            "sphere",
            "period",
            "years_with_data",
            "years_in_period",
            "russia_mean_pct",
            "china_mean_pct",
            "gap_pp",
            "leader",
        ]
    ]
)

# %%
changes = S.lead_changes(leaders)
if changes.empty:
    say(f"No sphere changed leader between periods with data in {Y0}–{Y1}.")
else:
    print(f"{NAME}: changes of lead between consecutive periods with data")
    show(changes)
KEY["changes of lead"] = str(len(changes))

# %% [markdown]
# ## 4. Summary generated from the numbers
#
# Every sentence below is written by `kzanalysis.analysis.synthesis.summary_sentences` from the leader table above; change a parameter and the text follows. The thesis' division of labour is checked sphere by sphere (it makes no single claim for energy).

# %%
SUMMARY = S.summary_sentences(leaders, changes, NAME)
for sentence in SUMMARY:
    say(sentence)
    print()
for r in S.latest_leaders(leaders).itertuples():
    KEY[f"latest leader, {r.sphere} ({r.period})"] = r.cell

# %% [markdown]
# ## Claims ledger: all chapters
#
# Every quantitative claim of the thesis (C01–C38 in the ledger specification), with verdicts computed now from the curated data by `kzanalysis.claims` (`data/claims.yaml` declares each claim, its metric and its tolerance; `kzanalysis claims` prints the same ledger). The claims are about the thesis' own scope (mostly Kazakhstan, the editions named in each row), so this table does not change with the report's parameters. The README shows the same counts, generated by `python -m kzanalysis.claims.report --update-readme README.md`.

# %%
from kzanalysis.claims.ledger import counts_sentence, ledger_table, table_counts

LEDGER = ledger_table()
say(counts_sentence(LEDGER))
print()
counts = pd.DataFrame(list(table_counts(LEDGER).items()), columns=["verdict", "claims"])
show(counts, 0)
KEY["claims ledger"] = counts_sentence(LEDGER)
display(HTML(LEDGER.to_html(index=False, classes="kz-sortable")))

# %% [markdown]
# ## Key numbers

# %%
for key, value in KEY.items():
    print(f"{key}: {value}")

# %% [markdown]
# ## Limits
#
# * The spheres measure different things in different units; comparing leaders across spheres says who is ahead where, not how much a lead in one sphere weighs against another. That weighing is left to the reader on purpose.
# * Energy covers pipeline gas only, and only the years with a bundled Statistical Review matrix; a year whose matrix has no Russia column is no data (its note in the long table of section 1 says so). Crude oil routes (CPC through Russia, the Kazakhstan–China pipeline) cannot be split by country here.
# * Opinion rests on a few surveys with different questions (best helper in the pandemic, confidence in the leader, relations rated good), several read in secondary reports; a period's opinion leader may rest on one year.
# * Trade after 2020 exists only for Kazakhstan (national statistics, WITS); SIPRI shares are of a volume index over 5-year windows and swing with single large deliveries.

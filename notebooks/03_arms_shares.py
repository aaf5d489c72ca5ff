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
# # Chapter 2 — Arms: who supplies Central Asia's weapons?

# %% tags=["parameters"]
recipient = "KAZ"
start_year = 1992
end_year = None
window = 5
edition = "2026-05-18"
supplier_groups = {"Europe": ["Europe"]}

# %%
# Validate the parameters first: a bad value stops here with a message naming it.
from kzanalysis.analysis import arms_report as AR
from kzanalysis.params import validate_in_notebook

params = validate_in_notebook(
    "arms",
    recipient=recipient,
    start_year=start_year,
    end_year=end_year,
    window=window,
    edition=edition,
    supplier_groups=supplier_groups,
)

# %%
# Compute every section's figures and tables (displayed below, after the key findings).
from IPython.display import display

from kzanalysis import datasets, report
from kzanalysis.claims.ledger import ledger_counts, ledger_element
from kzanalysis.plotting import use_style

use_style()
report.references().clear()

inputs = AR.prepare(
    datasets.load("arms_deals"),
    datasets.load("arms_deliveries"),
    datasets.load("arms_sipri_import_totals"),
    params,
)
deliveries = AR.deliveries_section(inputs)
russia_china = AR.russia_china_section(inputs)
concentration = AR.concentration_section(inputs, deliveries, russia_china)
shift = AR.shift_share_section(inputs)
register = AR.register_section(inputs)
editions = AR.editions_section(inputs)
validation = AR.validation_section(inputs)
thesis = AR.thesis_section(inputs)
ledger = ledger_element(domain="arms")

# %%
display(AR.findings(inputs, deliveries, russia_china, concentration, shift, validation))
ledger_counts(ledger)

# %% [markdown]
# The thesis (chapter 2) describes Russia as the dominant arms supplier of Kazakhstan and of Central Asia — “about 60 %” of the region's imports over a decade — and China as a marginal supplier to Kazakhstan (“1.1 %”) whose regional share has grown since 2014 at the expense of Turkey, Ukraine, Spain and France rather than Russia. It also names specific deals (Su-30SM fighters, Mi-35M helicopters, minesweepers, S-300PS air defence, Chinese Y-8 transports). This report tests these statements with the SIPRI Arms Transfers Database, for one Central Asian state or for the five together.
#
# **Unit.** All values are SIPRI trend-indicator values (TIV, millions). TIV measures the *military capability transferred*, valued at the unit production cost of the weapon; it is **not a price** or a sale value: gifts and aid count at full value, second-hand weapons at 40 % (66 % if modernised). SIPRI revises its whole database every year, so **every result depends on the edition** quoted with it. Each figure and table below offers its data as a CSV file and cites its sources in the numbered references at the end.

# %%
AR.parameters_note(params)

# %% [markdown]
# ## 1. Deliveries by supplier
#
# TIV delivered per year and per supplier, summed over windows of the chosen length (SIPRI compares five-year sums because single years swing with individual deliveries), and each supplier's share of the whole period. Russia includes the Soviet Union (SIPRI's supplier before 1992; no Central Asian state received arms before 1992, so this merge changes nothing in the data). The charts name the largest suppliers and put the rest under "Other". The grouped ranking combines the suppliers of each group into one (by default *Europe*: the EU, the United Kingdom, EFTA and the other European states of the country registry — not Russia, Ukraine, Belarus or Türkiye).

# %%
display(*deliveries.notes, deliveries.figure)

# %%
display(deliveries.shares_figure, deliveries.windows_table)

# %%
display(deliveries.ranking_table, deliveries.grouped_table)

# %% [markdown]
# ## 2. Russia and China
#
# Russia's and China's shares of deliveries in every rolling window of the chosen length (the chart's x axis is the last year of the window), the first year in which China delivered anything, and China's deliveries deal by deal.

# %%
display(russia_china.figure, russia_china.table)

# %%
display(russia_china.china_deals)

# %% [markdown]
# ## 3. Concentration
#
# The Herfindahl–Hirschman index (HHI) is the sum of the squared supplier shares (in %), from near 0 (many small suppliers) to 10,000 (a single supplier); 10,000 / HHI is the number of equally large suppliers that would give the same concentration. Competition authorities call markets above about 1,800 highly concentrated. Unknown suppliers are left out.

# %%
display(concentration.table, concentration.figure)

# %% [markdown]
# ## 4. Shift-share: whose share did China take?
#
# Between two windows every supplier's share changes; the shares sum to 100 in each window, so the changes sum to zero. The share China gained is attributed to the suppliers that lost share, in proportion to their losses. The thesis compares the years before and after 2014; the two five-year pairs of windows around 2014 are shown first (named in the table), then every pair of adjacent windows of the chosen length, to show how much the answer depends on where the windows are cut.

# %%
display(*shift.pairs)

# %%
display(shift.figure, shift.sensitivity)

# %% [markdown]
# ## 5. Deal register
#
# Every deal of the recipient (of each state, for the region) in the chosen edition: supplier, weapon (designation and description), numbers ordered and delivered, order year, delivery years, status (new or second-hand, and whether SIPRI's comment marks it as aid or a gift), the TIV delivered and SIPRI's comments. Type in the table's filter box to find rows. Below it, the deals the thesis names are looked up in the register (the Su-30SM is recorded as "Su-30MK" with the comment "Su-30SM version"); the Y-8 is searched among all five states.

# %%
display(*register.registers)

# %%
display(register.lookups, register.lookup_deals, register.y8)

# %% [markdown]
# ## 6. What changed between the two editions
#
# SIPRI rewrites its database every year, old years included. The two bundled editions of the trade register are compared deal by deal (matched on recipient, supplier, order year and designation): deals added or removed, and deals whose numbers, delivery years, status or TIV were revised. Weapon descriptions and some supplier spellings were rewritten wholesale between the editions and are not counted as changes.

# %%
display(editions.changes_table, editions.figure, editions.years_table)

# %% [markdown]
# ## 7. Validation against SIPRI's own import totals
#
# SIPRI publishes yearly import totals per recipient (the references give the table's generation date and its years). Yearly totals are rebuilt from the chosen edition and, as a test of the method, from SIPRI's per-year register of the same vintage as that table. Differences within one TIV mn are rounding (SIPRI rounds its table). A larger difference counts as a *revision* when the same-vintage register matches SIPRI's table — SIPRI changed the data afterwards — and as *revision or split* when the year also holds deliveries spread evenly over years (see the note on yearly values in section 1).

# %%
display(validation.table)

# %% [markdown]
# ## 8. The thesis' statements in numbers
#
# Each statement is computed with the scope the thesis gives it (Kazakhstan, or the five states), whatever the recipient of this report, with the edition chosen above. The TIV-based shares are shares of military capability delivered, not of money spent.

# %%
display(thesis)

# %% [markdown]
# ## Claims ledger: this chapter's rows
#
# The thesis' quantitative claims that the arms-transfer data test (C20–C31 in the ledger specification), with verdicts computed now from the curated data by the project's claims ledger, which declares each claim, its measure and its tolerance. The claims are about the thesis' own scope (mostly Kazakhstan, the editions named in each row), so these rows do not change with this report's parameters.

# %%
display(ledger)

# %% [markdown]
# ## What this chapter does not do yet
#
# SIPRI has no per-year file in its own format for the latest edition, so yearly values of the few multi-year deals it revised are spread evenly over their delivery years (their deal totals are exact); the validation section shows which years this touches.

# %%
report.references()

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
# # Chapter 1b — Energy: production, pipelines, routes and money

# %% tags=["parameters"]
country = "KAZ"
start_year = 2000
end_year = 2025
edition = "2026"
energy_unit = "EJ"

# %%
# Validate the parameters first: a bad value stops here with a message naming it.
from kzanalysis.params import validate_in_notebook

params = validate_in_notebook(
    "energy",
    country=country,
    start_year=start_year,
    end_year=end_year,
    edition=edition,
    energy_unit=energy_unit,
)

# %%
# Compute every section's tables and figures first (nothing is displayed here), so that the
# key findings below can link to them.
from IPython.display import display

from kzanalysis import datasets, report
from kzanalysis.analysis import energy_report as ER
from kzanalysis.claims.ledger import ledger_counts, ledger_element
from kzanalysis.plotting import use_style

use_style()
P = params

series = datasets.load("energy_series")
gas_flows = datasets.load("energy_gas_pipeline_flows")
crude = datasets.load("energy_crude_interarea_flows")
brent = datasets.load("brent_annual")
products = datasets.load("trade_products_hs4")

balance = ER.balance_section(series, P.country, P.edition, P.unit_code, P.start_year, P.end_year)
reserves = ER.reserves_section(series, P.country, P.edition)
pipelines = ER.pipeline_section(gas_flows, P.country)
crude_routes = ER.crude_section(crude, P.country)
money = ER.money_section(products, brent, P.country)
revisions = ER.revisions_section(series, P.country, P.start_year, P.end_year)
coal = ER.coal_section(series, P.edition, P.end_year)
ledger = ledger_element(domain="energy")

# %%
display(ER.findings(balance, pipelines, crude_routes, money, reserves, coal, revisions))
ledger_counts(ledger)

# %% [markdown]
# The thesis argues that energy ties Kazakhstan to both powers. Russia matters through transit and refining: most Kazakh oil reaches the world market through Russian territory, and sour gas is processed at Orenburg. China matters through the Kazakhstan–China oil pipeline, line C of the Central Asia–China gas pipeline and fast-growing exports, while Russia itself turns east with Power of Siberia. This report checks those statements against the Energy Institute (formerly bp) *Statistical Review of World Energy* and Kazakhstan's own product-level trade statistics.

# %%
ER.parameters_note(params)

# %% [markdown]
# How to read this report:
# * Every series comes from **one Statistical Review edition** (named above), because editions revise history (section 6 shows by how much). The pipeline and crude-route matrices exist for one data year per edition, so those two sections necessarily use several editions; each table and figure says which.
# * Units are in every column header and axis label. Conversions use only the Review's published approximate factors, and every converted series is named in a note.
# * Every number in the text is computed from the curated tables by unit-tested functions. Where a series does not exist for a country, the report says so and carries on.
# * The report exists for Kazakhstan, Turkmenistan and Uzbekistan; Russia and China are always shown for comparison. Each figure and table can be downloaded as CSV, and its sources are numbered in the References at the end.

# %% [markdown]
# ## 1. Production, consumption and the export surplus
#
# Oil, gas and coal production and consumption of the country, Russia and China, in one unit. The **export surplus** is production minus consumption, and **self-sufficiency** is production as a percentage of consumption (above 100 %: an exporter): a proxy for net exports that ignores stock changes (and, for oil, the difference between production including NGLs and consumption including refinery gains and biofuels). A negative surplus means the country needs imports.
#
# In exajoules (EJ) all three fuels can be compared. The Review does not publish oil production in EJ, so it is converted from million tonnes at 1 Mt ≈ 1 Mtoe = 41.868 PJ, and flagged. In bcm only gas is shown, in kb/d only oil; in Mt oil and coal production are published, oil consumption is converted from kb/d at 7.33 barrels per tonne and coal consumption (published in EJ only) cannot be converted.

# %%
display(*balance.elements)

# %% [markdown]
# ## 2. Proved reserves and rank
#
# Proved oil reserves (thousand million barrels) and gas reserves (trillion cubic metres) at the end of the last year the edition reports. The Review has stopped updating reserves in its recent editions (the table gives the year the chosen edition reports). Ranks count **countries only**: regional totals, "Other CIS" and the World row are excluded. The CIS rank uses the CIS membership of that year, with Turkmenistan as an associate member included. The curated table keeps every country for oil reserves and for oil and gas production, so those world ranks are complete. For gas reserves it keeps only the focus countries, so no world rank is given for gas reserves.
#
# The thesis (claims C04–C06): Kazakhstan holds “about 30 bn barrels”, “12th in the world” and “2nd in the region after Russia”.

# %%
display(*reserves.elements)

# %% [markdown]
# ## 3. Pipeline gas flows
#
# The Review publishes a matrix of inter-country pipeline gas trade (bcm, standardised at 40 MJ/m³) for one year per edition; the bundled matrices cover one year each (the tables name them; a missing year has no matrix). Each year therefore comes from a different edition. A blank cell in a matrix means zero when both the exporter and the importer appear in that matrix; if one of them is missing entirely (as Russia is from the latest extraction) the flow is unknown: "–" in tables and grey in the heat map. Russia → China is all Russian pipeline gas to China; Power of Siberia is not published separately.

# %%
display(*pipelines.elements)

# %% [markdown]
# ## 4. Crude oil out of Central Asia: to Europe or to China?
#
# The Review's inter-area matrix shows where crude oil goes, by **area**, not by country: Kazakh, Turkmen and Uzbek crude is inside "Other CIS", together with Azerbaijan's. Crude going to Europe leaves mostly through Russian-controlled routes (the Caspian Pipeline Consortium to Novorossiysk, Atyrau–Samara), but Azerbaijan's exports through Baku–Tbilisi–Ceyhan are in the same area and do not touch Russia. The European share is therefore an upper bound for "Central Asian crude through Russia", and China's share a direct measure of the Kazakhstan–China pipeline route (which also carries Russian crude in transit, counted under Russia). Flows are in million tonnes (Mt) per year.

# %%
display(*crude_routes.elements)

# %% [markdown]
# ## 5. Exports to China in money: crude oil (HS 2709) and gas (HS 2711)
#
# Kazakhstan's own customs statistics (UN Comtrade via WITS, HS 2012 four-digit lines, US$ million). Only Kazakhstan has product-level data in the project; for other countries this section is skipped. Some years are incomplete in the source (the table marks them): the two energy lines are present, but other lines are missing, so values are usable, totals are not.
#
# Growth is the compound annual growth rate (CAGR) between the first and the last year. The link between export value and the Brent price is a log-log regression, log(value) = a + b · log(Brent), fitted by ordinary least squares with Newey–West (HAC) standard errors; b is the elasticity. With ten annual points it is a description, not a structural estimate.

# %%
display(*money.elements)

# %% [markdown]
# ## 6. Edition revisions: which number you quote depends on the edition
#
# Successive Statistical Review editions revise past years; the subtitle says by how much at most. The tables show one series as published by each bundled edition; the spread is the largest minus the smallest value across editions, also as a percentage of the latest edition's value. The thesis would have used the bp edition of its year.

# %%
display(*revisions.elements)

# %% [markdown]
# ## 7. China's energy mix: how much is coal?
#
# The thesis says “coal is 72 % of China's energy consumption” (claim C09). Coal consumption (EJ) is divided by primary energy (EJ) and coal-fired electricity (TWh) by total generation (TWh). Older editions measure primary energy by the substitution method; the latest bundled edition replaced it by total energy supply (TES), which counts nuclear and renewable electricity at a lower energy value and so gives coal a larger share. Both are shown: the chosen edition and the bp 2022 edition the thesis would have used.

# %%
display(*coal.elements)

# %% [markdown]
# ## Claims ledger: this chapter's rows
#
# The thesis' quantitative claims that the energy data test (C01–C09, C13–C15 and C19 in the ledger specification), with verdicts computed now from the curated data. The project's claims file declares each claim, its metric and its tolerance. The claims are about the thesis' own scope (mostly Kazakhstan, the editions named in each row), so these rows do not change with this report's parameters.

# %%
display(ledger)

# %%
report.references()

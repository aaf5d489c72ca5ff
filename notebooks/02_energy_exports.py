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
#
# The thesis argues that energy ties Kazakhstan to both powers. Russia matters through transit and refining: most Kazakh oil reaches the world market through Russian territory, and sour gas is processed at Orenburg. China matters through the Kazakhstan–China oil pipeline, line C of the Central Asia–China gas pipeline and fast-growing exports, while Russia itself turns east with Power of Siberia. This notebook checks those statements against the Energy Institute (formerly bp) *Statistical Review of World Energy* and Kazakhstan's own product-level trade statistics.
#
# How to read it:
# * Every series comes from **one Statistical Review edition** (parameter `edition`), because editions revise history (section 6 shows by how much). The pipeline and crude-route matrices exist for one data year per edition, so those two sections necessarily use several editions; each table says which.
# * Units are in every column name and axis label. Conversions use only the Review's published approximate factors (documented in `kzanalysis.analysis.energy`), and every converted value is flagged.
# * Every number in the text is computed in this notebook from the curated tables; the functions live in `kzanalysis.analysis.energy` and are unit-tested. Where a series does not exist for a country, the notebook says so and carries on.
#
# Build it as a report for Kazakhstan (default), Turkmenistan or Uzbekistan by setting `country`.

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
print(params)

# %%
import matplotlib.pyplot as plt
import pandas as pd

from kzanalysis import datasets
from kzanalysis.analysis import energy as E
from kzanalysis.display import say, show
from kzanalysis.plotting import ACTOR_COLORS, palette, source_caption, use_style
from kzanalysis.stats import InsufficientDataError

use_style()
pd.set_option("display.width", 120)

C = params.country
NAME = E.label(C)
Y0, Y1 = params.start_year, params.end_year
ED = params.edition
U = params.unit_code
UL = E.UNIT_LABELS[U]
# the country first, then the two powers as comparators
ENTITIES = list(dict.fromkeys([C, "RUS", "CHN"]))
COLORS = palette([E.label(e) for e in ENTITIES])
KEY = {}  # key results, printed together at the end


series = datasets.load("energy_series")
gas_flows = datasets.load("energy_gas_pipeline_flows")
crude = datasets.load("energy_crude_interarea_flows")
brent = datasets.load("brent_annual")
products = datasets.load("trade_products_hs4")

ED_SOURCE = [E.edition_source_id(ED)]
ED_CAPTION = E.caption(series, ED_SOURCE)
say(
    f"Country: {NAME}; years {Y0}–{Y1}; Statistical Review edition {ED} (data to "
    f"{int(ED) - 1}); unit of the production/consumption comparison: {UL}."
)

# %% [markdown]
# ## 1. Production, consumption and the export surplus
#
# Oil, gas and coal production and consumption of the country, Russia and China, in one unit. The **export surplus** is production minus consumption, and **self-sufficiency** is production as a percentage of consumption (above 100 %: an exporter): a proxy for net exports that ignores stock changes (and, for oil, the difference between production including NGLs and consumption including refinery gains and biofuels). A negative surplus means the country needs imports.
#
# In exajoules (EJ) all three fuels can be compared. The Review does not publish oil production in EJ, so it is converted from million tonnes at 1 Mt ≈ 1 Mtoe = 41.868 PJ, and flagged. In bcm only gas is shown, in kb/d only oil; in Mt oil and coal production are published, oil consumption is converted from kb/d at 7.33 barrels per tonne and coal consumption (published in EJ only) cannot be converted.

# %%
balance = E.fuel_balance(series, ED, ENTITIES, U, Y0, Y1)
for sentence in E.missing_sentences(balance, ENTITIES):
    say(sentence)
if balance.empty:
    say(f"No fuel has a {UL} series in edition {ED}; choose energy_unit='EJ'.")
else:
    last = int(balance["year"].max())
    table = balance[balance["year"] == last].copy()
    table["country"] = table["entity_code"].map(E.label)
    table["self_sufficiency_pct"] = 100 * table[f"production_{U}"] / table[f"consumption_{U}"]
    print(f"Production, consumption and surplus in {last} ({UL} per year; edition {ED}):")
    show(
        table[
            [
                "country",
                "fuel",
                f"production_{U}",
                f"consumption_{U}",
                f"surplus_{U}",
                "self_sufficiency_pct",
            ]
        ],
        digits=2,
    )
    converted = sorted(
        {
            m
            for col in ("production_method", "consumption_method")
            for m in balance[col]
            if m.startswith("converted")
        }
    )
    if converted:
        say(
            "Converted series (Review's approximate factors): "
            + "; ".join(
                f"{f} {w}: {m}"
                for f, ws in balance.attrs["methods"].items()
                for w, m in ws.items()
                if m.startswith("converted")
            )
            + "."
        )

# %%
if not balance.empty:
    note = "Oil production converted from Mt at 41.868 PJ/Mt." if U == "ej" else ""
    E.plot_fuel_balance(
        balance,
        U,
        title=f"Production and consumption: {', '.join(E.label(e) for e in ENTITIES)}",
        caption_text=E.caption(series, ED_SOURCE, note),
        colors=COLORS,
    )
    plt.show()


# %%
def surplus_sentence(bal, ent, unit):
    own = bal[(bal["entity_code"] == ent)].dropna(subset=[f"surplus_{unit}"])
    if own.empty:
        return (
            f"{E.label(ent)}: no year with both production and consumption "
            f"in {E.UNIT_LABELS[unit]}."
        )
    parts = []
    for fuel, g in own.groupby("fuel", sort=False):
        r = g.iloc[-1]
        share = (
            100 * r[f"surplus_{unit}"] / r[f"production_{unit}"]
            if r[f"production_{unit}"]
            else float("nan")
        )
        amount = abs(r[f"surplus_{unit}"])
        if r[f"surplus_{unit}"] >= 0:
            parts.append(
                f"{fuel} surplus of {amount:,.2f} {E.UNIT_LABELS[unit]} ({share:.0f}% of "
                f"production available for export) in {int(r['year'])}"
            )
        else:
            parts.append(
                f"{fuel} deficit of {amount:,.2f} {E.UNIT_LABELS[unit]} (covered by "
                f"imports) in {int(r['year'])}"
            )
    return f"{E.label(ent)}: " + "; ".join(parts) + "."


if not balance.empty:
    for ent in ENTITIES:
        say(surplus_sentence(balance, ent, U))
    own = balance[(balance["entity_code"] == C)].dropna(subset=[f"surplus_{U}"])
    if not own.empty:
        top = (
            own[own["year"] == own["year"].max()]
            .sort_values(f"surplus_{U}", ascending=False)
            .iloc[0]
        )
        KEY["largest export surplus"] = (
            f"{top['fuel']} {top[f'surplus_{U}']:,.2f} {UL} in {int(top['year'])} (edition {ED})"
        )

# %% [markdown]
# ## 2. Proved reserves and rank
#
# Proved oil reserves (thousand million barrels) and gas reserves (trillion cubic metres) at the end of the last year the edition reports. The Review has frozen reserves at end-2020 since its 2022 edition. Ranks count **countries only**: regional totals, "Other CIS" and the World row are excluded. The CIS rank uses the CIS membership of that year from the country registry, with Turkmenistan as an associate member included. The curated table keeps every country for oil reserves and for oil and gas production, so those world ranks are complete. For gas reserves it keeps only the focus countries, so no world rank is given for gas reserves.
#
# The thesis (C04–C06): Kazakhstan holds about 30 bn barrels, 12th in the world and 2nd in the region after Russia.

# %%
reserves = E.reserves_table(series, ED, list(dict.fromkeys([C, "RUS", "CHN", "KAZ", "TKM", "UZB"])))
print(f"Proved reserves, end {int(reserves['year'].iloc[0])} (edition {ED}):")
show(reserves[["country", "oil_reserves_bn_bbl", "gas_reserves_tcm"]], digits=2)

rank_specs = [
    ("oil_reserves", "bn_bbl", "oil reserves"),
    ("gas_reserves", "tcm", "gas reserves"),
    ("oil_production", "kbd", "oil production"),
    ("gas_production", "bcm", "gas production"),
]
rank_rows = []
for var, unit, what in rank_specs:
    try:
        r = E.country_rank(series, ED, var, unit, C)
    except InsufficientDataError as exc:
        say(f"{what}: {exc}.")
        continue
    rank_rows.append(
        {
            "series": f"{what} ({E.UNIT_LABELS[unit]})",
            "year": r.year,
            "value": r.value,
            "world_rank": f"{r.world_rank} of {r.world_n}"
            if r.world_complete
            else "n/a (incomplete)",
            "cis_rank": (
                f"{r.cis_rank} of {r.cis_n}"
                if r.cis_rank and r.cis_complete
                else "n/a (incomplete)"
                if r.cis_rank
                else "not a CIS member"
            ),
        }
    )
    if var == "oil_reserves":
        oil_rank = r
ranks = pd.DataFrame(rank_rows)
print(f"\n{NAME}: ranks among countries (edition {ED}):")
show(ranks, digits=2)
say(
    "'n/a (incomplete)': the curated table keeps only the focus countries for that series "
    "(e.g. no Azerbaijan for gas reserves), so a rank would overstate the position."
)

# %%
r = oil_rank
if r.value is not None:
    cis_text = (
        f"and {r.cis_rank} of {r.cis_n} CIS members with data"
        if r.cis_rank
        else "and is not a CIS member"
    )
    thesis = (
        " The thesis says about 30 bn barrels, 12th in the world and 2nd in the region after "
        "Russia (C04–C06)."
        if C == "KAZ"
        else " (The thesis' reserve claims C04–C06 are about Kazakhstan: see the KAZ variant.)"
    )
    say(
        f"{NAME} reports {r.value:,.1f} bn barrels of "
        f"proved oil reserves at end-{r.year}; it ranks "
        f"{r.world_rank} of {r.world_n} countries in the world {cis_text}.{thesis}"
    )
    if r.cis_missing:
        say(
            f"CIS members without an oil-reserves row (the Review includes them in 'Other CIS', "
            f"where their reserves are small): {', '.join(E.label(m) for m in r.cis_missing)}."
        )
    KEY["oil reserves"] = (
        f"{r.value:,.1f} bn bbl end-{r.year}, world rank {r.world_rank}/{r.world_n}, "
        f"CIS rank {r.cis_rank}/{r.cis_n}"
        if r.cis_rank
        else f"{r.value:,.1f} bn bbl end-{r.year}, world rank {r.world_rank}/{r.world_n}"
    )

# %% [markdown]
# ## 3. Pipeline gas flows
#
# The Review publishes a matrix of inter-country pipeline gas trade (bcm, standardised at 40 MJ/m³) for one year per edition; the bundled matrices cover 2020, 2021, 2022, 2023 and 2025 (no 2024 matrix is available). Each year therefore comes from a different edition. A blank cell in a matrix means zero when both the exporter and the importer appear in that matrix; if one of them is missing entirely (the 2025 extraction has no Russia column) the flow is unknown and shown as "-" in tables and grey in the heatmap. Russia → China is all Russian pipeline gas to China; Power of Siberia is not published separately.

# %%
pairs = E.pipeline_pairs(gas_flows)
matrix = E.pair_matrix(pairs)
editions_used = ", ".join(
    f"{y}: ed. {e}" for y, e in pairs[["year", "edition"]].drop_duplicates().itertuples(index=False)
)
print(f"Pipeline gas flows (bcm per year; matrix year: edition — {editions_used}):")
print(matrix.to_string(float_format=lambda v: f"{v:,.2f}"))
GAS_CAPTION = E.caption(gas_flows)
E.plot_pair_heatmap(
    matrix, title="Pipeline gas between Central Asia, Russia and China", caption_text=GAS_CAPTION
)
plt.show()

# %%
china_imports = E.china_pipeline_imports(gas_flows)
wide = china_imports.pivot(index="exporter", columns="year", values="share_pct")
wide = wide.loc[wide.max(axis=1).sort_values(ascending=False).index]
print("Shares of China's pipeline gas imports by origin (% of China's total pipeline imports):")
print(wide.to_string(float_format=lambda v: f"{v:,.1f}"))
totals = gas_flows[(gas_flows["importer_code"] == "CHN") & (gas_flows["exporter_code"] == "TOTAL")]
t0, t1 = totals.sort_values("year").iloc[[0, -1]].itertuples(index=False)
say(
    f"China's pipeline gas imports grew from {t0.flow_bcm:,.1f} bcm in {t0.year} to "
    f"{t1.flow_bcm:,.1f} bcm in {t1.year}."
)

own_exports = pairs[(pairs["exporter_code"] == C)].dropna(subset=["flow_bcm"])
if own_exports.empty:
    say(f"{NAME} exports no pipeline gas to the partners shown.")
else:
    for (ex, im), g in own_exports.groupby(["exporter_code", "importer_code"], sort=False):
        g = g.sort_values("year")
        say(
            f"{E.label(ex)} → {E.label(im)}: "
            + ", ".join(
                f"{v:,.1f} bcm ({y})" for y, v in zip(g["year"], g["flow_bcm"], strict=True)
            )
            + "."
        )

# %%
progress = E.contract_progress(pairs)
print(
    "Russia → China pipeline gas against the "
    f"{E.POWER_OF_SIBERIA_CONTRACT_BCM:.0f} bcm/yr contract:"
)
show(progress, digits=1)
first, last = progress.iloc[0], progress.iloc[-1]
total_cagr = E.cagr(first["flow_bcm"], last["flow_bcm"], last["year"] - first["year"])
say(
    "Russian pipeline gas to China rose from "
    f"{first['flow_bcm']:.1f} bcm in {int(first['year'])} to "
    f"{last['flow_bcm']:.1f} bcm in {int(last['year'])} "
    f"({total_cagr:.0f}% a year on average), i.e. "
    f"{last['pct_of_contract']:.0f}% of the 38 bcm/yr Power of Siberia contract volume. The thesis "
    "expected 38 bcm by 2025 (C14)."
)
y2021 = progress[progress["year"] == 2021]
if not y2021.empty:
    say(
        f"For 2021 the thesis quotes 16.5 bcm (C13); the Review's matrix shows "
        f"{y2021['flow_bcm'].iloc[0]:.1f} bcm (edition {y2021['edition'].iloc[0]})."
    )
KEY["Russia → China gas"] = (
    f"{last['flow_bcm']:.1f} bcm in {int(last['year'])} = {last['pct_of_contract']:.0f}% of 38 bcm"
)
E.plot_contract(
    progress,
    title="Russia → China pipeline gas vs the Power of Siberia contract",
    caption_text=GAS_CAPTION + " Contract: Gazprom–CNPC, May 2014 (38 bcm/yr).",
    color=ACTOR_COLORS["Russia"],
)
plt.show()

# %% [markdown]
# ## 4. Crude oil out of Central Asia: to Europe or to China?
#
# The Review's inter-area matrix shows where crude oil goes, by **area**, not by country: Kazakh, Turkmen and Uzbek crude is inside "Other CIS", together with Azerbaijan's. Crude going to Europe leaves mostly through Russian-controlled routes (the Caspian Pipeline Consortium to Novorossiysk, Atyrau–Samara), but Azerbaijan's exports through Baku–Tbilisi–Ceyhan are in the same area and do not touch Russia. The European share is therefore an upper bound for "Central Asian crude through Russia", and China's share a direct measure of the Kazakhstan–China pipeline route (which also carries Russian crude in transit, counted under Russia). Flows are in million tonnes (Mt) per year.

# %%
area = E.CRUDE_EXPORTER.get(C)
CRUDE_CAPTION = E.caption(crude)
if area is None:
    say(
        f"{NAME} is not a crude exporter in the matrix; "
        "its crude imports by origin are shown instead."
    )
    into = E.crude_into(crude, C)
    last = into[into["year"] == into["year"].max()]
    show(last[["year", "edition", "exporter", "flow_mt", "share_pct"]].head(10), digits=1)
    ru = into[into["exporter_code"] == "RUS"].set_index("year")["share_pct"]
    say(
        "Russia's share of China's crude imports: "
        + ", ".join(f"{v:.1f}% ({y})" for y, v in ru.items())
        + "."
    )
    dest = None
else:
    if area != C:
        say(
            f"{NAME}'s crude is reported inside the area "
            f"'{E.label(area)}' (with Azerbaijan and the "
            "other non-Russian CIS producers); the figures below are for that area."
        )
    dest = E.crude_destinations(crude, area)
    by_region = E.crude_by_region(dest)
    print(f"Crude exports of {E.label(area)} by destination (Mt per year):")
    show(by_region.reset_index(), digits=1)
    E.plot_crude_regions(
        by_region,
        title=f"Crude oil exports of {E.label(area)} by destination",
        caption_text=CRUDE_CAPTION,
    )
    plt.show()

# %%
if dest is not None:
    evc = E.europe_vs_china(dest)
    show(evc, digits=1)
    a, b = evc.iloc[0], evc.iloc[-1]
    say(
        f"Europe took {a['europe_share_pct']:.0f}% of {E.label(area)}'s crude exports in "
        f"{int(a['year'])} and {b['europe_share_pct']:.0f}% in {int(b['year'])}; China took "
        f"{a['china_share_pct']:.0f}% and {b['china_share_pct']:.0f}%. In the last year Europe "
        f"received {b['europe_to_china_ratio']:.0f} times as much as China."
    )
    if area == "CIS_OTHER":
        kcop = E.kbd_to_mt_per_year(400)
        say(
            "The thesis puts the Kazakhstan–China oil "
            "pipeline at 400,000 barrels a day (C15), which "
            f"is about {kcop:.1f} Mt a year at the Review's 7.33 barrels per tonne; the whole "
            "'Other CIS' area sent "
            f"{evc['china_mt'].min():.1f}–{evc['china_mt'].max():.1f} Mt of crude to "
            f"China a year in {int(a['year'])}–{int(b['year'])}. "
            "400 kb/d is a capacity, not a flow: "
            "the pipeline's Kazakh crude runs far below it (part of the capacity serves Russian "
            "transit crude, counted under Russia)."
        )
        say(
            f"The thesis' 'about 85% of Kazakh oil transits Russia' (C19) cannot be tested exactly "
            f"with area data: the European share of the whole area ({b['europe_share_pct']:.0f}% "
            f"in {int(b['year'])}) is an upper bound that includes Azerbaijan's crude via Turkey."
        )
    KEY["crude to Europe vs China"] = (
        f"{E.label(area)} {int(b['year'])}: Europe "
        f"{b['europe_share_pct']:.0f}%, China {b['china_share_pct']:.0f}%"
    )

# %% [markdown]
# ## 5. Exports to China in money: crude oil (HS 2709) and gas (HS 2711)
#
# Kazakhstan's own customs statistics (UN Comtrade via WITS, HS 2012 four-digit lines, US$ million, 2015–2024). Only Kazakhstan has product-level data in the project; for other countries this section is skipped. 2020–2022 are incomplete years in the source: the two energy lines are present, but other lines are missing, so values are usable, totals are not.
#
# Growth is the compound annual growth rate (CAGR) between the first and the last year. The link between export value and the Brent price is a log-log regression, `log(value) = a + b · log(Brent)`, fitted by OLS with Newey–West (HAC) standard errors; `b` is the elasticity. With ten annual points it is a description, not a structural estimate.

# %%
HAS_TRADE = E.has_product_data(products, C)
if not HAS_TRADE:
    say(
        f"Section skipped for {NAME}: the project's product-level trade table covers only "
        "Kazakhstan's reported trade, so the value of energy exports to China cannot be shown."
    )
else:
    money = E.hs_exports(products, C, "CHN")
    TRADE_CAPTION = source_caption([products, brent])
    wide = money.pivot(index="year", columns="product_code", values="value_usd_mn")
    wide.columns = [f"HS {c} (US$ mn)" for c in wide.columns]
    share = E.china_share_of_exports(products, C)
    sw = share.pivot(index="year", columns="product_code", values="china_share_pct")
    sw.columns = [f"China share HS {c} (%)" for c in sw.columns]
    table = wide.join(sw).join(
        brent.set_index("year")["brent_usd_per_bbl"].rename("Brent (US$/bbl)")
    )
    table["incomplete year"] = money.groupby("year")["incomplete_year"].first()
    print(f"{NAME}'s exports to China and China's share of its exports to the world:")
    print(table.to_string(float_format=lambda v: f"{v:,.1f}"))
    growth = E.growth_table(money)
    print("\nGrowth (CAGR between the first and the last year, %):")
    show(growth, digits=1)

# %%
if HAS_TRADE:
    E.plot_exports_vs_brent(
        money,
        brent,
        title=f"{NAME}: energy exports to China and the Brent price",
        caption_text=TRADE_CAPTION,
    )
    plt.show()
    g = growth.set_index("product_code")
    for code in g.index:
        r = g.loc[code]
        say(
            f"{E.HS_PRODUCTS[code].capitalize()}: US$ {r['first_usd_mn']:,.0f} mn in "
            f"{int(r['first_year'])} → US$ {r['last_usd_mn']:,.0f} mn in {int(r['last_year'])}, "
            f"a compound annual growth rate of {r['cagr_pct']:.1f}%."
        )
    gas2020 = money[(money["product_code"] == "2711") & (money["year"] == 2020)]["value_usd_mn"]
    if not gas2020.empty:
        say(
            "The thesis quotes US$ 1.45 bn of gas exports "
            "to China in 2020 (C10); the WITS line shows "
            f"US$ {gas2020.iloc[0]:,.0f} mn. Its 2014 starting value (US$ 206 mn) is before the "
            "table's coverage."
        )
    crude_ch = money[money["product_code"] == "2709"].set_index("year")["value_usd_mn"]
    near = (crude_ch - 1190).abs().idxmin()
    say(
        f"For crude (C11, 'rebounded to US$ 1.19 bn') the closest year is {near} with "
        f"US$ {crude_ch.loc[near]:,.0f} mn; the series "
        f"later peaked at US$ {crude_ch.max():,.0f} mn "
        f"in {crude_ch.idxmax()}."
    )
    KEY["exports to China"] = "; ".join(
        f"HS {c} CAGR {g.loc[c, 'cagr_pct']:.1f}% "
        f"({g.loc[c, 'first_year']}–{g.loc[c, 'last_year']})"
        for c in g.index
    )

# %%
if HAS_TRADE:
    incomplete = sorted(set(money.loc[money["incomplete_year"].fillna(False).astype(bool), "year"]))
    rows = []
    for code in E.HS_PRODUCTS:
        for label_, excl in (("all years", ()), ("without incomplete years", incomplete)):
            try:
                e = E.brent_elasticity(money, brent, code, exclude_years=excl)
            except InsufficientDataError as exc:
                say(f"HS {code}, {label_}: {exc}.")
                continue
            rows.append(
                {
                    "HS": code,
                    "sample": label_,
                    "n": e.nobs,
                    "elasticity": e.elasticity,
                    "ci95_low": e.ci_low,
                    "ci95_high": e.ci_high,
                    "p_hac": e.p_value,
                    "r2": e.r_squared,
                }
            )
            if label_ == "all years":
                say(E.describe_elasticity(e))
                KEY[f"Brent elasticity HS {code}"] = (
                    f"{e.elasticity:.2f} (95% CI {e.ci_low:.2f} to {e.ci_high:.2f}, n={e.nobs})"
                )
    print("\nLog-log elasticity of export value to the Brent price (HAC standard errors):")
    el = pd.DataFrame(rows)
    show(el, digits=2)
    for code, g in el.groupby("HS"):
        if len(g) == 2:
            a, b = g.iloc[0], g.iloc[1]
            say(
                f"HS {code}: leaving out the incomplete years "
                f"{', '.join(map(str, incomplete))} moves "
                f"the elasticity from {a['elasticity']:.2f} to {b['elasticity']:.2f} (95% CI "
                f"{b['ci95_low']:.2f} to {b['ci95_high']:.2f}, "
                f"n = {int(b['n'])}): with so few years "
                "the estimate depends on which years are kept."
            )

# %% [markdown]
# ## 6. Edition revisions: which number you quote depends on the edition
#
# Successive Statistical Review editions revise past years, sometimes by more than 10 %. The table shows one series as published by each bundled edition; `spread` is the largest minus the smallest value across editions and `spread_pct` the spread as a share of the latest edition's value. The thesis (2022) would have used the bp 2022 edition.

# %%
rev_years = range(max(Y0, 2010), min(Y1, 2021) + 1)
revisions = {}
for var, unit, what in (
    ("gas_production", "bcm", "gas production"),
    ("oil_production", "kbd", "oil production"),
):
    try:
        rev = E.edition_revisions(series, var, unit, C, rev_years)
    except InsufficientDataError as exc:
        say(f"{what}: {exc}.")
        continue
    revisions[var] = rev
    print(f"{NAME}, {what} ({E.UNIT_LABELS[unit]}) by edition:")
    print(rev.to_string(float_format=lambda v: f"{v:,.2f}"))
    worst = rev["spread_pct"].idxmax()
    say(
        f"Largest revision of {NAME}'s {what}: {worst}, where the editions differ by "
        f"{rev.loc[worst, 'spread']:,.2f} {E.UNIT_LABELS[unit]} "
        f"({rev.loc[worst, 'spread_pct']:.1f}% of "
        "the latest edition's value)."
    )
    print()
if "gas_production" in revisions:
    rev = revisions["gas_production"]
    E.plot_revisions(
        rev,
        "bcm",
        title=f"{NAME}: gas production as published by each edition",
        caption_text=E.caption(series),
    )
    plt.show()
    worst = rev["spread_pct"].idxmax()
    KEY["largest gas revision"] = (
        f"{worst}: {rev.loc[worst, 'spread']:.2f} bcm "
        f"({rev.loc[worst, 'spread_pct']:.1f}%) across editions"
    )

# %% [markdown]
# ## 7. China's energy mix: how much is coal?
#
# The thesis says coal is 72 % of China's energy consumption (C09). Coal consumption (EJ) is divided by primary energy (EJ) and coal-fired electricity (TWh) by total generation (TWh). Editions up to 2024 measure primary energy by the substitution method; the 2026 edition replaced it by total energy supply (TES), which counts nuclear and renewable electricity at a lower energy value and so gives coal a larger share. Both are shown: the chosen edition and the bp 2022 edition the thesis would have used.

# %%
mix_rows = []
for ed in dict.fromkeys([ED, "2022"]):
    shares = E.coal_shares(series, ed, "CHN")
    measure = E.primary_measure(ed)[1]
    last = shares.dropna(subset=["coal_share_primary_pct"]).iloc[-1]
    held = E.last_year_at_or_above(shares, "coal_share_primary_pct", 72)
    held_el = E.last_year_at_or_above(shares, "coal_share_electricity_pct", 72)
    mix_rows.append(
        {
            "edition": ed,
            "measure": measure,
            "last_year": int(last["year"]),
            "coal_share_primary_pct": last["coal_share_primary_pct"],
            "coal_share_electricity_pct": last["coal_share_electricity_pct"],
            "last_year_primary_ge_72": held,
            "last_year_electricity_ge_72": held_el,
        }
    )
    if ed == ED:
        main_shares, main_measure = shares, measure
mix = pd.DataFrame(mix_rows)
show(mix, digits=1)
m = mix.iloc[0]


def held_text(year):
    return f"last in {year}" if year is not None else "in no year of the series"


say(
    f"In the {m['edition']} edition coal was {m['coal_share_primary_pct']:.1f}% of China's "
    f"{m['measure']} and {m['coal_share_electricity_pct']:.1f}% of its electricity generation in "
    f"{m['last_year']}. Coal's share of primary energy was at or above the thesis' 72% "
    f"{held_text(m['last_year_primary_ge_72'])}; its share of electricity "
    f"{held_text(m['last_year_electricity_ge_72'])}."
)
for r in mix.itertuples():
    if r.edition != m["edition"]:
        say(
            f"With the {r.edition} edition ({r.measure}) "
            f"the share was {r.coal_share_primary_pct:.1f}% "
            f"in {r.last_year} and at or above 72% {held_text(r.last_year_primary_ge_72)}: the "
            "quoted figure depends on the measure of primary energy as well as on the year."
        )
KEY["China coal share"] = (
    f"{m['coal_share_primary_pct']:.1f}% of {m['measure']} in {m['last_year']} "
    f"(≥72% last in {m['last_year_primary_ge_72']})"
)
shown = main_shares[main_shares["year"].between(1990, Y1)]
E.plot_coal_shares(
    shown,
    title="China: coal's share of energy and of electricity",
    caption_text=E.caption(series, ED_SOURCE),
    measure=main_measure,
)
plt.show()

# %% [markdown]
# ## Key results
#
# The chapter's key numbers in plain text (checked by nbval when the notebook is re-run). The chapter's rows of the claims ledger follow.

# %%
print(f"Energy chapter, {NAME}, edition {ED}, {Y0}–{Y1}, unit {UL}")
for k, v in KEY.items():
    print(f"- {k}: {v}")

# %% [markdown]
# ## Claims ledger: this chapter's rows
#
# The thesis' quantitative claims that the energy data test (C01–C09, C13–C15 and C19 in the ledger specification), with verdicts computed now from the curated data by `kzanalysis.claims` (`data/claims.yaml` declares each claim, its metric and its tolerance; `kzanalysis claims` prints the whole ledger). The claims are about the thesis' own scope (mostly Kazakhstan, the editions named in each row), so these rows do not change with this report's parameters.

# %%
from IPython.display import HTML, display

from kzanalysis.claims.ledger import counts_sentence, ledger_table

LEDGER = ledger_table(domain="energy")
say(counts_sentence(LEDGER))
for row in LEDGER.itertuples():
    say(f"{row.id} [{row.verdict}] {row.claim} — {row.explanation}")
display(HTML(LEDGER.to_html(index=False, classes="kz-sortable")))

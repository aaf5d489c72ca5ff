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
#
# The thesis argues (chapter 1) that the Eurasian Economic Union binds Kazakhstan to Russia while China becomes the larger economic partner, and that two shocks reshaped trade: the 2014–15 ruble collapse, sanctions and EAEU launch, and the 2022 war. This notebook checks those claims against the reporting country's own trade statistics, for Kazakhstan by default and for any other Central Asian state through the parameters.
#
# Every number in the text below is computed here from the curated tables (`trade_partner_flows`, `trade_products_hs4`); the analysis functions live in `kzanalysis.analysis.trade` and `kzanalysis.stats`, where they are unit-tested. Where the data do not cover a country or a year, the notebook says so and skips that part.
#
# Build it as a report with `kzanalysis build trade-KAZ` (or `trade-UZB`, `trade-KGZ`, `trade-TJK`, `trade-TKM`).

# %% tags=["parameters"]
country = "KAZ"
start_year = 1995
end_year = 2024
partners = ["RUS", "CHN", "EU27", "EAEU", "TUR", "USA"]
flow = "turnover"
source_preference = "imf_first"
breaks = [2015, 2022]

# %%
# Validate the parameters first: a bad value stops here with a message naming it.
from kzanalysis.analysis.trade_params import SOURCE_PREFERENCES
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
print(params)

# %%
import matplotlib.pyplot as plt
import pandas as pd

from kzanalysis import countries, datasets
from kzanalysis.analysis import trade as T
from kzanalysis.display import say, show
from kzanalysis.plotting import palette, use_style
from kzanalysis.stats import InsufficientDataError, interpret_break_trend

use_style()
pd.set_option("display.width", 120)

C = params.country
NAME = countries.name(C)
Y0, Y1 = params.start_year, params.end_year
FLOW = params.flow


def skipped(section, reason):
    say(f"{section} skipped for {NAME}: {reason}")


flows = datasets.load("trade_partner_flows")
products = datasets.load("trade_products_hs4")
choice = T.choose_sources(flows, C, params.source_preference)
choice = choice[choice["year"].between(Y0, Y1)]
selected = T.select_flows(flows, C, params.source_preference)
selected = selected[selected["year"].between(Y0, Y1)]
families = sorted(set(choice["source_family"]))
CAPTION = T.source_caption(flows, families, T.describe_sources(choice))
COLORS = palette(
    [
        "Russia",
        "China",
        "EU27",
        "EAEU",
        "EAEU (other members)",
        "Türkiye",
        "United States",
        "Other",
        "World",
    ]
    + [T.partner_label(p) for p in params.partners]
)
years_with_data = sorted(set(choice["year"]))
if years_with_data:
    say(
        f"{NAME} ({C}), {FLOW}, {Y0}–{Y1}, source preference '{params.source_preference}' "
        f"({SOURCE_PREFERENCES[params.source_preference]}). {T.describe_sources(choice)} "
        f"Years with a world total: {len(years_with_data)} of {Y1 - Y0 + 1}. "
        f"{T.estimate_share(selected, Y0, Y1):.0f}% of the rows used are IMF estimates."
    )
else:
    say(f"No source covers {NAME} in {Y0}–{Y1}; every analysis below is skipped.")

# %% [markdown]
# ## 1. Partner structure over time
#
# Who does the country trade with, and how has that changed? Trade with each partner is the reporter's own figure; groups are the sum of their member countries, with EAEU members taken from the country registry as of each year (the Union exists from 2015) and the EU at its present 27 members throughout. The stacked chart splits the total into parts that do not overlap: Russia, China and the other listed countries first, then the remaining EAEU members and the EU, and everything else.

# %%
values = T.partner_values(selected, params.partners, FLOW, Y0, Y1, reporter=C)
partition = T.partner_partition(selected, params.partners, FLOW, Y0, Y1, reporter=C)
if values["value_usd_mn"].notna().any():
    print(f"Shares of {NAME}'s total {FLOW} (%), every fifth year and the last year:")
    show(T.share_table(values).reset_index())
else:
    skipped("Partner structure", "no partner values in the period")

# %%
if not partition.empty:
    T.plot_partition(
        partition,
        title=f"{NAME}: {FLOW} by partner, {partition['year'].min()}–{partition['year'].max()}",
        caption=CAPTION,
        colors=COLORS,
    )
    plt.show()
    T.plot_shares(
        values.dropna(subset=["share_pct"]),
        title=f"{NAME}: partners' shares of total {FLOW}",
        caption=CAPTION,
        colors=COLORS,
    )
    plt.show()
    dropped = sorted(set(values.dropna(subset=["value_usd_mn"])["year"]) - set(partition["year"]))
    if dropped:
        say(
            f"Years left out of the stacked chart because their source does not list every "
            f"partner country: {', '.join(map(str, dropped))}."
        )
else:
    skipped("The partner charts", "no year has a complete partner breakdown")


# %%
def share_sentence(vals, code):
    part = vals[(vals["partner"] == code)].dropna(subset=["share_pct"])
    if part.empty:
        return f"no data for {T.partner_label(code)}"
    first, last = part.iloc[0], part.iloc[-1]
    return (
        f"{T.partner_label(code)} {first['share_pct']:.1f}% in {int(first['year'])} → "
        f"{last['share_pct']:.1f}% in {int(last['year'])}"
    )


say(
    "Share of total "
    + FLOW
    + ", first and last year with data: "
    + "; ".join(share_sentence(values, p) for p in params.partners)
    + "."
)

# %% [markdown]
# ## 2. Russia and China
#
# The thesis expects China to have overtaken Russia as an economic partner. For each flow we find the first year in which trade with China exceeded trade with Russia and the year from which China stayed ahead; the ratio China / Russia above 1 means China leads. The balance (exports minus imports) shows who sells more to whom.

# %%
cross = T.crossover_by_flow(selected, Y0, Y1, reporter=C)
show(cross, digits=2)
for r in cross.itertuples():
    if r.years_with_data == 0:
        say(f"{r.flow}: no years with both China and Russia.")
    elif pd.isna(r.first_year_ahead):
        say(
            f"{r.flow}: China never exceeded Russia in {Y0}–{Y1} (China / Russia "
            f"{r.ratio_last_year:.2f} in {r.last_year})."
        )
    else:
        lead = (
            f"and has stayed ahead since {r.lasting_lead_from}"
            if not pd.isna(r.lasting_lead_from)
            else "but was behind again in the last year"
        )
        say(
            f"{r.flow}: China first exceeded Russia in {r.first_year_ahead} {lead}; "
            f"China / Russia = {r.ratio_last_year:.2f} in {r.last_year}."
        )

# %%
rivals = T.rival_comparison(
    T.partner_values(selected, ["CHN", "RUS"], FLOW, Y0, Y1, reporter=C, with_total=False)
).dropna(subset=["ratio"])
if not rivals.empty:
    T.plot_rivals(rivals, title=f"{NAME}: China vs Russia ({FLOW})", caption=CAPTION, colors=COLORS)
    plt.show()
balance = T.trade_balance(selected, ["RUS", "CHN"], Y0, Y1, reporter=C).dropna(
    subset=["balance_usd_mn"]
)
if balance.empty:
    skipped("The trade balance", "no year has both exports and imports")
else:
    print("Trade balance (US$ mn, exports minus imports), every fifth year and the last year:")
    show(
        T.every_nth_year(balance)[
            ["year", "label", "exports_usd_mn", "imports_usd_mn", "balance_usd_mn"]
        ]
    )
    last = balance[balance["year"] == balance["year"].max()].set_index("partner")
    say(
        f"In {int(balance['year'].max())} {NAME} had a "
        + " and a ".join(
            f"{'surplus' if last.loc[p, 'balance_usd_mn'] >= 0 else 'deficit'} of US$ "
            f"{abs(last.loc[p, 'balance_usd_mn']):,.0f} mn with {T.partner_label(p)}"
            for p in ("RUS", "CHN")
            if p in last.index
        )
        + "."
    )

# %% [markdown]
# ## 3. Shocks: trend breaks in 2015 and 2022
#
# A log-linear trend with a level shift and a change of slope at each break year is fitted to trade with Russia, China and the EAEU (OLS, Newey–West standard errors for autocorrelation). The EAEU series here keeps the Union's 2015 composition for all years, so that the series before and after the launch are comparable. The joint "no break" hypothesis is tested with a classic Chow F test and its autocorrelation-robust (HAC Wald) version. A break with fewer than three years on either side is not estimated, and the text says so. The dates are fixed in advance by the thesis, so the p-values are meaningful; they do not tell us that the break was caused by the event.

# %%
shock_partners = ["RUS", "CHN", "EAEU"]
fixed = T.partner_values(
    selected, shock_partners, FLOW, Y0, Y1, reporter=C, membership=2015, with_total=False
)
fits, skipped_fits = T.shock_models(fixed, shock_partners, params.breaks, flow=FLOW)
for p, why in skipped_fits.items():
    skipped(f"The trend model for {T.partner_label(p)}", why)
if fits:
    coefs = T.shock_table(fits)
    coefs = coefs[coefs["term"] != "const"]
    print(
        "Effects in % (trend: annual growth; level_b: level shift at b; slope_b: change in growth):"
    )
    show(
        coefs[
            ["partner", "term", "effect_pct", "effect_ci_low_pct", "effect_ci_high_pct", "p_value"]
        ],
        digits=3,
    )
    print()
    print("Joint break tests:")
    show(T.break_tests_table(fits), digits=3)

# %%
for fit in fits.values():
    say(interpret_break_trend(fit))
    print()

# %%
for p, fit in fits.items():
    T.plot_fit(
        fit,
        title=f"{NAME}: {fit.label.lower()}, trend with breaks",
        caption=CAPTION,
        color=COLORS.get(T.partner_label(p), "#000000"),
    )
    plt.show()

# %% [markdown]
# ## 4. Intra-EAEU trade in the Union's first years
#
# How did trade with the other members move when the Union started? The table compares 2014, the last year before the Union, with 2015 and 2016, for each member (taken from the registry as of the end of 2015) and for the members together. Both years were also the years of the ruble collapse and the oil price fall, so a fall in trade with members has to be read against the fall in total trade (the World row).

# %%
try:
    launch = T.eaeu_launch(selected, FLOW, reporter=C)
except InsufficientDataError as exc:
    skipped("The EAEU launch comparison", str(exc))
    launch = None
if launch is not None:
    wide = launch.pivot(index="label", columns="year", values="value_usd_mn")
    change = launch.pivot(index="label", columns="year", values="change_vs_base_pct")
    wide.columns = [f"{c} (US$ mn)" for c in wide.columns]
    change = change.drop(columns=2014)
    change.columns = [f"{c} vs 2014 (%)" for c in change.columns]
    table = wide.join(change)
    order = list(dict.fromkeys(launch["label"]))
    print(f"{NAME}: {FLOW} with EAEU members")
    show(table.loc[order].reset_index(), digits=1)
    ea = launch[launch["partner"] == "EAEU"].set_index("year")
    wl = launch[launch["partner"] == "WLD"].set_index("year")
    say(
        f"From 2014 to 2016 {NAME}'s {FLOW} with the other EAEU members changed by "
        f"{ea.loc[2016, 'change_vs_base_pct']:+.1f}% and its total {FLOW} by "
        f"{wl.loc[2016, 'change_vs_base_pct']:+.1f}%; the members' share of the total went "
        f"from {ea.loc[2014, 'share_pct']:.1f}% to {ea.loc[2016, 'share_pct']:.1f}%."
    )

# %% [markdown]
# ## 5. What the country sells to and buys from China
#
# In the curated data, product detail (HS 4-digit, 2015–2024) exists only for Kazakhstan's trade with China and with the world. With a large CEPII BACI Parquet source configured (`KZANALYSIS_BACI_PARQUET`, see README, *Large trade data*), the rows come from it instead, for any country (`kzanalysis.analysis.trade.product_rows`). In the curated (WITS) source the years 2020–2022 are incomplete: many product lines are missing, so sums of lines are not totals and a missing line does not mean zero trade. Those years are shaded in the chart and left out of the rankings.

# %%
products = T.product_rows(products, C, ("CHN",))
comp_ok = bool((products["partner_iso3"] == "CHN").any())
if not comp_ok:
    skipped(
        "The product composition",
        "no HS4 product rows (the curated table covers Kazakhstan only; a BACI source covers all)",
    )
else:
    gaps = T.incomplete_years(products)
    say(
        "Incomplete product years (flagged, not used as "
        f"totals): {', '.join(map(str, gaps)) or 'none'}."
    )
    for fl, word in (("export", "exports to"), ("import", "imports from")):
        top = T.top_products(products, "CHN", fl, years=range(2015, 2025), n=10)
        print(
            f"\nTop 10 HS4 products, {NAME}'s {word} China, {top['years_used'].iloc[0]}, "
            "complete years only:"
        )
        show(top.drop(columns="years_used"))

# %%
if comp_ok:
    groups = T.product_group_shares(products, "CHN", "export")
    print(f"Shares of the sum of HS4 lines, {NAME}'s exports to China (%):")
    show(
        groups.pivot(index="year", columns="group", values="share_pct")
        .reset_index()
        .assign(incomplete=lambda d: d["year"].isin(T.incomplete_years(products)))
    )
    T.plot_product_groups(
        groups,
        title=f"{NAME}'s exports to China: energy, metals and ores, cereals",
        caption=T.product_caption(products, "Shaded: incomplete product years."),
    )
    plt.show()
    ok = groups[~groups["incomplete_year"]]
    for g, part in ok.groupby("group", sort=False):
        say(
            f"{g}: {part['share_pct'].min():.1f}–{part['share_pct'].max():.1f}% of exports to "
            f"China in the complete years {', '.join(map(str, part['year']))}."
        )
    wheat = T.product_growth(products, "1001", 2017, 2018)
    if pd.isna(wheat["growth_pct"]):
        say(f"Wheat (HS 1001) growth 2017→2018 cannot be computed: {wheat['note']}.")
    else:
        say(
            f"Wheat (HS 1001) exports to China: US$ {wheat['value_start_usd_mn']:,.1f} mn in 2017, "
            f"US$ {wheat['value_end_usd_mn']:,.1f} mn in 2018 ({wheat['growth_pct']:+.0f}%, "
            f"x{wheat['ratio']:.2f}). {wheat['note']}"
        )

# %% [markdown]
# ## 6. Sources: how much do they disagree, and which one is used
#
# Where two sources cover the same year, the table shows each and the differences. For Kazakhstan, IMF DOTS (to 2020), the national bureau (BNS, 2018–2023) and WITS/UN Comtrade (complete years 2015–2019, 2023–2024) overlap; for the other states only DOTS is available. Mirror flows compare the country's own figures with what China and Russia report about the same trade: exports are valued FOB by the exporter and imports CIF by the importer, and transit, timing and re-exports add further gaps, so differences of some percent are normal.

# %%
comparison = T.source_comparison(flows, [*params.partners, "WLD"], "exports", Y0, Y1, reporter=C)
if comparison.empty:
    skipped("The source comparison", "only one source covers this country")
else:
    print(f"{NAME}'s exports by source (US$ mn) where sources overlap:")
    show(comparison.drop(columns=["partner"]), digits=1)
    gaps = T.gap_summary(comparison, "spread_pct", ["label"])
    print()
    print("Spread between the largest and smallest source value (%):")
    show(gaps, digits=1)

# %%
mirrors = []
for partner in ("CHN", "RUS"):
    try:
        m = T.mirror_flows(flows, partner, Y0, Y1, reporter=C).assign(
            partner=T.partner_label(partner)
        )
    except InsufficientDataError as exc:
        skipped(f"Mirror flows with {T.partner_label(partner)}", str(exc))
        continue
    if m.empty:
        skipped(f"Mirror flows with {T.partner_label(partner)}", "no overlapping years")
        continue
    mirrors.append(m)
if mirrors:
    mirror = pd.concat(mirrors, ignore_index=True)
    summary = T.gap_summary(mirror, "gap_pct", ["partner", "direction"])
    print("Mirror minus reported (% of reported), IMF DOTS both sides:")
    show(summary, digits=1)
    for r in summary.itertuples():
        side = "its own exports to" if r.direction == "exports" else "its own imports from"
        say(
            f"{r.partner}'s mirror figures exceed {NAME}'s record of {side} {r.partner} by a "
            f"median {r.median_gap_pct:+.1f}% ({r.years}; largest absolute gap "
            f"{r.max_abs_gap_pct:.0f}%)."
        )
    for partner, part in mirror.groupby("partner", sort=False):
        T.plot_mirror(
            part,
            title=f"{NAME} and {partner}: mirror vs reported flows",
            caption=T.source_caption(flows, ["imf_dots"]),
        )
        plt.show()

# %%
runs = T.source_runs(choice)
main = runs.groupby("source_family")["years"].sum().idxmax() if not runs.empty else None
if main is None:
    say(f"No series is used for {NAME} in {Y0}–{Y1}.")
else:
    say(
        f"This chapter uses {T.describe_sources(choice)[len('Series from ') : -1]} "
        f"(source preference '{params.source_preference}'). {T.FAMILY_LABELS[main]} carries "
        "most years "
        f"({int(runs[runs['source_family'] == main]['years'].sum() / runs['flow'].nunique())}"
        f" of {len(set(choice['year']))}) and covers every partner with one method, which the "
        "trend models need; the other sources extend it where it ends."
    )
    if not comparison.empty:
        med = comparison["spread_pct"].median()
        say(
            f"Where sources overlap, the median spread between them is {med:.1f}% "
            f"(largest {comparison['spread_pct'].max():.1f}%), so splicing them shifts levels by "
            "a few percent at most in the overlap years; trends and shares are hardly affected, "
            "but a single-year jump at a splice point should not be read as a shock."
        )

# %% [markdown]
# ## Claims ledger: this chapter's rows
#
# The thesis' quantitative claims that the trade data test (C10–C12 and C16–C18 in the ledger specification), with verdicts computed now from the curated data by `kzanalysis.claims` (`data/claims.yaml` declares each claim, its metric and its tolerance; `kzanalysis claims` prints the whole ledger). The claims are about the thesis' own scope (mostly Kazakhstan, the editions named in each row), so these rows do not change with this report's parameters.

# %%
from IPython.display import HTML, display

from kzanalysis.claims.ledger import counts_sentence, ledger_table

LEDGER = ledger_table(domain="trade")
say(counts_sentence(LEDGER))
for row in LEDGER.itertuples():
    say(f"{row.id} [{row.verdict}] {row.claim} — {row.explanation}")
display(HTML(LEDGER.to_html(index=False, classes="kz-sortable")))

# %% [markdown]
# ## What this chapter does not do yet
#
# Product detail for trade with Russia and for the other four states is not in the data, so the composition analysis covers Kazakhstan–China only.

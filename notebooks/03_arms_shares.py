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
#
# The thesis (chapter 2) describes Russia as the dominant arms supplier of Kazakhstan and of Central Asia — about 60 % of the region's imports over a decade — and China as a marginal supplier to Kazakhstan (1.1 %) whose regional share has grown since 2014 at the expense of Turkey, Ukraine, Spain and France rather than Russia. It also names specific deals (Su-30SM fighters, Mi-35M helicopters, minesweepers, S-300PS air defence, Chinese Y-8 transports). This notebook tests these statements with the SIPRI Arms Transfers Database, for Kazakhstan by default, for any other Central Asian state, or for the five together (`CA5`).
#
# **Unit.** All values are SIPRI trend-indicator values (TIV, millions). TIV measures the *military capability transferred*, valued at the unit production cost of the weapon; it is **not a price** or a sale value: gifts and aid count at full value, second-hand weapons at 40 % (66 % if modernised). SIPRI revises its whole database every year, so **every result depends on the edition** quoted with it.
#
# Every number in the text is computed below from the curated tables (`arms_deals`, `arms_deliveries`, `arms_sipri_import_totals`); the functions are in `kzanalysis.analysis.arms`, where they are unit-tested. Build it as a report with `kzanalysis build arms-KAZ` (or `arms-KGZ`, `arms-TJK`, `arms-TKM`, `arms-UZB`, `arms-CA5`).

# %% tags=["parameters"]
recipient = "KAZ"
start_year = 1992
end_year = None
window = 5
edition = "2026-05-18"
supplier_groups = {"Europe": ["Europe"]}

# %%
# Validate the parameters first: a bad value stops here with a message naming it.
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
print(params)

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display

from kzanalysis import countries, datasets
from kzanalysis.analysis import arms as A
from kzanalysis.analysis.arms_params import BUNDLED_EDITIONS, CA5
from kzanalysis.display import say, show
from kzanalysis.plotting import source_caption, use_style

use_style()
pd.set_option("display.width", 120)

R = params.recipients
NAME = "Central Asia (5 states)" if params.recipient == "CA5" else countries.name(params.recipient)
Y0, Y1, W, ED = params.start_year, params.last_year, params.window, params.edition


def pct(value):
    return "n/a" if pd.isna(value) else f"{value:.1f}%"


deals_all = datasets.load("arms_deals")
per_year_all = datasets.load("arms_deliveries")
sipri_totals = datasets.load("arms_sipri_import_totals")
NAMES = A.supplier_names(deals_all)


def yearly_for(ed, recipients):
    """Deliveries per deal and year of one edition, suppliers labelled."""
    deals = A.select_edition(deals_all, ed, recipients)
    reference = A.select_edition(per_year_all, A.REFERENCE_PER_YEAR[ed], recipients)
    return A.label_suppliers(A.yearly_from_deals(deals, reference), NAMES)


deals = A.select_edition(deals_all, ED, R)
yearly = yearly_for(ED, R)
table = A.supplier_year_table(yearly, Y0, Y1)
CAPTION = source_caption([deals_all, per_year_all]).replace(
    "Calculations: kzanalysis.", f"Edition used: {ED}. Calculations: kzanalysis (TIV is not money)."
)
say(A.TIV_NOTE)
say(
    f"{NAME}, edition {ED}: {len(deals)} deals, {int(deals['delivery_years'].notna().sum())} "
    f"with deliveries identified; delivery years {Y0}–{Y1}; windows of {W} years."
)
split = yearly.groupby("split_method")["tiv_mn"].sum()
say(
    "Yearly values: deals delivered in one year are exact; "
    f"{split.get('reference_split', 0):,.1f} TIV mn of multi-year deals take the per-year split of "
    f"the same deal in SIPRI's per-year register and {split.get('even_split', 0):,.1f} TIV mn "
    "(deals SIPRI revised after that register) are spread evenly over their delivery years."
)

# %% [markdown]
# ## 1. Deliveries by supplier
#
# TIV delivered per year and per supplier, summed over windows of `window` years (SIPRI compares five-year sums because single years swing with individual deliveries), and the cumulative shares since `start_year`. Russia includes the Soviet Union (SIPRI's supplier before 1992; no Central Asian state received arms before 1992, so this merge changes nothing in the data). The grouped ranking combines the suppliers of `supplier_groups` (by default *Europe*: the EU, the UK, EFTA and the European non-EU states of the country registry — not Russia, Ukraine, Belarus or Turkey).

# %%
totals = A.year_totals(yearly, Y0, Y1)
total = totals["tiv_mn"].sum()
keep = A.top_labels(table, 6)
bounds = A.window_bounds(Y0, Y1, W)
windows = A.window_sums(table, bounds)
if windows.empty:
    say(f"The period {Y0}–{Y1} holds no complete window of {W} years.")
else:
    wide = A.lump_others(windows, keep).pivot_table(
        index="supplier_label", columns="window", values="tiv_mn", sort=False
    )
    print(f"{NAME}: deliveries per {W}-year window (TIV mn), edition {ED}")
    show(wide.reset_index())
    print()
    shares = A.lump_others(windows, keep).pivot_table(
        index="supplier_label", columns="window", values="share_pct", sort=False
    )
    print("Shares of each window's deliveries (% of TIV)")
    show(shares.reset_index())

# %%
if total > 0:
    A.plot_deliveries(
        table, keep=keep, title=f"{NAME}: arms deliveries by supplier, {Y0}–{Y1}", caption=CAPTION
    )
    plt.show()
    if not windows.empty:
        A.plot_window_shares(
            windows,
            keep=keep,
            title=f"{NAME}: supplier shares per {W}-year window",
            caption=CAPTION,
        )
        plt.show()
else:
    say(f"No deliveries to {NAME} in {Y0}–{Y1}: nothing to plot.")

# %%
ranking = A.supplier_ranking(table, Y0, Y1)
grouped_table = A.supplier_year_table(A.group_suppliers(yearly, params.supplier_groups), Y0, Y1)
grouped = A.supplier_ranking(grouped_table, Y0, Y1)
print(f"Suppliers ranked by TIV delivered {Y0}–{Y1} (cumulative shares), edition {ED}")
show(ranking, digits=2)
print()
print(f"With supplier groups {params.supplier_groups}")
show(grouped, digits=2)
cum = A.cumulative_shares(table)
rus_cum = cum[(cum["supplier_label"] == A.RUSSIA)].set_index("year")["cum_share_pct"]
china_rank = A.rank_of(ranking, A.CHINA)
china_row = ranking[ranking["supplier_label"] == A.CHINA]
say(
    f"{NAME} received {total:,.1f} TIV mn of major arms in {Y0}–{Y1}. Russia supplied "
    f"{pct(rus_cum.iloc[-1]) if not rus_cum.empty else '0%'} of it. "
    + (
        f"China ranks {china_rank} of {len(ranking)} suppliers with "
        f"{china_row['tiv_mn'].iloc[0]:,.1f} TIV mn ({china_row['share_pct'].iloc[0]:.2f}%); "
        f"with groups it ranks {A.rank_of(grouped, A.CHINA)} of {len(grouped)}, behind "
        + ", ".join(grouped[grouped["rank"] < A.rank_of(grouped, A.CHINA)]["supplier_label"])
        + "."
        if china_rank
        else "China delivered nothing in this period."
    )
)

# %% [markdown]
# ## 2. Russia and China
#
# Russia's and China's shares of deliveries in every rolling window of `window` years (the chart's x axis is the last year of the window), the first year in which China delivered anything, and China's deliveries deal by deal.

# %%
rolling = A.window_sums(table, A.window_bounds(Y0, Y1, W, rolling=True))
rc = A.russia_china(rolling)
if rc.empty or rc["total_tiv_mn"].sum() == 0:
    say(f"No rolling window of {W} years with deliveries to {NAME}.")
else:
    print(f"Russia and China, rolling {W}-year windows (TIV mn and % of the window's deliveries)")
    show(rc.drop(columns=["first_year", "last_year"]))
    A.plot_russia_china(
        rc.dropna(subset=["russia_share_pct"]),
        title=f"{NAME}: Russia's and China's shares, rolling {W}-year windows",
        caption=CAPTION,
    )
    plt.show()
    r = rc.dropna(subset=["russia_share_pct"])
    lo, hi = r.loc[r["russia_share_pct"].idxmin()], r.loc[r["russia_share_pct"].idxmax()]
    ch = r.loc[r["china_share_pct"].idxmax()]
    china_text = (
        f"China's peaks at {ch['china_share_pct']:.1f}% ({ch['window']})"
        if ch["china_share_pct"] > 0
        else "China has no share in any window"
    )
    say(
        f"Russia's share ranges from {lo['russia_share_pct']:.1f}% ({lo['window']}) to "
        f"{hi['russia_share_pct']:.1f}% ({hi['window']}); {china_text}."
    )

# %%
first_china = A.first_delivery_year(yearly, A.CHINA)
china_deals = A.deal_register(deals[deals["supplier_iso3"] == "CHN"], NAMES)
if first_china is None:
    say(f"China delivered no major arms to {NAME} in edition {ED}.")
else:
    say(
        f"China's first recorded delivery to {NAME} was in {first_china}; edition {ED} lists "
        f"{len(china_deals)} Chinese deal(s) worth {china_deals['delivered_tiv_mn'].sum():,.1f} "
        "TIV mn delivered:"
    )
if not china_deals.empty:
    show(
        china_deals[
            [
                "recipient_iso3",
                "designation",
                "description",
                "ordered_count",
                "delivered_count",
                "order_year",
                "delivery_years",
                "status",
                "delivered_tiv_mn",
            ]
        ],
        digits=1,
    )

# %% [markdown]
# ## 3. Concentration
#
# The Herfindahl–Hirschman index (HHI) is the sum of the squared supplier shares (in %), from near 0 (many small suppliers) to 10,000 (a single supplier); 10,000 / HHI is the number of equally large suppliers that would give the same concentration. Competition authorities call markets above about 1,800 highly concentrated. Unknown suppliers are left out.

# %%
conc = A.hhi(windows) if not windows.empty else pd.DataFrame()
if conc.empty:
    say("No complete window: concentration not computed.")
else:
    print(f"{NAME}: supplier concentration per {W}-year window")
    show(conc.drop(columns=["first_year", "last_year"]), digits=1)
    conc_roll = A.hhi(rolling).dropna(subset=["hhi_points"])
    A.plot_hhi(
        conc_roll,
        title=f"{NAME}: supplier concentration (HHI), rolling {W}-year windows",
        caption=CAPTION,
    )
    plt.show()
    c = conc.dropna(subset=["hhi_points"])
    say(
        f"Concentration went from {c['hhi_points'].iloc[0]:,.0f} points in {c['window'].iloc[0]} "
        f"(like {c['equivalent_suppliers'].iloc[0]:.1f} equal suppliers) to "
        f"{c['hhi_points'].iloc[-1]:,.0f} in {c['window'].iloc[-1]} "
        f"({c['equivalent_suppliers'].iloc[-1]:.1f} equal suppliers); the top supplier in the last "
        f"window is {c['top_supplier'].iloc[-1]} with {c['top_share_pct'].iloc[-1]:.1f}%."
    )

# %% [markdown]
# ## 4. Shift-share: whose share did China take?
#
# Between two windows every supplier's share changes; the shares sum to 100 in each window, so the changes sum to zero. The share China gained is attributed to the suppliers that lost share, in proportion to their losses. The thesis compares the years before and after 2014; two five-year pairs are shown (2009–13 vs 2014–18 and 2010–14 vs 2015–19), then every pair of adjacent windows of `window` years, to show how much the answer depends on where the windows are cut.

# %%
pair_results = {}
for before, after in A.THESIS_WINDOW_PAIRS:
    label = f"{A.window_label(*before)} vs {A.window_label(*after)}"
    if before[0] < Y0 or after[1] > Y1:
        say(f"{label}: outside the period {Y0}–{Y1}, skipped.")
        continue
    try:
        shifts = A.shift_share(table, before, after)
    except ValueError as exc:
        say(f"{label}: skipped ({exc}).")
        continue
    pair_results[label] = shifts
    s = A.shift_share_summary(shifts)
    print(f"{NAME}, {label}: shares (%) and change (percentage points)")
    show(
        shifts[
            [
                "supplier_label",
                "tiv_before_mn",
                "tiv_after_mn",
                "share_before_pct",
                "share_after_pct",
                "change_pp",
                "share_of_losses_pct",
                "attributed_gain_pp",
            ]
        ]
    )
    say(
        f"China {s['gainer_change_pp']:+.1f} pp, Russia {s['focus_change_pp']:+.1f} pp. Losers, "
        f"largest first: {', '.join(s['losers']) or 'none'}; Russia accounts for "
        f"{s['focus_share_of_losses_pct']:.1f}% of all share lost."
    )
    print()

# %%
if pair_results:
    label, shifts = next(iter(pair_results.items()))
    A.plot_shift_share(shifts, title=f"{NAME}: change in supplier shares, {label}", caption=CAPTION)
    plt.show()
splits = range(Y0 + W, Y1 - W + 2)
sens = A.shift_share_pairs(table, A.adjacent_pairs(splits, W))
if sens.empty:
    say(f"No pair of adjacent {W}-year windows with deliveries in {Y0}–{Y1}.")
else:
    print(f"Sensitivity: adjacent {W}-year windows, every split year (pp = percentage points)")
    show(sens)
    n_gain = int((sens["china_change_pp"] > 0).sum())
    n_rus = int(((sens["china_change_pp"] > 0) & (sens["russia_change_pp"] < 0)).sum())
    say(
        f"In {n_gain} of {len(sens)} window pairs China's share rose; in {n_rus} of those Russia's "
        "share fell at the same time. The largest loser is "
        + "; ".join(f"{k} in {v}" for k, v in sens["largest_loser"].value_counts().items())
        + " of the pairs."
    )

# %% [markdown]
# ## 5. Deal register
#
# Every deal of the recipient(s) in the chosen edition: supplier, weapon designation and description, numbers ordered and delivered, order year, delivery years, status (new or second-hand), whether SIPRI's comment marks it as aid or a gift, the fields SIPRI marks as uncertain, and TIV. Type in the search box to filter the rows (the report's HTML). Below it, the deals the thesis names are looked up by designation (the Su-30SM is recorded as 'Su-30MK' with the comment 'Su-30SM version'); the Y-8 is searched among all five states.

# %%
register = A.deal_register(deals, NAMES)
display(
    HTML(
        A.register_html(
            register.drop(columns=["deal_id"]),
            f"register-{params.recipient.lower()}",
            caption=f"SIPRI trade register, {NAME}, edition {ED}; TIV in millions (not money)",
        )
    )
)
print(
    f"{len(register)} deals; {int(register['aid'].sum())} marked as aid or gift; "
    f"{int(register['status'].str.startswith('Second hand').sum())} second-hand."
)

# %%
found = A.thesis_deal_lookup(deals)
summary = A.lookup_summary(found)
print(f"Deals the thesis names, {NAME}, edition {ED}")
show(summary)
if not found.empty:
    print()
    show(
        found[
            [
                "lookup",
                "recipient_iso3",
                "supplier_label",
                "designation",
                "ordered_count",
                "delivered_count",
                "order_year",
                "delivery_years",
                "status",
                "aid",
                "delivered_tiv_mn",
            ]
        ]
    )
y8_all = A.thesis_deal_lookup(A.select_edition(deals_all, ED, CA5), {"Y-8": A.THESIS_DEALS["Y-8"]})
y8_any = A.thesis_deal_lookup(deals_all, {"Y-8": A.THESIS_DEALS["Y-8"]})
say(
    f"Y-8 transport aircraft from China to any Central Asian state: {len(y8_all)} deal(s) in "
    f"edition {ED} and {len(y8_any)} in all bundled editions ({', '.join(BUNDLED_EDITIONS)})."
)

# %% [markdown]
# ## 6. What changed between the two editions
#
# SIPRI rewrites its database every year, old years included. The two bundled editions of the trade register are compared deal by deal (matched on recipient, supplier, order year and designation): deals added or removed, and deals whose numbers, delivery years, status or TIV were revised. Weapon descriptions and some supplier spellings were rewritten wholesale between the editions and are not counted as changes.

# %%
OLD, NEW = BUNDLED_EDITIONS[0], BUNDLED_EDITIONS[-1]
changes = A.compare_editions(deals_all[deals_all["recipient_iso3"].isin(R)], OLD, NEW)
counts = changes["change"].value_counts()
say(
    f"{NAME}, edition {OLD} → {NEW}: "
    + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("unchanged", "revised", "added", "removed"))
    + " deals."
)
changed = changes[changes["change"] != "unchanged"]
if not changed.empty:
    show(A.describe_changes(changes))
yt = A.compare_year_totals(yearly_for(OLD, R), yearly_for(NEW, R), Y0, Y1)
yt = yt[(yt["old_tiv_mn"] != 0) | (yt["new_tiv_mn"] != 0)]
moved = yt[yt["change_tiv_mn"].abs() > 0.05]
print()
if moved.empty:
    say("Yearly totals are the same in both editions.")
else:
    print(f"Years whose total changed (TIV mn), edition {OLD} → {NEW}")
    show(moved)
    A.plot_edition_totals(
        yt,
        old=OLD,
        new=NEW,
        title=f"{NAME}: yearly deliveries in two SIPRI editions",
        caption=CAPTION,
    )
    plt.show()

# %% [markdown]
# ## 7. Validation against SIPRI's own import totals
#
# SIPRI publishes yearly import totals per recipient (table generated 2024-10-13, data to 2023). Yearly totals are rebuilt from the chosen edition and, as a test of the method, from SIPRI's per-year register of the same vintage as that table (2024-04-13). Differences within ±1 TIV mn are rounding (SIPRI rounds its table). A larger difference counts as a *revision* when the same-vintage register matches SIPRI's table — SIPRI changed the data afterwards — and as *revision or split* when the year also holds deliveries spread evenly over years (see the yearly-values note at the top).

# %%
same_vintage = A.yearly_from_register(A.select_edition(per_year_all, A.TOTALS_VINTAGE_PER_YEAR, R))
check = A.validate_totals(yearly, same_vintage, sipri_totals, R)
counts = check["status"].value_counts()
print(f"Rebuilt yearly totals vs SIPRI's import table, edition {ED} (TIV mn)")
say(
    f"{len(check)} recipient-years checked: "
    + ", ".join(
        f"{counts.get(k, 0)} {k}" for k in ("match", "revision", "revision or split", "unexplained")
    )
    + ". Same-vintage register within ±1 TIV: "
    f"{int((check['same_vintage_diff_tiv_mn'].abs() <= 1).sum())}"
    f" of {len(check)}."
)
off = check[check["status"] != "match"]
if not off.empty:
    show(off)

# %% [markdown]
# ## 8. The thesis' statements in numbers
#
# Each statement is computed with the scope the thesis gives it (Kazakhstan, or the five states), whatever the recipient chosen above, with the edition chosen above. The TIV-based shares are shares of military capability delivered, not of money spent.

# %%
LAST = params.last_year


def scope(codes):
    y = yearly_for(ED, codes)
    return y, A.supplier_year_table(y, 1992, params.last_year)


kaz_y, kaz_t = scope(("KAZ",))
ca_y, ca_t = scope(CA5)
kaz_rank = A.supplier_ranking(kaz_t, 1992, LAST)
kaz_grouped = A.supplier_ranking(
    A.supplier_year_table(A.group_suppliers(kaz_y, params.supplier_groups), 1992, LAST), 1992, LAST
)
china_kaz = kaz_rank[kaz_rank["supplier_label"] == A.CHINA]
china_kaz_share = china_kaz["share_pct"].iloc[0] if not china_kaz.empty else 0.0
kaz_roll = A.russia_china(A.window_sums(kaz_t, A.window_bounds(1992, LAST, 5, rolling=True)))
best = kaz_roll.loc[kaz_roll["china_share_pct"].idxmax()]
ten = A.russia_china(A.window_sums(ca_t, [(2011, 2020), (2012, 2021)]))
pairs = A.shift_share_pairs(ca_t, A.THESIS_WINDOW_PAIRS)
kaz_deals = A.select_edition(deals_all, ED, ("KAZ",))
kaz_lookup = A.lookup_summary(A.thesis_deal_lookup(kaz_deals)).set_index("lookup")
lines = [
    f"C21 China's share of Kazakhstan's imports 1992–{LAST}: {china_kaz_share:.2f}% (thesis 1.1%); "
    f"highest in any 5-year window: {best['china_share_pct']:.2f}% ({best['window']}).",
    f"C22 Ranking with groups, Kazakhstan 1992–{LAST}: "
    + ", ".join(f"{r.rank}. {r.supplier_label}" for r in kaz_grouped.head(8).itertuples())
    + f"; China {A.rank_of(kaz_grouped, A.CHINA)} of {len(kaz_grouped)}.",
    "C23 Russia's share of the five states' imports: "
    + "; ".join(f"{r.window} {r.russia_share_pct:.1f}%" for r in ten.itertuples())
    + " (thesis about 60%).",
    "C24 Five states, shift-share: "
    + "; ".join(
        f"{r.before} → {r.after}: China {r.china_change_pp:+.1f} pp, Russia "
        f"{r.russia_change_pp:+.1f} pp, largest loser {r.largest_loser}"
        for r in pairs.itertuples()
    )
    + ".",
    f"C25 First Chinese delivery to Kazakhstan: {A.first_delivery_year(kaz_y, A.CHINA)} (thesis: "
    "increasing from 2014).",
]
for key, claim in (
    ("Su-30SM", "C26"),
    ("Mi-35M", "C27"),
    ("Minesweepers", "C28"),
    ("S-300PS", "C29"),
    ("Y-8", "C30"),
):
    r = kaz_lookup.loc[key]
    lines.append(
        f"{claim} {key}: {r['deals']} deal(s), {r['ordered']} ordered, {r['delivered']} delivered, "
        f"ordered {r['order_years'] or '-'}, delivered {r['delivery_years'] or '-'}, "
        f"{r['delivered_tiv_mn']:,.1f} TIV mn."
    )
lines.append(
    "C31 Chinese trucks and trailers (2015): outside SIPRI's scope (major conventional weapons "
    "only), so not testable with these data."
)
print(f"Edition {ED}; TIV is a volume index of capability, not money.")
for line in lines:
    say(line)

# %% [markdown]
# ## Claims ledger: this chapter's rows
#
# The thesis' quantitative claims that the arms-transfer data test (C20–C31 in the ledger specification), with verdicts computed now from the curated data by `kzanalysis.claims` (`data/claims.yaml` declares each claim, its metric and its tolerance; `kzanalysis claims` prints the whole ledger). The claims are about the thesis' own scope (mostly Kazakhstan, the editions named in each row), so these rows do not change with this report's parameters.

# %%
from IPython.display import HTML, display

from kzanalysis.claims.ledger import counts_sentence, ledger_table

LEDGER = ledger_table(domain="arms")
say(counts_sentence(LEDGER))
for row in LEDGER.itertuples():
    say(f"{row.id} [{row.verdict}] {row.claim} — {row.explanation}")
display(HTML(LEDGER.to_html(index=False, classes="kz-sortable")))

# %% [markdown]
# ## What this chapter does not do yet
#
# SIPRI has no per-year file in its own format for the latest edition, so yearly values of the few multi-year deals it revised are spread evenly over their delivery years (their deal totals are exact); the validation section shows which years this touches.

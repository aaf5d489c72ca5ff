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
# # Chapter 3 — Opinion polls and soft power
#
# The thesis (chapter 3) claims that Russia's soft power in Kazakhstan is strong — Kazakhstanis approve of Russia's leadership, follow Russian-language media and send their students to Russia — while distrust of China limits Beijing's appeal, and that the 2022 invasion of Ukraine moved opinion. This notebook confronts those claims with the published poll toplines and soft-power indicators bundled with kzanalysis, for Kazakhstan by default or for another Central Asian state (`country`).
#
# **How to read the numbers.**
# * A poll share is an estimate. Where the pollster printed its sample size *n*, every share gets a confidence interval (Wilson score interval, level `confidence`), computed on the *effective* sample size n / `design_effect`: weighting and clustering make a survey less precise than a simple random sample of the same size. Where *n* was not printed, the tables say so and **no interval is drawn**: we do not guess sample sizes.
# * Subgroup sizes (language of interview, ethnicity, age) were never published, so subgroup shares have no interval and subgroup differences are not tested.
# * Many numbers were read in news reports quoting the pollster rather than in the pollster's own release. Every such number carries the flag **[secondary report: outlet]** in the text, `SECONDARY` in the tables and a square marker in the charts.
# * The survey mode (phone, face-to-face, online) is shown only where the row's own text states it; otherwise it reads "not published". Section 5 lists every survey's pollster, mode, *n*, fieldwork dates and origin.
#
# All numbers in the text are computed below from the curated tables `poll_toplines`, `soft_power_indicators`, `student_flows` and `uis_inbound_netflow`; the statistics live in `kzanalysis.analysis.polls` (unit-tested against textbook values).

# %% tags=["parameters"]
country = "KAZ"
topic = "all"
subgroup = "all"
confidence = 0.95
design_effect = 1.5

# %%
# Validate the parameters first: a bad value stops here with a message naming it.
from kzanalysis.params import validate_in_notebook

params = validate_in_notebook(
    "polls",
    country=country,
    topic=topic,
    subgroup=subgroup,
    confidence=confidence,
    design_effect=design_effect,
)
print(params)

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import HTML, display

from kzanalysis import countries, datasets
from kzanalysis.analysis import polls as P
from kzanalysis.analysis.polls_params import TOPIC_DESCRIPTIONS
from kzanalysis.display import say, show
from kzanalysis.plotting import ACTOR_COLORS, SECONDARY_COLORS, use_style

use_style()
pd.set_option("display.width", 120)

C = params.country
NAME = countries.name(C)
CONF, DEFF = params.confidence, params.design_effect
LEVEL = f"{CONF:.0%}"
KEY = {}  # key results, printed together at the end


def n_text(n):
    return "not published" if pd.isna(n) else f"{int(n):,}"


def origin(rows):
    """'pollster' or 'SECONDARY: <outlet>' for every row."""
    sec = rows["secondary_report"].fillna(False).astype(bool)
    return np.where(sec, "SECONDARY: " + rows["source_publisher"].str.slice(0, 45), "pollster")


def flag(row, digits=1, width=None):
    """A share with its secondary-report flag (outlet name cut to ``width`` characters)."""
    outlet = row["source_publisher"]
    if width and len(outlet) > width:
        outlet = outlet[: width - 1] + "…"
    return P.flagged(row["share_pct"], row["secondary_report"], outlet, digits)


def cap(rows, note=""):
    """Source caption naming only the pollsters of ``rows``."""
    return P.caption(polls, sorted(set(rows["source"])), note)


polls = datasets.load("poll_toplines")
indicators = datasets.load("soft_power_indicators")
flows = datasets.load("student_flows")
inbound = datasets.load("uis_inbound_netflow")
PUBLISHERS = P.publishers_of(polls)
say(
    f"Country: {NAME}; topic: {params.topic} ({TOPIC_DESCRIPTIONS[params.topic]}); subgroup: "
    f"{params.subgroup}; intervals at {LEVEL} with design effect {DEFF:g} (effective n = n / "
    f"{DEFF:g})."
)

# %% [markdown]
# ## 0. What the bundle holds
#
# Published shares per topic and country. A *row* is one answer option of one question in one survey wave and respondent group. Topics are assigned from the question ids (`kzanalysis.analysis.polls.TOPIC_RULES`); "pooled" are multi-country samples that cannot be split by country.

# %%
cov = P.coverage(polls)
wide = cov.pivot_table(
    index="topic", columns="country_iso3", values="rows", aggfunc="sum", fill_value=0
)
print("Published shares (rows) per topic and country")
show(wide.reset_index(), 0)
mine = cov[cov["country_iso3"] == C]
TOPICS_WITH_DATA = list(mine["topic"])
NO_DATA = [t for t in TOPIC_DESCRIPTIONS if t != "all" and t not in TOPICS_WITH_DATA]
print()
say(
    f"{NAME}: {int(mine['rows'].sum())} published shares in {len(TOPICS_WITH_DATA)} of "
    f"{len(TOPIC_DESCRIPTIONS) - 1} topics; {int(mine['rows_with_n'].sum())} of them with a "
    f"published sample size, {int(mine['rows_secondary'].sum())} read in a secondary report. "
    f"No published data for: {', '.join(NO_DATA) or 'none'}."
)
KEY["topics with data"] = ", ".join(TOPICS_WITH_DATA) or "none"
KEY["shares with a published n"] = f"{int(mine['rows_with_n'].sum())} of {int(mine['rows'].sum())}"

# %% [markdown]
# ## 1. Toplines with uncertainty
#
# Every published share for the chosen `topic` and `subgroup`, grouped by question (the question text is the project's short paraphrase, not the questionnaire wording). `n` is the whole-sample size printed by the pollster; `ci_low_pct`–`ci_high_pct` is the interval (only where *n* is known and the row is a whole-sample share). The charts show one dot per share: filled with a whisker where an interval exists, hollow where it does not, square where the number comes from a secondary report.

# %%
sel = P.add_intervals(
    P.select_toplines(polls, C, params.topic, params.subgroup), confidence=CONF, design_effect=DEFF
)
if sel.empty:
    say(
        f"No published data: the bundle holds no toplines for {NAME} on topic "
        f"'{params.topic}' with subgroup '{params.subgroup}'. Topics with data for {NAME}: "
        f"{', '.join(TOPICS_WITH_DATA) or 'none'}."
    )
else:
    for (tp, qid), g in sel.groupby(["topic", "question_id"], sort=False):
        print(f"[{tp}] {qid}: {g['question_text'].iloc[0]}")
        table = g.assign(n=g["sample_n"].map(n_text), origin=origin(g))
        show(
            table[
                [
                    "wave",
                    "subgroup",
                    "option",
                    "share_pct",
                    "n",
                    "ci_low_pct",
                    "ci_high_pct",
                    "origin",
                ]
            ]
        )
        print()
    with_ci = sel[sel["ci_low_pct"].notna()]
    half = (with_ci["ci_high_pct"] - with_ci["ci_low_pct"]) / 2
    counts = sel["interval"].value_counts()
    say(
        f"Of {len(sel)} shares shown, {len(with_ci)} have a {LEVEL} Wilson interval (design effect "
        f"{DEFF:g}); {int(counts.get(P.NO_N, 0))} have none because the pollster's n was not "
        f"published and {int(counts.get(P.SUBGROUP_NO_N, 0))} because they are subgroup shares. "
        + (
            f"The intervals' half-widths run from {half.min():.1f} to {half.max():.1f} percentage "
            f"points: differences of a few points between single shares are within sampling error."
            if len(with_ci)
            else "No share in this selection can be given an interval."
        )
    )

# %%
if not sel.empty:
    labels = (
        ("wave", "question_id", "option")
        if params.subgroup == "all"
        else ("wave", "subgroup", "question_id", "option")
    )
    for tp, g in sel.groupby("topic", sort=False):
        P.plot_dot_whisker(
            g,
            title=(
                f"{NAME}: {tp.replace('_', ' ')} — published shares, "
                f"{LEVEL} intervals where n is known"
            ),
            caption_text=cap(g, f"Wilson intervals on n / {DEFF:g}; none where n is unpublished."),
            label_cols=labels,
        )
        plt.show()

# %% [markdown]
# ## 2. Trends: leadership approval and support for the EAEU
#
# **Caveat first.** The leadership and EAEU series below come from different pollsters (Gallup World Poll, M-Vector, the Eurasian Development Bank's Integration Barometer, KazISS), with different question wordings, samples and modes, and the Gallup values were read only in secondary reports (the 2025 values in a pro-Kremlin aggregator that calls "approval of leadership" "support"). Gallup and the EDB printed no *n* per country, so their points carry no interval and the dashed lines in the charts only guide the eye. A binomial GLM trend is fitted only where at least three waves of the same question have a published *n*; the last table of this section says, series by series, whether that is the case.

# %%
lead = P.leadership_series(polls, C)
own = lead[lead["scope"] == C]
pooled = lead[lead["scope"] != C]
if own.empty:
    say(f"No published data: the bundle has no leadership-approval toplines for {NAME}.")
else:
    table = own.assign(n=own["sample_n"].map(n_text), origin=origin(own))
    print(f"{NAME}: approval of / confidence in foreign leaderships")
    show(table[["measure", "actor", "wave", "option", "share_pct", "n", "origin"]])
    print()
    approve = own[
        (own["measure"] == "Gallup: approval of the leadership") & (own["option"] == "approve")
    ]
    for actor, g in approve.groupby("actor", sort=False):
        whose = {"US": "the US"}.get(actor, actor)
        say(
            f"Gallup approval of {whose}'s leadership in {NAME}: "
            + "; ".join(f"{flag(r)} ({r['wave']})" for _, r in g.iterrows())
            + "."
        )
    rus = approve[approve["actor"] == "Russia"]
    if C == "KAZ" and not rus.empty:
        in_range = rus[(rus["fieldwork_year"] >= 2007) & (rus["fieldwork_year"] <= 2017)]
        say(
            "Thesis check (C36, 'approval of Russia's leadership ranged 55-87% in 2007-2017'): the "
            f"bundle has {len(in_range)} Kazakhstan value(s) dated 2007-2017 ("
            + ", ".join(f"{flag(r)} in {r['wave']}" for _, r in in_range.iterrows())
            + "); the 55% figure is dated "
            + ", ".join(rus.loc[rus["share_pct"] == 55, "wave"])
            + ". The upper bound is matched, the range is not confirmed."
        )
        KEY["Gallup approval of Russia's leadership (KAZ)"] = "; ".join(
            f"{r['wave']}: {flag(r, 0, 40)}" for _, r in rus.iterrows()
        )
    if len(approve):
        P.plot_points_over_time(
            approve,
            series_col="actor",
            title=f"{NAME}: approval of foreign leaderships (Gallup, as reported)",
            caption_text=cap(
                approve, "Values read in secondary reports; n not published, no intervals."
            ),
        )
        plt.show()
if not pooled.empty:
    print("Context: Central Asia pooled (KZ, KG, TJ, UZ), Gallup 2006-2018")
    show(
        pooled.assign(origin=origin(pooled))[["measure", "actor", "option", "share_pct", "origin"]]
    )

# %%
eaeu = P.select_toplines(polls, C, "eaeu_support")
EAEU_LABELS = {
    "edb_eaeu_support": "EDB: support for CU/EAEU participation",
    "kaziss_customs_union": "KazISS: support for the Customs Union",
    "kaziss_eaeu_creation": "KazISS: support for creating the EAEU",
    "mv_join_eaeu": "M-Vector: should join the EAEU",
}
if eaeu.empty:
    say(f"No published data: the bundle has no EAEU-support toplines for {NAME}.")
else:
    eaeu = P.add_intervals(eaeu, confidence=CONF, design_effect=DEFF)
    table = eaeu.assign(n=eaeu["sample_n"].map(n_text), origin=origin(eaeu))
    print(f"{NAME}: support for the Customs Union / EAEU")
    show(
        table[
            [
                "question_id",
                "wave",
                "option",
                "share_pct",
                "n",
                "ci_low_pct",
                "ci_high_pct",
                "origin",
            ]
        ]
    )
    notes = eaeu.loc[
        eaeu["page_or_table"].str.contains("joining|join", case=False), ["wave", "page_or_table"]
    ]
    for _, r in notes.iterrows():
        say(f"Note ({r['wave']}): {r['page_or_table']}.")
    support = eaeu[
        eaeu["option"].isin(["support", "should join"]) & (eaeu["subgroup"] == "all")
    ].copy()
    support["series"] = support["question_id"].map(EAEU_LABELS)
    edb = support[support["question_id"] == "edb_eaeu_support"]
    if len(edb):
        lo, hi = edb.loc[edb["share_pct"].idxmin()], edb.loc[edb["share_pct"].idxmax()]
        say(
            f"EDB Integration Barometer, {NAME}: support between {flag(lo)} ({lo['wave']}) and "
            f"{flag(hi)} ({hi['wave']}) across {len(edb)} waves "
            f"({edb['wave'].iloc[0]}-{edb['wave'].iloc[-1]}); n per country not published, so no "
            "interval and no trend test."
        )
        KEY[f"EDB support for the EAEU ({C}, {edb['wave'].iloc[0]}-{edb['wave'].iloc[-1]})"] = (
            f"{flag(lo, 0, 40)} to {flag(hi, 0, 40)}"
        )
    P.plot_points_over_time(
        support,
        series_col="series",
        title=f"{NAME}: support for the Customs Union / EAEU, by pollster",
        caption_text=cap(
            support, "Different pollsters and wordings; no intervals where n is unpublished."
        ),
    )
    plt.show()

# %%
trends, FITS = P.trend_table(
    P.add_intervals(P.select_toplines(polls, C), confidence=CONF, design_effect=DEFF),
    design_effect=DEFF,
    confidence=CONF,
)
if trends.empty:
    say(f"No question was asked of {NAME} in two or more waves: no trend can be shown.")
else:
    print(f"{NAME}: every series asked in two or more waves (whole sample unless stated)")
    show(
        trends[
            [
                "question_id",
                "option",
                "subgroup",
                "first_wave",
                "last_wave",
                "first_pct",
                "last_pct",
                "change_pp",
                "waves_with_n",
                "model",
            ]
        ]
    )
    print()
    print("Caveats per series:")
    for _, r in trends.iterrows():
        print(f"  {r['question_id']} / {r['option']}: {r['caveats']}")
    fitted = trends[trends["model"] == "binomial GLM"]
    say(
        f"{len(trends)} series have two or more waves; {len(fitted)} of them have at least three "
        f"waves with a published n and get a binomial GLM trend (section 3). For the other "
        f"{len(trends) - len(fitted)} the change is descriptive only."
    )

# %% [markdown]
# ## 3. The war in Ukraine (DEMOSCOPE waves 2022–2025)
#
# DEMOSCOPE asked a national sample of about 1,100 Kazakhstanis which side they support, in March 2022, November 2022 and May 2023 (the 2025 side-support shares were cut off in the stored release). The waves are compared with a two-proportion z test on effective sample sizes (n / design effect), with Newcombe's interval for the difference. Wave 1's method is not in the stored excerpt and its Russia and neutral shares were read in secondary reports; the language mix of the interviews changed a lot between waves, so the language-of-interview split is compared only within a wave, descriptively (subgroup n unpublished — no test).

# %%
war = P.add_intervals(
    P.select_toplines(polls, C, "war_in_ukraine"), confidence=CONF, design_effect=DEFF
)
side = war[war["question_id"] == "dms_side_support"]
SIDE_COLORS = {
    "Russia": ACTOR_COLORS["Russia"],
    "Ukraine": SECONDARY_COLORS[0],
    "neutral": ACTOR_COLORS["Other"],
}
if side.empty:
    say(
        f"No published data: DEMOSCOPE's side-support question was asked only in Kazakhstan; the "
        f"bundle has no such wave for {NAME}."
    )
else:
    table = side.assign(n=side["sample_n"].map(n_text), origin=origin(side))
    print("Which side do you support? (DEMOSCOPE, whole sample)")
    show(table[["wave", "option", "share_pct", "n", "ci_low_pct", "ci_high_pct", "origin"]])
    resid = P.residual_pct(side, by=("wave", "question_id", "subgroup"))
    print()
    for _, r in resid.iterrows():
        say(
            f"Wave {r['wave']}: the published options sum to {r['sum_published_pct']:.1f}%; the "
            f"remaining {r['residual_pct']:.1f}% (don't know "
            "/ not printed) is arithmetic, not published."
        )
    P.plot_waves(
        side,
        title=f"{NAME}: which side do you support in the war? (DEMOSCOPE)",
        caption_text=cap(side, f"Wilson {LEVEL} intervals on n / {DEFF:g}."),
        colors=SIDE_COLORS,
    )
    plt.show()

# %%
cmp = P.compare_waves(war, design_effect=DEFF, confidence=CONF)
if cmp.empty:
    say(f"No war question was asked of {NAME} in two waves: no comparison between waves.")
else:
    print(
        "Change between consecutive waves (percentage points), "
        f"{LEVEL} Newcombe interval, z test on n / {DEFF:g}"
    )
    out = cmp.assign(
        flags=np.where(cmp["secondary_1"] | cmp["secondary_2"], "SECONDARY in a wave", ""),
        p_value=cmp["p_value"].map(
            lambda p: "-" if pd.isna(p) else ("<0.001" if p < 0.001 else f"{p:.3f}")
        ),
    )
    show(
        out[
            [
                "question_id",
                "option",
                "wave_1",
                "wave_2",
                "share_1_pct",
                "share_2_pct",
                "diff_pp",
                "diff_ci_low_pp",
                "diff_ci_high_pp",
                "z",
                "p_value",
                "flags",
            ]
        ],
        digits=1,
    )
    rus = side[side["option"] == "Russia"].sort_values("fieldwork_mid_year")
    if len(rus) >= 2:
        first = cmp[(cmp["question_id"] == "dms_side_support") & (cmp["option"] == "Russia")].iloc[
            0
        ]
        a, b = rus.iloc[0], rus.iloc[1]
        say(
            f"Support for Russia: {flag(a)} in {a['wave']} (n = {n_text(a['sample_n'])}), "
            f"{flag(b)} in {b['wave']} (n = {n_text(b['sample_n'])}): a change of "
            f"{first['diff_pp']:+.1f} points ({LEVEL} interval {first['diff_ci_low_pp']:+.1f} to "
            f"{first['diff_ci_high_pp']:+.1f}; z = "
            f"{first['z']:.1f}, p {out.loc[first.name, 'p_value']})"
            + (f", then {flag(rus.iloc[-1])} in {rus.iloc[-1]['wave']}." if len(rus) > 2 else ".")
        )
        KEY["DEMOSCOPE support for Russia"] = " -> ".join(
            f"{r['wave']}: {flag(r, 1, 40)}" for _, r in rus.iterrows()
        )
        if C == "KAZ":
            w1 = side[side["wave"] == rus.iloc[0]["wave"]].set_index("option")
            say(
                "Thesis check (C37, '39% support, 46% neutral, "
                "10% against, 5% undecided', March 2022): "
                + ", ".join(
                    f"{o} {flag(w1.loc[o])}"
                    for o in ("Russia", "neutral", "Ukraine")
                    if o in w1.index
                )
                + f"; the residual {100 - w1['share_pct'].sum():.0f}% "
                "is arithmetic (not printed in any "
                "stored source). '10% against' is support for Ukraine, not opposition to the war."
            )

# %%
side_fits = [
    (opt, side[side["option"] == opt], FITS[("dms_side_support", opt, "all")])
    for opt in ("Russia", "Ukraine", "neutral")
    if ("dms_side_support", opt, "all") in FITS
]
if not side_fits:
    say(f"No GLM trend: {NAME} has no series with three waves of published n.")
else:
    rows = trends[
        trends["question_id"].isin(
            [
                "dms_side_support",
                "dms_war_perception_grouped",
                "dms_war_perception_kremlin_combined",
            ]
        )
        & (trends["model"] == "binomial GLM")
    ]
    print(
        f"Binomial GLM trends (log-odds per year; {LEVEL} intervals: "
        "binomial, and quasi-binomial scaled by the dispersion)"
    )
    show(
        rows[
            [
                "question_id",
                "option",
                "waves_with_n",
                "slope_logit_per_year",
                "slope_ci_low",
                "slope_ci_high",
                "dispersion",
                "quasi_ci_low",
                "quasi_ci_high",
            ]
        ],
        digits=3,
    )
    rus_fit = FITS.get(("dms_side_support", "Russia", "all"))
    if rus_fit is not None:
        q = rows[(rows["question_id"] == "dms_side_support") & (rows["option"] == "Russia")].iloc[0]
        say(
            "Support for Russia: the odds are multiplied "
            f"by {rus_fit.odds_ratio_per_year:.2f} per year "
            f"(slope {rus_fit.slope:.2f} log-odds per year, "
            f"{LEVEL} interval {rus_fit.slope_ci[0]:.2f} to "
            f"{rus_fit.slope_ci[1]:.2f}; quasi-binomial "
            f"{q['quasi_ci_low']:.2f} to {q['quasi_ci_high']:.2f}). "
            f"But with {rus_fit.n_waves} waves the Pearson "
            f"dispersion is {rus_fit.dispersion:.1f} on "
            f"{rus_fit.df_resid} degree of freedom: the waves "
            "do not lie on a smooth logistic path (a steep "
            "drop in 2022, then flat), so the straight-line "
            "trend summarises direction, not shape; the "
            "binomial interval is too narrow and the quasi-binomial "
            "one rests on a single degree of freedom. "
            "The wave-to-wave tests above are the better evidence."
        )
    P.plot_glm_trends(
        side_fits,
        title=f"{NAME}: side support with binomial GLM trends (DEMOSCOPE)",
        caption_text=cap(side, f"GLM on effective counts (n / {DEFF:g}); bands at {LEVEL}."),
        colors=SIDE_COLORS,
    )
    plt.show()

# %%
subs = pd.concat(
    [P.select_toplines(polls, C, "war_in_ukraine", g) for g in ("language", "ethnicity", "age")]
)
subs = subs[subs["subgroup"] != "all"].drop_duplicates(
    ["survey", "question_id", "option", "subgroup"]
)
if subs.empty:
    say(f"No published data: no war toplines by language, ethnicity or age for {NAME}.")
else:
    pairs = [
        ("kazakh_speakers", "russian_speakers"),
        ("ethnic_kazakhs", "ethnic_russians"),
        ("age_18_29", "age_60_plus"),
    ]
    diff = P.compare_subgroups(subs, pairs)
    print("Subgroup differences (descriptive: subgroup n unpublished, no test)")
    show(
        diff.assign(flags=np.where(diff["secondary"], "SECONDARY", ""))[
            [
                "wave",
                "question_id",
                "option",
                "subgroup_1",
                "subgroup_2",
                "share_1_pct",
                "share_2_pct",
                "diff_pp",
                "flags",
            ]
        ]
    )
    mix = war.loc[
        war["page_or_table"].str.contains("Russian-language|in Russian", case=False),
        ["wave", "page_or_table"],
    ]
    print()
    for wave, note in mix.drop_duplicates("wave").itertuples(index=False):
        say(f"Interview language, {wave}: {note}.")
    lang = diff[
        (diff["question_id"] == "dms_side_support") & (diff["subgroup_1"] == "kazakh_speakers")
    ]
    if len(lang):
        r = lang[lang["option"] == "Russia"].iloc[0]
        say(
            f"In {r['wave']}, {r['share_2_pct']:.0f}% of "
            "those interviewed in Russian supported Russia "
            f"against {r['share_1_pct']:.0f}% of those "
            f"interviewed in Kazakh ({r['diff_pp']:+.0f} points, "
            "Russian minus Kazakh); language of interview "
            "is a choice of the respondent, not ethnicity."
        )
    P.plot_dot_whisker(
        P.add_intervals(subs, confidence=CONF, design_effect=DEFF),
        title=(
            f"{NAME}: war questions by respondent subgroup (no intervals: subgroup n unpublished)"
        ),
        caption_text=cap(subs),
        label_cols=("wave", "subgroup", "question_id", "option"),
    )
    plt.show()

# %%
other = war[~war["question_id"].isin(["dms_side_support"])]
if other.empty:
    say(f"No other war toplines for {NAME}.")
else:
    print(f"{NAME}: the other war questions (whole samples)")
    show(
        other.assign(n=other["sample_n"].map(n_text), origin=origin(other))[
            [
                "question_id",
                "wave",
                "option",
                "share_pct",
                "n",
                "ci_low_pct",
                "ci_high_pct",
                "origin",
            ]
        ]
    )

# %% [markdown]
# ## 4. Soft power: students abroad, ethnicity and language
#
# **Students.** UNESCO's Institute for Statistics (UIS) counts internationally mobile tertiary students by destination, but only for destinations that report to it: China, a major destination for Central Asians, is missing, and only each origin's ten largest destinations are itemised (the rest lumped as "Other countries"). Russia's share is therefore shown against two denominators: the sum of the listed destinations, and total outbound students (UIS inbound minus UIS net flow — a derived estimate). Years in which Russia is not itemised are gaps, not zeros.

# %%
shares = P.student_shares(flows, inbound, "RUS")
mine = shares[shares["origin_iso3"] == C]
missing = mine.loc[~mine["dest_itemised"], "year"].tolist()
print(f"{NAME}: students in Russia and Russia's share of students abroad (UIS via 360info)")
show(
    mine[mine["dest_itemised"]][
        [
            "year",
            "dest_students",
            "listed_students",
            "share_of_listed_pct",
            "outbound_total_students",
            "share_of_total_pct",
        ]
    ],
    digits=1,
)
say(
    f"Russia is not itemised for {NAME} in: "
    f"{', '.join(map(str, missing)) or 'no year'} (gaps, not zeros)."
)
have = mine[mine["dest_itemised"]]
if len(have):
    first, last = have.iloc[0], have.iloc[-1]
    say(
        f"Russia's share of {NAME}'s listed students abroad "
        f"went from {first['share_of_listed_pct']:.0f}% "
        f"({int(first['year'])}) to {last['share_of_listed_pct']:.0f}% "
        f"({int(last['year'])}); students in "
        f"Russia from {first['dest_students']:,.0f} to {last['dest_students']:,.0f}."
    )
    KEY[f"Russia's share of listed students abroad ({C}, {int(last['year'])})"] = (
        f"{last['share_of_listed_pct']:.1f}%"
    )
y2018 = mine[(mine["year"] == 2018) & mine["dest_itemised"]]
if C == "KAZ" and len(y2018):
    r = y2018.iloc[0]
    say(
        "Thesis check (C33, '69,000 of 89,000 students "
        "abroad were in Russia in 2018'): UIS counts "
        f"{r['dest_students']:,.0f} in Russia of "
        f"{r['outbound_total_students']:,.0f} total outbound "
        f"({r['share_of_total_pct']:.1f}%; total = inbound minus net flow, a UIS-derived estimate)."
    )
    KEY["KAZ students in Russia, 2018"] = (
        f"{r['dest_students']:,.0f} of {r['outbound_total_students']:,.0f}"
    )
region = shares[shares["dest_itemised"]]
P.plot_student_shares(
    shares[shares["year"] >= 2000],
    highlight=C,
    title="Russia's share of Central Asian students abroad (listed destinations)",
    caption_text=P.caption(
        flows, note="China does not report to UIS; Russia missing in some years (gaps)."
    ),
)
plt.show()
latest = region.groupby("origin_iso3")["year"].max()
last_common = int(latest.min())
print(f"Russia's share in {last_common}, the last year with Russia itemised for every origin")
show(
    region[region["year"] == last_common][
        ["origin_iso3", "dest_students", "share_of_listed_pct", "share_of_total_pct"]
    ]
)

# %%
year_top = (
    int(mine.loc[mine["dest_itemised"], "year"].max())
    if mine["dest_itemised"].any()
    else int(mine["year"].max())
)
top = P.top_destinations(flows, C, year_top)
print(f"{NAME}: listed destinations of students abroad, {year_top}")
show(top, digits=1)

# %% [markdown]
# **Ethnicity and language.** Census shares of ethnic Kazakhs and Russians and the 2021 census question on languages a person can speak, as quoted by news sites, an academic paper and Wikipedia mirrors (not the statistics bureau's own tables). The bundle holds these for Kazakhstan only.

# %%
census = P.census_ethnic_shares(indicators, C)
langs = P.language_knowledge(indicators, C)
if census.empty and langs.empty:
    say(
        "No published data: the bundle holds census and "
        f"language indicators for Kazakhstan only, not {NAME}."
    )
else:
    print(f"{NAME}: census shares of the population (%)")
    show(census)
    rus = census.dropna(subset=["russians_pct"])
    say(
        "Ethnic Russians: "
        + ", ".join(f"{r['russians_pct']:.1f}% ({int(r['year'])})" for _, r in rus.iterrows())
        + f" (sources: {', '.join(sorted(set(', '.join(rus['sources']).split(', '))))}: web pages "
        "quoting the census, not the statistics bureau's "
        "own tables). Thesis check (C32, 'about 20%'): "
        f"the 2021 census gives {rus['russians_pct'].iloc[-1]:.1f}%, "
        "below 20%; the 2009 census share, "
        "which the thesis may have used, is not in the bundle."
    )
    KEY["ethnic Russians, census"] = ", ".join(
        f"{int(r['year'])}: {r['russians_pct']:.1f}%" for _, r in rus.iterrows()
    )
    P.plot_census(
        census,
        title=f"{NAME}: ethnic Kazakhs and Russians by census",
        caption_text=P.caption(indicators, sorted(set(census["sources"].str.split(", ").sum()))),
    )
    plt.show()
    print(f"{NAME}: share of the population who can speak each language (%)")
    show(langs)
    wide = langs.pivot_table(index="language", columns="year", values="value_pct")
    if {2006, 2021} <= set(wide.columns):
        say(
            "Thesis check (C34, 'Kazakh ~65%, Russian ~95%'): "
            "the Library of Congress 2006 estimate gives "
            f"Kazakh {wide.loc['Kazakh', 2006]:.1f}% and "
            f"Russian {wide.loc['Russian', 2006]:.1f}%, matching "
            f"the thesis; the 2021 census gives Kazakh {wide.loc['Kazakh', 2021]:.1f}% and Russian "
            f"{wide.loc['Russian', 2021]:.1f}%: Russian is "
            "still the more widely spoken, but the gap has "
            f"shrunk from {wide.loc['Russian', 2006] - wide.loc['Kazakh', 2006]:.1f} to "
            f"{wide.loc['Russian', 2021] - wide.loc['Kazakh', 2021]:.1f} "
            "points (different sources and "
            "definitions)."
        )
        KEY["can speak Russian / Kazakh (2021 census)"] = (
            f"{wide.loc['Russian', 2021]:.1f}% / {wide.loc['Kazakh', 2021]:.1f}%"
        )

# %% [markdown]
# ## 5. Source quality
#
# One row per survey and country used for this report (and the pooled Central Asian samples): pollster, mode as stated in the rows (otherwise "not published"), what the snapshot's provenance notes say about the method, *n*, fieldwork dates, and whether the numbers come from the pollster's own release or from a secondary report.

# %%
rows_c = polls[(polls["country_iso3"] == C) | polls["country_iso3"].isna()]
quality = P.source_quality(rows_c, PUBLISHERS)
if quality.empty:
    say(f"No published data: the bundle has no poll toplines for {NAME}.")
else:
    display(HTML(quality.to_html(index=False, escape=True, na_rep="-", classes="source-quality")))
    sec_only = quality["origin"].str.startswith("secondary")
    say(
        f"{len(quality)} survey(s): "
        f"{int((quality['n'] != 'not published').sum())} with a published n, "
        f"{int((quality['mode_stated'] != 'not published').sum())} whose rows state the mode, "
        f"{int(sec_only.sum())} known only from secondary reports and "
        f"{int(quality['origin'].str.startswith('mixed').sum())} partly so."
    )
    KEY["surveys known only from secondary reports"] = f"{int(sec_only.sum())} of {len(quality)}"

# %% [markdown]
# ## Claims ledger: this chapter's rows
#
# The thesis' quantitative claims that the poll and soft-power data test (C32–C38 in the ledger specification), with verdicts computed now from the curated data by `kzanalysis.claims` (`data/claims.yaml` declares each claim, its metric and its tolerance; `kzanalysis claims` prints the whole ledger). The claims are about the thesis' own scope (mostly Kazakhstan, the editions named in each row), so these rows do not change with this report's parameters.

# %%
from IPython.display import HTML, display

from kzanalysis.claims.ledger import counts_sentence, ledger_table

LEDGER = ledger_table(domain="polls")
say(counts_sentence(LEDGER))
for row in LEDGER.itertuples():
    say(f"{row.id} [{row.verdict}] {row.claim} — {row.explanation}")
display(HTML(LEDGER.to_html(index=False, classes="kz-sortable")))

# %% [markdown]
# ## Key numbers

# %%
for key, value in KEY.items():
    print(f"{key}: {value}")

# %% [markdown]
# ## Limits
#
# * Toplines only: no microdata with Kazakhstani respondents is freely redistributable, so no re-weighting, no subgroup sizes and no tests between subgroups.
# * The design effect is an assumption (parameter `design_effect`), not a published figure; the intervals scale with its square root.
# * Secondary reports, missing sample sizes and changes of pollster, wording and mode limit every comparison over time; the Gallup series in particular is scattered values read in news reports, not a time series.
# * Student counts omit destinations that do not report to UIS (China); census figures are quoted from secondary web pages.

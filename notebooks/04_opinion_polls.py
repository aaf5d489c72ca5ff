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

from kzanalysis.analysis import polls_report as PR

ctx = PR.context(params)

# %%
# Compute every section's tables, figures and notes first (nothing is displayed here),
# so that the key findings below can link to them.
from IPython.display import display

from kzanalysis import datasets, report
from kzanalysis.claims.ledger import ledger_counts, ledger_element
from kzanalysis.plotting import use_style

use_style()
polls = datasets.load("poll_toplines")
indicators = datasets.load("soft_power_indicators")
flows = datasets.load("student_flows")
inbound = datasets.load("uis_inbound_netflow")

coverage = PR.coverage_section(polls, ctx)
toplines = PR.toplines_section(polls, ctx)
leadership = PR.leadership_section(polls, ctx)
eaeu = PR.eaeu_section(polls, ctx)
trends = PR.trends_section(polls, ctx)
war_side = PR.war_side_section(polls, ctx)
war_waves = PR.war_waves_section(polls, ctx)
war_trend = PR.war_trend_section(polls, ctx)
war_subgroups = PR.war_subgroups_section(polls, ctx)
war_other = PR.war_other_section(polls, ctx)
students = PR.students_section(flows, inbound, ctx)
census = PR.census_section(indicators, ctx)
quality = PR.quality_section(polls, ctx)
ledger = ledger_element(domain="polls")
findings = PR.findings(coverage, leadership, eaeu, war_side, students, ledger=ledger)

# %%
display(findings)
display(ledger_counts(ledger))

# %% [markdown]
# The thesis (chapter 3) claims that Russia's soft power in Kazakhstan is strong — Kazakhstanis approve of Russia's leadership, follow Russian-language media and send their students to Russia — while distrust of China limits Beijing's appeal, and that the 2022 invasion of Ukraine moved opinion. This report confronts those claims with the published poll toplines and soft-power indicators bundled with kzanalysis, for Kazakhstan and for the other Central Asian states with published polls.

# %%
PR.parameters_note(ctx)

# %% [markdown]
# ## How to read the numbers
#
# * A poll share is an estimate. Where the pollster printed its sample size *n*, every share gets a confidence interval (Wilson score interval), computed on the *effective* sample size: *n* divided by a design effect, because weighting and clustering make a survey less precise than a simple random sample of the same size. Where *n* was not printed, the tables say so and **no interval is drawn**: we do not guess sample sizes.
# * Subgroup sizes (language of interview, ethnicity, age) were never published, so subgroup shares have no interval and subgroup differences are not tested.
# * Many numbers were read in news reports quoting the pollster rather than in the pollster's own release. The tables name the outlet ("secondary report: …"), the sentences flag such numbers and the charts draw them as **hollow dots**; whiskers are intervals.
# * In the charts each dot is coloured by the power its question or answer is about (Russia, China, the US, Ukraine, the EU, the EAEU; grey for none, or for a Central Asian neighbour).
# * The survey mode (phone, face-to-face, online) is shown only where the row's own text states it; otherwise it reads "not published". Section 5 lists every survey's pollster, mode, *n*, fieldwork dates and origin.
#
# All numbers in the text are computed from the curated poll toplines, soft-power indicators and UNESCO student-flow tables by the project's tested analysis library; the statistics are checked against textbook values in its unit tests.

# %% [markdown]
# ## 0. What the bundle holds
#
# Published shares per topic and country. A *share* is one answer option of one question in one survey wave and respondent group. Every question is assigned to one topic by a fixed rule in the analysis library; "pooled" samples cover several Central Asian states at once and cannot be split by country.

# %%
display(coverage)

# %% [markdown]
# ## 1. Toplines with uncertainty
#
# Every published share for the report's topic and respondent group, grouped by question (the question text is the project's short paraphrase, not the questionnaire wording). The sample size is the whole-sample *n* printed by the pollster; the interval is shown only where *n* is known and the share is a whole-sample share. The charts show one dot per share under its question: with a whisker where an interval exists, hollow where the number comes from a secondary report.

# %%
display(toplines)

# %% [markdown]
# ## 2. Trends: leadership approval and support for the EAEU
#
# **Caveat first.** The leadership and EAEU series below come from different pollsters (Gallup World Poll, M-Vector, the Eurasian Development Bank's Integration Barometer, KazISS), with different question wordings, samples and modes, and the Gallup values were read only in secondary reports (the latest values in a pro-Kremlin aggregator that calls "approval of leadership" "support"). Gallup and the EDB printed no *n* per country, so their points carry no interval and the dashed lines in the charts only guide the eye. A binomial GLM trend is fitted only where at least three waves of the same question have a published *n*; the last table of this section says, series by series, whether that is the case.

# %%
display(leadership)

# %%
display(eaeu)

# %%
display(trends)

# %% [markdown]
# ## 3. The war in Ukraine (DEMOSCOPE waves 2022–2025)
#
# DEMOSCOPE asked national samples of Kazakhstanis which side they support, in waves from March 2022 (the tables give each wave's dates and sample size; the latest side-support shares were cut off in the stored release). The waves are compared with a two-proportion z test on effective sample sizes, with Newcombe's interval for the difference. Wave 1's method is not in the stored excerpt and its Russia and neutral shares were read in secondary reports; the language mix of the interviews changed a lot between waves, so the language-of-interview split is compared only within a wave, descriptively (subgroup *n* unpublished — no test).

# %%
display(war_side)

# %%
display(war_waves)

# %%
display(war_trend)

# %%
display(war_subgroups)

# %%
display(war_other)

# %% [markdown]
# ## 4. Soft power: students abroad, ethnicity and language
#
# **Students.** UNESCO's Institute for Statistics (UIS) counts internationally mobile tertiary students by destination, but only for destinations that report to it: China, a major destination for Central Asians, is missing, and only each origin's ten largest destinations are itemised (the rest lumped as "other countries"). Russia's share is therefore shown against two denominators: the sum of the listed destinations, and total outbound students (UIS inbound minus UIS net flow — a derived estimate). Years in which Russia is not itemised are gaps, not zeros.

# %%
display(students)

# %% [markdown]
# **Ethnicity and language.** Census shares of ethnic Kazakhs and Russians and the latest census's question on languages a person can speak, as quoted by news sites, an academic paper and Wikipedia mirrors (not the statistics bureau's own tables). The bundle holds these for Kazakhstan only.

# %%
display(census)

# %% [markdown]
# ## 5. Source quality
#
# One row per survey used for this report (and the pooled Central Asian samples): pollster, mode as stated in the rows (otherwise "not published"), what the data snapshot's method notes say, *n*, fieldwork dates, and whether the numbers come from the pollster's own release or from a secondary report.

# %%
display(quality)

# %% [markdown]
# ## Claims ledger: this chapter's rows
#
# The thesis' quantitative claims that the poll and soft-power data test (C32–C38 in the ledger specification), with verdicts computed now from the curated data; the claims file declares each claim, its metric and its tolerance. The claims are about the thesis' own scope (mostly Kazakhstan, the editions named in each row), so these rows do not change with this report's country.

# %%
display(ledger)

# %% [markdown]
# ## Limits
#
# * Toplines only: no microdata with Kazakhstani respondents is freely redistributable, so no re-weighting, no subgroup sizes and no tests between subgroups.
# * The design effect is an assumption (a parameter of this report), not a published figure; the intervals scale with its square root.
# * Secondary reports, missing sample sizes and changes of pollster, wording and mode limit every comparison over time; the Gallup series in particular is scattered values read in news reports, not a time series.
# * Student counts omit destinations that do not report to UIS (China); census figures are quoted from secondary web pages.

# %%
report.references()

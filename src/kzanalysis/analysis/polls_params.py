"""Parameters of the opinion-polls and soft-power chapter (``notebooks/04_opinion_polls.ipynb``).

The notebook's ``parameters`` cell holds literal defaults equal to the defaults here; its
first code cell validates them with :class:`PollsParams`, so a bad value (a country outside
Central Asia, an unknown topic or subgroup, a confidence level of 95 instead of 0.95, a
design effect below 1) stops the notebook with a message that names the parameter, the
value and what is allowed.

Only pydantic and the standard library are imported, so validation stays cheap; the
mapping of question ids onto :data:`TOPICS` lives in :mod:`kzanalysis.analysis.polls`.

Example:
    >>> p = PollsParams(country="kgz", topic="eaeu_support")
    >>> p.country, p.topic, p.confidence, p.design_effect
    ('KGZ', 'eaeu_support', 0.95, 1.5)
"""

from __future__ import annotations

from typing import ClassVar, Literal, get_args

from pydantic import Field, field_validator

from kzanalysis.param_base import CA5, NotebookParams, ca5_country

Topic = Literal[
    "all",
    "views_of_russia",
    "views_of_china",
    "views_of_others",
    "partner_choice",
    "leadership_approval",
    "eaeu_support",
    "war_in_ukraine",
    "language_and_media",
]

#: Poll topics (``all`` = every topic). Every ``question_id`` of ``poll_toplines`` maps onto
#: exactly one of the others (:data:`kzanalysis.analysis.polls.TOPIC_RULES`).
TOPICS: tuple[str, ...] = get_args(Topic)

#: What each topic holds, in words (shown in the notebook and the parameter listing).
TOPIC_DESCRIPTIONS: dict[str, str] = {
    "all": "every topic",
    "views_of_russia": "favourability of Russia, relations with Russia, Russia's role",
    "views_of_china": "perceptions of China and of relations with China",
    "views_of_others": "ratings of relations with other countries (US, EU, neighbours)",
    "partner_choice": "which country is the preferred partner / best helper / a friend",
    "leadership_approval": "approval of (or confidence in) the leadership of Russia, the "
    "US, China, Ukraine",
    "eaeu_support": "support for the Customs Union / Eurasian Economic Union",
    "war_in_ukraine": "attitudes to Russia's war in Ukraine (2022-2025)",
    "language_and_media": "home language and information sources",
}

Subgroup = Literal["all", "language", "ethnicity", "age"]

#: Parameter value -> subgroup codes of ``poll_toplines`` it selects.
SUBGROUP_CODES: dict[str, tuple[str, ...]] = {
    "all": ("all",),
    "language": ("russian_speakers", "kazakh_speakers"),
    "ethnicity": ("ethnic_kazakhs", "ethnic_russians", "other_ethnic_groups"),
    "age": ("age_18_29", "age_60_plus"),
}


class PollsParams(NotebookParams):
    """Validated parameters of the polls chapter.

    Attributes:
        country: ISO3 code of the Central Asian state the report is about.
        topic: Poll topic whose toplines are listed and charted in section 1 (``all``: every
            topic).
        subgroup: Respondents shown in section 1: ``all`` (whole samples), ``language`` (by
            language of interview), ``ethnicity`` or ``age`` (where published; whole-sample
            rows of the same questions are kept for comparison).
        confidence: Confidence level of every interval and test (between 0.5 and 1).
        design_effect: Variance inflation of the survey design (weighting, clustering),
            at least 1; the effective sample size is ``n / design_effect``. Used only where
            the pollster published n.
    """

    RULES: ClassVar[tuple[str, ...]] = (
        "design_effect is applied only to shares whose sample size n was published",
    )

    country: str = Field(
        "KAZ",
        description="ISO3 code of the Central Asian state",
        json_schema_extra={"allowed": "one of " + ", ".join(CA5)},
    )
    topic: Topic = Field("all", description="poll topic of the toplines section")
    subgroup: Subgroup = Field(
        "all", description="respondent subgroup of the toplines section (where published)"
    )
    confidence: float = Field(
        0.95,
        gt=0.5,
        lt=1.0,
        description="confidence level of intervals and tests",
        json_schema_extra={"allowed": "a number between 0.5 and 1 (exclusive), e.g. 0.95"},
    )
    design_effect: float = Field(
        1.5,
        ge=1.0,
        description="design effect: effective n = n / design_effect",
        json_schema_extra={"allowed": "a number >= 1 (1 = simple random sample)"},
    )

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: object) -> str:
        return ca5_country(value, "this chapter")

    @property
    def subgroup_codes(self) -> tuple[str, ...]:
        """Subgroup codes of ``poll_toplines`` selected by :attr:`subgroup`."""
        return SUBGROUP_CODES[self.subgroup]

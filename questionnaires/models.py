"""Strict models of a questionnaire file; unknown keys are rejected everywhere."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, field_validator

from i18n import ngettext


Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)]
QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$", max_length=120)]
SemVer = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Value = int | str

QUESTION_TYPES = ("scale", "single", "multi", "yes_no", "number", "text")
SCORED_TYPES = ("scale", "single", "multi", "yes_no")
RESERVED_VALUES = ("dont_know", "na")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Phase(Strict):
    """One of the four roadmap phases."""

    number: int = Field(ge=1, le=4, description="1-4, in roadmap order")
    name: Text = Field(description="Short name, e.g. 'Build the Foundation'")
    summary: Text = Field(description="What an organisation does in this phase")
    threshold: float = Field(0.7, gt=0, le=1, description="Attainment needed to achieve the phase (0-1)")


class Roadmap(Strict):
    """The fixed four-phase roadmap, named per questionnaire."""

    phases: list[Phase] = Field(min_length=4, max_length=4, description="Exactly four phases, numbered 1-4 in order")


class Option(Strict):
    """One answer option: what a respondent picks and what it is worth."""

    value: Value = Field(description="Stable value stored in answers files")
    label: Text = Field(description="Short label shown on the button")
    description: str = Field("", max_length=4000, description="What you would observe at this level (behavioural anchor)")
    score: float = Field(ge=0, description="Points for this option; divided by the maximum to give 0-1")
    exclusive: bool = Field(False, description="Multi questions: chosen alone, never beside another option (a "
                                               "'None of these')")

    @field_validator("value", mode="before")
    @classmethod
    def _no_booleans(cls, value):
        # YAML reads unquoted yes/no/on/off as booleans; they would silently become 1/0.
        if isinstance(value, bool):
            raise ValueError(f"YAML read this value as {str(value).lower()}; put it in quotes, e.g. value: 'yes'")
        return value


class Scale(Strict):
    """A reusable answer scale referenced by id from questions."""

    name: Text = Field(description="Human name of the scale")
    options: list[Option] = Field(min_length=2, description="Ordered from lowest to highest")


class Domain(Strict):
    """An area of capability such as Data or Governance."""

    id: Slug = Field(description="Stable id, e.g. 'data'")
    name: Text
    description: Text
    weight: float = Field(1.0, gt=0, description="Weight of the domain in the overall index")


class Wording(Strict):
    """A step's title and detail for one starting level, and its KPI and effort where they differ from the action's."""

    title: Text
    detail: Text
    kpi: Text | None = Field(None, description="How progress is measured at this level (default: the action's kpi)")
    effort: Literal["S", "M", "L"] | None = Field(
        None, description="Effort at this level where it differs from the action's: S (weeks), M (a quarter), "
                          "L (several quarters)")


class ByLevel(Strict):
    """Wording of a step by how far the practice already is (a missing level uses the action's own wording)."""

    establish: Wording | None = Field(None, description="Nothing or almost nothing in place yet (score 0.25 or less)")
    extend: Wording | None = Field(None, description="In place somewhere, below the phase threshold: extend coverage")
    optimise: Wording | None = Field(None, description="At or above the phase threshold, not yet the top level")


class Action(Strict):
    """The next step recommended when the answer to a question is low."""

    title: Text
    detail: Text
    effort: Literal["S", "M", "L"] = Field(description="S (weeks), M (a quarter), L (several quarters)")
    impact: int = Field(ge=1, le=3, description="1 (helpful) to 3 (unblocks production)")
    owner: Text = Field(description="The role that should own the step: an id of the `roles` table (sized to the "
                                    "organisation) or a title as it should be printed")
    kpi: Text = Field(description="How progress is measured")
    requires: list[QuestionId] = Field(default_factory=list, description="Questions whose steps must come first")
    by_level: ByLevel | None = Field(None, description="Wording per starting level: establish, extend, optimise")


class SizedTitles(Strict):
    """An owner's title in a small, medium and large organisation."""

    small: Text
    medium: Text
    large: Text


class RoleTitles(SizedTitles):
    """An owner's title in a small, medium and large organisation, and where it differs, in a company whose product
    is AI."""

    ai_product: SizedTitles | None = Field(
        None, alias="ai-product", description="The titles in a company whose product is AI "
                                              "(organisation_profile.business_model: ai-product), where they differ, "
                                              "e.g. {small: Product lead, medium: Product manager, large: Head of "
                                              "Product} for the business owner of a use case")

    def title(self, size: str, business_model: str | None = None) -> str:
        """The title for an organisation of this size (small, medium or large) and business model."""
        titles = self.ai_product if business_model == "ai-product" and self.ai_product else self
        return getattr(titles, size)


class Question(Strict):
    """One question; belongs to exactly one domain and one phase."""

    id: QuestionId = Field(description="Stable id '<domain>.<name>', e.g. 'data.quality-standards'")
    domain: Slug
    phase: int = Field(ge=1, le=4)
    type: Literal["scale", "single", "multi", "yes_no", "number", "text"]
    text: Text
    help: str = Field("", max_length=4000)
    scale: Slug | None = Field(None, description="Id of a scale under `scales` (type scale)")
    options: list[Option] | None = Field(None, description="Own options (types single and multi)")
    anchors: dict[Value, str] | None = Field(
        None, description="Types scale and yes_no: what you would observe at each value (0-4, or yes/no), for this question"
    )
    weight: float = Field(1.0, gt=0)
    required: bool = True
    visible_if: str | None = Field(None, max_length=1000, description="Expression over earlier answers")
    evidence: str = Field("", max_length=4000, description="What would prove the answer")
    allow_dont_know: bool = True
    allow_na: bool = False
    min: float | None = Field(None, description="Smallest allowed value (type number)")
    max: float | None = Field(None, description="Largest allowed value (type number)")
    action: Action | None = None
    critical: bool = Field(False, description="A knock-out practice: while it is not in place (lowest level, none or "
                                              "don't know) its step is in Now whatever its phase and effort, and the "
                                              "organisation is not complete")
    track: Literal["regulatory"] | None = Field(
        None, description="regulatory: ranked by exposure and deadline rather than by the phase gate; needs `source`")
    source: str = Field("", max_length=1000, description="The article or clause the question rests on, e.g. "
                                                         "'Regulation (EU) 2024/1689 (AI Act), Art. 6 and Annex III'")
    checked: dt.date | None = Field(None, description="When the help was last checked against the primary text "
                                                      "(YYYY-MM-DD)")
    deadline: dt.date | None = Field(None, description="When the obligation applies (YYYY-MM-DD)")
    business_models: list[Literal["ai-product", "ai-in-operations"]] | None = Field(
        None, min_length=1, description="Asked only of an organisation with one of these business models "
                                        "(organisation_profile.business_model), and of every organisation whose "
                                        "profile does not say; e.g. [ai-in-operations] for business-unit roll-out")
    screening: bool = Field(
        False, description="Not scored: the answer only decides which later questions are shown (their visible_if), "
                           "e.g. which kinds of AI the organisation has; a screening question has no action")
    by_size: dict[Literal["small", "medium", "large"], Text] | None = Field(
        None, description="The question's text for an organisation of this size where the general wording does not "
                          "fit it (organisation_profile.size; default: text), e.g. {small: 'Does every data set ... "
                          "have a named owner?'}")

    @property
    def scored(self) -> bool:
        return self.type in SCORED_TYPES and not self.screening

    def asked_of(self, business_model: str | None) -> bool:
        """Whether an organisation with this business model (None: not given) is asked the question."""
        return self.business_models is None or business_model is None or business_model in self.business_models

    def text_for(self, size: str | None) -> str:
        """The question as an organisation of this size is asked it: its `by_size` variant, else `text`."""
        return (self.by_size or {}).get(size) or self.text


class Migration(Strict):
    """How answers to an earlier version carry over to this one; questions added need no entry."""

    from_version: SemVer = Field(alias="from", description="The earlier version these answers come from")
    renamed: dict[QuestionId, QuestionId] = Field(
        default_factory=dict, description="Old question id -> its id in this version")
    options: dict[QuestionId, dict[Value, Value]] = Field(
        default_factory=dict, description="Question id in this version -> {old option value: new option value}")
    dropped: list[QuestionId] = Field(
        default_factory=list, description="Questions of the earlier version that this one no longer asks")
    changed: dict[QuestionId, Text] = Field(
        default_factory=dict, description="Question id in this version -> how its meaning differs from the earlier "
                                          "version's; a carried answer to it is marked for confirmation")


STAGE_KINDS = ("idea", "active", "reached", "stopped")


class PilotStage(Strict):
    """One stage of the pilot funnel, in funnel order."""

    id: Slug = Field(description="Stable id stored in answers files, e.g. 'pilot'")
    label: Text = Field(description="Name shown in tables and charts, e.g. 'In production'")
    kind: Literal["idea", "active", "reached", "stopped"] = Field(
        "active", description="idea: not started; active: in flight, can get stuck; reached: in production "
                              "(counts as reached); stopped: ended without reaching production")


class PilotBlocker(Strict):
    """A reason a pilot cannot move on, its domain, and the questions whose steps remove it."""

    id: QuestionId = Field(description="Stable id '<domain>.<name>', e.g. 'governance.approval-queue'")
    label: Text = Field(description="What blocks the pilot, in a few words")
    domain: Slug = Field(description="Id of one of `domains`: the domain the blocker is counted in")
    # Required in a file, where the loader also refuses an empty list; the built-in default blockers carry an
    # empty one, which means every step of the blocker's domain.
    remedy: list[QuestionId] = Field(
        max_length=20, json_schema_extra={"minItems": 1},
        description="Ids of the questions (with an action) whose steps unblock it, most direct first, "
                    "e.g. [governance.model-approval]")


class TriageAction(Strict):
    """The portfolio-triage step: the wording the plan uses when several pilots are stuck."""

    title: Text
    detail: Text
    owner: Text = Field(description="An id of the `roles` table (sized to the organisation) or a title as it should "
                                    "be printed")
    kpi: Text = Field(description="How progress is measured")
    effort: Literal["S", "M", "L"] = Field(description="S (weeks), M (a quarter), L (several quarters)")


DEFAULT_TRIAGE = TriageAction(
    title="Decide scale, merge or stop for every active pilot within 60 days",
    detail="Review every active pilot with its business owner in one portfolio meeting and record one decision for "
           "each: scale it, merge it with pilots that pursue the same outcome, or stop it and release its team and "
           "budget. Give each pilot you keep an owner, a KPI baseline and a date for its next decision.",
    owner="sponsor",
    kpi="Share of active pilots with a recorded scale, merge or stop decision (target: all within 60 days)",
    effort="S",
)


class PilotSection(Strict):
    """The pilot register: its funnel stages, the blockers a pilot may name, and when a pilot counts as stuck."""

    stages: list[PilotStage] = Field(
        min_length=2, max_length=20, description="Funnel stages in order; at least one active and one reached")
    blockers: list[PilotBlocker] = Field(default_factory=list, max_length=100, description="The blocker vocabulary")
    stuck_after_months: int = Field(6, ge=1, le=120, description="An active pilot older than this is stuck")
    owner_remedy: list[QuestionId] = Field(
        default_factory=list, max_length=20,
        description="Ids of the questions whose steps pilots without a business owner lift, e.g. "
                    "[organization.model-ownership, organization.executive-sponsor]")
    baseline_remedy: list[QuestionId] = Field(
        default_factory=list, max_length=20,
        description="Ids of the questions whose steps pilots without a KPI baseline lift, e.g. [economics.kpi-baseline]")
    triage: TriageAction | None = Field(
        None, description="The wording of the portfolio-triage step (default: 'Decide scale, merge or stop for every "
                          "active pilot within 60 days', owned by the executive sponsor, effort S)")

    def triage_action(self) -> TriageAction:
        """The declared portfolio-triage wording, or the built-in one."""
        return self.triage or DEFAULT_TRIAGE

    def stage(self, stage_id: str) -> PilotStage | None:
        """The stage with this id, or None."""
        return next((s for s in self.stages if s.id == stage_id), None)

    def blocker(self, blocker_id: str) -> PilotBlocker | None:
        """The blocker with this id, or None."""
        return next((b for b in self.blockers if b.id == blocker_id), None)


DEFAULT_STAGES = (
    PilotStage(id="idea", label="Idea", kind="idea"),
    PilotStage(id="pilot", label="Pilot", kind="active"),
    PilotStage(id="ready", label="Ready for production", kind="active"),
    PilotStage(id="production", label="In production", kind="reached"),
    PilotStage(id="scaled", label="Scaled", kind="reached"),
    PilotStage(id="stopped", label="Stopped", kind="stopped"),
)
# A questionnaire without `pilots:` may have any questions, so the default blockers name no remedy: an empty
# `remedy` means every step of the blocker's domain unblocks it.
DEFAULT_BLOCKERS = (
    PilotBlocker(id="governance.approval-queue", label="Waiting for model approval", domain="governance", remedy=()),
    PilotBlocker(id="mlops.no-integration", label="No path into production systems", domain="mlops", remedy=()),
    PilotBlocker(id="organization.no-owner", label="No business owner", domain="organization", remedy=()),
    PilotBlocker(id="economics.no-business-case", label="No business case", domain="economics", remedy=()),
    PilotBlocker(id="data.no-access", label="No access to production data", domain="data", remedy=()),
)


def default_pilot_section(domain_ids: set[str]) -> PilotSection:
    """The section a questionnaire without `pilots:` gets: the default stages, and the default blockers whose
    domain it has."""
    return PilotSection(stages=list(DEFAULT_STAGES), blockers=[b for b in DEFAULT_BLOCKERS if b.domain in domain_ids])


class Regulation(Strict):
    """What the questionnaire knows about the regulation its regulatory questions rest on."""

    high_risk_industries: list[Slug] = Field(
        default_factory=list, max_length=100,
        description="Industry ids (as in organisation_profile.industry) under which an AI system is likely high-risk "
                    "under the EU AI Act, e.g. healthcare, banking, insurance, hr-services, education")


class Questionnaire(Strict):
    """A whole questionnaire file."""

    id: Slug
    version: SemVer
    title: Text
    description: Text
    estimated_minutes: int = Field(ge=1, le=600)
    language: str = Field("en", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    roadmap: Roadmap
    scales: dict[Slug, Scale] = Field(default_factory=dict)
    domains: list[Domain] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)
    migrations: list[Migration] = Field(
        default_factory=list, description="How answers to earlier versions carry over to this one")
    roles: dict[Slug, RoleTitles] = Field(
        default_factory=dict, description="Owner roles by id, with the title to print per organisation size")
    pilots: PilotSection | None = Field(
        None, description="The pilot register's stages, blockers and stuck threshold (default: idea, pilot, ready, "
                          "production, scaled, stopped, and the default blockers of this questionnaire's domains)")
    regulation: Regulation | None = Field(
        None, description="The industries under which an AI system is likely high-risk (EU AI Act)")
    _cache: dict = PrivateAttr(default_factory=dict)

    def cached(self, key: str, build):
        """A value derived from this (immutable) questionnaire, built once."""
        cache = self.__pydantic_private__["_cache"]
        try:
            return cache[key]
        except KeyError:
            cache[key] = value = build(self)
            return value

    def options_for(self, question: Question) -> list[Option]:
        """The options a question offers (its own, its scale's, or yes/no)."""
        if question.type == "scale":
            options = self.scales[question.scale].options if question.scale in self.scales else []
            anchors = {str(key): text for key, text in (question.anchors or {}).items()}
            return [
                o.model_copy(update={"description": anchors[str(o.value)]}) if str(o.value) in anchors else o
                for o in options
            ]
        if question.type == "yes_no":
            anchors = question.anchors or {}
            return [o.model_copy(update={"description": anchors[o.value]}) if o.value in anchors else o for o in YES_NO]
        return list(question.options or [])

    def pilot_section(self) -> PilotSection:
        """The declared `pilots:` section, or the default one fitted to this questionnaire's domains."""
        return self.pilots or self.cached("pilots.default", lambda q: default_pilot_section({d.id for d in q.domains}))

    def phase(self, number: int) -> Phase:
        """The roadmap phase with this number (1-4)."""
        return self.roadmap.phases[number - 1]

    def domain(self, domain_id: str) -> Domain:
        """The domain with this id."""
        return next(d for d in self.domains if d.id == domain_id)

    def question(self, question_id: str) -> Question:
        """The question with this id."""
        return next(q for q in self.questions if q.id == question_id)

    def for_size(self, size: str | None) -> Questionnaire:
        """This questionnaire as an organisation of this size is asked it: each question's text is its `by_size`
        variant where it has one (itself when none has); built once per size."""
        if not any(size in (q.by_size or {}) for q in self.questions):
            return self
        return self.cached(f"for_size.{size}", lambda q: q._sized(size))

    def for_business_model(self, business_model: str | None) -> Questionnaire:
        """This questionnaire as a room of a client with this business model is asked it: a question not asked of
        it (`business_models`) never shows, as if its `visible_if` were false. A single assessment needs no copy:
        the scoring reads the business model from the answers' profile."""
        if not any(not q.asked_of(business_model) for q in self.questions):
            return self
        return self.cached(f"for_business_model.{business_model}", lambda q: q._modelled(business_model))

    def _modelled(self, business_model: str) -> Questionnaire:
        modelled = self.model_copy(update={"questions": [
            q if q.asked_of(business_model) else q.model_copy(update={"visible_if": "false"})
            for q in self.questions]})
        modelled.__pydantic_private__["_cache"] = {}
        return modelled

    def _sized(self, size: str) -> Questionnaire:
        sized = self.model_copy(update={"questions": [
            q.model_copy(update={"text": q.text_for(size)}) if size in (q.by_size or {}) else q
            for q in self.questions]})
        sized.__pydantic_private__["_cache"] = {}  # a copy shares the private cache; what it derives is its own
        return sized


@dataclass(frozen=True)
class QuestionCount:
    """How many questions a questionnaire asks and how long it takes: the one count every screen, the report and the
    README give."""

    asked: int  # the questions every respondent is asked
    follow_ups: int  # asked only when an earlier answer calls for them (`visible_if`)
    minutes: int  # the questionnaire's estimate for the questions asked

    def text(self) -> str:
        """'22 questions, about 5 minutes'; '67 questions and up to 2 follow-ups, about 50 minutes' (in the language
        of the moment)."""
        questions = ngettext("{count} question", "{count} questions", self.asked).format(count=self.asked)
        if self.follow_ups:
            questions = ngettext("{questions} and up to {count} follow-up", "{questions} and up to {count} follow-ups",
                                 self.follow_ups).format(questions=questions, count=self.follow_ups)
        return ngettext("{questions}, about {minutes} minute", "{questions}, about {minutes} minutes",
                        self.minutes).format(questions=questions, minutes=self.minutes)

    def added(self, visible: int) -> str:
        """How the questions on screen now add up, from the same count: '' while they are the questions asked,
        ' (67 + 1 follow-up)' once an answer brought a follow-up in."""
        extra = visible - self.asked
        if extra <= 0:
            return ""
        return " " + ngettext("({asked} + {count} follow-up)", "({asked} + {count} follow-ups)", extra).format(
            asked=self.asked, count=extra)

    def minutes_for(self, questions: int) -> int:
        """Minutes that many questions take at the questionnaire's pace (at least 1 when any is left)."""
        if questions <= 0:
            return 0
        return max(1, round(self.minutes * questions / max(self.asked, 1)))


def readable_help(help_text: str, domain_ids) -> str:
    """Help as a person reads it: a question id in brackets, such as "(governance.board-decisions)", left out (the
    sentence around it already says where that question is asked); earlier published versions still carry them."""
    domains = "|".join(re.escape(domain) for domain in domain_ids)
    if not domains or not help_text:
        return help_text
    return re.sub(rf"\s*\((?:{domains})\.[a-z0-9][a-z0-9_-]*\)", "", help_text)


def question_count(questionnaire: Questionnaire) -> QuestionCount:
    """The questions every respondent is asked, the follow-ups some answers bring in, and the time they take."""
    follow_ups = sum(1 for q in questionnaire.questions if q.visible_if)
    return QuestionCount(len(questionnaire.questions) - follow_ups, follow_ups, questionnaire.estimated_minutes)


YES_NO = (
    Option(value="yes", label="Yes", description="", score=1),
    Option(value="no", label="No", description="", score=0),
)

"""The story a client reads: findings, risks, quotes, a draft RACI, a risk register and a timeline.

Everything here is derived from the scored result by fixed rules, never typed by hand, so the
same answers always tell the same story.

Findings (the first three rules that apply, in this order):

| rule       | when                                              | sentence                                            |
|------------|---------------------------------------------------|-----------------------------------------------------|
| critical   | critical practices are not in place               | how many, named by their steps                      |
| limiting   | a domain limits the organisation                  | it holds the organisation at phase p, at a of t; a  |
|            |                                                   | tie is said as one; domains one answer from the bar |
|            |                                                   | are said apart                                      |
| complete   | every assessed domain achieved all four phases    | what remains is keeping the practices at that level |
| strongest  | the highest index is not a limiting domain        | it leads, with phase k achieved                     |
| near miss  | a domain is one answer from its working phase     | one practice raised one level completes the phase   |
| unknowns   | some answers are "don't know"                     | they are left out of the averages, lower the        |
|            |                                                   | confidence and are listed as unknowns to resolve    |
| confidence | every question shown has a real answer            | the result rests on no unknowns                     |

Risks (the first three that apply, in this order, never the same sentence twice):

| rule           | when                                                  | sentence                                    |
|----------------|-------------------------------------------------------|---------------------------------------------|
| limiting gaps  | one per limiting domain: its most severe entry        | what can go wrong, and the step closing it  |
| foundation gap | a later phase on an unfinished earlier one, unless    | such work tends to stall before production  |
|                | pilots in production prove the later phase            |                                             |
| due unknowns   | "don't know" on practices of a working or earlier     | left out of the scoring: a risk until       |
|                | phase (critical and exposed ones are said apart)      | someone checks                              |
| other gaps     | further High, then Medium entries of the register     | what can go wrong, and the step closing it  |
| low confidence | confidence below 80%                                  | too many unknowns to act on unchecked       |

Risk register: every visible practice of every domain, within the domain's target, that is
below its phase's threshold or unknown. Severity: High when the practice is not in place (or
unknown) in the domain's working phase or an earlier one; Medium when it is partly in place
there, or not in place one phase ahead; Low otherwise. A critical practice not in place is High
whatever its phase. For an organisation that likely runs a high-risk system, the EU AI Act role
and the other regulatory-track practices are rated by that exposure, not by their phase: High
when unknown or not in place, Medium when partly in place. Entries raised to High this way lead
the High ones. What can go wrong comes from a table of practices, matched on the full question
id, then on a fragment of it, with a sentence per domain when none matches.

Draft RACI for the top steps:
- Responsible: the step's owner.
- Accountable: the executive who answers for the step's domain (sized to the organisation). In a
  medium or large organisation Responsible and Accountable differ: when the owner is that
  executive or the executive sponsor, the chief executive answers; when the owner is the chief
  executive, the board does. In a small organisation the same person may do both.
- Consulted: the owners of the steps it requires or that require it, and the domain's executive
  when someone else answers for the step; when that leaves nobody, the domain's standing partner
  (legal counsel for Governance, information security for MLOps, ...; the next one when the owner
  or the accountable executive already holds that function). The portfolio triage also consults
  the pilots' business owners.
- Informed: the AI steering group and the business unit leads (the leadership team in a small
  organisation). Nobody appears twice in a row.

Quotes: up to three respondents' notes, from the lowest-scoring questions first, then the
longest note, then questionnaire order; quoted as typed, so notes longer than QUOTE_LIMIT characters
are left to the domain pages, which print every note whole.

Timeline: Now steps start in month 0, Next steps in month 3; a step starts once every open step it
requires has ended, and no more than PLAN_NOW_CAPACITY steps run at once. S takes about a
month, M two, L a quarter.
"""

from __future__ import annotations

from dataclasses import dataclass

from i18n import _, ngettext
from questionnaires.models import Question, Questionnaire
from scoring.engine import (LOW_CONFIDENCE, STATUS_ATTAINED, DomainResult, QuestionResult, Result, Step,
                            critical_names, join_names)
from scoring.headline import number
from scoring.pilots import REMEDY_STEPS, format_money
from scoring.steps import (DEFAULT_SIZE, ESTABLISH_AT_MOST, SIZES, TRIAGE_ID, critical_gap, now_capacity,
                           owner_title, waits_for)
from scoring.thresholds import below_threshold
from scoring.words import N_, quoted, share

FINDINGS = 3
RISKS = 3
QUOTES = 3
QUOTE_LIMIT = 240
RACI_STEPS = 5
SEVERITIES = ("High", "Medium", "Low")
DURATION_MONTHS = {"S": 1, "M": 2, "L": 3}
HORIZON_START = {"now": 0, "next": 3}
TIMELINE_STEPS = 10
FIRST_STEPS = 3  # the steps the Results page shows first
PROVEN_PHASE = 3  # a domain attaining this phase, with pilots in production, has its later practices proven
AI_ACT_ROLE = "governance.eu-ai-act-role"  # High for a likely high-risk organisation while unknown or missing
WEAKEST_LINK = N_("The organisation is at the phase of its weakest domain: a phase counts once every domain has "
                "achieved the one before it.")


def plural(count: int, one: str, many: str | None = None) -> str:
    """The word that agrees with a count: plural(1, 'pilot') is 'pilot', plural(3, 'is', 'are') is 'are'."""
    if count == 1:
        return one
    return many if many is not None else one + "s"


# What goes wrong while a practice is missing, in words a board member recognises: first by the
# full question id of the shipped questionnaires, then by a fragment of the id (first match wins,
# so the more specific fragments come first), then by domain.
EXPOSURES = {
    # Data
    "data.source-inventory": N_("Use cases are approved before anyone knows whether their data can be had in "
                             "production, or is good and lawful enough to use, so they stall late and at full "
                             "cost."),
    "data.ownership": N_("Nobody decides on access, definitions or quality of the data models depend on, so data "
                      "problems have nobody to fix them."),
    "data.readiness-assessment": N_("Use cases are funded on data that turns out to be missing, poor or unlawful to "
                                 "use, after the money is spent."),
    "data.quality-standards": N_("Bad data reaches models unchecked, and wrong predictions follow without warning."),
    "data.labelling": N_("Models learn from inconsistent labels, so their errors are built in and nobody can say who "
                      "labelled what."),
    "data.lineage": N_("When a model goes wrong, nobody can trace which data produced it, so it can be neither "
                    "explained nor fixed quickly."),
    "data.production-feeds": N_("Production models run on manual extracts that arrive late or break without anyone "
                             "noticing."),
    "data.prediction-logging": N_("Predictions cannot be audited: when a decision is challenged, there is no record of "
                               "what the model said, on which inputs."),
    "data.prediction-logging-coverage": N_("Production models leave no full record of their outputs, so a challenged "
                                        "decision cannot be traced to the model, prompt and inputs behind it."),
    "data.ground-truth": N_("Nobody knows whether models are right in production, because real outcomes are never "
                         "compared with the predictions."),
    "data.products": N_("Every team prepares the same data again, at its own cost and to its own definitions."),
    "data.self-service-access": N_("New AI teams wait weeks or months for data, so good ideas die before they are "
                                "tried."),
    "data.competitive-advantage": N_("The data competitors cannot copy is neither protected nor developed, so AI gives "
                                  "no lasting edge."),
    # Governance
    "governance.ai-board": N_("AI decisions have no body with the authority to take them, so they stall or are taken "
                           "by default."),
    "governance.shadow-ai-policy": N_("Staff put company data into AI tools with no rules on which tools or which "
                                   "data."),
    "governance.ai-inventory": N_("Nobody can say which AI systems are in use, so none of them can be governed."),
    "governance.risk-classification": N_("High-risk use cases get the same light handling as harmless ones."),
    "governance.eu-ai-act-role": N_("The organisation does not know which EU AI Act obligations apply to its AI "
                                 "systems, so it cannot show that it meets them."),
    "governance.board-decisions": N_("Higher-risk launches are decided case by case, with nobody empowered to say no."),
    "governance.model-approval": N_("A model can go live without anyone signing off its risks."),
    "governance.approval-lead-time": N_("Approvals take so long that pilots wait months for a decision, or teams "
                                     "find ways around the process."),
    "governance.bias-testing": N_("A model can treat groups of customers or staff unfairly without anyone checking."),
    "governance.escalation-path": N_("When a model misbehaves, nobody knows who may stop it, or how fast."),
    "governance.stress-test": N_("Governance that has never been tried on a real launch may break on the first one."),
    "governance.explainability": N_("Decisions made with AI cannot be explained to the people they affect or to a "
                                 "regulator."),
    "governance.eu-ai-act": N_("AI systems in scope of the EU AI Act may breach obligations that already apply, with "
                            "no evidence to show otherwise."),
    "governance.security-testing": N_("A model can be attacked or manipulated in ways nobody has tested for."),
    "governance.model-revalidation": N_("Models stay in service after the assumptions behind them have changed."),
    "governance.portfolio-risk-reporting": N_("The board cannot see AI risk against its appetite."),
    "governance.shadow-ai": N_("Unapproved AI tools spread unseen, with company data in them."),
    # MLOps
    "mlops.production-path": N_("Pilots have no agreed route into production, so they stall."),
    "mlops.reference-architecture": N_("Each team builds production AI its own way, multiplying cost and risk."),
    "mlops.version-control": N_("Nobody can say which data, settings or prompts a production model runs on, so a "
                             "failure cannot be traced and a retired provider model cannot be replaced on plan."),
    "mlops.reproducibility": N_("A production model cannot be rebuilt or rolled back when it fails."),
    "mlops.model-registry": N_("A production model cannot be traced to its version, owner or approval."),
    "mlops.automated-pipelines": N_("Every release depends on manual hand-offs, which are slow and error-prone."),
    "mlops.drift-monitoring": N_("A model that degrades in production goes unnoticed until customers notice."),
    "mlops.system-integration": N_("Models stay outside the systems where decisions are made, so their value is not "
                                "realised."),
    "mlops.service-levels": N_("A failing AI service has no agreed response time and no playbook."),
    "mlops.service-levels-coverage": N_("Production AI services run without on-call, a tested rollback or a fallback, "
                                     "so one failure can stop the business process."),
    "mlops.operational-stability": N_("Outages of AI services are not measured, so they recur."),
    "mlops.automated-retraining": N_("Models go stale because retraining depends on someone remembering."),
    "mlops.genai-evaluation": N_("Generative AI answers can be wrong or unsafe without anyone measuring how often."),
    "mlops.standard-platform": N_("Teams build and run AI on different stacks, duplicating effort and controls."),
    "mlops.self-service": N_("Teams cannot reach production without the central team, which becomes a bottleneck."),
    "mlops.vendor-dependency": N_("Dependence on a single AI vendor can lock in cost and leave no way out."),
    # Organization
    "organization.executive-sponsor": N_("No executive answers for AI outcomes, so decisions that cross departments "
                                      "stall."),
    "organization.skills-baseline": N_("Nobody knows which AI skills are missing, so the roadmap rests on people the "
                                    "organisation does not have."),
    "organization.model-ownership": N_("Models have nobody who owns them after launch: when results slip, nobody "
                                    "answers for them."),
    "organization.ai-ops-team": N_("Nobody is funded to run production models, so monitoring, retraining and "
                                "incidents fall to whoever is free."),
    "organization.operating-model": N_("Nobody has settled who builds, runs, funds and prioritises AI, so work is done "
                                    "twice or falls between teams."),
    "organization.cross-functional-teams": N_("Use cases are built without the business, risk or IT operations at the "
                                           "table, and stall at the hand-over."),
    "organization.human-in-the-loop": N_("Nobody has decided when a person must check a model's decision, so errors "
                                      "reach customers unreviewed."),
    "organization.workflow-redesign": N_("Models are bolted onto old processes, so the promised benefit never shows "
                                      "up."),
    "organization.change-management": N_("Staff do not use the models that go live, and nobody measures it."),
    "organization.federated-delivery": N_("All AI delivery runs through one central team, which caps how fast the "
                                       "organisation can grow it."),
    "organization.incentives": N_("Leaders are rewarded for starting pilots rather than for results, so pilots "
                               "multiply and few reach production."),
    # Economics
    "economics.use-case-selection": N_("Money goes to the use cases with the loudest sponsors rather than the best "
                                    "value, with no estimate of value and cost to stop them on."),
    "economics.outcome-kpis": N_("Pilots start with no agreed measure of success, so none can be called a success or "
                              "stopped as a failure."),
    "economics.kpi-baseline": N_("Without a baseline measured before the pilot, nobody can prove the value AI "
                              "delivers."),
    "economics.pilot-gates": N_("Pilots run on without a decision to scale or stop, using up budget and people."),
    "economics.cost-transparency": N_("Nobody knows what each AI use case really costs, so compute, token and licence "
                                   "spend grows unchecked."),
    "economics.value-measurement": N_("The value of AI cannot be proven to Finance, so its budget is the first to go "
                                   "when money is tight."),
    "economics.roi-tracking": N_("Nobody checks whether live use cases earn back their cost, so the ones that do not "
                              "keep running."),
    "economics.unit-costs": N_("AI and generative AI spend is not metered: a popular use case can run up costs before "
                            "anyone notices."),
    "economics.shortlist-deployed": N_("The use cases chosen for their value never reach production, so that value "
                                    "stays on paper."),
    "economics.run-budget": N_("Production AI lives on project money, so a model can lose its funding when the project "
                            "ends."),
    "economics.chargeback": N_("Business units use AI without seeing its cost, so demand and spend grow without "
                            "discipline."),
    "economics.strategic-planning": N_("AI sits outside strategic and financial planning, so it is funded as an "
                                    "experiment rather than as part of the business."),
    "economics.portfolio-expansion": N_("AI stays confined to a few areas, so the platform and data already paid for "
                                     "are under-used."),
    # New in ai-maturity 3.0.0
    "governance.ai-literacy": N_("Staff use AI without knowing its limits, and the AI Act's literacy duty, in force since "
                              "February 2025, is not met."),
    "governance.agent-inventory": N_("Agents act in company systems without anyone knowing which exist, who owns them or "
                                  "how freely they act."),
    "governance.board-followed": N_("Higher-risk systems go live around the governance body, so its decisions protect "
                                 "nothing."),
    "governance.vendor-due-diligence": N_("AI is bought or switched on without anyone checking what it does with company "
                                       "data or what the contract lets the vendor do with it."),
    "governance.vendor-contracts": N_("A vendor may train on company data, change the model without notice or leave the "
                                   "organisation with an IP claim."),
    "governance.retrieval-permissions": N_("An AI assistant can show any employee documents they are not allowed to open."),
    "governance.agent-permissions": N_("An agent can pay, send or change more than its task needs, and one day will."),
    "governance.agent-identity": N_("Agents act under people's or shared accounts, so their actions can be neither traced "
                                 "nor revoked on their own."),
    "governance.safety-evaluation": N_("A release can reach customers without an independent check that it is safe for the "
                                    "people it affects."),
    "governance.fria": N_("High-risk AI is used for decisions about people without the impact assessment the AI Act "
                       "requires."),
    "governance.incident-drill": N_("The first test of the AI incident procedure will be a real incident."),
    "governance.red-teaming": N_("Generative AI can be talked into leaking data or ignoring its instructions, and nobody "
                              "has tried."),
    "governance.ai-transparency": N_("People are not told they are dealing with AI, or generated content goes unmarked, "
                                  "against the AI Act."),
    "governance.post-market-monitoring": N_("Once sold, the AI product is not watched in the field, so a failure at "
                                         "customers goes unseen."),
    "governance.serious-incidents": N_("A serious incident with the AI product may not be recognised or reported to the "
                                    "authority in time."),
    "governance.approved-ai-tools": N_("Staff keep using unapproved AI because no approved tool meets their need."),
    "mlops.rollback": N_("When a model release goes wrong, going back to the previous version takes hours or days."),
    "mlops.ai-bom": N_("Downloaded models run without anyone knowing their origin, licence or whether the file is safe."),
    "mlops.genai-versioning": N_("A provider retiring or changing a model can break a working generative application "
                              "overnight."),
    "mlops.release-governance": N_("Releases of the AI product ship without a record of what changed and who approved it."),
    "mlops.live-evaluation": N_("Pilots are scaled on results from curated data and fail on live data, after the money is "
                             "spent."),
    "mlops.genai-guardrails": N_("Generative AI answers pass unchecked, so personal data, harmful content or injected "
                              "instructions get through."),
    "mlops.genai-grounding": N_("Nobody knows how often the generative AI in production makes things up."),
    "mlops.agent-stop": N_("An agent that goes wrong cannot be stopped quickly, nor its actions undone."),
    "mlops.provider-switch": N_("The exit plan has never been tried, so a forced switch of provider would take far longer "
                             "than planned."),
    "organization.skills-plan": N_("The skills gaps are known but nobody is funded to close them."),
    "organization.engineering-capacity": N_("Approved pilots wait for engineers nobody committed, so they stall at the "
                                         "door of production."),
    "organization.adoption": N_("Launched models go unused in the work, so the value they were built for never arrives."),
    "organization.agent-approval": N_("Agents take actions that should need a person's approval, because nobody decided "
                                   "which ones do."),
    "organization.customer-assurance": N_("Customers cannot get the evidence they need to use the AI product safely, which "
                                       "slows or loses sales."),
    "economics.roi-hypothesis": N_("Pilots start without an estimate of value and cost, so they cannot be compared or "
                                "stopped on evidence."),
    "economics.spend-budgets": N_("Compute and model API spend has no budget or alert, so a runaway job shows up only on "
                               "the invoice."),
    "economics.shortlist-results": N_("Live use cases are not measured against what they promised, so nobody knows whether "
                                   "they deliver."),
    "economics.genai-unit-cost": N_("Generative AI may cost more per case than the work it saves, and nobody would know."),
    "economics.capital-allocation": N_("AI is funded outside capital allocation, so money does not follow measured "
                                    "results."),
    "economics.energy-carbon": N_("The energy and carbon of AI are unknown, so they weigh in no choice of model or scale."),
}
def _like(fragment: str, question_id: str) -> tuple[str, str, str]:
    """A fragment that reads like a practice of the table: (fragment, that practice's domain, its sentence)."""
    return fragment, question_id.split(".", 1)[0], EXPOSURES[question_id]


# Other questionnaires' ids, matched on a fragment: first among the fragments of the same domain, then any.
EXPOSURE_FRAGMENTS = (
    _like("registry", "mlops.model-registry"),
    _like("inventory", "governance.ai-inventory"),
    _like("register", "governance.ai-inventory"),
    _like("board-decisions", "governance.board-decisions"),
    _like("board", "governance.ai-board"),
    _like("sponsor", "organization.executive-sponsor"),
    _like("classif", "governance.risk-classification"),
    _like("lead-time", "governance.approval-lead-time"),
    _like("approval", "governance.model-approval"),
    ("gate", "", N_("Models and pilots move on without a defined check.")),
    _like("bias", "governance.bias-testing"),
    _like("escalation", "governance.escalation-path"),
    _like("stress-test", "governance.stress-test"),
    _like("explain", "governance.explainability"),
    _like("ai-act-role", "governance.eu-ai-act-role"),
    _like("ai-act", "governance.eu-ai-act"),
    _like("revalidat", "governance.model-revalidation"),
    _like("portfolio-risk", "governance.portfolio-risk-reporting"),
    _like("shadow", "governance.shadow-ai"),
    _like("security", "governance.security-testing"),
    _like("production-path", "mlops.production-path"),
    _like("architecture", "mlops.reference-architecture"),
    _like("version", "mlops.version-control"),
    _like("reproduc", "mlops.reproducibility"),
    _like("genai", "mlops.genai-evaluation"),
    _like("vendor", "mlops.vendor-dependency"),
    _like("pipeline", "mlops.automated-pipelines"),
    _like("drift", "mlops.drift-monitoring"),
    _like("integration", "mlops.system-integration"),
    _like("service-level", "mlops.service-levels"),
    _like("stability", "mlops.operational-stability"),
    _like("retrain", "mlops.automated-retraining"),
    _like("platform", "mlops.standard-platform"),
    _like("self-service", "mlops.self-service"),
    _like("monitor", "mlops.drift-monitoring"),
    _like("prediction-log", "data.prediction-logging"),
    _like("lineage", "data.lineage"),
    _like("quality", "data.quality-standards"),
    _like("label", "data.labelling"),
    _like("ground-truth", "data.ground-truth"),
    _like("feed", "data.production-feeds"),
    _like("pipeline", "data.production-feeds"),
    _like("catalog", "data.self-service-access"),
    _like("monitor", "data.quality-standards"),
    _like("ownership", "data.ownership"),
    _like("ownership", "organization.model-ownership"),
    _like("skills", "organization.skills-baseline"),
    _like("operating-model", "organization.operating-model"),
    _like("change", "organization.change-management"),
    _like("incentive", "organization.incentives"),
    _like("kpi", "economics.outcome-kpis"),
    _like("baseline", "economics.kpi-baseline"),
    _like("value", "economics.value-measurement"),
    _like("roi", "economics.roi-tracking"),
    _like("run-budget", "economics.run-budget"),
    _like("unit-cost", "economics.unit-costs"),
    _like("cost", "economics.cost-transparency"),
    _like("budget", "economics.run-budget"),
)
DOMAIN_EXPOSURES = {
    "data": N_("Models are built and run on data nobody vouches for."),
    "governance": N_("An AI risk the organisation should control is left uncontrolled."),
    "mlops": N_("Production models depend on manual work that can fail unnoticed."),
    "organization": N_("Nobody is clearly responsible for AI once it leaves the pilot team."),
    "economics": N_("AI money is spent without anyone able to show what it returns."),
}
STATES = {"missing": N_("Not in place"), "unknown": N_("Unknown"), "partial": N_("Partly in place")}

# The executive who answers for a domain, by organisation size (small, medium, large).
ACCOUNTABLE = {
    "data": ("CTO", N_("Chief Data Officer"), N_("Chief Data Officer")),
    "governance": (N_("CEO"), N_("Chief Risk Officer"), N_("Chief Risk Officer")),
    "mlops": ("CTO", N_("Chief Technology Officer"), N_("Chief Technology Officer")),
    "organization": (N_("CEO"), N_("Chief Operating Officer"), N_("Chief Operating Officer")),
    "economics": (N_("CEO"), N_("Chief Financial Officer"), N_("Chief Financial Officer")),
}
# The `ceo` and the `sponsor` role's usual titles.
CHIEF_EXECUTIVE = (N_("CEO"), N_("Chief Executive Officer"), N_("Chief Executive Officer"))
SPONSOR = (N_("CEO"), N_("Executive AI sponsor"), N_("Executive AI sponsor"))
DEFAULT_ACCOUNTABLE = SPONSOR  # a domain without its own executive answers to the sponsor
TOP_EXECUTIVES = (N_("CEO"), N_("Chief Executive Officer"))  # answer to the board for their own steps
BOARD = N_("Board")
# Whom a domain's steps consult when no other step in the plan is linked to them: the first partner whose
# function is not already the owner's or the accountable executive's (matched on words of their titles).
PARTNERS = {
    "data": (N_("Data protection officer"), N_("Legal counsel"), N_("Information security")),
    "governance": (N_("Legal counsel"), N_("Information security"), N_("Data protection officer")),
    "mlops": (N_("Information security"), N_("IT operations"), N_("Enterprise architect")),
    "organization": ("HR", N_("Finance"), N_("Legal counsel")),
    "economics": (N_("Finance"), N_("Business owners of the use cases"), N_("Head of AI")),
}
DEFAULT_PARTNERS = (N_("Legal counsel"), N_("Information security"), N_("Finance"))
FUNCTION_WORDS = {  # the English words, then the German ones of the German questionnaires' titles
    "Data protection officer": ("data protection", "privacy", "datenschutz"),
    "Legal counsel": ("legal", "counsel", "recht"),
    "Information security": ("security", "informationssicherheit"),
    "IT operations": ("it operations", "it-betrieb"),
    "HR": ("human resources", "people", "personal"),
    "Finance": ("financ", "finanz"),
    "Business owners of the use cases": ("business owner", "fachverantwortliche"),
    "Enterprise architect": ("architect", "architekt"),
    "Head of AI": ("head of ai", "leiter(in) ki"),
}
PILOT_OWNERS = N_("Pilot business owners")  # consulted on the portfolio triage: their pilots are decided on
INFORMED = {"small": (N_("Leadership team"),), "medium": (N_("AI steering group"), N_("Business unit leads")),
            "large": (N_("AI steering committee"), N_("Business unit leads"))}


@dataclass(frozen=True, slots=True)
class Quote:
    """A respondent's note, quoted as typed, with the question it was written on."""

    text: str
    domain: str
    question: str


@dataclass(frozen=True, slots=True)
class RaciRow:
    """Who does, answers for, is asked about and is told about one step."""

    step: Step
    responsible: str
    accountable: str
    consulted: tuple[str, ...]
    informed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RiskEntry:
    """One line of the risk register: what can go wrong, how likely it bites now, what closes it."""

    question: str
    domain: str  # the domain's name, as printed
    phase: int
    severity: str
    state: str
    exposure: str
    step: Step | None
    owner: str
    domain_id: str = ""
    raised: bool = False  # High whatever its phase: a critical gap, or a regulatory gap of a likely high-risk system


@dataclass(frozen=True, slots=True)
class Slot:
    """When a step runs on the timeline, in months from the start of the plan."""

    step: Step
    start: int
    end: int
    after: tuple[int, ...]  # ranks of the planned steps it waits for


@dataclass(frozen=True, slots=True)
class Narrative:
    """Findings, risks, quotes, RACI, risk register and timeline of one result."""

    findings: tuple[str, ...]
    risks: tuple[str, ...]
    quotes: tuple[Quote, ...]
    raci: tuple[RaciRow, ...]
    register: tuple[RiskEntry, ...]
    timeline: tuple[Slot, ...]


def narrate(questionnaire: Questionnaire, result: Result) -> Narrative:
    """The whole story of one result, by the rules in this module's docstring."""
    register = risk_register(questionnaire, result)
    return Narrative(findings(result, questionnaire), risks(result, register), quotes(questionnaire, result),
                     raci(result, questionnaire=questionnaire), register, timeline(result.actions))


# --- findings -------------------------------------------------------------------------------


def findings(result: Result, questionnaire: Questionnaire) -> tuple[str, ...]:
    """Up to three findings: the first rules of the table that apply."""
    found = [text for rule in FINDING_RULES for text in rule(result, questionnaire)]
    return tuple(found[:FINDINGS])


def _critical(result: Result, questionnaire: Questionnaire) -> list[str]:
    gaps = result.overall.critical_gaps
    if not gaps:
        return []
    count = len(gaps)
    unknown = sum(1 for qid in gaps if result.questions[qid].dont_know)
    if not unknown:
        text = ngettext("{count} critical practice is not in place: {names}.",
                        "{count} critical practices are not in place: {names}.", count)
    elif unknown == count:
        text = ngettext("{count} critical practice is not known to be in place: {names}.",
                        "{count} critical practices are not known to be in place: {names}.", count)
    else:
        text = ngettext("{count} critical practice is not in place or not known to be: {names}.",
                        "{count} critical practices are not in place or not known to be: {names}.", count)
    return [text.format(count=number(count).capitalize(), names=critical_names(questionnaire, gaps))]


def _limiting(result: Result, questionnaire: Questionnaire) -> list[str]:
    overall = result.overall
    limiting = overall.limiting_domains
    if not limiting:
        return []
    names = {d.id: d.name for d in result.domains}
    phase = overall.phase
    if len(limiting) == 1:
        return [_holds_alone(result, limiting[0], phase)]
    primary = overall.primary_limiting_domain
    released = [d for d in limiting if d in overall.released and d != primary]
    if primary is not None:
        return [_furthest(result, primary, len(limiting), phase) + _one_answer_away([names[d] for d in released])]
    blocking = [d for d in limiting if d not in released]
    tied = [d for d in overall.tied if d in blocking] or blocking
    closer = [d for d in blocking if d not in tied]
    if not tied:
        return [_("{names} hold the organisation at phase {phase}, each one answer from the bar.").format(
            names=join_names([names[d] for d in released]), phase=phase)]
    if len(tied) == 1:
        head = _holds_alone(result, tied[0], phase)
    else:
        head = _("{names} hold the organisation at phase {phase}, each about as far from the bar.").format(
            names=join_names([names[d] for d in tied]), phase=phase)
    if closer:
        head += " " + ngettext("{names} also holds it back, though closer to the bar.",
                               "{names} also hold it back, though closer to the bar.", len(closer)).format(
            names=join_names([names[d] for d in closer]))
    return [head + _one_answer_away([names[d] for d in released])]


def _holds_alone(result: Result, domain_id: str, phase: int) -> str:
    """'Data holds the organisation at phase 2: its phase 2 practices stand at 40%, against the 70% ...'."""
    domain = result.domain(domain_id)
    working = domain.phases[domain.achieved]
    if working.attainment is None:
        text = _("{domain} holds the organisation at phase {phase}: none of its phase {number} practices has a known "
                 "answer yet.")
    else:
        text = _("{domain} holds the organisation at phase {phase}: its phase {number} practices stand at "
                 "{attainment}, against the {threshold} the phase asks for.")
    return text.format(domain=domain.name, phase=phase, **_bar_facts(working))


def _furthest(result: Result, domain_id: str, count: int, phase: int) -> str:
    """'Two domains hold the organisation at phase 2; Data is furthest from the bar: its phase 2 practices ...'."""
    domain = result.domain(domain_id)
    working = domain.phases[domain.achieved]
    if working.attainment is None:
        text = ngettext("{count} domain holds the organisation at phase {phase}; {domain} is furthest from the bar: "
                        "none of its phase {number} practices has a known answer yet.",
                        "{count} domains hold the organisation at phase {phase}; {domain} is furthest from the bar: "
                        "none of its phase {number} practices has a known answer yet.", count)
    else:
        text = ngettext("{count} domain holds the organisation at phase {phase}; {domain} is furthest from the bar: "
                        "its phase {number} practices stand at {attainment}, against the {threshold} the phase "
                        "asks for.",
                        "{count} domains hold the organisation at phase {phase}; {domain} is furthest from the bar: "
                        "its phase {number} practices stand at {attainment}, against the {threshold} the phase "
                        "asks for.", count)
    return text.format(count=number(count).capitalize(), domain=domain.name, phase=phase, **_bar_facts(working))


def _bar_facts(working) -> dict:
    """The placeholders of a working phase's standing: its number, attainment and threshold."""
    attainment = "" if working.attainment is None else share(working.attainment)
    return {"number": working.number, "attainment": attainment, "threshold": share(working.threshold)}


def _one_answer_away(names: list[str]) -> str:
    """' Data is one answer from the bar.' for limiting domains a single answer would release ('' for none)."""
    if not names:
        return ""
    return " " + ngettext("{names} is one answer from the bar.", "{names} are each one answer from the bar.",
                          len(names)).format(names=join_names(names))


def _complete(result: Result, questionnaire: Questionnaire) -> list[str]:
    if not result.overall.complete:
        return []
    return [_("Every assessed domain has achieved all four phases; what remains is keeping the practices at that "
              "level as the portfolio grows.")]


def _strongest(result: Result, questionnaire: Questionnaire) -> list[str]:
    assessed = [d for d in result.domains if d.assessed]
    if len(assessed) < 2 or result.overall.complete:
        return []
    top = max(round(d.index, 2) for d in assessed)
    best = [d for d in assessed if round(d.index, 2) == top]
    if any(d.id in result.overall.limiting_domains for d in best) or len(best) == len(assessed):
        return []
    names = join_names([d.name for d in best])
    first = best[0]
    if first.achieved >= 4:
        text = ngettext("{names} is the strongest domain, with all four phases achieved: a way of working the other "
                        "domains can copy.",
                        "{names} are the strongest domains, each with all four phases achieved: a way of working "
                        "the other domains can copy.", len(best))
    else:
        text = ngettext("{names} is the strongest domain, with phase {achieved} achieved and phase {working} under "
                        "way: a base the other domains can build on.",
                        "{names} are the strongest domains, each with phase {achieved} achieved and phase {working} "
                        "under way: a base the other domains can build on.", len(best))
    return [text.format(names=names, achieved=first.achieved, working=first.working_phase)]


def _near_miss(result: Result, questionnaire: Questionnaire) -> list[str]:
    limiting = set(result.overall.limiting_domains)
    said = set(result.overall.released) if len(limiting) > 1 else set()  # the limiting finding says them
    close = [d for d in result.domains if d.to_next_phase and d.to_next_phase.answers_needed == 1 and d.id not in said]
    close.sort(key=lambda d: d.id not in limiting)
    if not close:
        return []
    domain = close[0]
    phase = domain.to_next_phase.phase
    if limiting == {domain.id}:
        return [_("{domain} is one answer from completing phase {phase}: raising a single practice by one level "
                  "would move the whole organisation to phase {next}.").format(domain=domain.name, phase=phase,
                                                                               next=min(phase + 1, 4))]
    return [_("{domain} is one answer from completing phase {phase}: raising a single practice by one level "
              "would do it.").format(domain=domain.name, phase=phase)]


def _unknowns(result: Result, questionnaire: Questionnaire) -> list[str]:
    count = len(result.unknowns)
    if not count:
        return []
    text = ngettext("{count} question was answered “don't know”. The scoring leaves it out of the averages, "
                    "counting it neither as in place nor as missing; it lowers the confidence to {confidence} and is "
                    "listed among the unknowns to resolve.",
                    "{count} questions were answered “don't know”. The scoring leaves them out of the averages, "
                    "counting them neither as in place nor as missing; they lower the confidence to {confidence} and "
                    "are listed among the unknowns to resolve.", count)
    return [text.format(count=number(count).capitalize(), confidence=share(result.overall.confidence))]


def _confidence(result: Result, questionnaire: Questionnaire) -> list[str]:
    if result.unknowns or not any(d.assessed for d in result.domains):
        return []
    return [_("Every question shown has a real answer, so the result rests on no unknowns.")]


FINDING_RULES = (_critical, _limiting, _complete, _strongest, _near_miss, _unknowns, _confidence)


# --- risk register and risks ----------------------------------------------------------------


def risk_register(questionnaire: Questionnaire, result: Result) -> tuple[RiskEntry, ...]:
    """Every domain's practices below their phase's bar (or unknown), within target, most severe first."""
    steps = {s.question: s for s in result.actions}
    entries = []
    for order, question in enumerate(questionnaire.questions):
        answer = result.questions[question.id]
        if not _open_practice(answer):
            continue
        domain = result.domain(question.domain)
        if not domain.assessed or question.phase > domain.target:
            continue
        state = practice_state(answer, questionnaire.phase(question.phase).threshold)
        if state == "polish":
            continue  # at or above its phase's bar: room to improve, not a risk
        step = steps.get(question.id)
        owner = step.owner if step else owner_title(questionnaire, question.action.owner, result.size,
                                                    result.profile.get("business_model")) \
            if question.action else ""
        raised = raised_to_high(question, answer, state, result)
        level = "High" if raised else severity(state, _rated_phase(question, domain, result), domain)
        entry = RiskEntry(question.id, domain.name, question.phase, level, _(STATES[state]),
                          exposure(question.id, question.domain), step, owner, domain.id, raised)
        entries.append((SEVERITIES.index(level), not raised, step.rank if step else 10 ** 6, order, entry))
    return tuple(entry for *_, entry in sorted(entries, key=lambda e: e[:4]))


def _open_practice(answer: QuestionResult) -> bool:
    return answer.visible and answer.scored and (answer.dont_know or (answer.score is not None and answer.score < 1))


def practice_state(answer: QuestionResult, threshold: float) -> str:
    """missing, unknown, partial (below the phase threshold) or polish (at or above it)."""
    if answer.dont_know:
        return "unknown"
    if answer.score <= ESTABLISH_AT_MOST:
        return "missing"
    return "partial" if below_threshold(answer.score, threshold) else "polish"


def severity(state: str, phase: int, domain: DomainResult) -> str:
    """High: missing (or unknown) in the working phase or earlier; Medium: partly there, or missing one phase on."""
    working = domain.working_phase or 4
    if phase <= working and state in ("missing", "unknown"):
        return "High"
    if (phase <= working and state == "partial") or (phase == working + 1 and state in ("missing", "unknown")):
        return "Medium"
    return "Low"


def raised_to_high(question: Question, answer: QuestionResult, state: str, result: Result) -> bool:
    """High whatever the phase: a critical practice not in place, or, for an organisation that likely runs a
    high-risk system, its EU AI Act role or another regulatory practice unknown or not in place. Such entries
    lead their severity."""
    if critical_gap(question, answer):
        return True
    return _exposed(question, result) and state in ("missing", "unknown")


def _exposed(question: Question, result: Result) -> bool:
    """A regulatory practice (the EU AI Act role, or a question on the regulatory track) of an organisation that
    likely runs a high-risk system: rated by that exposure, not by its phase."""
    return result.likely_high_risk and (question.id == AI_ACT_ROLE or question.track == "regulatory")


def _rated_phase(question: Question, domain: DomainResult, result: Result) -> int:
    """The phase a practice's severity is read at: its own, or the domain's working phase when exposure rates it."""
    return min(question.phase, domain.working_phase or 4) if _exposed(question, result) else question.phase


def exposure(question_id: str, domain_id: str) -> str:
    """What can go wrong while this practice is missing (in the language of the moment): by full id, then by
    fragment, then by domain."""
    return _(_exposure(question_id, domain_id))


def _exposure(question_id: str, domain_id: str) -> str:
    if question_id in EXPOSURES:
        return EXPOSURES[question_id]
    practice = question_id.split(".", 1)[-1]
    matches = [(domain != domain_id, sentence) for fragment, domain, sentence in EXPOSURE_FRAGMENTS
               if fragment in practice]
    if matches:
        return min(matches, key=lambda match: match[0])[1]  # the first of the same domain, else the first
    return DOMAIN_EXPOSURES.get(domain_id, N_("A practice the current phase depends on is missing."))


def risks(result: Result, register: tuple[RiskEntry, ...]) -> tuple[str, ...]:
    """Up to three risks: the first rules of the table that apply, never the same sentence twice."""
    found: list[str] = []
    for rule in RISK_RULES:
        for text in rule(result, register):
            if text not in found:
                found.append(text)
    return tuple(found[:RISKS])


def entry_risk(entry: RiskEntry) -> str:
    """A register entry as a risk: what can go wrong, and the step of the plan that closes it when there is one."""
    if not entry.step:
        return entry.exposure
    return _("{exposure} Step {rank} closes this gap.").format(exposure=entry.exposure, rank=entry.step.rank)


def _limiting_gaps(result: Result, register: tuple[RiskEntry, ...]) -> list[str]:
    """One risk per limiting domain from its own register entries, the most severe first; a domain whose first
    sentence is already taken gives its next."""
    limiting = set(result.overall.limiting_domains)
    found: list[str] = []
    covered: set[str] = set()
    for entry in register:
        text = entry_risk(entry)
        if entry.domain_id in limiting and entry.domain_id not in covered and text not in found:
            found.append(text)
            covered.add(entry.domain_id)
    return found


def proven_by_pilots(result: Result, domain: DomainResult) -> bool:
    """Whether pilots in production prove a domain's later phase: the register has a pilot that reached
    production and the domain attains phase PROVEN_PHASE or later."""
    top = max((p.number for p in domain.phases if p.status == STATUS_ATTAINED), default=0)
    return result.pilots is not None and result.pilots.reached > 0 and top >= PROVEN_PHASE


def _foundation(result: Result, register) -> list[str]:
    shaky = [d for d in result.domains if d.foundation_gap and not proven_by_pilots(result, d)]
    if not shaky:
        return []
    domain = shaky[0]
    missing = next(p.number for p in domain.phases if not p.attained)
    built = max(p.number for p in domain.phases if p.status == STATUS_ATTAINED)
    return [_("{domain} has phase {built} practices in place without the phase {missing} foundation under them; "
              "work built that way tends to stall before it reaches production.").format(
        domain=domain.name, built=built, missing=missing)]


def _due_unknowns(result: Result, register: tuple[RiskEntry, ...]) -> list[str]:
    named = {e.question for e in register if e.raised}  # said on their own, as the High risks they are
    due = [qid for qid in result.unknowns if qid not in named
           and result.questions[qid].phase <= (result.domain(result.questions[qid].domain).working_phase or 4)]
    if not due:
        return []
    count = len(due)
    return [ngettext("Nobody could say whether {count} practice the current phase needs is in place. The scoring "
                     "leaves it out, so the phase may be weaker than it looks until someone checks.",
                     "Nobody could say whether {count} practices the current phase needs are in place. The scoring "
                     "leaves them out, so the phase may be weaker than it looks until someone checks.",
                     count).format(count=number(count))]


def _other_gaps(result: Result, register: tuple[RiskEntry, ...]) -> list[str]:
    return [entry_risk(e) for e in register if e.severity in ("High", "Medium")]


def _low_confidence(result: Result, register) -> list[str]:
    if result.overall.confidence >= LOW_CONFIDENCE:
        return []
    return [_("Only {confidence} of the questions have a real answer: the result rests on too many unknowns to act "
              "on without checking them first.").format(confidence=share(result.overall.confidence))]


RISK_RULES = (_limiting_gaps, _foundation, _due_unknowns, _other_gaps, _low_confidence)


# --- quotes ---------------------------------------------------------------------------------


def quotes(questionnaire: Questionnaire, result: Result) -> tuple[Quote, ...]:
    """Up to three notes: lowest-scoring questions first, then the longest note, then questionnaire order."""
    names = {d.id: d.name for d in result.domains}
    noted = []
    for order, question in enumerate(questionnaire.questions):
        answer = result.questions[question.id]
        text = " ".join(answer.note.split())
        if answer.visible and text and len(text) <= QUOTE_LIMIT:  # longer notes are printed whole in their domain
            score = answer.score if answer.score is not None else (1.0 if answer.not_applicable else 0.0)
            noted.append(((score, -len(text), order), Quote(text, names[question.domain], question.text)))
    return tuple(quote for _, quote in sorted(noted, key=lambda n: n[0])[:QUOTES])



# --- RACI -----------------------------------------------------------------------------------


def raci(result: Result, count: int = RACI_STEPS, questionnaire: Questionnaire | None = None) -> tuple[RaciRow, ...]:
    """A draft RACI for the top steps, by the rule in this module's docstring."""
    size = result.size if result.size in SIZES else DEFAULT_SIZE
    column = SIZES.index(size)
    model = result.profile.get("business_model")
    # the usual titles in the language of the moment, so that they compare with the questionnaire's in that language
    chief = _title(questionnaire, "ceo", size, model, _(CHIEF_EXECUTIVE[column]))
    sponsors = {_(SPONSOR[column]), _title(questionnaire, "sponsor", size, model, _(SPONSOR[column]))}
    rows = []
    for step in result.actions[:count]:
        executive = _(ACCOUNTABLE.get(step.domain, DEFAULT_ACCOUNTABLE)[column])
        accountable = accountable_for(step.owner, executive, chief, sponsors, small=size == "small")
        consulted = _consulted(step, result.actions, executive, accountable)
        informed = tuple(group for group in map(_, INFORMED[size])
                         if group not in (step.owner, accountable, *consulted))
        rows.append(RaciRow(step, step.owner, accountable, consulted, informed))
    return tuple(rows)


def accountable_for(owner: str, executive: str, chief: str, sponsors: set[str], small: bool = False) -> str:
    """Who answers for a step: the domain's executive; in a medium or large organisation the chief executive when
    the owner is that executive or the executive sponsor, and the board when the owner is the chief executive."""
    if owner in map(_, TOP_EXECUTIVES) or owner == chief:
        return owner if small else _(BOARD)
    if small:
        return executive
    return chief if owner == executive or owner in sponsors else executive


def _consulted(step: Step, steps: tuple[Step, ...], executive: str, accountable: str) -> tuple[str, ...]:
    """The owners of linked steps, the domain's executive when someone else answers for the step, the pilots'
    owners for the triage; the domain's partner when that leaves nobody. Never the owner or the accountable."""
    named = _linked_owners(step, steps) + [executive]
    if step.question == TRIAGE_ID:
        named.append(_(PILOT_OWNERS))
    consulted: list[str] = []
    for person in named:
        if person not in (step.owner, accountable) and person not in consulted:
            consulted.append(person)
    if not consulted:
        consulted = [_(partner) for partner in PARTNERS.get(step.domain, DEFAULT_PARTNERS)
                     if not _same_function(partner, step.owner) and not _same_function(partner, accountable)][:1]
    return tuple(consulted)


def _same_function(partner: str, title: str) -> bool:
    """Whether a title belongs to the partner's function ('HR' and 'Chief Human Resources Officer')."""
    lowered = f" {title.lower()} "
    return _(partner) == title or any(word in lowered for word in FUNCTION_WORDS.get(partner, ()))


def _linked_owners(step: Step, steps: tuple[Step, ...]) -> list[str]:
    """The owners of the steps this one requires or that require it, in rank order, each once."""
    owners: list[str] = []
    for other in steps:
        if other is step or not (other.question in step.requires or step.question in other.requires):
            continue
        if other.owner not in owners:
            owners.append(other.owner)
    return owners


def _title(questionnaire: Questionnaire | None, role: str, size: str, business_model: str | None, default: str) -> str:
    """A role's title from the questionnaire's table for the organisation's size and business model, or the usual
    one."""
    if questionnaire is None or role not in questionnaire.roles:
        return default
    return owner_title(questionnaire, role, size, business_model)


# --- timeline -------------------------------------------------------------------------------


def timeline(steps: tuple[Step, ...], capacity: int | None = None, limit: int = TIMELINE_STEPS) -> tuple[Slot, ...]:
    """Now and Next steps placed in months: after their open prerequisites, at most `capacity` at once."""
    capacity = capacity or now_capacity()
    planned = [s for s in steps if s.horizon in HORIZON_START][:limit]
    ends: dict[str, int] = {}
    slots: list[Slot] = []
    for step in planned:
        waits = [s for s in waits_for(step, tuple(planned)) if s.question in ends]
        start = max([HORIZON_START[step.horizon]] + [ends[s.question] for s in waits])
        duration = DURATION_MONTHS[step.effort]
        start = _free_start(slots, start, duration, capacity)
        ends[step.question] = start + duration
        slots.append(Slot(step, start, start + duration, tuple(s.rank for s in waits)))
    return tuple(slots)


def _free_start(slots: list[Slot], start: int, duration: int, capacity: int) -> int:
    """The first month from `start` when fewer than `capacity` steps run through the whole duration."""
    while True:
        busy = [s for s in slots if s.start < start + duration and s.end > start]
        if len(busy) < capacity:
            return start
        start = min(s.end for s in busy if s.end > start)


def step_facts(step: Step, domain_name: str, steps: tuple[Step, ...]) -> str:
    """'Governance · phase 1 · owner: CTO · effort S · impact 3/3 · after 1': one line under a step's title."""
    after = after_text(step, steps)
    return " · ".join(part for part in (domain_name, _("phase {number}").format(number=step.phase),
                                        _("owner: {owner}").format(owner=step.owner),
                                        _("effort {effort}").format(effort=step.effort),
                                        _("impact {impact}/3").format(impact=step.impact), after) if part)


def after_text(step: Step, steps: tuple[Step, ...]) -> str:
    """'after 1 and 3': the ranks of the open steps this one waits for ('' when none)."""
    ranks = [str(s.rank) for s in waits_for(step, steps)]
    return _("after {ranks}").format(ranks=join_names(ranks)) if ranks else ""


# --- the pilot portfolio in words ---------------------------------------------------------

PILOT_NAMES = 10  # pilots named in a sentence before "and N more"


@dataclass(frozen=True)
class PilotBrief:
    """The pilot portfolio in a few sentences: the summary's one line, how many are stuck (and the value waiting in
    them), which to stop, which gate holds the rest, and which to merge.

    Rules:
    - summary: "S of T pilots are older than M months without reaching production; R reached production."
    - stuck: the same count with the conversion rate against the reference's one in five, then the value waiting
      in the stuck pilots not to be stopped, with its currency ("not estimated" when none gives a value).
    - stop: the pilots whose verdict is `stop`, oldest first (at most PILOT_NAMES named); pilots to merge are not
      among them.
    - gate: the blocker named by the most stuck pilots, with its domain and the plan's first step that removes it
      (a step of its remedy; any step of its domain when it has no remedy list), or, when the plan has none, to
      escalate it to the executive sponsor; a blocker named as often comes second, with its own step; then the
      pilots to fix, by the first domain that blocks each.
    - merge: the pilots whose verdict is `merge`, by group ('' when there is none).
    """

    summary: str
    stuck: str
    stop: str
    gate: str
    merge: str = ""


def pilot_brief(metrics, steps: tuple = ()) -> PilotBrief:
    """The sentences of a `scoring.pilots.PilotMetrics`; `steps` is the ranked plan."""
    months, total, stuck = metrics.stuck_after_months, metrics.total, metrics.stuck
    if metrics.reached:
        reached = ngettext("{count} reached production", "{count} reached production", metrics.reached)
    else:
        reached = _("none reached production")
    summary = _("{older}; {reached}.").format(older=_older(stuck, total, months),
                                              reached=reached.format(count=metrics.reached))
    if stuck:
        text = _stuck_words(stuck, total, months)
    else:
        text = _("No pilot is stuck: none has been active for more than {months} months without reaching "
                 "production.").format(months=months)
    rate = metrics.conversion_rate
    if rate is not None:
        text += " " + _("{rate} of the pilots started at least {months} months ago reached production; the "
                        "reference is {reference}, about one in five.").format(
            rate=share(rate), months=months, reference=share(metrics.reference["reaches_production"]))
    return PilotBrief(summary, text + _value_words(metrics), _stop_sentence(metrics), _gate_sentence(metrics, steps),
                      _merge_sentence(metrics))


def _older(stuck: int, total: int, months: int) -> str:
    """'2 of 3 pilots are older than 6 months without reaching production', 'The one pilot is ...', 'No pilot is
    ...'."""
    if not stuck:
        text = _("No pilot is older than {months} months without reaching production")
    elif total == 1:
        text = _("The one pilot is older than {months} months without reaching production")
    else:
        text = ngettext("{count} of {total} pilots is older than {months} months without reaching production",
                        "{count} of {total} pilots are older than {months} months without reaching production", stuck)
    return text.format(count=stuck, total=total, months=months)


def _stuck_words(stuck: int, total: int, months: int) -> str:
    """'2 of 3 pilots are stuck: active for more than 6 months without reaching production.'"""
    if total == 1:
        text = _("The one pilot is stuck: active for more than {months} months without reaching production.")
    else:
        text = ngettext("{count} of {total} pilots is stuck: active for more than {months} months without reaching "
                        "production.",
                        "{count} of {total} pilots are stuck: active for more than {months} months without reaching "
                        "production.", stuck)
    return text.format(count=stuck, total=total, months=months)





def _value_words(metrics) -> str:
    """' The 3 stuck pilots not to be stopped carry EUR 900,000 of expected value a year.' ('' when none counts)."""
    stopped = metrics.verdicts().get("stop", 0)
    keeping = metrics.stuck - stopped
    if keeping <= 0:
        return ""
    value = metrics.value_waiting
    if value is None and stopped:
        text = ngettext("The value waiting in the one stuck pilot not to be stopped is not estimated: the register "
                        "gives none.",
                        "The value waiting in the {count} stuck pilots not to be stopped is not estimated: the "
                        "register gives none.", keeping)
    elif value is None:
        text = ngettext("The value waiting in the one stuck pilot is not estimated: the register gives none.",
                        "The value waiting in the {count} stuck pilots is not estimated: the register gives none.",
                        keeping)
    elif stopped:
        text = ngettext("The one stuck pilot not to be stopped carries {value} of expected value a year.",
                        "The {count} stuck pilots not to be stopped carry {value} of expected value a year.", keeping)
    else:
        text = ngettext("The one stuck pilot carries {value} of expected value a year.",
                        "The {count} stuck pilots carry {value} of expected value a year.", keeping)
    money = format_money(value, metrics.currency) if value is not None else ""
    return " " + text.format(count=keeping, value=money)


def _listed(names: list[str]) -> str:
    shown = names[:PILOT_NAMES]
    more = len(names) - len(shown)
    if more:
        return ngettext("{names} and {count} more", "{names} and {count} more", more).format(
            names=", ".join(shown), count=more)
    return join_names(shown)


def _stop_sentence(metrics) -> str:
    stop = [item.name for item in metrics.items if item.verdict == "stop"]
    merging = any(item.verdict == "merge" for item in metrics.items)
    if not stop and merging:
        return _("No pilot needs stopping on its own: the stuck pilots with neither a business owner nor a KPI "
                 "baseline share their outcome with other stuck pilots, and are to be merged.")
    if not stop:
        return _("No pilot needs stopping: every stuck pilot has a business owner or a KPI baseline.")
    return ngettext("Stop {count} pilot: {names}. It has been stuck for more than {months} months with neither a "
                    "business owner nor a KPI baseline; free its budget and team, or name an owner and measure a "
                    "baseline within a month.",
                    "Stop {count} pilots: {names}. Each has been stuck for more than {months} months with neither a "
                    "business owner nor a KPI baseline; free their budget and teams, or name an owner and measure a "
                    "baseline within a month for the ones worth keeping.", len(stop)).format(
        count=len(stop), names=_listed(stop), months=metrics.stuck_after_months)


def _merge_sentence(metrics) -> str:
    """'Merge 5 stuck pilots into one per outcome: Pricing (A and B); Service (C, D and E). …' ('' for none)."""
    merge = [item for item in metrics.items if item.verdict == "merge"]
    if not merge:
        return ""
    groups: dict[str, list[str]] = {}
    for item in merge:
        groups.setdefault(item.group or "", []).append(item.name)
    count = len(merge)
    if "" in groups:  # the items do not carry their group: the pilots alone are named
        text = ngettext("Merge {count} stuck pilot that share their outcome with another: {names}. Each merged pilot "
                        "gets a named business owner and one KPI; free the budget and teams of the rest.",
                        "Merge {count} stuck pilots that share their outcome with another: {names}. Each merged "
                        "pilot gets a named business owner and one KPI; free the budget and teams of the rest.", count)
        return text.format(count=count, names=_listed([item.name for item in merge]))
    text = ngettext("Merge {count} stuck pilot into one per outcome: {groups}. Each merged pilot gets a named "
                    "business owner and one KPI; free the budget and teams of the rest.",
                    "Merge {count} stuck pilots into one per outcome: {groups}. Each merged pilot gets a named "
                    "business owner and one KPI; free the budget and teams of the rest.", count)
    return text.format(count=count, groups="; ".join(
        _("{group} ({names})").format(group=group, names=_listed(names)) for group, names in groups.items()))


def _gate_sentence(metrics, steps: tuple) -> str:
    ranked = sorted(metrics.stuck_by_blocker.items(), key=lambda pair: -pair[1])  # stable: vocabulary order on ties
    parts = []
    if ranked:
        blocker, count = ranked[0]
        gates = [blocker]
        if len(ranked) > 1 and ranked[1][1] == count:
            gates.append(ranked[1][0])
        gate = _gate_words(metrics, gates, count)
        parts.append(_("{gate}; {removal}.").format(gate=gate, removal=_removal_words(gates, metrics, steps)))
    elif metrics.stuck:
        parts.append(_("No stuck pilot names a blocker: ask each pilot's team what holds it up and record it."))
    parts += _fix_words(metrics)
    return " ".join(parts) or _("No pilot is held up by a blocker.")


def _gate_words(metrics, gates: list[str], count: int) -> str:
    """'The gate that holds most stuck pilots is Data: all 3 name “…”, as many “…” (MLOps)'."""
    names = [metrics.domain_names.get(metrics.blocker_domains.get(b, ""), metrics.blocker_domains.get(b, ""))
             for b in gates]
    labels = [metrics.blocker_labels.get(b, b) for b in gates]
    facts = {"domain": names[0], "label": labels[0], "count": count, "stuck": metrics.stuck,
             "second": labels[-1], "second_domain": names[-1]}
    one, two = len(gates) == 1, len(gates) == 2
    if metrics.stuck == 1:
        text = _("The gate that holds the one stuck pilot is {domain}: it names “{label}”") if one else \
            _("The gate that holds the one stuck pilot is {domain}: it names “{label}” and “{second}” "
              "({second_domain})")
    elif count == metrics.stuck:
        text = _("The gate that holds most stuck pilots is {domain}: all {count} name “{label}”") if one else \
            _("The gate that holds most stuck pilots is {domain}: all {count} name “{label}”, as many “{second}” "
              "({second_domain})")
    elif not two:
        text = ngettext("The gate that holds most stuck pilots is {domain}: {count} of the {stuck} names “{label}”",
                        "The gate that holds most stuck pilots is {domain}: {count} of the {stuck} name “{label}”",
                        count)
    else:
        text = ngettext("The gate that holds most stuck pilots is {domain}: {count} of the {stuck} names “{label}”, "
                        "as many “{second}” ({second_domain})",
                        "The gate that holds most stuck pilots is {domain}: {count} of the {stuck} name “{label}”, "
                        "as many “{second}” ({second_domain})", count)
    return text.format(**facts)


def _fix_words(metrics) -> list[str]:
    """Where the pilots to fix wait, by the first domain that blocks each."""
    fix = [item for item in metrics.items if item.verdict == "fix"]
    blocked = [item for item in fix if item.blocking_domains]
    unblocked = len(fix) - len(blocked)
    if not fix:
        return []
    if len(fix) == 1:
        item = fix[0]
        if blocked:
            return [_("The one pilot to fix, {name}, waits on {domains}.").format(
                name=item.name, domains=_domain_list(item.blocking_domains, metrics))]
        return []  # its reason in the triage table asks what holds it up
    by_domain: dict[str, list[str]] = {}
    for item in blocked:
        by_domain.setdefault(item.blocking_domains[0], []).append(item.name)
    waits = [ngettext("{names} waits on {domain}", "{names} wait on {domain}", len(names)).format(
        names=_listed(names), domain=metrics.domain_names.get(d, d)) for d, names in by_domain.items()]
    if unblocked:
        waits.append(ngettext("{count} names no blocker", "{count} name no blocker", unblocked).format(
            count=unblocked))
    return [_("Of the {count} pilots to fix, {waits}.").format(count=len(fix), waits="; ".join(waits))]


def _domain_list(domains, metrics) -> str:
    return _listed([metrics.domain_names.get(d, d) for d in domains])


def removers(blocker: str, metrics, steps: tuple, limit: int = REMEDY_STEPS) -> list:
    """The plan's first steps that remove a blocker, at most `limit`: steps of its remedy questions, or, for a
    blocker without a remedy list, the first step of its domain; none when the plan has none."""
    remedy = metrics.blocker_remedies.get(blocker)
    if remedy:
        return [s for s in steps if s.question in remedy][:limit]
    domain = metrics.blocker_domains.get(blocker, "")
    return [s for s in steps if s.domain == domain and s.question != TRIAGE_ID][:1]


def _removal_words(blockers: list[str], metrics, steps: tuple) -> str:
    """'the plan removes it with steps 3 and 4, “…” and “…”', for one gate, or for two gates named as often
    (one step each)."""
    if len(blockers) == 1:
        found = removers(blockers[0], metrics, steps)
        if not found:
            return _("the plan has no open step that removes it: escalate it to the executive sponsor")
        return _("the plan removes it with {steps}").format(steps=_steps_named(found))
    first, second = (next(iter(removers(blocker, metrics, steps, 1)), None) for blocker in blockers)
    if first is None and second is None:
        return _("the plan has no open step that removes either: escalate them to the executive sponsor")
    if first is second:
        return _("the plan removes both with {steps}").format(steps=_steps_named([first]))
    if first and second:
        return _("the plan removes the first with {first}, and the second with {second}").format(
            first=_steps_named([first]), second=_steps_named([second]))
    if first:
        text = _("the plan removes the first with {steps}; it has no open step that removes the second: escalate "
                 "it to the executive sponsor")
    else:
        text = _("the plan removes the second with {steps}; it has no open step that removes the first: escalate "
                 "it to the executive sponsor")
    return text.format(steps=_steps_named([first or second]))


def _steps_named(steps: list) -> str:
    """'step 3, “…”' or 'steps 3 and 4, “…” and “…”'."""
    if len(steps) == 1:
        return _("step {rank}, “{title}”").format(rank=steps[0].rank, title=steps[0].title)
    return _("steps {ranks}, {titles}").format(ranks=join_names([str(s.rank) for s in steps]),
                                               titles=join_names([quoted(s.title) for s in steps]))



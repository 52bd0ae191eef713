"""English: the vocabulary the claims grammar reads (see ``lexicons/__init__.py`` for sections).

Words are lowercase. Inflected forms are not listed: the engine adds them (English: the plural
of nouns with "s"; verbs are listed in the forms reporters use).
"""

NUMBERS = {
    0: "zero", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
    8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve dozen", 13: "thirteen",
    14: "fourteen", 15: "fifteen", 16: "sixteen", 17: "seventeen", 18: "eighteen",
    19: "nineteen", 20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty",
    70: "seventy", 80: "eighty", 90: "ninety", 100: "hundred",
}  # fmt: skip
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
SCALE_ABBREVIATIONS = {"k": 1e3, "m": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12}
FRACTIONS = {"half": 0.5}
HALF_PREFIXES: dict[str, float] = {}
RATIO_WORDS = {
    "doubled": 2, "doubling": 2, "doubles": 2, "tripled": 3, "tripling": 3, "triples": 3,
    "trebled": 3, "trebling": 3, "quadrupled": 4, "quadrupling": 4, "quadruples": 4,
}  # fmt: skip
MODIFIERS_BEFORE = {
    "approx": "about|around|approximately|roughly|some|nearly|almost|an estimated|estimated|"
    "close to|circa|approx|more or less",
    "at_least": "at least|no fewer than|no less than|not less than|a minimum of",
    "more_than": "more than|over|above|upwards of|in excess of|exceeding|exceeded|exceeds|"
    "well over|far more than|much more than|just over|topped",
    "up_to": "up to|as many as|as much as|could reach|may reach|might reach|would reach|"
    "could number",
    "at_most": "at most|no more than|not more than|a maximum of|at the most",
    "less_than": "less than|fewer than|under|below|far less than|far fewer than|"
    "much less than|just under",
}
MODIFIERS_AFTER = {
    "or more": "at_least", "and more": "at_least", "or so": "approx", "plus": "more_than",
    "+": "more_than", "or fewer": "at_most", "or less": "at_most",
}  # fmt: skip
CHANGE_VERBS = (
    "rose rise risen grew grow increas rais revis climb jump fell fall drop lower updat swell swoll"
)
MEASURES = {
    "protesters": "protester protestor demonstrator marcher participant attendee rallygoer "
    "turnout crowd",
    "troops": "troop soldier servicem servicewom personnel infantry fighters conscript "
    "reservist mercenar marines paratrooper contingent",
    "officers": "officer",
    "generals": "general",
    "killed": "dead death fatalit lives bodies victim",
    "wounded": "wounded injured injuries",
    "casualties": "casualt losses",
    "missing": "missing",
    "prisoners": "prisoner pows captives",
    "hostages": "hostage",
    "civilians": "civilian",
    "children": "children kids",
    "refugees": "refugee displaced",
    "evacuated": "evacuee",
    "detained": "arrest detain",
    "missiles": "missile rockets",
    "drones": "drone uav shahed",
    "shells": "shells rounds",
    "tanks": "tanks",
    "aircraft": "aircraft planes jets",
    "helicopters": "helicopter",
    "vehicles": "vehicle armoured armored",
    "artillery": "howitzer",
    "containers": "container",
    "ships": "ships vessels",
    "attacks": "attack strikes",
    "buildings": "homes houses buildings",
    "weapons": "weapons rifles",
    "people": "people persons individuals residents",
}
ANAPHORA = "figure number total toll estimate count"
PREDICATES = {
    "protesters": "joined attend marched rallied protested demonstrated",
    "homeless": "homeless",
    "displaced": "displaced fled flee",
    "evacuated": "evacuat",
    "detained": "arrested detained",
    "killed": "killed killing died dead death",
    "wounded": "wounded injur",
    "missing": "missing",
    "captured": "captured",
    "arrived": "arriv reached",
    "deployed": "deploy sent send sending dispatch transferr shipped shipment moved stationed "
    "based mobiliz mobilis supplied supply",
    "training": "train",
    "fighting": "fight combat",
    "withdrawn": "withdr returned",
}
REPORTING_VERBS = (
    "said says say reported reports report claimed claims claim estimated estimates estimate "
    "told tell tells stated states announced announces indicated indicates indicate noted "
    "notes wrote writes added warned warns confirmed confirms alleged alleges believes "
    "believe informed assessed assesses suggested suggests revealed reveals disclosed "
    "asserted asserts saying claiming suggesting stating reporting estimating noting warning "
    "adding alleging put puts placed places acknowledged acknowledges raised revised counted "
    "recorded registered found finds showed shows quoted cited speaks published released "
    "announcing confirming tallied updated"
)
RELAY_VERBS = "told tell tells informed"
ACCORDING = "according to|as reported by|as stated by|said in a statement by|figures from"
CITING = "citing|quoting"
DENIAL_VERBS = "denied denies deny denying refuted refutes refuting"
DISMISS_VERBS = "dismissed dismisses dismissing rejected rejects rejecting rebuffed called calling"
DENIAL_WORDS = (
    r"fake|hoax|groundless|baseless|unfounded|untrue|not true|fabricat|lies\b|allegation|"
    r"claims|reports"
)
NEGATIONS = "not never"
SPEAKER_WORDS = (
    "spokesman spokeswoman spokesperson minister ministry intelligence official officials "
    "source sources agency service military defense defence president army police office "
    "department government command staff chief head forces analysts analyst experts expert "
    "media correspondent correspondents commander secretary director governor mayor "
    "authorities administration council committee prosecutor prosecutors envoy ambassador "
    "diplomats diplomat leader lawmakers lawmaker general colonel adviser advisor watchdog "
    "monitor monitors observers spokespeople representative representatives foreign security "
    "national war local regional senior western ukrainian russian state emergency health "
    "border guard guards navy press team counterintelligence public affairs organisers "
    "organizers organiser organizer researchers researcher scientists journalists reporters "
    "rescuers activists witnesses doctors medics volunteers investigators relatives survivors "
    "report study survey statement statistics analysis tally update mother father wife husband "
    "son daughter family families observatory group organisation organization front coalition "
    "court judge protest relief humanitarian"
)
SPEAKER_STEMS = ""
FUNCTION_WORDS = (
    "of in on at to from by for with and or but the a an this that these those who which whom "
    "whose what when where while as than was were is are be been being have has had will would "
    "could should may might can do does did not no it its their his her our they he she we you "
    "there here per each all some any more most other such only also even about after before "
    "since during into over under between among"
)
VERB_FORMS = (
    "took were was are is have has had will would could may might went came fled left made gave "
    "got saw ran lost fell rose grew held stood turned joined died remain remained stay stayed "
    "said told say says remain live lived"
)
RELATED_LINKS = "also read|read more|read also|related|see also|more on this"
BACK_REFERENCES = (
    "this was|this is|that was|that is|these figures|the figures were|the data were|the figure was"
)
SOURCE_LABELS = "source|sources"

# Moments (moments.py): months as a date spells them, January first, forms "|"-joined;
# word stems and phrases that mark a correction or a rival estimate.
MONTHS = (
    "january|jan february|feb march|mar april|apr may june|jun july|jul august|aug "
    "september|sept|sep october|oct november|nov december|dec"
)
CORRECTION_STEMS = (
    "revis correct disput contradict underestimat undercount underreport overestimat overstat "
    "inflat exaggerat rival refut contest raised lowered"
)
CORRECTION_PHRASES = (
    "as earlier reported|as previously reported|as first reported|earlier reported|"
    "previously reported|rather than|instead of|initially|originally|far lower|far higher|"
    "much lower|much higher|far fewer|far more than|times the official|times higher|"
    "times lower|times larger|times smaller|previous estimate|previous figure|previous toll|"
    "earlier estimate|earlier figure|in contrast|contrary to|while police|whereas|"
    "version of events"
)
# Parts, units and plans (parts.py).
PART_BEFORE = (
    "including|among them|among whom|among those|of whom|of them|of which|of those|"
    "among the dead|among the victims|among the killed|in one of|in another|in the other"
)
PART_AFTER = "of among"
PART_RELATIVES = "whom which them"
PART_AMONG = "among"
REST_WORDS = "remaining others rest"
PER_UNIT = "each apiece per"
UNIT_STEMS = "brigade battalion regiment division unit compan squad detachment"
UNIT_OF = "of"
PLAN_WORDS = (
    "plan plans planned planning intend intends intended aim aims target targets forecast "
    "forecasts projected"
)
PLAN_MODALS = "could may might would will can"
REACH_VERBS = "reach rise grow climb top exceed hit"
# Words that open another clause after a comma: a predicate beyond them is another figure's.
CLAUSE_CONJUNCTIONS = "and but while whereas although though yet"
# Words that open a clause of their own after a figure: "rose to 52 when rescuers arrived"
# (not "as": "listed as dead").
CLAUSE_SUBORDINATORS = "when after because since while whereas before until"

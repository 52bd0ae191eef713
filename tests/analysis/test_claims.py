"""Claims: measure, scope, topic context, speakers across sentences, and what is not a claim."""

import pytest

from bot.analysis.claims import MAX_CLAIMS_PER_ITEM, claim_from_sentence, extract_claims
from bot.analysis.sentences import EXCERPT_LIMIT, excerpt, normalize_text, split_sentences
from bot.analysis.topics import TopicMatcher
from bot.config.files import TopicSpec
from storage.records import Modifier, NewClaim, Polarity

TOPIC = "T"
MATCHER = TopicMatcher(
    [TopicSpec(TOPIC, ("North Korea", "North Korean", "КНДР", "Північна Корея", "Gaza", "Газа"))]
)


def claims_of(text: str) -> list[NewClaim]:
    text = normalize_text(text)
    return extract_claims(text, MATCHER.mentions(text))


MEASURES = [
    ("About 1,500 North Korean troops arrived in Russia.", "troops"),
    ("Around 3,000 North Korean soldiers were deployed.", "troops"),
    ("North Korea sent 10,000 servicemen.", "troops"),
    ("North Korea sent 6,000 personnel.", "troops"),
    ("Около 11 тыс. военных КНДР находятся в Курской области.", "troops"),
    ("В Россию прибыли 12 тысяч военнослужащих КНДР.", "troops"),
    ("До Росії прибули 11 тис. бійців КНДР.", "troops"),
    ("КНДР відправила 12 тисяч солдатів.", "troops"),
    ("Some 500 North Korean officers are there.", "officers"),
    ("Three North Korean generals are there.", "generals"),
    ("North Korea lost 300 soldiers killed in Kursk.", "killed"),
    ("At least 35,000 people have been killed in Gaza.", "killed"),
    ("В Газе погибли 300 человек.", "killed"),
    ("Число погибших в Газе превысило 40 тысяч.", "killed"),
    ("У Газі загинули 12 осіб.", "killed"),
    ("The death toll in Gaza rose to 300.", "killed"),
    ("In Gaza 92,000 people were wounded.", "wounded"),
    ("В Газе ранены более 92 тыс. человек.", "wounded"),
    ("У Газі поранені 200 людей.", "wounded"),
    ("Including 14,500 children killed in Gaza.", "children killed"),
    ("North Korea sent over 13,000 shipping containers.", "containers"),
    ("As many as eight million 122-mm and 152-mm shells came from North Korea.", "shells"),
    ("North Korea supplied 50 missiles.", "missiles"),
    ("КНДР передала 100 дронов.", "drones"),
    ("North Korea received $3 billion.", "USD"),
    ("North Korea shipped 500 tonnes of ammunition.", "tonnes"),
    ("1.9 million people in Gaza have been displaced.", "displaced"),
]


@pytest.mark.parametrize(("text", "measure"), MEASURES)
def test_measure(text: str, measure: str) -> None:
    [claim] = claims_of(text)
    assert claim.measure == measure


def test_scope_names_predicate_and_place() -> None:
    [claim] = claims_of("About 1,500 North Korean troops have arrived in Russia.")
    assert claim.scope == "arrived in Russia"
    [claim] = claims_of("11,000 North Korean troops are training in eastern Russia.")
    assert claim.scope == "training in Russia"


CLAUSE_SCOPES = [
    # The predicate of another clause is another figure's: the figure keeps its own.
    ("In Gaza they evacuated them, and 2,000 people in the north were wounded.", 2000, "wounded"),
    ("В Газе эвакуировали многих, а 300 человек погибли.", 300, "killed"),
    ("У Газі евакуювали багатьох, але 12 людей загинули.", 12, "killed"),
    ("In Gaza 12 were sentenced, and 18 were still detained.", 12, ""),
    ("In Gaza 12 were sentenced; 18 were detained.", 18, "detained"),
    ("In Gaza 40 people gathered when troops arrived.", 40, ""),
    ("В Газе собрались 40 человек, когда прибыли военные.", 40, ""),
    ("У Газі зібралися 40 людей, коли прибули військові.", 40, ""),
    ("In Gaza four sailors were listed as dead.", 4, "killed"),
]


@pytest.mark.parametrize(("text", "value", "scope"), CLAUSE_SCOPES)
def test_scope_stays_in_the_figures_clause(text: str, value: float, scope: str) -> None:
    [claim] = [c for c in claims_of(text) if c.value == value]
    assert claim.scope == scope


GAPPED = [
    # A bare figure on a list keeps the noun and verb of the counted one before it.
    ("In Gaza 5,651 people died, including 2,173 in the north and another 3,478 in the south.",
     [5651, 2173, 3478]),
    ("The strikes killed 240 people in Gaza and 35 in Rafah.", [240, 35]),
    ("В Газе погибли 24 617 человек, в Рафахе — 3 575.", [24617, 3575]),
    ("У Газі загинули 300 людей, а в Рафаху — 41.", [300, 41]),
    # not a list: a designation, or nothing counted before
    ("In Gaza 40 people died, as shown in Table 2.", [40]),  # "Table 2" names a table
    ("In Gaza 2,219 people arrived @ 0.", [2219]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "values"), GAPPED)
def test_a_bare_figure_on_a_list_counts_what_the_one_before_counts(
    text: str, values: list[float]
) -> None:
    found = claims_of(text)
    assert [c.value for c in found] == values
    assert len({c.measure for c in found}) <= 1


NEGATED = [
    ('"3,000 people in Gaza were not killed," the minister said.', Polarity.DENIES),
    ("«3000 человек в Газе не погибли», заявил министр.", Polarity.DENIES),
    ("«3000 людей у Газі не загинули», заявив міністр.", Polarity.DENIES),
    ("In Gaza 3,000 people were killed, the minister said.", Polarity.ASSERTS),
    ("In Gaza not 300 but 3,000 people were killed.", Polarity.ASSERTS),
]


@pytest.mark.parametrize(("text", "polarity"), NEGATED)
def test_a_figure_whose_predicate_is_negated_is_denied(text: str, polarity: Polarity) -> None:
    claim = next(c for c in claims_of(text) if c.value == 3000)
    assert claim.polarity is polarity


DESIGNATIONS = [
    "In Gaza 12 people died, according to Resolution 2231.",
    "In Gaza 12 people were killed by a Lancet 3.",
    "У Газі загинули 12 людей, йдеться в Додатку 4.",
]


@pytest.mark.parametrize("text", DESIGNATIONS)
def test_a_number_after_a_name_is_a_designation(text: str) -> None:
    assert [c.value for c in claims_of(text)] == [12]


NOT_CLAIMS = [
    "North Korea signed the pact in June 2023.",
    "On June 26, North Korea said it would respond.",
    "North Korea maintains one of the largest militaries.",
    "North Korean troops used 152-mm guns.",
    "North Korea's 5th brigade moved.",
    "North Korea has fought for three years.",
    "The North Korean soldier, 25, was captured.",
    "North Korea is 200 km from the border.",
    "Support for North Korea fell to 30%.",
    "North Korea is training two military units.",
    "North Korea formed two brigades of 6,000 personnel each.",
    "Hundreds of North Korean soldiers gathered.",
    "North Korea launched three satellites.",  # a small number in words, not a measure
    "North Korea said the toll rose by 3.",  # a change, not a figure
    "ALSO READ: North Korea sent 5,000 troops",  # a link to another story
    "North Korea marked the 9/11 attacks.",  # a name, not a count
    "North Korea's test ran in 35.03 msecs.",  # a fraction of a count needs a scale
    "In North Korea a soldier died in February 2023 while training.",  # a year
    "North Korea's two failed launches angered allies.",  # a small number in words
    "North Korea's drills are generally 24 hours long.",  # "generally" counts no generals
    "Storm Trami: 24 dead, millions affected.",  # no tracked topic
]


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_not_claims(text: str) -> None:
    assert claims_of(text) == []


def test_topic_carries_over_two_sentences_of_a_paragraph_when_the_lead_names_none() -> None:
    matcher = TopicMatcher([TopicSpec("NK", ("North Korea",)), TopicSpec("G", ("Gaza",))])
    text = normalize_text(
        "A storm hit the coast.\nIt was the worst in years.\nRoads are closed.\n"
        "North Korea is sending troops. Officials say so. They number 3,000 soldiers.\n"
        "Gaza is calm.\nA storm killed 24 people."
    )
    claims = extract_claims(text, matcher.mentions(text))
    assert [(c.topic, c.value) for c in claims] == [("NK", 3000)]


ITEM_TOPICS = [
    # (text, the values claimed): the lead's topic holds for the figures further down
    (
        "North Korea sends troops\nThe deployment goes on.\nOfficials counted 3,000 soldiers.",
        [3000],
    ),
    ("Troops on the move\nNorth Korea sent them.\nSome 3,000 soldiers arrived.", [3000]),
    ("КНДР направила войска\nПереброска продолжается.\nВсего прибыли 3000 военных.", [3000]),
    ("КНДР відправила війська\nПерекидання триває.\nЗагалом прибули 3000 військових.", [3000]),
    # another tracked topic takes over
    ("North Korea sends troops\nGaza is calm.\nOfficials counted 40 dead.", [40]),
    # an item that names one tracked topic only is about it, even below its lead
    ("A hard week\nRain fell.\nRoads closed.\n5,000 soldiers left.\nNorth Korea is calm.", [5000]),
    # a link to another story is no part of the item
    ("North Korea sends troops\nALSO READ: Storm kills 24 people\nRead more.", []),
    ("КНДР направила войска\nЧитайте также: шторм убил 24 человека", []),
]


@pytest.mark.parametrize(("text", "values"), ITEM_TOPICS)
def test_the_lead_keeps_the_topic_for_the_item(text: str, values: list[float]) -> None:
    assert [c.value for c in claims_of(text)] == values


def test_another_topic_takes_over_further_down() -> None:
    matcher = TopicMatcher([TopicSpec("NK", ("North Korea",)), TopicSpec("G", ("Gaza",))])
    text = normalize_text(
        "North Korea sends troops\nIn Gaza, it is calm.\nOfficials counted 40 dead."
    )
    claims = extract_claims(text, matcher.mentions(text))
    assert [(c.topic, c.value) for c in claims] == [("G", 40)]


# A number is a claim when it counts something in its clause: the noun after it (any noun, in
# its dictionary form when not a known measure), the noun or predicate before it ("the toll
# rose to", "число погибших превысило"), or its verb ("45 were killed", "1,200 rallied").
COUNTS = [
    ("North Korea launched 3 satellites.", 3, "satellites"),
    ("North Korea set up 50,818 tents for families.", 50818, "tents"),
    ("North Korea sent aid to 45 countries.", 45, "countries"),
    ("КНДР отправила помощь в 45 стран.", 45, "страна"),
    ("КНДР встановила 332 нових намети.", 332, "намет"),
    ("У КНДР зруйновано 2834 споруди.", 2834, "споруда"),
    ("North Korea: 45 were killed.", 45, "killed"),
    ("In North Korea 1,200 rallied.", 1200, "protesters"),
    ("In North Korea 130,000 took part in the march.", 130000, "people"),
    ("Police in North Korea put the turnout at 240,000.", 240000, "protesters"),
    ("Police in North Korea put the turnout figure at 190,000.", 190000, "protesters"),
    ("Organisers in North Korea claimed a crowd of 1.1 million.", 1.1e6, "protesters"),
    ("In North Korea the toll rose to 312.", 312, "killed"),
    ("In North Korea the number of dead reached 90.", 90, "killed"),
    ("North Korea: the official death toll after the June 20 storm stands at 64.", 64, "killed"),
    ("North Korea: 12 of the victims were children.", 12, "killed"),  # a subset: conflicts.py
    ("В КНДР число погибших превысило 5 тысяч.", 5000, "killed"),
    ("У КНДР кількість загиблих зросла до 31.", 31, "killed"),
    ("В КНДР погибли 17 человек.", 17, "killed"),
    ("In North Korea one serviceman died.", 1, "killed"),
    ("У КНДР загинула одна людина.", 1, "killed"),
    ("Минобороны КНДР отчиталось об одном погибшем.", 1, "killed"),
    (
        "In North Korea the death toll after the storm hit two towns last week rose to 330.",
        330,
        "killed",
    ),
    ("У КНДР на марш вийшли 240 тисяч людей.", 240000, "protesters"),
    ("В КНДР на улицы вышли 240 тысяч человек.", 240000, "protesters"),
]


@pytest.mark.parametrize(("text", "value", "measure"), COUNTS)
def test_what_a_figure_counts(text: str, value: float, measure: str) -> None:
    [claim] = claims_of(text)
    assert (claim.value, claim.measure) == (value, measure)


# The change is not the figure: "rose by 3 to 2,410" claims 2,410; "from 64 to 2,975" is two.
CHANGES = [
    ("In North Korea the toll rose by 3 to 2,410.", [2410]),
    ("In North Korea the toll rose from 64 to 2,975.", [64, 2975]),
    ("В КНДР число погибших выросло на 3 до 2410.", [2410]),
    ("У КНДР кількість загиблих зросла на 3 до 2410.", [2410]),
    ("North Korea sent from 10,000 to 12,000 troops.", [(10000, 12000)]),
]


@pytest.mark.parametrize(("text", "figures"), CHANGES)
def test_a_change_is_not_a_figure(text: str, figures: list[object]) -> None:
    found = [c.value if c.value is not None else (c.low, c.high) for c in claims_of(text)]
    assert found == figures


def test_topic_from_title_covers_first_paragraph() -> None:
    text = normalize_text("3,000 soldiers arrived.")
    [claim] = extract_claims(text, [], title_topics=[TOPIC])
    assert claim.topic == TOPIC


def test_pronoun_speaker_is_the_last_named() -> None:
    text = "Zelensky said the war goes on.\nHe said 10,000 North Korean troops were coming."
    [claim] = claims_of(text)
    assert claim.speaker == "Zelensky"


def test_speaker_carries_over_the_paragraph() -> None:
    text = (
        "About 3,000 North Korean soldiers were expected.\n"
        "On the ground, military sources indicate that some North Koreans have arrived. "
        "However, the numbers are said to be far less than the speculated 3,000."
    )
    claim = claims_of(text)[-1]
    assert (claim.speaker, claim.modifier, claim.measure) == (
        "military sources",
        Modifier.LESS_THAN,
        "troops",
    )


def test_anaphora_takes_the_measure_before() -> None:
    text = (
        "According to the NIS, 1,500 North Korean troops arrived; "
        "the final figure could reach 12,000."
    )
    claims = claims_of(text)
    assert [(c.value, c.measure, c.modifier) for c in claims] == [
        (1500, "troops", Modifier.EXACT),
        (12000, "troops", Modifier.UP_TO),
    ]


def test_denial_claim_needs_a_named_speaker() -> None:
    [claim] = claims_of("Peskov dismissed reports of North Korean troops as fake news.")
    assert (claim.polarity, claim.speaker, claim.value) == (Polarity.DENIES, "Peskov", None)
    assert claims_of("Both sides deny North Korean involvement, they say.") == []


def test_ratio_claim() -> None:
    [claim] = claims_of(
        "According to Sladkov, North Korea is increasing its contingent by three times."
    )
    assert (claim.modifier, claim.value, claim.measure, claim.speaker) == (
        Modifier.RATIO,
        3,
        "troops",
        "Sladkov",
    )


def test_claim_from_sentence_ignores_topic_aliases() -> None:
    claim = claim_from_sentence(
        "Any", "South Korea's NIS said about 1,500 troops had arrived in Russia."
    )
    assert claim is not None
    assert (claim.topic, claim.value, claim.modifier, claim.speaker) == (
        "Any",
        1500,
        Modifier.APPROX,
        "South Korea's NIS",
    )
    assert claim_from_sentence("Any", "Nothing to count here.") is None


def test_sentences_do_not_split_at_abbreviations() -> None:
    text = "The U.S. reported that Mr. Kim and Gen. Lee came. 1,5 тыс. военных прибыли. Next one!"
    assert [s.text for s in split_sentences(text)] == [
        "The U.S. reported that Mr. Kim and Gen. Lee came.",
        "1,5 тыс. военных прибыли.",
        "Next one!",
    ]


# A claim keeps a window of its sentence around its figure, and an item makes a bounded number
# of claims: a 100 KB item without sentence punctuation once stored 1,000 copies of itself.
def test_a_text_without_punctuation_makes_bounded_claims_with_bounded_sentences() -> None:
    filler = " and the situation remains tense according to the reports"
    text = "North Korea" + "".join(f"{filler} with {n} troops deployed" for n in range(1, 2000))
    assert len(text) > 100_000
    claims = claims_of(text)
    assert len(claims) == MAX_CLAIMS_PER_ITEM
    assert all(len(claim.sentence) <= EXCERPT_LIMIT for claim in claims)
    assert [claim.value for claim in claims[:3]] == [1, 2, 3]
    assert f"with {int(claims[-1].value or 0)} troops deployed" in claims[-1].sentence


EXCERPTS = [
    # (text, figure, the excerpt)
    ("Short: 1,500 troops.", "1,500", "Short: 1,500 troops."),
    ("a " * 300 + "1,500 troops", "1,500", "…" + "a " * 192 + "1,500 troops"),
    ("1,500 troops " + "b " * 300, "1,500", "1,500 troops" + " b" * 192 + "…"),
]


@pytest.mark.parametrize(("text", "figure", "expected"), EXCERPTS)
def test_excerpt_is_a_window_around_the_figure(text: str, figure: str, expected: str) -> None:
    start = text.index(figure)
    found = excerpt(text, start, start + len(figure))
    assert len(found) <= EXCERPT_LIMIT
    assert found == expected


def test_excerpt_centres_on_the_figure_between_words() -> None:
    text = " ".join(f"w{n}" for n in range(400)) + " 1,500 troops " + " ".join("x" * 5000)
    start = text.index("1,500")
    found = excerpt(text, start, start + 5)
    assert len(found) <= EXCERPT_LIMIT and "1,500 troops" in found
    assert found.startswith("…w") and found.endswith("…")
    assert " w2" not in found[:3]  # begins with a whole word


# Speakers as reporters name them: each figure gets the nearest attribution of its clause, a
# sentence that points back ("Об этом заявил X") names the figures before it, "X: figure" and
# "figure: X" name X, "according to estimates by X", "quoted X as saying", "was estimated by X",
# "Source: X" under the item.
SPEAKERS = [
    (
        "In North Korea the front said 130,000 took part, while police estimated that 22,800 "
        "joined.",
        [(130000, "front"), (22800, "police")],
    ),
    (
        "South Korea's NIS: about 1,500 North Korean troops have arrived.",
        [(1500, "South Korea's NIS")],
    ),
    ("1,500 North Korean troops arrived in Russia: NIS", [(1500, "NIS")]),
    (
        "В КНДР погибли 10 человек. Об этом заявил губернатор региона Иван Петров.",
        [(10, "губернатор региона Иван Петров")],
    ),
    ("У КНДР загинули 10 людей.\nПро це повідомив речник уряду.", [(10, "речник уряду")]),
    (
        "North Korea lost 300 soldiers. This was announced by the defence ministry.",
        [(300, "defence ministry")],
    ),
    ("По данным полиции, в КНДР на улицы вышли 240 тысяч человек.", [(240000, "полиции")]),
    ("За даними поліції, у КНДР на марш вийшли 240 тисяч людей.", [(240000, "поліції")]),
    (
        "North Korea sent 3,000 troops, according to estimates by South Korean officials.",
        [(3000, "South Korean officials")],
    ),
    (
        "Reuters quoted the ministry as saying that North Korea sent 3,000 troops.",
        [(3000, "ministry")],
    ),
    ("In North Korea 240,000 joined the march, organisers said.", [(240000, "organisers")]),
    ("North Korea sent 3,000 troops.\nSource: Daily Monitor", [(3000, "Daily Monitor")]),
    ("В КНДР погибли 17 человек, заявил он.\nПо его словам, ранены 40.", [(17, None), (40, None)]),
    (
        "КНДР направила 3000 военных, а разведка сообщила о 5000 военных.",
        [(3000, None), (5000, "разведка")],
    ),
    # an apposition between the subject and its verb; a time between them
    (
        "North Korea sent 3,000 troops, and the Monitor, a group of analysts, said 5,000 troops.",
        [(3000, None), (5000, "Monitor")],
    ),
    (
        "Речник уряду Іван Петренко наприкінці грудня 2022 року повідомив, що КНДР відправила "
        "5000 військових.",
        [(5000, "Речник уряду Іван Петренко")],
    ),
    ("Минобороны лишь однажды отчиталось о 27 погибших военных КНДР.", [(27, "Минобороны")]),
    # "по подсчетам / за попередніми підрахунками X": any noun phrase after it names X
    ("По подсчетам организаторов, в КНДР вышли 50 тысяч человек.", [(50000, "организаторов")]),
    ("За попередніми підрахунками влади, у КНДР загинули 500 людей.", [(500, "влади")]),
    # a paragraph of quotation goes on with the one quoted
    (
        'North Korea\'s ministry said it sent 3,000 troops.\n"Another 500 soldiers will follow."',
        [(3000, "North Korea's ministry"), (500, "North Korea's ministry")],
    ),
    # "по данным X" after its figure names the figures back to the cue before it
    (
        "В КНДР погибли 1970 человек на севере, по данным группы «Белые каски», и 1347 человек "
        "на юге, по данным государственных СМИ.",
        [(1970, "группы «Белые каски»"), (1347, "государственных СМИ")],
    ),
    (
        "North Korea lost 900 soldiers, according to the Monitor, while 300 were wounded, "
        "according to the Red Cross.",
        [(900, "Monitor"), (300, "Red Cross")],
    ),
    ("У КНДР загинули 600 людей.\nТакі дані оновив штаб.", [(600, "штаб")]),
    ("North Korea lost 300 soldiers, according to the ministry's figures.", [(300, "ministry")]),
    (
        "North Korea has sent 3,000 troops, Reuters reported, citing two sources.",
        [(3000, "Reuters")],
    ),
    (
        "The Institute for the Study of War (ISW) estimated that North Korea lost 3,000 soldiers.",
        [(3000, "Institute for the Study of War (ISW)")],
    ),
    (
        "Губернатор Иван Петров в своем Telegram-канале написал, что в КНДР погибли 30 человек.",
        [(30, "Губернатор Иван Петров")],
    ),
    (
        "According to a statement from the ministry, North Korea sent 3,000 troops.",
        [(3000, "ministry")],
    ),
    ("У розвідці зазначили, що КНДР втратила 300 військових.", [(300, "розвідці")]),
    ("North Korea lost 300 soldiers. That is according to the ISW.", [(300, "ISW")]),
    # a headline's topic before a colon names nobody
    ("Повені в КНДР: кількість жертв досягла 700 осіб", [(700, None)]),
    ("ГУР: в КНДР погибли 700 человек", [(700, "ГУР")]),
    (
        "Prime Minister Ri Chol: 3,000 North Korean troops arrived",
        [(3000, "Prime Minister Ri Chol")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPEAKERS)
def test_speakers_as_reporters_name_them(
    text: str, expected: list[tuple[float, str | None]]
) -> None:
    assert [(c.value, c.speaker) for c in claims_of(text)] == expected


# A dateline names a relay at most, never a speaker.
DATELINES = [
    ("LONDON (Reuters) — North Korea sent 3,000 troops, officials said.", "officials", "Reuters"),
    ("KYIV, Ukraine (AP) - At least 40 people were killed in North Korea.", None, "AP"),
    ("SEOUL — North Korea sent 3,000 troops, the NIS said.", "NIS", None),
    ("Feb. 12 (UPI) -- North Korea sent 3,000 troops.", None, "UPI"),
    ("North Korea - 3,000 troops arrived, officials said.", "officials", None),
]


@pytest.mark.parametrize(("text", "speaker", "relay"), DATELINES)
def test_a_dateline_is_a_relay_at_most(text: str, speaker: str | None, relay: str | None) -> None:
    [claim] = claims_of(text)
    assert (claim.speaker, claim.relay) == (speaker, relay)


RELAYS = [
    ("Officials told Reuters that North Korea lost 40 soldiers.", "Officials", "Reuters"),
    ("North Korea lost 40 soldiers, officials told reporters.", "officials", None),
    ("North Korea lost 40 soldiers, the minister told a press conference.", "minister", None),
]


@pytest.mark.parametrize(("text", "speaker", "relay"), RELAYS)
def test_who_is_told_relays_only_when_an_outlet(text: str, speaker: str, relay: str | None) -> None:
    [claim] = claims_of(text)
    assert (claim.speaker, claim.relay) == (speaker, relay)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Storm Ana caused damage of $4 billion, the finance minister told reporters, up from"
            ' the $2bn she cited last week. "This is a cautious figure," she said.',
            "minister",
        ),
        ('Storm Ana destroyed 300 homes. "It is a conservative estimate," he said.', None),
    ],
)
def test_a_pronoun_pointing_back_names_the_last_speaker_or_nobody(text, speaker):
    matcher = TopicMatcher([TopicSpec(TOPIC, ("storm Ana",))])
    text = normalize_text(text)
    claims = extract_claims(text, matcher.mentions(text))
    assert claims and all(
        claim.speaker is None or (speaker and speaker in claim.speaker) for claim in claims
    )
    assert not any(claim.speaker and "\x00" in claim.speaker for claim in claims)


def test_a_number_of_thousands_of_digits_is_no_figure_and_no_crash():
    text = normalize_text(f"North Korea sent {'9' * 12_000} troops to Russia in 2024.")
    assert [c.value for c in extract_claims(text, MATCHER.mentions(text))] == []

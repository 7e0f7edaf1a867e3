"""Event rules and trigger coverage, on small hand-written sentences."""

from __future__ import annotations

import pytest

from kg.extract import extract
from kg.model import Article


def run(text: str, date: str | None = "2024-03-13"):
    return extract(Article(id="t", text=text, source="t", date=date))


def types(text: str) -> list[str]:
    return [e.type for e in run(text).events]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Peru voted against the resolution on Monday.", "REJECT"),
        ("Peruvian and Chilean troops exchanged fire near the border on Monday.", "ASSAULT"),
        ("Peru promised a response at a time of its own choosing.", "THREATEN"),
        ("Chilean forces opened heavy fire on Peruvian positions after midnight.", "ASSAULT"),
        ("Bolivia pledged swift retaliation for the raid.", "THREATEN"),
        ("An exchange of fire between Peruvian and Chilean troops left two dead.", "ASSAULT"),
        ("Chile ruled out talks with the rebels.", "REJECT"),
        ("Ghana thanked Nigeria for the fuel shipments.", "SUPPORT"),
        ("Kenya shut its border with Somalia on Friday.", "SANCTION"),
        ("Japan barred ships flying the North Korean flag.", "SANCTION"),
        ("Canada recalled its diplomats from Caracas.", "SANCTION"),
        ("Morocco approved the sale of drones to Mali.", "AID"),
        ("Britain said it would send 300 troops to Estonia.", "MOBILIZE"),
        ("Colombian troops will go home once the vote is over.", "RETREAT"),
        ("The rebels made painful concessions, Uganda said.", "CONCEDE"),
        ("Serbia has dropped its objection to the plan.", "CONCEDE"),
        ("Argentina's President Javier Milei called Maduro a dictator.", "ACCUSE"),
        ("Iraq summoned the Turkish ambassador on Sunday.", "ACCUSE"),
        ("Nepal will take India to the International Court of Justice.", "ACCUSE"),
        ("Kenyan police fired tear gas at crowds in Nairobi.", "COERCE"),
        ("Iran vowed to make Israel pay for the strike.", "THREATEN"),
        ("Farmers blocked roads across Poland on Tuesday.", "PROTEST"),
        ("The U.N. Security Council held an emergency session on Haiti.", "CONSULT"),
        ("Indonesian President Joko Widodo called Australia on Monday.", "CONSULT"),
    ],
)
def test_general_trigger_idioms(text, want):
    assert want in types(text), (text, types(text))


def test_call_without_a_listener_is_not_talks():
    assert "CONSULT" not in types("Petro has made what he calls total peace his priority, Colombia said.")


def test_told_reporters_is_not_talks():
    assert "CONSULT" not in types("Chilean President Gabriel Boric told reporters the plan was sound.")


def test_an_accusing_verb_is_an_accuse_event():
    found = run("Ukrainian officials accused Belarus of shelling Ukrainian villages near the border.")
    acc = [e for e in found.events if e.type == "ACCUSE"]
    assert acc and acc[0].source_actor == "Ukrainian officials" and acc[0].target_actor == "Belarus"


def test_a_reported_hostile_act_is_an_allegation_with_its_roles():
    found = run("Ukrainian officials said Belarus had shelled Ukrainian villages near the border.")
    (al,) = found.allegations
    assert al.claimant == ("Ukrainian officials",) and al.accused == ("Belarus",)
    assert al.proposition is not None and al.proposition.type == "ASSAULT"
    assert not [e for e in found.events if e.type == "ASSAULT" and e.modality == "Occurred"]
    # saying another side did it is itself an accusation
    acc = [e for e in found.events if e.type == "ACCUSE"]
    assert [(e.source_actor, e.target_actor) for e in acc] == [("Ukrainian officials", "Belarus")]


def test_according_to_is_not_an_accuse_event():
    found = run("According to Ukrainian officials, Belarus had shelled Ukrainian villages near the border.")
    assert found.allegations and not [e for e in found.events if e.type == "ACCUSE"]


# ---------------------------------------------------------------- items


def _aid_items(text: str) -> tuple[str, ...]:
    found = run(text)
    return tuple(i for e in found.events if e.type in ("AID", "REQUEST", "AGREE") for i in e.items)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param(
            "Chile exports products such as copper, fresh fruit, and timber to Peru.",
            ("copper", "fresh fruit", "timber"),
            marks=pytest.mark.xfail(strict=True, reason="en_core_web_sm parses 'exports' as a noun here"),
        ),
        ("Kenya will provide Somalia with trucks and radios.", ("trucks", "radios")),
        pytest.param(
            "Egypt plans to give Sudan fuel, including help with power and water infrastructure.",
            ("fuel", "power infrastructure", "water infrastructure"),
            marks=pytest.mark.xfail(strict=True, reason="'help with X' and shared modifiers are not split yet"),
        ),
        ("Ghana has sent medicine to Togo.", ("medicine",)),
    ],
)
def test_items_are_each_listed_good(text: str, want: tuple[str, ...]) -> None:
    assert _aid_items(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "Peru signed an accord between Lima and Quito.",
        "Chile is aiding Bolivia's attempts to rebuild its rail network.",
    ],
)
def test_items_are_not_prepositions_or_beneficiaries(text: str) -> None:
    for item in _aid_items(text):
        assert item.split()[0].lower() not in ("between", "attempts", "efforts", "with")


def test_item_of_a_passive_is_the_goods_noun_not_the_verb() -> None:
    items = _aid_items("Officials said dozens of crates of farm supplies have been shipped from Ghana to Togo.")
    assert "have been shipped" not in items
    assert all(not i.startswith(("have", "been")) for i in items)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Norway banned vessels carrying the Danish flag from its harbours.", ("vessels",)),
        ("Poland sanctioned nine firms registered in Estonia.", ("nine firms",)),
        ("Chad has supplied the rebels with rifles or cash.", ("rifles", "cash")),
        ("Oman launched more than 40 rockets at Yemen.", ("rockets",)),
        ("Peru granted Ecuador asylum days before the vote.", ()),
    ],
)
def test_items_stop_at_participles_time_words_and_quantities(text: str, want: tuple[str, ...]) -> None:
    got = tuple(i for e in run(text).events for i in e.items)
    assert got == want or (not want and not got)


def test_noun_trigger_followed_by_its_verb_has_no_item() -> None:
    found = run("Peru and Chile signed an agreement on Monday. The agreement makes no mention of Bolivia.")
    assert all("makes" not in i for e in found.events for i in e.items)


# ---------------------------------------------------------------- places


def _places(text: str) -> dict[str, str | None]:
    return {e.type: e.place for e in run(text).events}


def test_place_is_not_inside_the_attribution() -> None:
    text = "According to Danish and Swedish officials, Estonia has been selling Latvia grain in Riga."
    assert _places(text)["AID"] == "Riga"
    assert _places("According to Danish officials, Estonia has been selling Latvia grain.")["AID"] is None


def test_place_is_not_a_recipient_or_origin_participant() -> None:
    assert _places("Dozens of trucks of fuel were sent from Latvia to Estonia.").get("AID") in (None, "Riga")
    assert _places("Estonia supplied fuel to Latvia.")["AID"] is None
    assert _places("Estonia sent fuel to Latvia, helping its farmers in Finland.")["AID"] is None


def test_destination_of_a_visit_is_its_place_and_origin_yields_to_destination() -> None:
    assert _places("The Prime Minister of Latvia visited Estonia on Monday.")["CONSULT"] == "Estonia"
    assert _places("The Estonian president made a trip from Tallinn to Riga on Monday.")["CONSULT"] == "Riga"


def test_named_venue_is_the_place() -> None:
    found = run("The leaders of Chile and Peru met at the Lakeside Pinewood Hotel in Lima on Monday.")
    assert [e.place for e in found.events if e.type == "CONSULT"] == ["Lakeside Pinewood Hotel"]
    venue = next(p for p in found.places if p.name == "Lakeside Pinewood Hotel")
    assert venue.country == "Peru"
    found = run("Chile and Peru held talks at the Northgate Technical University.")
    assert [e.place for e in found.events if e.type == "CONSULT"] == ["Northgate Technical University"]


# ---------------------------------------------------------------- labels and subjects


def test_label_without_an_acting_subject_names_kind_and_participants() -> None:
    found = run("The negotiations between Chile and Peru were held on Monday.")
    labels = [e.label for e in found.events if e.type == "CONSULT"]
    assert labels and all("someone" not in lb for lb in labels)
    assert any("Chile" in lb and "Peru" in lb for lb in labels)


def test_actor_after_with_is_subject_of_an_absolute_ing_clause() -> None:
    found = run("The alliance deepened, with Chile reportedly sending Peru tanks and fuel.")
    ev = next(e for e in found.events if e.type == "AID")
    assert (ev.source_actor, ev.target_actor) == ("Chile", "Peru")


def test_attribution_source_is_not_a_participant() -> None:
    found = run("According to Danish and Swedish officials, Estonia has been selling Latvia grain.")
    ev = next(e for e in found.events if e.type == "AID")
    assert set(ev.participants) == {"Estonia", "Latvia"}


def roles(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(e.type, e.source_actor, e.target_actor) for e in run(text).events]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Peru carried out operations against Chilean rebels on Sunday.", ("ASSAULT", "Peru")),
        ("Peruvian troops encircled the Chilean capital.", ("COERCE", "Peruvian troops")),
        ("Peru withdrew its envoy from Chile on Monday.", ("SANCTION", "Peru")),
        ("Peru voiced displeasure at Chile's decision.", ("ACCUSE", "Peru")),
        ("Peru gave its blessing to the Chilean plan.", ("SUPPORT", "Peru")),
        ("Peru froze out Chile from the talks.", ("SANCTION", "Peru")),
        ("Peru launched strikes against rebel positions.", ("ASSAULT", "Peru")),
    ],
)
def test_light_verb_and_phrasal_triggers(text, want):
    got = roles(text)
    assert want in [(t, s) for t, s, _ in got], (text, got)


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("Peru lodged a protest with Chile over the incident.", "PROTEST"),  # a diplomatic complaint, no rally
        ("Peru withdrew its envoy from Chile on Monday.", "RETREAT"),
        ("Peru gave its blessing to the Chilean plan.", "AID"),
        ("Peru launched strikes against rebel positions.", "MOBILIZE"),
        ("Peru asked Norway and Sweden to help secure the release of the hostages.", "COOPERATE"),
        ("Peru offered a plane to help bring the migrants home.", "COOPERATE"),
        ("Chile's support had helped stabilise the region, Peru said.", "COOPERATE"),
        ("Peru gave a sharply different account of the clash.", "AID"),
        ("Peru's foreign minister, who visited the site on Monday, condemned the attack.", "CONSULT"),
        ("Peru conducted rescue operations after the floods.", "ASSAULT"),
    ],
)
def test_not_the_event_the_words_suggest(text, wrong):
    assert wrong not in types(text), (text, types(text))


def test_a_helper_with_an_object_is_its_partner():
    assert ("COOPERATE", "Norway", "Peru") in roles("Norway helped Peru with its debt talks.")


def test_a_finite_verb_parsed_as_a_noun_modifier_takes_the_noun_as_subject():
    got = roles("Peru, which has denied arming the rebels, accused Chile of aggression.")
    assert ("ACCUSE", "Peru", "Chile") in got, got


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # an object pronoun is not its own clause's subject
        (
            "Peru's president telephoned Chile's president on Monday and asked him to reopen the border.",
            ("REQUEST", "President of Peru", "President of Chile"),
        ),
        (
            "Peru's president telephoned Chile's president on Monday and forced him to reopen the border.",
            ("CONCEDE", "President of Chile", None),
        ),
        # a subjectless clause after "and" under a saying verb is the sayer's own act
        (
            "Peru's foreign minister said the border was calm and warned that any incursion would be punished.",
            ("THREATEN", "Foreign Minister of Peru", None),
        ),
        # an attack told by a noun hits what its clause's verb hits
        (
            "A Peruvian air strike that killed ten Chilean soldiers drew condemnation.",
            ("ASSAULT", "Peru", "Chilean soldiers"),
        ),
        ("Peruvian shelling fell on Chilean villages overnight.", ("ASSAULT", "Peru", "Chile")),
        # a light verb can modify its noun: a participle or a relative clause
        ("The sanctions imposed by Peru on Chile took effect on Monday.", ("SANCTION", "Peru", "Chile")),
        ("Bolivia condemned the attack, which Chile carried out on Sunday.", ("ASSAULT", "Chile", None)),
    ],
)
def test_roles_from_the_construction(text, want):
    got = roles(text)
    assert want in got, (text, got)


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("Peru warned that any incursion would be met with force.", "CONSULT"),  # a reception, no meeting
        ("Peru says it faces a growing threat from Chile.", "THREATEN"),  # a danger described, no threat made
        ("Chile poses a threat to regional stability, Peru said.", "THREATEN"),
    ],
)
def test_constructions_that_are_no_event(text, wrong):
    assert wrong not in types(text), (text, types(text))


def test_with_the_support_of_is_no_partner():
    got = roles("Peru and Chile held talks in Lima, brokered by Bolivia with the support of Brazil.")
    assert all(t != "Brazil" for _, _, t in got), got


def test_a_brokered_ceasefire_is_an_agreement():
    assert "AGREE" in types("The ceasefire, brokered by Bolivian mediators, halted the fighting.")
    assert "RETREAT" not in types("The ceasefire, brokered by Bolivian mediators, halted the fighting.")


def test_a_verb_with_an_act_of_its_own_keeps_it_before_an_event_noun():
    assert ("AGREE", "Peru", "Chile") in roles("Peru and Chile signed a six-month ceasefire in Quito on Monday.")


def test_an_actor_helping_toward_an_act_cooperates():
    assert "COOPERATE" in types("Norway said it would help put in place a mechanism to verify the truce.")


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("Peru launched missiles and drones toward Chile on Sunday.", "MOBILIZE"),
        (
            "The clash took place near the pass where Peru's southern province meets Chile's northern province.",
            "CONSULT",
        ),
        ("Peru's president told Chile's envoy not to come back.", "CONSULT"),
        ("Peru's foreign minister told a Chilean television network that the crowd was a mob.", "CONSULT"),
        ("Peruvian troops approached the ridge before dawn.", "REQUEST"),
        ("The exchange ended after commanders on both sides called a ceasefire.", "COOPERATE"),
    ],
)
def test_words_that_tell_no_such_event_here(text, wrong):
    assert wrong not in types(text), (text, types(text))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Peru launched missiles and drones toward Chile on Sunday.", ("ASSAULT", "Peru", "Chile")),
        ("Peru launched a ballistic missile into the sea on Monday.", ("MOBILIZE", "Peru", None)),
        ("Peru approached Chile for help with the fires.", ("REQUEST", "Peru", "Chile")),
        (
            "Peru's president told the Chilean leader by telephone that the border would reopen.",
            ("CONSULT", "President of Peru", "Leader of Chile"),
        ),
        (
            "Chile's president told Luis Arce that the border would reopen.",
            ("CONSULT", "President of Chile", "Luis Arce"),
        ),
    ],
)
def test_the_event_the_construction_tells(text, want):
    got = roles(text)
    assert want in got, (text, got)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Peru consulted Chile on the border plan.", ("CONSULT", "Peru", "Chile")),
        ("Rebels overran two Chilean army bases overnight.", ("ASSAULT", "rebels", "Chilean army")),
        ("Peruvian forces fired rockets at Chilean positions.", ("ASSAULT", "Peruvian forces", "Chile")),
        pytest.param(
            "Peru dispatched troops to the Chilean border.", ("MOBILIZE", "Peru", "Chile"),
            marks=pytest.mark.xfail(strict=True, reason="the actor layer takes a country's adjective on a border "
                                    "for a place, so the deployment has no actor to aim at"),
        ),
        ("Chile snubbed Peru's invitation to the summit.", ("REJECT", "Chile", "Peru")),
        ("Peru ceded control of the islands to Chile.", ("CONCEDE", "Peru", "Chile")),
    ],
)
def test_more_general_triggers(text, want):
    got = roles(text)
    assert want in got, (text, got)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Gunmen assassinated the Peruvian mayor on Sunday.", "ASSAULT"),
        ("The rebels captured two more towns in northern Chile.", "ASSAULT"),
        ("Thousands of Peruvians took to the streets of Lima to protest the tax.", "PROTEST"),
        ("The Chilean army called up reservists on Monday.", "MOBILIZE"),
        ("The peacekeeping mission said it had raised the alert level of its troops.", "MOBILIZE"),
    ],
)
def test_more_general_trigger_types(text, want):
    assert want in types(text), (text, types(text))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Peru's decision to expel Chile's envoy angered Santiago.", ("SANCTION", "Peru")),
        ("Chile responded with air strikes on Peruvian bases.", ("ASSAULT", "Chile")),
    ],
)
def test_the_doer_of_a_plan_or_a_means(text, want):
    got = roles(text)
    assert want in [(t, s) for t, s, _ in got], (text, got)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The envoys were recalled from Lima, Chile's foreign ministry said.", "SANCTION"),
        ("Sanctions were imposed on Chile after the vote.", "SANCTION"),
        ("Air defences downed a Chilean drone near the border.", "ASSAULT"),
        ("Drones have hit the city's airport and a fuel depot.", "ASSAULT"),
        ("Only seven vehicles got through the ambush.", "ASSAULT"),
        ("Peru's president hit out at Chile over the tariffs.", "ACCUSE"),
    ],
)
def test_passive_phrases_and_blows(text, want):
    assert want in types(text), (text, types(text))


@pytest.mark.parametrize(
    "text",
    [
        "Chile was hit hard by the sanctions.",
        "Oil prices hit a record high on Monday.",
        "Peru hit back at its critics on Monday.",
    ],
)
def test_a_hit_that_is_no_blow(text):
    assert "ASSAULT" not in types(text), (text, types(text))


def test_a_coordinated_clause_gives_no_target():
    got = roles(
        "The Chilean government condemned what it called a brutal raid and said U.S. support for Peru's "
        "security against armed groups, including the rebels, remained firm."
    )
    assert ("ACCUSE", "Chile", None) in got, got


def test_it_after_a_reaction_is_the_deed():
    got = roles(
        "Rockets hit a town in northern Peru on Saturday. "
        "In Santiago, Chile's foreign minister confirmed the attack and condemned it."
    )
    assert all(t is None for ty, _, t in got if ty == "ACCUSE"), got


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("Peru's interim leader asked the United States to send troops to protect the airport.", "MOBILIZE"),
        ("Peru threatened to impose sanctions on Chile.", "SANCTION"),
        ("Chile urged Bolivia to withdraw its troops from the border.", "RETREAT"),
    ],
)
def test_what_is_asked_for_or_threatened_is_no_event(text, wrong):
    assert wrong not in types(text), (text, types(text))


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("Peru bought six attack helicopters from Chile.", "ASSAULT"),  # a kind of helicopter
        ("Peru launched a campaign to attract tourists from Chile.", "MOBILIZE"),
        ("Chile reinforced its message to investors on Monday.", "MOBILIZE"),
        ("Peru's president conceded that the economy had slowed.", "CONCEDE"),
        ("The earthquake struck northern Peru on Monday.", "ASSAULT"),
    ],
)
def test_a_trigger_word_without_its_act(text, wrong):
    assert wrong not in types(text), (text, types(text))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Peru deployed troops to the Chilean border.", "MOBILIZE"),
        ("Chile launched a ballistic missile on Monday.", "MOBILIZE"),
        ("Peru joined the alliance on Monday.", "COOPERATE"),
    ],
)
def test_the_same_words_with_their_act(text, want):
    assert want in types(text), (text, types(text))


@pytest.mark.parametrize(
    ("text", "want", "wrong"),
    [
        ("Chile blocked a resolution on the border dispute at the council.", "REJECT", "COERCE"),
        ("Peru withdrew its support for the plan.", "REJECT", "RETREAT"),
        ("Chile withdrew from the treaty on Monday.", "REJECT", "RETREAT"),
        ("Peru pulled out of the talks on Monday.", "REJECT", "RETREAT"),
    ],
)
def test_walking_away_from_a_deal_is_a_rejection(text, want, wrong):
    got = types(text)
    assert want in got and wrong not in got, (text, got)


def test_a_blow_dealt_is_no_aid():
    assert "AID" not in types("Peru gave a heavy blow to Chile's hopes of a deal.")


def test_a_co_host_is_no_partner():
    assert ("CONSULT", "Peru", None) in roles("Peru hosted the meeting together with Chile's president.")


def test_a_noun_is_named_by_its_own_name_before_its_possessor():
    got = roles("Chile said a cargo ship had been seized by Peru's Shining Path movement on Monday.")
    assert any(t == "COERCE" and s == "Shining Path" for t, s, _ in got), got


def test_workers_striking_protest():
    assert "PROTEST" in types("Dock workers struck for higher pay in Lima on Monday.")
    assert "ASSAULT" not in types("Dock workers struck for higher pay in Lima on Monday.")


def test_a_boycott_is_a_protest():
    assert "PROTEST" in types("Opposition parties boycotted the vote in Peru.")


def test_a_warning_issued_is_a_threat():
    assert ("THREATEN", "Chile", "Peru") in roles("Chile issued a stern warning to Peru over the border.")


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Peruvian forces abandoned their positions near the border.", "RETREAT"),
        ("Chile agreed to halt its offensive in the north.", "RETREAT"),
        ("Peru returned the captured vessel to Chile on Monday.", "RETREAT"),
        ("Peru's president telephoned his Chilean counterpart on Monday.", "CONSULT"),
        ("Peru and Chile extended the ceasefire by a month.", "AGREE"),
        ("Peru and Chile settled their border dispute.", "AGREE"),
        ("Bolivia voted for the resolution.", "SUPPORT"),
        ("Chile will allow inspectors into the plant.", "CONCEDE"),
        ("Protesters clashed with police in Lima.", "PROTEST"),
    ],
)
def test_wider_trigger_coverage(text, want):
    assert want in types(text), (text, types(text))


def test_help_keeps_what_it_helps_with_as_its_item():
    (ev,) = [e for e in run(
        "Chile is expected to provide Peru with modern weapons, including assistance with radar and drone maintenance."
    ).events if e.type == "AID"]
    assert any("radar" in i and "drone" in i for i in ev.items), ev.items

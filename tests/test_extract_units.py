"""Unit tests of the extractors on small hand-written sentences."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import DataFileError
from kg.extract import extract
from kg.extract.lexicon import parse_tsv, verb_forms
from kg.extract.timex import TIMEX, find_dates, normalise
from kg.model import Article


def run(text: str, date: str | None = "2024-03-13"):
    return extract(Article(id="t", text=text, source="t", date=date))


def names(found):
    return {a.name: a for a in found.actors}


# ---------------------------------------------------------------- actors


def test_title_and_unknown_name_with_demonym():
    found = run(
        "Ruritania was not mentioned. Chilean Foreign Minister Ana Montes flew to Lima on Tuesday. Chile protested."
    )
    actors = names(found)
    assert "Ana Montes" in actors
    assert actors["Ana Montes"].role == "Foreign Minister of Chile"
    # a role that says whose it is already is left as it is
    kirby = names(run("White House national security spokesman John Kirby said talks would go on."))["John Kirby"]
    assert kirby.role == "National Security Council spokesman"
    assert actors["Ana Montes"].affiliation == "Chile"
    assert actors["Chile"].wikidata == "Q298"


def test_a_country_named_only_in_passing_is_no_actor():
    actors = names(
        run(
            "Chilean Foreign Minister Ana Montes said Peru had broken the Quito and Montevideo accords. "
            "The crew came from Ecuador, Bolivia and Uruguay, and the ship was heading to Brazil. "
            "Rebels have fought in northern Mali for years."
        )
    )
    assert actors["Ana Montes"].affiliation == "Chile"
    assert "Peru" in actors
    # a title's adjective, a noun's modifier, where people come from or go to, a place of fighting
    for bystander in ("Chile", "Ecuador", "Bolivia", "Uruguay", "Brazil", "Mali"):
        assert bystander not in actors
    # but a country's warplanes act for it, a war in a country is its war, and its officials are its own
    actors = names(
        run(
            "British and Danish warplanes helped intercept the drones. The war in Ukraine dominated the talks. "
            "Peruvian officials said the talks had failed."
        )
    )
    assert {"United Kingdom", "Denmark", "Ukraine", "Peru"} <= set(actors)


def test_capital_metonym_and_demonym_map_to_country():
    actors = names(run("Ankara said Greek officials had met in Athens."))
    assert "Turkey" in actors and "Ankara" in actors["Turkey"].aliases
    assert "Greek officials" in actors and actors["Greek officials"].type == "Group"


def test_known_person_short_forms_and_role_coreference():
    text = (
        "French President Emmanuel Macron travelled to Cairo. Mr. Macron met students. Later the French President left."
    )
    actors = names(run(text))
    macron = actors["Emmanuel Macron"]
    assert {"Mr. Macron", "French President Emmanuel Macron"} <= set(macron.aliases)
    assert any(a.lower().endswith("french president") for a in macron.aliases)
    assert "President of France" not in actors


def test_role_only_person_and_definite_coreference():
    text = "The Defence Minister of Peru visited Chile. A Peruvian delegation arrived in Santiago. The delegation left."
    actors = names(run(text))
    assert actors["Defence Minister of Peru"].type == "Person"
    assert "The delegation" in actors["Peruvian delegation"].aliases


def test_a_capital_before_a_title_names_the_country_the_person_speaks_for():
    found = run(
        "Manila accused China of attacking its boats. Beijing's spokesman said Chinese ships had never attacked."
    )
    spokesman = names(found)["Spokesman of China"]
    assert spokesman.type == "Person" and spokesman.affiliation == "China"
    (al,) = found.allegations
    assert al.stance == "denied" and al.denied_by == ("Spokesman of China",)


def test_a_crowd_counted_is_a_group():
    found = run("Thousands of protesters rallied in Lima on Monday, accusing Peru of fraud.")
    assert names(found)["protesters"].type == "Group"
    (al,) = found.allegations
    assert al.claimant == ("protesters",)
    # a bare plural in mid-sentence is still no actor
    assert "protesters" not in names(run("Police in Lima said the protesters had gone home."))


def test_bare_congo_is_the_democratic_republic():
    actors = names(run("Congo accused Uganda of arming the rebels, and the Republic of Congo said nothing."))
    assert "Congo" in actors["Democratic Republic of the Congo"].aliases
    assert "Republic of the Congo" in actors


def test_title_qualified_by_a_country_or_body_gives_the_side_spoken_for():
    actors = names(
        run(
            "Bolivian navy spokeswoman Carla Ruiz said the patrol had turned back. "
            "Pentagon spokesman Tom Reyes declined to comment. "
            "Ecuadorean Foreign Ministry spokesman Luis Vera said talks would resume."
        )
    )
    assert actors["Carla Ruiz"].affiliation == "Bolivia"
    assert actors["Tom Reyes"].affiliation == "Pentagon"  # whose own affiliation is the United States
    assert actors["Luis Vera"].affiliation == "Ecuador"
    # a qualifier that is no body does not give a side
    assert names(run("The rebels said spokesman Ivo Lenz had fled."))["Ivo Lenz"].affiliation is None


def test_title_in_apposition_gives_the_side_spoken_for():
    actors = names(
        run(
            "Marek Dvorak, a spokesman for the Estonian army, said the drill was over. "
            "Hana Novak, Latvia's chief spokeswoman, said nothing had been agreed."
        )
    )
    assert actors["Marek Dvorak"].affiliation == "Estonia"
    assert actors["Hana Novak"].affiliation == "Latvia"
    assert not any(a.startswith("Chief of") for a in actors)  # "Latvia's chief spokeswoman" is no chief


def test_its_body_is_the_body_of_the_country_named_just_before():
    actors = names(
        run("Peru's Defence Ministry denied it. Lima said so. Its Defence Ministry added that all was calm.")
    )
    assert "Its Defence Ministry" in actors["Peru's Defence Ministry"].aliases
    assert "Its Defence Ministry" not in actors


def test_the_demonym_group_is_that_countrys_armed_group_named_before():
    actors = names(
        run("Hezbollah fired rockets at Israel. Israeli officials said the Lebanese group had broken the truce.")
    )
    assert "the Lebanese group" in actors["Hezbollah"].aliases
    assert "Lebanon" not in actors


def test_armed_movements_are_groups():
    actors = names(run("The Houthis said they had fired at a tanker. The Taliban and M23 rebels denied it."))
    assert actors["Houthis"].type == "Group" and actors["Taliban"].type == "Group" and actors["M23"].type == "Group"
    assert "M23 rebels" in actors["M23"].aliases  # a group's members are the group
    actors = names(run("Taliban forces fired on the post, and the Taliban administration denied it."))
    assert {"Taliban forces", "Taliban administration"} <= set(actors["Taliban"].aliases)
    actors = names(run("The United States and the European Union imposed sanctions. Commissioner Ana Lind said so."))
    assert {"United States", "European Union", "Ana Lind"} <= set(actors)
    assert names(run("Hezbollah said it had fired rockets."))["Hezbollah"].type == "Organization"
    assert "MONUSCO" in names(run("The U.N. mission in Congo condemned the offensive."))
    assert "KFOR" in names(run("The NATO-led Kosovo Force sent more troops."))


def test_names_the_recogniser_takes_for_people_are_bodies_groups_or_things():
    actors = names(
        run(
            "Gunmen from Harakat al-Nasr, a Sunni militant group, attacked a checkpoint. "
            "The claim was reported by the Kessler Monitoring Group. "
            "The tanker Aurora Dawn was boarded, said Torvald Shipping, a Norwegian firm. "
            "Officials blamed the Karsan Liberation Army and the Karsan Liberation Front. "
            "Senior Colonel Wu Lei, a spokesman for the PLA's Southern Theatre Command, said the patrol was routine."
        )
    )
    assert actors["Harakat al-Nasr"].type == "Group"
    assert actors["Kessler Monitoring Group"].type == "Organization"
    assert actors["Torvald Shipping"].type == "Organization"
    assert "Aurora Dawn" not in actors
    assert actors["Karsan Liberation Army"].type == "Group" and actors["Karsan Liberation Front"].type == "Group"
    assert actors["Southern Theatre Command"].type == "Organization"
    assert actors["Wu Lei"].type == "Person"
    # a name the article puts after "in" is a place where it stands alone too; a vessel is no actor
    found = run(
        "Rockets fell in Kfar Dunya on Saturday. Kfar Dunya is one of several farming towns on the ridge. "
        "The car carrier Sea Lark was seized."
    )
    assert not found.actors


def test_a_countrys_army_military_and_forces_are_one_organisation():
    actors = names(run("Chilean forces shelled a village near the river. Chile's army denied it."))
    assert actors["Chile's army"].type == "Organization" and "Chilean forces" in actors["Chile's army"].aliases
    assert "Chilean forces" not in actors
    actors = names(run("China's military said its patrol was routine. The People's Liberation Army blamed India."))
    assert "China's military" in actors["People's Liberation Army"].aliases
    actors = names(run("Chilean troops crossed the river. Chilean soldiers then fired at a patrol."))
    assert "Chilean soldiers" in actors["Chilean troops"].aliases and "Chilean soldiers" not in actors
    assert actors["Chilean troops"].type == "Group"
    actors = names(run("Bolivian forces moved to the border. Bolivian security forces arrested ten people."))
    assert actors["Bolivian forces"].type == "Organization" and actors["Bolivian security forces"].type == "Group"


def test_a_spokesman_keeps_the_body_he_speaks_for_in_his_mention():
    found = run(
        "At a briefing in Lima, Foreign Ministry spokesman Jorge Salas said Peru would not yield. "
        "Bolivian army spokesman Raul Mena denied it."
    )
    actors = names(found)
    assert "Foreign Ministry spokesman Jorge Salas" in actors["Jorge Salas"].aliases
    assert "Bolivian army spokesman Raul Mena" in actors["Raul Mena"].aliases
    assert "Foreign Ministry" not in actors and "Bolivia" not in actors


def test_a_countrys_adjective_shared_by_two_groups_is_no_alias_and_its_known_army_is_that_army():
    actors = names(
        run("Indian and Chinese soldiers clashed. China's People's Liberation Army said India had provoked it.")
    )
    assert "Indian" not in actors["Indian soldiers"].aliases
    assert "China's People's Liberation Army" in actors["People's Liberation Army"].aliases
    assert "China's People's Liberation Army" not in actors


def test_officials_of_no_side_are_no_actor():
    actors = names(run("Local officials said the bridge was closed. Peruvian officials said it would reopen."))
    assert "local officials" not in actors and "officials" not in actors
    assert actors["Peruvian officials"].type == "Group"


def test_unnamed_people_who_act_or_are_acted_on_are_groups():
    actors = names(
        run(
            "Drone strikes near the border have killed civilians, and 40 Peruvian fishermen were detained. "
            "Police arrested 17 suspects after gunmen stormed the hotel. "
            "Its fighters seized the port. The refugees said they had fled."
        )
    )
    assert actors["civilians"].type == "Group" and actors["gunmen"].type == "Group"
    assert "17 suspects" in actors["suspects"].aliases
    assert actors["Peruvian fishermen"].affiliation == "Peru"
    assert "fighters" not in actors  # a body's own fighters are named by it
    assert "refugees" not in actors  # a speaker is not taken for a participant


def test_people_beyond_the_gazetteer_from_appositions_with_their_later_short_names():
    actors = names(
        run(
            "Rosa Ibarra, Chile's envoy to the OAS, said talks would resume. Ibarra added that Peru agreed. "
            "Tomas Vidal, a special adviser to the Bolivian president, attended. Vidal said little. "
            'The firm was founded by the Uruguayan businessman Pablo "Pepe" Arce, who declined to comment. '
            "In Tokyo, Chief Cabinet Secretary Kenji Mori condemned it."
        )
    )
    ibarra = actors["Rosa Ibarra"]
    assert {"Ibarra", "Chile's envoy"} <= set(ibarra.aliases) and ibarra.affiliation == "Chile"
    assert "Envoy of Chile" not in actors
    envoy = names(run("Peru's ambassador to Chile, Hector Vargas, was recalled. Vargas left on Monday."))
    assert "Peru's ambassador" in envoy["Hector Vargas"].aliases and "Ambassador of Peru" not in envoy
    assert "Vidal" in actors["Tomas Vidal"].aliases and actors["Tomas Vidal"].type == "Person"
    assert 'Pablo "Pepe" Arce' in actors["Pablo Arce"].aliases
    assert actors["Kenji Mori"].role == "Chief Cabinet Secretary"
    actors = names(run("Senior Colonel Li Wen, a spokesman for the army, said the patrol was routine."))
    assert [a for a in actors if a.endswith("Li Wen")] == ["Li Wen"]
    actors = names(run("Opposition lawmakers walked out of the chamber. Later, opposition lawmakers returned to it."))
    assert "opposition lawmakers" in actors and "Opposition lawmakers" not in actors


def test_a_body_named_after_its_description_is_an_actor():
    actors = names(
        run(
            "Maritime security firm Arcturus said two vessels changed course. French energy group Solvane said it "
            "would leave. The militant group Harakat Zeta claimed it. The Quds Force denied it. "
            "The company Tuesday said nothing."
        )
    )
    assert actors["Arcturus"].type == "Organization" and actors["Solvane"].type == "Organization"
    assert actors["Harakat Zeta"].type == "Group"
    assert actors["Quds Force"].type == "Organization"
    assert "Tuesday" not in actors and "France" not in actors
    actors = names(run("Opposition lawmakers led by the Congress party walked out. The Harmony party objected."))
    assert "Congress party" in actors and "Congress" not in actors  # not the US Congress
    assert actors["Harmony party"].type == "Organization"


def test_unnamed_groups_are_named_with_the_words_that_say_which():
    actors = names(
        run(
            "Drones hit northern separatist militants. Police detained foreign-trained terrorists. "
            "The ministers met Western governments on Monday. Officials blamed groups."
        )
    )
    assert "militants" in actors["northern separatist militants"].aliases
    assert "terrorists" in actors["foreign-trained terrorists"].aliases
    assert actors["Western governments"].type == "Group"
    assert "groups" not in actors  # a bare plural of bodies says not which
    actors = names(
        run("Troops killed militants in the hills. Pakistani-born militants attacked a post. Drones hit civilians.")
    )
    assert "Pakistani-born militants" in actors["militants"].aliases and "Pakistani-born militants" not in actors


# ---------------------------------------------------------------- events


def test_event_roles_items_and_type():
    found = run("Ukraine has been supplying Moldova with grain and fuel.")
    ev = next(e for e in found.events if e.type == "AID")
    assert (ev.source_actor, ev.target_actor) == ("Ukraine", "Moldova")
    assert ev.items == ("grain", "fuel")
    assert ev.evidence.text == found.sentences[0].text


def test_act_done_to_no_one_is_not_emitted():
    assert [e.type for e in run("Officials in Lima said no Chilean citizens had been attacked.").events] == []
    assert run("None of the Bolivian envoys was expelled, La Paz said.").events == ()
    assert "ASSAULT" in [e.type for e in run("Officials in Lima said Chilean citizens had been attacked.").events]


def test_negated_event_is_not_emitted():
    found = run("Brazil has not sent troops to Haiti.")
    assert not [e for e in found.events if e.type == "AID"]


def test_planned_and_expected_modality():
    found = run("Kenya plans to send police officers to Haiti. Chile is expected to sign a deal with Peru.")
    mods = {e.type: e.modality for e in found.events}
    assert mods["AID"] == "Planned"
    assert mods["AGREE"] == "Expected"


def test_event_date_from_relative_expression():
    found = run("Egypt hosted talks with Sudan on Monday.", date="2024-03-13")
    assert [e.date for e in found.events if e.type == "CONSULT"] == ["2024-03-11"]


# ---------------------------------------------------------------- allegations and responses


def test_hedged_allegation_without_claimant():
    found = run("Syria is allegedly supplying Hezbollah with rockets.")
    al = found.allegations[0]
    assert al.claimant == () and al.accused == ("Syria",) and al.hedge == "allegedly"
    assert al.proposition is not None and al.proposition.modality == "Alleged"


def test_according_to_claimant_and_denial_in_a_later_sentence():
    text = (
        "According to Kenyan officials, Somalia has been arming rebels near the border. "
        "Somalia has firmly denied the accusations."
    )
    found = run(text)
    al = found.allegations[0]
    assert al.claimant == ("Kenyan officials",)
    assert al.stance == "denied" and al.denied_by == ("Somalia",)
    assert found.responses[0].kind == "denial" and found.responses[0].responds == (0,)
    rejects = [e for e in found.events if e.type == "REJECT"]
    assert rejects and rejects[0].source_actor == "Somalia"


def test_speech_about_oneself_is_not_an_allegation():
    assert run("Norway said it would host talks with Colombia next month.").allegations == ()


def test_sources_confirm_is_attribution_not_confirmation():
    found = run("Sources confirm that Iran has sent drones to Sudan.")
    assert found.allegations and found.allegations[0].stance == "alleged"
    assert found.allegations[0].claimant == ("sources",)


# ---------------------------------------------------------------- time


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("on Monday", "2024-03-11"),
        ("next Monday", "2024-03-18"),
        ("on Wednesday", "2024-03-13"),
        ("this month", "2024-03"),
        ("last month", "2024-02"),
        ("next month", "2024-04"),
        ("in 2023", "2023"),
        ("last year", "2023"),
        ("on March 3", "2024-03-03"),
        ("March 3, 2021", "2021-03-03"),
        ("in January", "2024-01"),
        ("06.19.24", "2024-06-19"),
        ("yesterday", "2024-03-12"),
    ],
)
def test_relative_dates(text, value):
    assert find_dates(text, "2024-03-13")[0][2] == value


def test_unknown_date_stays_unknown():
    assert find_dates("on Monday", None) == []
    m = TIMEX.search("in May")
    assert m is not None and normalise(m, dt.date(2024, 3, 13)) == "2024-05"
    assert find_dates("officials may meet", "2024-03-13") == []


# ---------------------------------------------------------------- data files


def test_malformed_data_line_names_file_and_line():
    text = "# comment\nname\ttype\nGood\tGroup\nBad\tGroup\textra\n"
    with pytest.raises(DataFileError, match=r"groups\.tsv:4"):
        parse_tsv(text, "groups.tsv", ("name", "type"))
    with pytest.raises(DataFileError, match=r"x\.tsv:1"):
        parse_tsv("wrong\theader\n", "x.tsv", ("name", "type"))


def test_verb_inflection():
    assert {"supplies", "supplied", "supplying"} <= verb_forms("supply", {})
    assert {"visited", "visiting", "visits"} <= verb_forms("visit", {})
    assert "met" in verb_forms("meet", {"meet": ["met"]})


# ---------------------------------------------------------------- robustness


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_any_text_no_crash_and_deterministic(text):
    if not text.strip():
        return
    a = Article(id="h", text=text, source="h", date="2024-01-01")
    assert extract(a) == extract(a)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Russia",
                "said",
                "denied",
                "the",
                "accusations",
                "according to",
                "Mr. Kim",
                ",",
                ".",
                "reportedly",
                "supplying",
                "North Korean",
                "officials",
                "not",
                "visit",
                "Monday",
                "Pyongyang",
                "talks",
                "with",
            ]
        ),
        max_size=40,
    )
)
def test_news_like_word_salad(words):
    text = " ".join(words) or "x"
    a = Article(id="h", text=text, source="h", date="2024-01-01")
    found = extract(a)
    assert found == extract(a)
    for ev in found.events:
        assert ev.evidence in found.sentences

"""Allegation and response rules, on small hand-written sentences."""

from __future__ import annotations

import pytest

from kg.extract import extract
from kg.model import Article


def run(text: str, date: str | None = "2024-03-13"):
    return extract(Article(id="t", text=text, source="t", date=date))


def _props_ok(found) -> None:
    for al in found.allegations:
        assert al.proposition is not None and al.proposition.modality == "Alleged"


def test_every_allegation_carries_an_alleged_proposition():
    # an accusation of something no lexicon types is still an allegation, its act a marked catch-all
    (al,) = run("Norway accused Estonia of bad manners.").allegations
    assert al.accused == ("Estonia",) and al.proposition is not None and al.proposition.kind == "wrongdoing"
    # a claim that is no accusation and names no act is no allegation
    assert run("Norway said Estonia had bad manners.").allegations == ()
    # an act no lexicon names, said by a verb: a wrongdoing of PLOVER's catch-all type
    (al,) = run("Minsk rejected the charge that it had lured the migrants to the border.").allegations
    assert al.proposition is not None and al.proposition.kind == "wrongdoing" and al.stance == "denied"
    texts = [
        "Ghana says Togo has been smuggling fuel across the lagoon, a charge Lome rejects.",
        "The Finnish government has claimed to possess evidence of Belarusian drone use near the frontier.",
        "Bolivia reportedly sold lithium to Iran last year.",
        "Officials in Quito accused Peru of arming smugglers.",
    ]
    for t in texts:
        found = run(t)
        assert found.allegations, t
        _props_ok(found)


def test_stated_intention_is_not_an_allegation():
    assert (
        run("Chilean Foreign Minister Ana Montes said Argentina would send observers to the border.").allegations == ()
    )
    assert run("Egypt said Sudan plans to reopen the crossing within weeks.").allegations == ()


def test_what_a_speaker_says_of_its_own_side_is_not_an_allegation():
    found = run("Peru closed two border crossings with Bolivia on Monday, Peruvian officials said.")
    assert found.allegations == ()


def test_forecast_from_unnamed_people_is_not_an_allegation():
    found = run(
        "Brazil is expected to lift the tariffs on Chile next month, according to people familiar with the plan."
    )
    assert found.allegations == ()


def test_same_sentence_appositive_denial():
    # en_core_web_sm tags "rejects" in "a charge Santiago rejects" as a noun: the words still say it
    found = run("Argentina says Chile funded the strikes in Patagonia, a charge Santiago rejects.")
    assert len(found.allegations) == 1
    al = found.allegations[0]
    assert al.claimant == ("Argentina",) and al.stance == "denied" and al.denied_by == ("Chile",)
    assert "Chile" in al.accused
    _props_ok(found)


def test_appositive_denial_by_a_definite_noun_is_the_accused():
    found = run("Nepalese officials have accused Indian traders of smuggling fuel, an accusation the traders deny.")
    al = found.allegations[0]
    assert al.stance == "denied"


def test_denial_idioms_answer_an_allegation():
    found = run("Norway has accused Russia of jamming GPS signals in the Arctic, a claim the Kremlin brushed aside.")
    assert found.allegations[0].stance == "denied"


def test_pronoun_speaker_in_a_relative_clause():
    found = run("Japan sanctioned three companies that it said had sold missile parts to Iran.")
    assert found.allegations and found.allegations[0].claimant == ("Japan",)
    _props_ok(found)


def test_coordinated_verb_shares_the_subject():
    found = run("Thailand rejected the report and accused Cambodia of shelling a border village.")
    assert found.allegations
    al = found.allegations[0]
    assert al.claimant == ("Thailand",) and al.accused[0] == "Cambodia"


def test_what_x_described_as():
    found = run("Kenyan troops crossed into Somalia on Friday in what Mogadishu described as an invasion by Nairobi.")
    assert found.allegations and found.allegations[0].claimant == ("Somalia",)
    _props_ok(found)


def test_told_that_looks_past_the_listener():
    found = run("Ilves told Latvian President Edgars Rinkevics that he regretted the delay.")
    assert found.allegations == ()


def test_denial_by_a_titled_spokesman_answers_for_the_country_the_title_names():
    # the spokesman speaks for Bolivia: his own side's act, negated, denies the accusation against Bolivia
    said = "said on Tuesday that Bolivian troops had never shelled the posts."
    for who in ("Bolivian army spokesman Juan Rojas", "Juan Rojas, a spokesman for the Bolivian army,"):
        found = run(f"Peru accused Bolivia on Monday of shelling two border posts. {who} {said}")
        (al,) = found.allegations
        assert al.accused == ("Bolivia",) and al.stance == "denied" and al.denied_by == ("Juan Rojas",), who
    # with no title to say whom he speaks for, what someone unknown says of Bolivia's troops denies nothing
    found = run(f"Peru accused Bolivia on Monday of shelling two border posts. Juan Rojas {said}")
    assert found.allegations[0].stance == "alleged"


def test_a_charge_the_accused_denies_after_a_comma_answers_its_own_sentence_only():
    found = run(
        "Chile accused Peru on Monday of jamming its radars. "
        "Ties soured when Quito expelled a Peruvian diplomat last year, accusing its neighbour of hostile acts, "
        "a charge Peru denied."
    )
    first, second = found.allegations
    assert first.claimant == ("Chile",) and first.stance == "alleged", "the charge denied is its own sentence's"
    assert second.accused == ("Peru",) and second.stance == "denied" and second.denied_by == ("Peru",)


def test_having_no_part_in_an_act_is_a_denial_not_an_allegation():
    # "had nothing to do with the bombing": no allegation of the speaker's own, a denial of the claims against it
    found = run(
        "Ghana said on Friday it had nothing to do with the bombing of a police station in Lome. "
        "Togo accused Ghana of arming the bombers."
    )
    (al,) = found.allegations
    assert al.claimant == ("Togo",) and al.stance == "denied" and al.denied_by == ("Ghana",)
    found = run(
        "Togo blamed Ghana for the bombing of a police station in Lome. "
        "Ghana's foreign ministry said Accra had no role in the attack."
    )
    (al,) = found.allegations
    assert al.stance == "denied"
    # disclaiming a part in something that is no act answers nothing
    found = run("Togo accused Ghana of arming rebels. Ghana said it had played no part in drafting the new treaty.")
    (al,) = found.allegations
    assert al.stance == "alleged"


@pytest.mark.parametrize(
    "text",
    [
        "Peru and Chile accused each other of violating the truce.",
        "Fighting broke out along the border between Peru and Chile on Tuesday, killing ten soldiers, "
        "with each government accusing the other of starting it.",
        "Both sides blamed one another for the collapse of the talks between Lima and Santiago.",
    ],
)
def test_each_side_accusing_the_other_is_two_allegations_each_denied_by_the_other(text):
    found = run(text)
    got = sorted((al.claimant, al.accused, al.stance, al.denied_by) for al in found.allegations)
    assert got == [
        (("Chile",), ("Peru",), "denied", ("Peru",)),
        (("Peru",), ("Chile",), "denied", ("Chile",)),
    ]
    _props_ok(found)


def test_rejecting_a_charge_also_denies_the_same_charge_made_elsewhere_against_that_side():
    found = run(
        "Chile accused Bolivia of shelling its border posts. Ecuador accused Bolivia of smuggling cocaine. "
        "La Paz rejected the charge that it had shelled the posts."
    )
    shelling, smuggling, charge = found.allegations
    assert charge.stance == "denied" and charge.denied_by == ("Bolivia",)
    assert shelling.claimant == ("Chile",) and shelling.stance == "denied" and shelling.denied_by == ("Bolivia",)
    # a charge of another kind of act is not answered by it
    assert smuggling.claimant == ("Ecuador",) and smuggling.stance == "alleged"


def test_second_verb_of_a_speaker_joined_to_the_reported_clause_is_still_the_speakers():
    # the parser hangs "accused" on "was" (subject: "the crowd"); the accusation is Ruiz's
    (al,) = run(
        "Ana Ruiz told a Bolivian radio network that the crowd was a mob of paid thugs, "
        "and accused Bolivia of paying them."
    ).allegations
    assert al.claimant == ("Ana Ruiz",) and al.accused == ("Bolivia",)


def test_counter_claims_deny_each_other_only_about_the_same_kind_of_act():
    found = run("Chile said Peruvian troops had shelled its border posts. Peru said Chilean troops had attacked first.")
    assert [al.stance for al in found.allegations] == ["denied", "denied"]
    found = run(
        "Chile said Peruvian troops had shelled its border posts. "
        "Peru accused Chile of smuggling weapons across the border."
    )
    assert [al.stance for al in found.allegations] == ["alleged", "alleged"]


def test_an_allegation_x_denied_is_read_off_the_words_when_the_parse_breaks_it_up():
    # the parser makes "an allegation Bogota" an apposition of "the ELN" and "denied" the sentence's root
    found = run(
        "Officials in Quito have accused Colombia of sheltering the ELN, an allegation Bogota has repeatedly denied."
    )
    (al,) = found.allegations
    assert al.accused == ("Colombia",) and al.stance == "denied" and al.denied_by == ("Colombia",)
    (reject,) = [e for e in found.events if e.type == "REJECT"]
    assert reject.source_actor == "Colombia"


def test_a_claim_its_sentence_calls_a_charge_someone_rejects_is_an_allegation():
    # no act any lexicon names, but the sentence itself calls what Ecuador says a contested charge
    found = run("Ecuador says Colombian banks enjoy cheap state credit, an accusation Bogota rejects.")
    (al,) = found.allegations
    assert al.claimant == ("Ecuador",) and al.stance == "denied" and al.denied_by == ("Colombia",)
    _props_ok(found)
    # without the charge, the same claim is a report
    assert run("Ecuador says Colombian banks enjoy cheap state credit.").allegations == ()


def test_an_account_someone_disputes_is_a_contested_claim_not_an_accusation():
    found = run("Quito said the talks had been held at Lima's request, an account that Peruvian officials disputed.")
    (al,) = found.allegations
    assert al.claimant == ("Ecuador",) and al.stance == "denied" and al.denied_by == ("Peruvian officials",)
    assert "ACCUSE" not in [e.type for e in found.events]  # an account disputed is no accusation
    found = run("Ecuador says Colombian banks enjoy cheap state credit, an accusation Bogota rejects.")
    assert "ACCUSE" in [e.type for e in found.events]


def test_a_rejection_is_aimed_at_whoever_made_the_claim_its_denial_answers():
    from kg.extract.allegations import _roles_from_claims
    from kg.model import Actor, Allegation, Event, Response, Span

    said = Span(0, 40, "Peru said Bolivian troops shelled Ollague.")
    denial = Span(41, 90, "Bolivia denied the attack on Ollague.")
    actors = {
        "Peru": Actor("Peru", "Country"),
        "Bolivia": Actor("Bolivia", "Country"),
        "Ollague": Actor("Ollague", "Person"),  # a place the recogniser took for a name
        "Peruvian army": Actor("Peruvian army", "Organization", affiliation="Peru"),
    }
    allegation = Allegation(claimant=("Peru",), accused=("Bolivia",), claim="...", evidence=said)
    response = Response(kind="denial", claimant=("Bolivia",), evidence=denial, responds=(0,))

    def target(guessed):
        reject = Event(type="REJECT", label="rejection", evidence=denial, source_actor="Bolivia", target_actor=guessed)
        (out,) = _roles_from_claims((reject,), [allegation], [response], actors)
        return out.target_actor

    assert target(None) == "Peru"
    assert target("Ollague") == "Peru"  # a guess on no claimant's side gives way to the claimant
    assert target("Peruvian army") == "Peruvian army"  # one on the claimant's side stands


def test_calling_an_act_a_wrong_accuses_whoever_did_it():
    raid = "Chilean troops stormed the Bolivian consulate in Arica on Friday. "
    called = "Bolivia called the raid a flagrant violation of international law. "
    (al,) = run(raid + called + "Chile denied that its troops had broken any international rules.").allegations
    assert al.claimant == ("Bolivia",) and al.accused == ("Chilean troops",)
    assert al.stance == "denied" and al.denied_by == ("Chile",)
    # owning the act is not owning the name given to it
    (al,) = run(raid + called + "Chile acknowledged carrying out the raid.").allegations
    assert al.stance == "alleged"
    # a name held back is no accusation
    assert run("Peru has stopped short of describing the incident as an attack.").allegations == ()
    assert run("Peru called the talks a success.").allegations == ()


def test_admitting_the_act_a_claim_inside_it_tells_confirms_that_claim_and_accuses_the_admitter():
    found = run(
        "The Peruvian army admitted carrying out a strike on a village "
        "that residents said had killed dozens of civilians."
    )
    (al,) = found.allegations
    assert al.claimant == ("residents",) and al.accused == ("Peruvian army",)
    assert al.stance == "confirmed" and al.confirmed_by == ("Peruvian army",)


@pytest.mark.parametrize(
    "answer",
    [
        "Lima has neither confirmed nor denied shelling the posts.",
        "Lima did not deny the accusation.",
        "Peruvian officials said they could not confirm the reports.",
    ],
)
def test_a_negated_denial_or_confirmation_answers_nothing(answer):
    (al,) = run(f"Chile accused Peru of shelling its border posts. {answer}").allegations
    assert al.stance == "alleged" and al.denied_by == () and al.confirmed_by == ()


def test_losses_counted_with_no_doer_named_accuse_no_one():
    assert run("Eleven of its soldiers were wounded, the Chilean army said.").allegations == ()
    assert run("Peru said four peacekeepers were wounded in the shelling.").allegations == ()
    # a doer named, or an arrest (which has its doer whether named or not), is still alleged
    (al,) = run("Chile said its troops had been attacked by Peruvian soldiers.").allegations
    assert al.accused == ("Peruvian soldiers",)
    assert len(run("Thousands of people have reportedly been arrested, Chilean officials said.").allegations) == 1


def test_the_victims_of_an_act_with_no_doer_are_not_its_accused():
    found = run("Ecuadorean officials said a drone strike had killed three Peruvian soldiers near the border.")
    assert all("Peruvian soldiers" not in al.accused and "Peru" not in al.accused for al in found.allegations)


def test_a_claim_noun_the_denier_names_with_its_content_is_a_denied_allegation():
    # the claim is told only as what is denied: "denied the claim that ..." is an allegation, denied
    (al,) = run("Ghana denied the Togolese claim that its navy had rammed a fishing boat.").allegations
    assert al.stance == "denied" and al.denied_by == ("Ghana",) and al.accused == ("Ghana",)
    _props_ok(run("Ghana denied the Togolese claim that its navy had rammed a fishing boat."))
    # a claim told by a phrase only points back to one made before: no allegation of its own
    found = run(
        "Latvia accused Estonia of massing troops near Valga. Estonia dismissed the reports of a build-up as lies."
    )
    (al,) = found.allegations
    assert al.claimant == ("Latvia",) and al.stance == "denied"


def test_retort_aimed_at_a_claim_denies_it():
    # "hit back at claims from X that ...": the parser hangs the "that" clause on the verb; it is the claim's
    (al,) = run("Uganda hit back at claims from Kenya that it had armed the rebels.").allegations
    assert al.claimant == ("Kenya",) and al.stance == "denied" and al.denied_by == ("Uganda",)


def test_called_false_before_its_claim_noun():
    (al,) = run("Uganda called ridiculous the suggestion that it had armed the rebels.").allegations
    assert al.stance == "denied" and al.denied_by == ("Uganda",)


def test_rejecting_any_suggestion_is_a_blanket_denial_not_a_claim():
    assert run("Uganda called ridiculous any suggestion that it had armed the rebels.").allegations == ()
    found = run(
        "Kenya accused Uganda of arming the rebels. "
        "Ugandan officials rejected any suggestion that they were to blame and accused Kenya of stirring up trouble."
    )
    assert [(al.claimant, al.stance) for al in found.allegations] == [
        (("Kenya",), "denied"),
        (("Ugandan officials",), "alleged"),
    ]
    (counter,) = [al for al in found.allegations if al.claimant == ("Ugandan officials",)]
    assert counter.accused == ("Kenya",) and counter.claim.startswith("stirring up trouble")


def test_saying_another_side_was_behind_or_responsible_for_an_act_accuses_it():
    for text in (
        "The Malawian government said Zambia was behind the bombing of the bridge.",
        "Malawian officials said Zambia was responsible for the bombing of the bridge.",
        "Malawian officials said Zambia was to blame for the bombing of the bridge.",
    ):
        found = run(text)
        (al,) = found.allegations
        assert al.accused == ("Zambia",) and al.proposition is not None and al.proposition.type == "ASSAULT", text
        assert "Zambia" not in al.claimant, text
        _props_ok(found)


def test_holding_another_side_responsible_accuses_it():
    (al,) = run("Malawi holds Zambia responsible for the bombing of the bridge.").allegations
    assert al.claimant == ("Malawi",) and al.accused == ("Zambia",)
    # a warning about any future act alleges nothing
    assert run("Malawi will hold Zambia responsible for any attack on the bridge.").allegations == ()


def test_reported_citing_a_source_before_the_that_clause():
    # the parser makes the reported clause the root and the verb of saying its complement
    found = run("Ethiopian state media reported, citing officials, that Eritrean troops had shelled a border town.")
    (al,) = found.allegations
    assert al.claimant == ("Ethiopian state media",) and al.claim.startswith("Eritrean troops")
    _props_ok(found)


def test_troops_crossing_in_and_beatings_are_wrongs_when_another_side_does_them():
    (al,) = run("Ethiopian state media said Eritrean troops had crossed the border.").allegations
    assert al.proposition is not None and al.proposition.type == "MOBILIZE"
    (al,) = run("Serbian media reported that Kosovo police had beaten detained protesters.").allegations
    assert al.proposition is not None and al.proposition.type == "ASSAULT"
    # one's own troops crossing is told, not alleged
    assert run("The Ethiopian army said its troops had crossed the river.").allegations == ()


def test_the_summing_up_phrase_is_no_part_of_the_claim():
    found = run("Congo's army said on Tuesday that Rwandan troops had shelled Goma, a claim Kigali denied.")
    (al,) = found.allegations
    assert al.stance == "denied" and "Kigali" not in al.claim and "denied" not in al.claim
    assert al.proposition is not None and al.proposition.type == "ASSAULT"
    (reject,) = [e for e in found.events if e.type == "REJECT"]
    assert reject.modality == "Occurred"  # the denial is told as fact, not alleged with the claim
    found = run("Morocco accuses Algeria of arming the rebels, which Algiers denies.")
    (al,) = found.allegations
    assert al.stance == "denied" and "denies" not in al.claim
    assert [e.modality for e in found.events if e.type == "REJECT"] == ["Occurred"]


def test_an_account_its_sentence_says_the_other_side_rejects_accuses_that_side():
    found = run("Armenian officials said at least 50 people had been killed, an account Azerbaijan rejected.")
    (al,) = found.allegations
    assert al.accused == ("Azerbaijan",) and al.stance == "denied"
    assert any(e.type == "ACCUSE" and e.target_actor == "Azerbaijan" for e in found.events)


def test_the_accused_is_who_did_the_first_wrong_not_who_answered_it():
    found = run(
        "The Indian defence minister said Chinese soldiers had crossed into Tawang and Indian troops forced them back."
    )
    (al,) = found.allegations
    assert al.accused == ("Chinese soldiers",)
    assert al.proposition is not None and al.proposition.type == "MOBILIZE"


def test_a_statement_or_report_says_for_whoever_issued_it():
    found = run("A statement from the Malian army said Algerian aircraft had bombed a village.")
    (al,) = found.allegations
    assert al.claimant == ("Malian army",) and al.accused == ("Algeria",)


def test_claiming_responsibility_no_one_alleged_is_the_claimant_s_own_allegation():
    found = run("Boko Haram took responsibility for Sunday's bombing in Maiduguri.")
    (al,) = found.allegations
    assert al.claimant == ("Boko Haram",) and al.accused == ("Boko Haram",) and al.stance == "alleged"
    assert al.proposition is not None and al.proposition.source_actor == "Boko Haram"
    # once others have blamed the group, its claim confirms theirs
    found = run(
        "Kenyan officials blamed al-Shabaab for the bombing in Mandera. "
        "Al-Shabaab later claimed responsibility for the attack."
    )
    (al,) = found.allegations
    assert al.claimant == ("Kenyan officials",) and al.stance == "confirmed"
    # claiming nothing owns nothing
    assert run("Al-Shabaab has not claimed responsibility for the attack in Mandera.").allegations == ()
    assert run("Gunmen attacked a police station in Kalo. No group has claimed responsibility.").allegations == ()


def test_saying_the_claims_are_false_denies_them():
    for answer in (
        "Peru said the claims were baseless.",
        "The accusations are baseless, the Peruvian foreign ministry said.",
        "Peru called the report fabricated.",
    ):
        (al,) = run(f"Chile accused Peru of shelling a border post. {answer}").allegations
        assert al.stance == "denied" and al.denied_by and al.claimant == ("Chile",), answer
    # a report called fabricated is no claim of its own
    found = run(
        "A Chilean newspaper reported that Peruvian agents had kidnapped a dissident. "
        "Peru called the report fabricated."
    )
    (al,) = found.allegations
    assert al.stance == "denied" and al.denied_by == ("Peru",)


def test_the_of_of_a_passive_accusation_hangs_on_its_agent():
    (al,) = run("Togo has been accused by rights groups of torturing prisoners.").allegations
    assert al.accused == ("Togo",) and al.claim == "torturing prisoners"


def test_a_warning_that_another_side_plans_an_attack_is_an_allegation():
    (al,) = run("Ghana warned that Togo was planning an attack on its border posts.").allegations
    assert al.claimant == ("Ghana",) and al.accused == ("Togo",)


def test_an_act_in_a_condition_is_not_alleged():
    assert run("Peru said it would retaliate if Chile attacked.").allegations == ()
    assert run("Peru said it would respond unless Chile withdrew its troops.").allegations == ()


def test_a_casualty_count_whose_killer_is_an_unattributed_act_accuses_no_one():
    assert run("Medical sources said the strike killed 10 people.").allegations == ()
    assert run("Officials said the blast killed 10 people.").allegations == ()
    # a doer named in the act's own words still stands accused
    (al,) = run("Medical sources said an Israeli strike killed 10 people.").allegations
    assert al.accused == ("Israel",)


def test_a_false_word_tagged_otherwise_still_denies():
    (al,) = run(
        "Ghana accused Togo of shelling Aflao. "
        "A Togolese government spokesman told Reuters the accusations were nonsense."
    ).allegations
    assert al.stance == "denied" and al.denied_by == ("Togo",)


def test_a_pronoun_speaker_is_the_subject_told_before():
    # "its" is the previous sentence's subject, not the last country it named
    (al,) = run(
        "Ghana recalled its ambassador from Lome on Monday. "
        "Its defence ministry said Togolese troops had shelled Aflao."
    ).allegations
    assert al.claimant == ("Ghana",) and al.accused == ("Togolese troops",)
    (al,) = run(
        "The Ghanaian army reported heavy fighting with Togo. It said Togolese troops had shelled Aflao."
    ).allegations
    assert al.claimant == ("Ghanaian army",)


def test_a_verb_that_frames_a_claim_is_not_what_the_claim_tells():
    # "what he called ...": the calling is the speaker's, not an act the accused is alleged to have done
    found = run(
        "Kosovo Prime Minister Albin Kurti said the police had acted lawfully. At a news conference in Belgrade, "
        "Serbian President Aleksandar Vucic said Kurti wanted a conflict with NATO. He said 52 Serbs had been "
        "injured and complained that KFOR had failed to prevent what he called the illegal takeover of the town halls."
    )
    (al,) = [a for a in found.allegations if "KFOR" in a.claim]
    assert al.claimant == ("Aleksandar Vucic",) and al.accused == ("KFOR",)


def test_an_act_a_named_side_tells_with_no_one_to_blame_is_no_allegation():
    assert run("The Ghanaian army said soldiers fired tear gas to push the crowd back.").allegations == ()
    assert run("Ghana said 4,000 people had gathered at the crossing.").allegations == ()
    # what witnesses tell is their claim, and a doer qualified as someone's is blamed even unnamed
    assert run("Witnesses said soldiers opened fire on the crowd.").allegations
    assert run("Congo said Rwandan-backed rebels had seized the town of Bunagana.").allegations


def test_not_saying_is_no_claim_but_the_writer_s_hedge_is():
    assert run("Ghana has not said whether Togolese troops shelled Aflao.").allegations == ()
    (al,) = run(
        "Togolese authorities have not said how many people were detained, though thousands have reportedly been "
        "arrested."
    ).allegations
    assert al.hedge == "reportedly" and al.claimant == ()


def test_denials_by_untruth():
    for answer in (
        "Peru said the report was not true.",
        "Peru said there was no truth to the accusations.",
        "Peru said the accusations had no basis.",
        "Peru said its army had not fired a single shell.",
    ):
        (al,) = run(f"Chile accused Peru of shelling a border post. {answer}").allegations
        assert al.stance == "denied" and al.denied_by == ("Peru",), answer
    # a true report, or a report not denied, is no denial
    for answer in ("Peru said the report was true.", "Peru has not denied the report."):
        (al,) = run(f"Chile accused Peru of shelling a border post. {answer}").allegations
        assert al.stance == "alleged", answer


def test_a_denied_claim_and_a_counter_accusation_in_one_sentence_are_two():
    found = run("Ghana denied the claim that its troops were to blame and accused Togo of shelling the market.")
    by_cue = {al.hedge: al for al in found.allegations}
    assert by_cue["claim"].stance == "denied" and by_cue["claim"].accused == ("Ghana",)
    assert "accused" not in by_cue["claim"].claim
    assert by_cue["accused"].claimant == ("Ghana",) and by_cue["accused"].accused == ("Togo",)


def test_the_writer_s_alleged_on_a_noun_is_a_hedge():
    (al,) = run("Togo's alleged shelling of Aflao drew condemnation from the African Union.").allegations
    assert al.hedge == "alleged" and al.accused == ("Togo",) and al.claimant == ()
    (al,) = run("Ghana recalled its ambassador over Togo's alleged role in the attack on Aflao.").allegations
    assert al.accused == ("Togo",)


def test_according_to_a_statement_and_a_chain_of_frames_keep_the_claimant():
    (al,) = run("Togolese troops shelled Aflao overnight, according to a statement from the Ghanaian army.").allegations
    assert al.claimant == ("Ghanaian army",)
    # "X said the evidence showed that ...": one claim, X's
    (al,) = run("Ghana said the evidence showed that Togo had supplied the weapons.").allegations
    assert al.claimant == ("Ghana",) and al.accused == ("Togo",)


def test_a_counter_accusation_of_an_unnamed_wrong_is_no_mutual_denial():
    found = run(
        "Ghana accused Togo of piracy near the port. "
        "Togolese officials rejected the accusation and accused Ghana of stirring up trouble at the border."
    )
    stances = {al.claimant: al.stance for al in found.allegations}
    assert stances[("Ghana",)] == "denied" and stances[("Togolese officials",)] == "alleged"
    # told by the same word, two sides' accounts of one act deny each other
    found = run("Ghana and Togo accused each other of starting the fighting on the border.")
    assert [al.stance for al in found.allegations] == ["denied", "denied"]


def test_what_a_denier_says_of_the_other_side_in_the_same_breath_is_a_counter_claim():
    found = run(
        "Guyana accused Suriname of detaining three fishermen. Surinamese President Chan Santokhi called the "
        'accusation "baseless" and said Georgetown was trying to distract from domestic problems.'
    )
    by_claimant = {al.claimant: al for al in found.allegations}
    assert by_claimant[("Guyana",)].stance == "denied"
    counter = by_claimant[("Chan Santokhi",)]
    assert counter.accused == ("Guyana",) and counter.stance == "alleged"
    # what it says of itself is no counter-claim
    found = run(
        "Guyana accused Suriname of detaining three fishermen. Surinamese President Chan Santokhi called the "
        'accusation "baseless" and said Suriname was committed to good relations.'
    )
    assert [al.claimant for al in found.allegations] == [("Guyana",)]


def test_a_wrong_another_side_wages_or_steps_up_is_alleged():
    (al,) = run(
        "Lithuania's foreign minister said Russia was waging a hybrid war against its neighbours, "
        "including cyberattacks on government websites."
    ).allegations
    assert al.accused == ("Russia",)
    assert run("Lithuania said Russia was investigating the cyberattacks on government websites.").allegations == ()
    # the wrong in the verb's own object is the act alleged, and a denial of that kind answers it
    found = run(
        "Sudan said the UAE had stepped up its backing for the RSF after the army's gains, and that Sudan would "
        "answer the aggression. The UAE has repeatedly denied arming the RSF."
    )
    (al,) = found.allegations
    assert al.proposition is not None and al.proposition.type == "AID" and al.stance == "denied"


def test_whom_an_act_is_aimed_at_is_not_its_accused():
    (al,) = run("Ghana expelled a diplomat, accusing him of spying on Togolese officials.").allegations
    assert al.accused == () and al.claimant == ("Ghana",)


def test_a_nominal_act_names_its_doer_with_by():
    (al,) = run("Armenia said its troops had returned fire in response to shelling by Azerbaijani forces.").allegations
    assert al.claimant == ("Armenia",) and al.accused == ("Azerbaijani forces",)


def test_a_quotation_that_goes_on_past_its_attribution_keeps_its_speaker():
    (al,) = run(
        '"We will defend our border," the Ghanaian army said. '
        '"Togolese gunboats shelled Aflao on Sunday and killed two farmers."'
    ).allegations
    assert al.claimant == ("Ghanaian army",) and al.accused == ("Togo",)
    # an unattributed quotation after no quotation has no speaker to go on with
    assert (
        run(
            'The Ghanaian army said it would defend the border. "Togolese gunboats shelled Aflao on Sunday."'
        ).allegations
        == ()
    )


def test_confirming_a_fact_that_names_no_act_confirms_no_claim():
    (al,) = run(
        "Chad accused Sudan of bombing a refugee camp. "
        "Sudan confirmed the deaths but denied responsibility for the strike."
    ).allegations
    assert al.stance == "denied" and al.confirmed_by == ()
    # confirming the act itself does
    (al,) = run("Chad accused Sudan of bombing a refugee camp. Sudan confirmed the strike.").allegations
    assert al.stance == "confirmed"


def test_a_wrong_done_by_a_qualified_doer_that_is_no_actor_is_alleged():
    (al,) = run(
        "Opposition leader Hakainde Banda told supporters that security forces had fired live rounds at demonstrators."
    ).allegations
    assert al.claimant == ("Hakainde Banda",) and al.proposition is not None
    # a bare doer, or one's own side's movement, is not
    assert run("Hakainde Banda told supporters that soldiers had fired live rounds.").allegations == ()
    assert run("Hakainde Banda said security forces had crossed the river.").allegations == ()


def test_a_joint_act_officials_tell_is_no_claim_unless_the_source_hides():
    found = run("Kenya and Tanzania signed an agreement on Monday to extend a railway line, Western diplomats said.")
    assert found.allegations == ()
    assert run(
        "Kenya and Tanzania signed a secret agreement on Monday, Western diplomats said on condition of anonymity."
    ).allegations


def test_accusing_both_sides_accuses_the_two_named_together_before():
    (al,) = run(
        "Fighting between the Sudanese army and the Rapid Support Forces has killed thousands. "
        "The United States has accused both sides of committing war crimes."
    ).allegations
    assert al.accused == ("Sudanese army", "Rapid Support Forces")


def test_another_side_failing_an_undertaking_is_an_alleged_breach():
    (al,) = run("Ghana says Togo has never honoured the border agreement it signed in 2019.").allegations
    assert al.accused == ("Togo",) and al.proposition is not None and al.proposition.type == "REJECT"
    (al,) = run("Ghana said Togolese troops had not respected the ceasefire.").allegations
    assert al.accused == ("Togolese troops",)
    # one's own side not keeping it is no accusation, nor is keeping it
    assert run("Ghana said it had not yet implemented the agreement.").allegations == ()
    assert run("Ghana said Togo had honoured the agreement.").allegations == ()


def test_having_no_intention_of_an_act_disclaims_it():
    found = run(
        "Latvia accused Estonia of massing troops near Valga. Estonia said it had no intention of sending its army "
        "into Latvia."
    )
    (al,) = found.allegations
    assert al.claimant == ("Latvia",)


def test_a_definite_body_no_actor_names_telling_an_act_of_no_one_alleges_nothing():
    assert run("The army said it had killed 20 militants who attacked a checkpoint.").allegations == ()
    # a doer said to be someone's is still blamed
    assert run("The army said Togolese militants had attacked a checkpoint.").allegations


def test_calling_the_claims_a_ploy_or_politically_motivated_denies_them():
    for answer in (
        "In a statement, Togo said the allegations were an attempt to tarnish its image.",
        "The accusations are politically motivated, Togo's foreign minister said.",
    ):
        (al,) = run(f"Ghana accused Togo of arming the rebels. {answer}").allegations
        assert al.stance == "denied", answer
    # said of an act, not of a claim, it denies nothing
    (al,) = run("Ghana accused Togo of arming the rebels. Togo said the attack was motivated by revenge.").allegations
    assert al.stance == "alleged"


def test_strikes_told_before_are_their_doer_s_and_no_one_harmed_is_no_act():
    (al,) = run(
        "Turkish warplanes struck 25 targets in northern Iraq on Tuesday, the Turkish defence ministry said. "
        "Officials in Iraq's Kurdistan region said the strikes had hit a village near Amadiya, killing two shepherds."
    ).allegations
    assert al.accused == ("Turkey",)
    # a side describing what it struck, and that no one was harmed, alleges nothing
    assert (
        run(
            "The Turkish defence ministry said the targets were depots used by the militants and that no civilians "
            "had been harmed."
        ).allegations
        == ()
    )
    # an act still alleged: "used" with its doer
    assert run("The United States said Syria had used chemical weapons in Douma.").allegations


def test_a_plural_summing_up_needs_no_article():
    (al,) = run("Ghana has repeatedly accused Togo of arming the rebels, allegations Lome denies.").allegations
    assert al.stance == "denied" and al.denied_by == ("Togo",)

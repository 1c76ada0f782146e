"""Event coding on short texts written for these tests."""


def _coded(record):
    names = {a.id: a.name for a in record.actors}
    return [(e.event, e.mode, sorted(names[i] for i in e.actor), sorted(names[i] for i in e.recipient),
             e.date, e.planned, e.negated) for e in record.events]


def test_phone_call_and_visit(code):
    record = code("Japanese Prime Minister Sanae Takaichi spoke by phone with Australian Prime Minister "
                  "Anthony Albanese on Thursday.\nShe will visit Canberra on Monday.", published="2025-11-14T09:00:00")
    coded = _coded(record)
    assert ("CONSULT", "phone", ["Sanae Takaichi"], ["Anthony Albanese"], "2025-11-13", False, False) in coded
    visit = [c for c in coded if c[0] == "AGREE"]
    assert visit and visit[0][4] == "2025-11-17" and visit[0][5] is True


def test_sanctions_on_a_group(code):
    record = code("The United States on Tuesday imposed sanctions on six senior Venezuelan officials.",
                  published="2025-11-19T21:10:00")
    assert ("SANCTION", "discontinue", ["United States"], ["Venezuela"], "2025-11-18", False, False) in _coded(record)


def test_accusation_of_armed_forces(code):
    record = code("On Wednesday, New Delhi accused Pakistani forces of providing cover for militants.",
                  published="2025-12-04T11:50:00")
    (event,) = record.events
    assert event.event == "ACCUSE" and event.date == "2025-12-03"
    recipient = next(a for a in record.actors if a.id == event.recipient[0])
    assert (recipient.country, recipient.sector) == ("PAK", "MIL")


def test_negated_meeting(code):
    record = code("Iranian Foreign Minister Abbas Araghchi did not meet German Foreign Minister Johann Wadephul.")
    (event,) = record.events
    assert event.event == "CONSULT" and event.negated


def test_statement_alone_is_no_event(code):
    record = code("German Chancellor Friedrich Merz said the economy would recover next year.")
    assert record.events == []


def test_one_multilateral_meeting_is_one_event(code):
    record = code("French President Emmanuel Macron met Italian Prime Minister Giorgia Meloni and "
                  "Polish Prime Minister Donald Tusk in Rome on Friday.")
    coded = _coded(record)
    assert len(coded) == 1
    assert coded[0][3] == ["Donald Tusk", "Giorgia Meloni"] and coded[0][4] == "2025-12-26"
    assert record.events[0].location.country == "ITA"


def test_ids_are_deterministic(code):
    text = "Kenyan President William Ruto hosted Ethiopian Prime Minister Abiy Ahmed in Nairobi on Monday."
    assert code(text).to_dict() == code(text).to_dict()


def _countries(record, event):
    by_id = {a.id: a for a in record.actors}
    return (sorted(by_id[i].country for i in event.actor), sorted(by_id[i].country for i in event.recipient))


def _only(record, event_type):
    found = [e for e in record.events if e.event == event_type]
    assert found, [(e.event, e.event_text) for e in record.events]
    return found[0]


def test_demanded_clause_subject_is_recipient(code):
    record = code("Brazil demanded that Venezuela release the detained journalists.")
    assert _countries(record, _only(record, "REQUEST")) == (["BRA"], ["VEN"])


def test_said_must_is_a_demand_on_the_clause_subject(code):
    record = code("Kenya said on Monday that Somalia must withdraw its troops from the border.")
    assert _countries(record, _only(record, "REQUEST")) == (["KEN"], ["SOM"])


def test_said_with_perfect_have_is_no_demand(code):
    record = code("Kenya said on Monday that Somalia has withdrawn its ambassador.")
    assert not [e for e in record.events if e.event == "REQUEST"]


def test_owner_of_a_rejected_proposal_is_recipient(code):
    record = code("Chile on Tuesday rejected a Peruvian proposal to redraw the maritime border.")
    assert _countries(record, _only(record, "REJECT")) == (["CHL"], ["PER"])


def test_nationality_on_the_object_gives_the_recipient(code):
    record = code("Colombian troops attacked a camp for Venezuelan refugees on Sunday.")
    assert _countries(record, _only(record, "ASSAULT")) == (["COL"], ["VEN"])


def test_promise_under_unless_is_a_threat_on_the_condition_subject(code):
    record = code("Ghana announced that it will withdraw its peacekeepers from Mali unless Bamako holds elections.")
    event = _only(record, "THREATEN")
    assert _countries(record, event)[0] == ["GHA"] and "MLI" in _countries(record, event)[1]


def test_place_of_the_act_receives_it_when_no_one_is_named(code):
    record = code("Turkey lifted a night curfew in Cyprus on Monday.")
    assert _countries(record, _only(record, "CONCEDE")) == (["TUR"], ["CYP"])


def test_place_of_a_meeting_is_not_a_recipient(code):
    record = code("Chile and Peru agreed on Monday to meet in Geneva next week.")
    assert all("CHE" not in _countries(record, e)[1] for e in record.events)


def test_subject_of_willing_to_is_the_actor(code):
    record = code("Armenia says it is willing to withdraw its troops from Azerbaijan.")
    event = _only(record, "AGREE")
    assert _countries(record, event) == (["ARM"], ["AZE"])


def test_nationality_of_an_attack_noun_gives_the_actor(code):
    record = code("Russian missile strikes killed three Ukrainian soldiers near Kharkiv on Monday.")
    assert _countries(record, _only(record, "ASSAULT")) == (["RUS"], ["UKR"])


def test_protest_naming_no_one_is_aimed_at_home(code):
    record = code("Kenyan demonstrators rioted in Nairobi on Tuesday.")
    actor, recipient = _countries(record, _only(record, "PROTEST"))
    assert actor == ["KEN"] and recipient == ["KEN"]


def test_a_demanded_act_is_not_coded_as_done(code):
    record = code("Jordan demanded that Syria lift the curfew in Daraa.")
    assert [e.event for e in record.events] == ["REQUEST"]


def test_a_promised_endorsement_is_an_agreement(code):
    record = code("Greece said it will support the Bulgarian bid for membership.")
    assert "AGREE" in [e.event for e in record.events] and "SUPPORT" not in [e.event for e in record.events]


def test_an_attack_with_no_named_attacker_is_kept_without_actor(code):
    record = code("Two Malian soldiers were killed in a car bombing near Gao on Friday.")
    (event,) = [e for e in record.events if e.event == "ASSAULT"]
    assert event.actor == [] and _countries(record, event)[1] == ["MLI"]


def test_demand_noun_with_its_clause_on_the_verb(code):
    record = code("Norway reiterated its demand on Monday that Russia release the fishermen.")
    assert _countries(record, _only(record, "REQUEST")) == (["NOR"], ["RUS"])
    assert [e.event for e in record.events] == ["REQUEST"]


def test_their_meeting_is_held_by_the_subject(code):
    record = code("A delegation of Chilean diplomats held their first meeting with Peru's foreign minister on Friday.")
    assert _countries(record, _only(record, "CONSULT"))[0] == ["CHL"]


def test_an_announced_boycott_is_a_threat(code):
    record = code("Ecuadorian farmers said they would boycott all trade with Peru.")
    event = _only(record, "THREATEN")
    assert event.mode == "restrict" and _countries(record, event) == (["ECU"], ["PER"])
    assert [e.event for e in record.events] == ["THREATEN"]


def test_they_is_the_plural_group_that_spoke(code):
    record = code("Nepalese rebels said they will release the hostages.")
    assert _countries(record, _only(record, "AGREE"))[0] == ["NPL"]


def test_subject_reaches_through_a_preposition(code):
    record = code("Kosovar youths resorted to throwing stones at Serbian police on Friday.")
    assert _countries(record, _only(record, "PROTEST"))[0] == ["XKX"]


def test_a_declaration_demanding_is_the_issuer_s_demand(code):
    record = code("The Ugandan opposition issued a statement demanding that Kenya return the refugees.")
    assert _countries(record, _only(record, "REQUEST")) == (["UGA"], ["KEN"])


def test_a_quantity_of_aid_is_aid(code):
    record = code("Japan will provide 3,000 tons of food aid to Haiti.")
    assert _countries(record, _only(record, "AGREE")) == (["JPN"], ["HTI"])


def test_particle_after_the_object_counts(code):
    record = code("Hanoi forced the Swedish aid agency out of the country on Monday.")
    assert _countries(record, _only(record, "SANCTION"))[0] == ["VNM"]


def test_a_programme_for_a_country_names_who_loses_it(code):
    record = code("Canada suspended part of its development programme for Mali.")
    assert _countries(record, _only(record, "SANCTION")) == (["CAN"], ["MLI"])


def test_the_subject_of_a_passive_is_the_subject_of_its_conjunct(code):
    record = code("Kenya's interior minister was censured by parliament and will resign.")
    assert _countries(record, _only(record, "AGREE"))[0] == ["KEN"]  # a promised resignation, not parliament's


def test_a_misspelt_country_is_still_the_country(code):
    record = code("Ethopia rejected the Guyanese proposal on Tuesday.")
    assert _countries(record, _only(record, "REJECT")) == (["ETH"], ["GUY"])


def test_the_passive_subject_s_nationality_is_the_recipient(code):
    record = code("A convoy of Sudanese refugees was attacked by Chadian militiamen on Monday.")
    assert _countries(record, _only(record, "ASSAULT")) == (["TCD"], ["SDN"])


def test_the_shot_are_not_the_shooters(code):
    record = code("A Chilean student was shot and killed by Bolivian border guards on Sunday.")
    event = _only(record, "ASSAULT")
    assert _countries(record, event)[1] == ["CHL"] and "CHL" not in _countries(record, event)[0]


def test_passive_retreat_keeps_its_actor(code):
    record = code("Hundreds of Colombian guerrillas were demobilized on Sunday.")
    assert _countries(record, _only(record, "RETREAT"))[0] == ["COL"]


def test_a_politician_s_rally_is_not_aimed_at_their_own_state(code):
    record = code("President Emmanuel Macron held a rally in Lyon on Saturday.")
    assert all(not e.recipient for e in record.events if e.event == "PROTEST")


def test_rejecting_a_proposal_says_nothing_of_meetings(code):
    record = code("Chile rejected the Peruvian proposal on fishing quotas.")
    assert _only(record, "REJECT").mode != "meet"


def test_police_acting_on_unnamed_people_at_home_act_on_their_country(code):
    record = code("Kenyan police broke up the demonstration outside the courthouse on Tuesday.")
    event = _only(record, "COERCE")
    assert _countries(record, event) == (["KEN"], ["KEN"])
    recipient = next(a for a in record.actors if a.id in event.recipient)
    assert recipient.sector == "CVL"  # its people, not the state acting on itself


def test_no_domestic_recipient_when_the_clause_names_another_state(code):
    record = code("Kenyan police arrested two suspects at the border with Uganda on Tuesday.")
    assert "KEN" not in _countries(record, _only(record, "COERCE"))[1]


def test_an_army_strike_on_an_unnamed_target_is_not_domestic(code):
    record = code("Ethiopian jets bombed several positions overnight.")
    assert all("ETH" not in _countries(record, e)[1] for e in record.events if e.event == "ASSAULT")


def test_an_unknown_attacker_is_coded_by_where_it_struck(code):
    record = code("A car bomb near the city of Mosul killed three Turkish engineers on Monday.")
    event = _only(record, "ASSAULT")
    assert _countries(record, event) == (["IRQ"], ["TUR"])
    actor = next(a for a in record.actors if a.id in event.actor)
    assert actor.sector == "UAF"


def test_who_did_the_condemned_act_is_the_recipient(code):
    record = code("Bolivia condemned the attacks by Peruvian soldiers near the border.")
    assert _countries(record, _only(record, "ACCUSE"))[1] == ["PER"]


def test_the_subject_of_a_demanded_clause_through_its_modifier(code):
    record = code("Hungary demanded that its NATO allies reject the Serbian request.")
    assert _countries(record, _only(record, "REQUEST"))[1] == ["NATO"]


def test_a_country_on_the_modifier_of_a_modifier_is_the_actor(code):
    record = code("Recent Turkish drone strikes have killed four PKK commanders in Iraq.")
    assert _countries(record, _only(record, "ASSAULT"))[0] == ["TUR"]


def test_a_light_verb_s_preposition_belongs_to_its_noun(code):
    record = code("Chile paid compensation to Bolivian farmers on Monday.")
    assert _countries(record, _only(record, "AID")) == (["CHL"], ["BOL"])


def test_a_crowd_is_of_the_place_where_it_gathered(code):
    record = code("Thousands of people blocked roads in Lagos in defiance of the Ghanaian government.")
    assert _countries(record, _only(record, "PROTEST")) == (["NGA"], ["GHA"])


def test_the_place_a_noun_trigger_falls_on(code):
    record = code("Turkey mounted an invasion of northern Cyprus on Saturday.")
    assert _countries(record, _only(record, "ASSAULT")) == (["TUR"], ["CYP"])


def test_handed_over_with_a_quantity_is_still_handed_over(code):
    record = code("Norwegian volunteers handed over 300 kg of medicine to Moldova on Friday.")
    assert _countries(record, _only(record, "AID")) == (["NOR"], ["MDA"])


def test_a_sworn_fight_near_a_border_is_a_threat_there(code):
    record = code("Chadian rebels have sworn to fight until they take control of villages near Sudan's border.")
    assert _countries(record, _only(record, "THREATEN"))[1] == ["SDN"]


def test_people_held_as_human_shields(code):
    record = code("The Ugandan army has been holding hundreds of refugees as human shields near Gulu.")
    event = _only(record, "ASSAULT")
    assert event.mode == "abduct" and _countries(record, event) == (["UGA"], ["UGA"])


def test_rebels_who_disarm_naming_no_one_yield_to_their_government(code):
    record = code("Hundreds of Colombian guerrillas were demobilized on Sunday.")
    assert _countries(record, _only(record, "RETREAT")) == (["COL"], ["COL"])


def test_troops_who_withdraw_naming_no_one_are_not_aimed_at_home(code):
    record = code("Russian troops withdrew on Sunday.")
    assert all(not _countries(record, e)[1] for e in record.events if e.event == "RETREAT")


def test_a_protest_s_purpose_names_its_target(code):
    record = code("Demonstrators in Lima blocked a highway to show their anger at the Chilean government.")
    assert _countries(record, _only(record, "PROTEST")) == (["PER"], ["CHL"])


def test_inspectors_sent_to_a_site_investigate_its_country(code):
    record = code("The IAEA has dispatched inspectors to a uranium plant in central Iran.")
    assert _countries(record, _only(record, "ACCUSE"))[1] == ["IRN"]


def test_dropping_its_own_objection_is_not_a_concession_at_home(code):
    record = code("Hungary dropped its objections on Sunday evening.")
    assert all("HUN" not in _countries(record, e)[1] for e in record.events if e.event == "CONCEDE")


def test_mobilizing_against_someone_names_them(code):
    record = code("The Libyan government mobilized its reserves against Chadian rebels on Monday.")
    assert _countries(record, _only(record, "MOBILIZE"))[1] == ["TCD"]


def test_refusing_to_resign_despite_pressure_is_a_refusal_of_the_pressing(code):
    record = code("Interior Minister Daniel Okoth has declined to resign despite pressure from the Ugandan government.")
    event = _only(record, "REJECT")
    assert event.mode is None and _countries(record, event)[1] == ["UGA"]


def test_a_recipient_is_sought_past_the_actor_s_own_things(code):
    record = code("Eritrea agreed to open its borders to UN monitors on Friday.")
    assert _countries(record, _only(record, "AGREE")) == (["ERI"], ["UNO"])


def test_an_arrest_by_no_one_named_is_the_state_s_where_it_happened(code):
    record = code("A Canadian missionary was arrested in Lebanon on Monday.")
    event = _only(record, "COERCE")
    assert _countries(record, event) == (["LBN"], ["CAN"])
    assert next(a for a in record.actors if a.id in event.actor).sector != "UAF"


def test_a_coercion_by_no_one_named_nowhere_keeps_an_empty_actor(code):
    record = code("Nearly 3,000 Danish web sites were defaced over the past month.")
    event = _only(record, "COERCE")
    assert event.actor == [] and _countries(record, event)[1] == ["DNK"]


def test_a_parliament_passing_a_law_acts_at_home(code):
    record = code("The Serbian parliament approved a special law on Tuesday.")
    assert _countries(record, _only(record, "SUPPORT")) == (["SRB"], ["SRB"])


def test_a_campaign_rally_is_not_a_protest(code):
    record = code("The senator spoke at a campaign rally in Ohio on Friday.")
    assert not [e for e in record.events if e.event == "PROTEST"]


def test_farmers_rallying_against_a_deal_protest(code):
    record = code("Thousands of farmers held a rally in Paris against the EU trade deal.")
    assert _countries(record, _only(record, "PROTEST"))[0] == ["FRA"]


def test_the_recipient_deep_in_a_rejected_proposal(code):
    record = code("Austria rejected a proposal to open the first round of membership talks with Serbia.")
    assert _countries(record, _only(record, "REJECT")) == (["AUT"], ["SRB"])


def test_the_measures_condemned_are_those_taken_against_the_condemner(code):
    record = code("Canada imposed new sanctions on Iran on Monday. Iran has attacked shipping in the Gulf since "
                  "March.\nTehran condemned the new measures.")
    condemned = [e for e in record.events if e.event == "ACCUSE"]
    assert condemned and _countries(record, condemned[-1]) == (["IRN"], ["CAN"])


def test_due_somewhere_for_talks_is_a_planned_meeting(code):
    record = code("Chilean Foreign Minister Alberto van Klaveren is due in Lima on Friday for talks with Peru.")
    event = _only(record, "AGREE")
    assert event.mode == "meet" and _countries(record, event) == (["CHL"], ["PER"])


def test_an_outsider_urging_both_sides_means_the_sides_of_the_dispute(code):
    record = code("Eritrean and Ethiopian troops exchanged fire near the border on Tuesday.\n"
                  "Kenyan President William Ruto held separate calls with the two leaders and urged both sides "
                  "to exercise restraint.")
    urged = _only(record, "REQUEST")
    assert _countries(record, urged) == (["KEN"], ["ERI", "ETH"])


def test_slogans_against_a_state_aim_a_rally_at_it(code):
    record = code("Several hundred people rallied outside the parliament building in Kampala, chanting slogans "
                  "against Kenya.")
    assert _countries(record, _only(record, "PROTEST")) == (["UGA"], ["KEN"])


def test_no_domestic_recipient_for_what_is_not_people_or_a_body(code):
    record = code("Russian intelligence officers hacked into thousands of emails last year.")
    assert all("RUS" not in _countries(record, e)[1] or e.event != "COERCE" for e in record.events)


def test_seizing_on_a_claim_is_no_seizure(code):
    record = code("The Estonian minister seized on the Latvian claim on Monday.")
    assert not [e for e in record.events if e.event == "COERCE"]


def test_a_named_shooter_is_not_an_unidentified_attacker(code):
    record = code("Officer Anna Berg, who shot a Swedish teenager in Malmo last week, was charged on Monday.")
    assert not [a for a in record.actors if a.sector == "UAF"]

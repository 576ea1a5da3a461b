"""PHI redaction: each kind is replaced by [KIND], medical numbers and eponyms stay."""

from __future__ import annotations

import pytest

from bot.safety import redact, scan
from bot.safety.redaction import nhs_checksum_ok
from bot.safety.types import PhiKind as K


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        ("write to me at ana.ruiz@example.com please", "ana.ruiz@example.com", K.EMAIL),
        ("call me on (555) 010-2233 tonight", "(555) 010-2233", K.PHONE),
        ("my mobile is +44 7700 900321", "+44 7700 900321", K.PHONE),
        ("ring 020 7946 0123 in the morning", "020 7946 0123", K.PHONE),
        ("DOB 04/09/1971, is that relevant?", "04/09/1971", K.DATE_OF_BIRTH),
        ("I was born on 2 May 1968", "2 May 1968", K.DATE_OF_BIRTH),
        ("I live at 48 Willow Avenue near the park", "48 Willow Avenue", K.ADDRESS),
        ("postcode EH1 2NG", "EH1 2NG", K.ADDRESS),
        ("my MRN is 00912345", "00912345", K.MRN),
        ("member ID: QRT558812345", "QRT558812345", K.INSURANCE_ID),
        ("SSN 219-09-9998", "219-09-9998", K.SSN),
        ("NHS number 943 476 5919", "943 476 5919", K.NHS_NUMBER),
        ("My name is Grace Obi and I have asthma", "Grace Obi", K.PERSON),
        ("Dr. Nakamura told me to stop", "Nakamura", K.PERSON),
        (
            "see https://portal.example.com/results?patient=4471",
            "https://portal.example.com/results?patient=4471",
            K.URL_WITH_ID,
        ),
    ],
)
def test_each_kind_of_personal_information_is_replaced_by_its_kind(
    text: str, secret: str, kind: K
) -> None:
    redacted, spans = redact(text)
    assert secret not in redacted
    assert f"[{kind.value}]" in redacted
    assert kind in {s.kind for s in spans}


def test_spans_are_offsets_in_the_original_text() -> None:
    text = "Email bo@example.org or call 555-201-3344."
    _, spans = redact(text)
    assert [(s.kind, text[s.start : s.end]) for s in spans] == [
        (K.EMAIL, "bo@example.org"),
        (K.PHONE, "555-201-3344"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "metformin 500 mg twice a day",
        "BP 140/90 and pulse 88",
        "A1c 7.2% and LDL 3.1 mmol/L",
        "the code was E11.9",
        "I'm 45 and take my pills at 08:30",
        "I have Crohn's, my dad has Parkinson's and my aunt Hashimoto's",
        "Addison's, Graves' disease and Bell's palsy",
        "my mum has Alzheimer's and takes Tylenol",
        "appointment on 12/03/2025 at 9:30",
        "https://www.nhs.uk/conditions/stroke/",
        "I walked 10 min to the shop",
        "support for people with Pierre Robin syndrome",
        "my son lives with Crohn's and says grace before every meal",
    ],
)
def test_medical_numbers_dates_and_eponyms_are_kept(text: str) -> None:
    assert redact(text) == (text, ())


def test_a_bare_ten_digit_number_is_an_nhs_number_only_when_its_checksum_holds() -> None:
    assert nhs_checksum_ok("9434765919")
    assert not nhs_checksum_ok("9434765918")
    assert "[NHS_NUMBER]" in redact("the surgery has me as 943 476 5919")[0]
    assert "[NHS_NUMBER]" not in redact("the surgery has me as 943 476 5918")[0]


def test_a_number_called_an_nhs_number_is_removed_even_with_a_typo() -> None:
    # People mistype their NHS number; it still identifies them (and the check digit is wrong).
    redacted, _ = redact("NHS no 485 777 3456 needs a home visit")
    assert redacted == "NHS no [NHS_NUMBER] needs a home visit"


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        # names in the contexts people write them
        ("my bro Ethan is slurring", "Ethan", K.PERSON),
        ("Anyone know a good physio in Leeds? Kate xx", "Kate", K.PERSON),
        ("I've swapped Sunday with Derek on the rota", "Derek", K.PERSON),
        ("A Year 10 pupil, Liam, has just handed me a note", "Liam", K.PERSON),
        ("my AA sponsor Dwayne says one day at a time", "Dwayne", K.PERSON),
        ("our team-mate Ines Duarte fainted at training", "Ines Duarte", K.PERSON),
        ("my landlord Bogdan won't fix the mould", "Bogdan", K.PERSON),
        ("Handover: Sarah Whitcombe (F, 34) phoned at 16:05", "Sarah Whitcombe", K.PERSON),
        ("a former colleague, Mark, keeps following me", "Mark", K.PERSON),
        ("weakness in my husband, Robert Lane, since noon", "Robert Lane", K.PERSON),
        ("my wife Sofia Rossi's id is on the card", "Sofia Rossi", K.PERSON),
        ("text me instead, ask for Keisha", "Keisha", K.PERSON),
        ("his names George Whitaker", "George Whitaker", K.PERSON),
        ("Patient: Wojciech Nowak, DOB 02.11.1966", "Wojciech Nowak", K.PERSON),
        ("Margaret Ellis, born 7/9/1941, needs a carer", "Margaret Ellis", K.PERSON),
        ("contact Bob Henley, 0161 496 0734, about it", "Bob Henley", K.PERSON),
        ("Kind regards, Sarah O'Connell, Practice Nurse.", "Sarah O'Connell", K.PERSON),
        ("email me if you want to chat - Jenna Price", "Jenna Price", K.PERSON),
        ("I cannot open the results for Émilie Tremblay", "Émilie Tremblay", K.PERSON),
        ("I'm Kemi, my GP is nice", "Kemi", K.PERSON),
        # addresses the way most of the world writes them
        ("I'm at 23 Oak Street Sheffield, hurry", "23 Oak Street Sheffield", K.ADDRESS),
        ("17 Long Street, Cape Town 8001.", "17 Long Street, Cape Town 8001", K.ADDRESS),
        ("send it to 42 rue des Lilas, 69003 Lyon.", "42 rue des Lilas, 69003 Lyon", K.ADDRESS),
        (
            "living at Lindwurmstraße 88, 80337 München.",
            "Lindwurmstraße 88, 80337 München",
            K.ADDRESS,
        ),
        ("I live on ul. Długa 15, Gdańsk, my wife", "ul. Długa 15, Gdańsk", K.ADDRESS),
        (
            "5 Heol y Coed, Rhiwbina, Cardiff CF14 6HF.",
            "5 Heol y Coed, Rhiwbina, Cardiff CF14 6HF",
            K.ADDRESS,
        ),
        (
            "at 2-14-5 Shibuya, Shibuya-ku, Tokyo 150-0002.",
            "2-14-5 Shibuya, Shibuya-ku, Tokyo 150-0002",
            K.ADDRESS,
        ),
        # ids with letter prefixes and slashes, profile links, a phone after "group"
        ("hospital number is RXH 774 2291, ward 6", "RXH 774 2291", K.MRN),
        ("Member ID: UHC 908-441-227 for Ozempic", "UHC 908-441-227", K.INSURANCE_ID),
        ("insurance number is NHIS/LAG/558201 and", "NHIS/LAG/558201", K.INSURANCE_ID),
        (
            "add me, facebook.com/maria.gonzalez.7731",
            "facebook.com/maria.gonzalez.7731",
            K.URL_WITH_ID,
        ),
        ("the diabetes group, text me 555 201 3344 if", "555 201 3344", K.PHONE),
    ],
)
def test_identifiers_in_the_wordings_of_the_training_sets_are_removed(
    text: str, secret: str, kind: K
) -> None:
    redacted, spans = redact(text)
    assert secret not in redacted, redacted
    assert [text[s.start : s.end] for s in spans if s.kind is kind] == [secret]


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        # introductions, relations and sign-offs in other languages and looser places
        ("Guten Tag, ich bin Anneliese Vogt aus Köln", "Anneliese Vogt", K.PERSON),
        ("Bonsoir, je m'appelle Margot Girard.", "Margot Girard", K.PERSON),
        ("Hola, me llamo Inés, tengo asma", "Inés", K.PERSON),
        ("ma fille Clémence a de la fièvre", "Clémence", K.PERSON),
        ("Hi all, Wambui Njoroge here from Mombasa", "Wambui Njoroge", K.PERSON),
        ("my cousin Pieter van der Berg has gout", "Pieter van der Berg", K.PERSON),
        ("text 07700 900455 (Hamid) for lifts", "Hamid", K.PERSON),
        ("its megan again, the rash is back", "megan", K.PERSON),
        ("my sister chloe has the same thing", "chloe", K.PERSON),
        ("Mme Colette Marchand, 12 rue Victor Hugo, Nantes", "Mme Colette Marchand", K.PERSON),
        ("the vaccine clinic is great. Thanks Oluwaseun!", "Oluwaseun", K.PERSON),
        ("wristband reads OKAFOR, CHIDI DOB 01/02/1980", "OKAFOR, CHIDI", K.PERSON),
        ("我叫李娜, I have thyroid problems", "李娜", K.PERSON),
        # phones, dates, ids and addresses written the way other countries write them
        ("mon portable : 07 81 22 45 90 le soir", "07 81 22 45 90", K.PHONE),
        ("landline 022-2345 6789 after six", "022-2345 6789", K.PHONE),
        ("Geburtsdatum 03.05.1977, seit Jahren Asthma", "03.05.1977", K.DATE_OF_BIRTH),
        ("née le 9 mars 1990 à Lille", "9 mars 1990", K.DATE_OF_BIRTH),
        ("date of birth 07-Aug-1949 on the letter", "07-Aug-1949", K.DATE_OF_BIRTH),
        ("URN 0092341 at the Alfred, still waiting", "0092341", K.MRN),
        ("Versichertennummer ist B456789012, stimmt das?", "B456789012", K.INSURANCE_ID),
        ("EHIC number 80826 00000 98765432 for Greece", "80826 00000 98765432", K.INSURANCE_ID),
        ("Eircode T12 X5R8, the nurse can't find us", "T12 X5R8", K.ADDRESS),
        ("Kastanienweg 7b, 50667 Köln. Danke!", "Kastanienweg 7b, 50667 Köln", K.ADDRESS),
        ("PO Box 442, Cairns QLD 4870 for the strips", "PO Box 442, Cairns QLD 4870", K.ADDRESS),
        ("email: lena [dot] k [at] web [dot] de thanks", "lena [dot] k [at] web [dot] de", K.EMAIL),
        # phone shapes of one country, with a phone word near; birth words, era dates and
        # insurance numbers of other scripts
        ("liga pra mim no (21) 98765-4321 depois das seis", "(21) 98765-4321", K.PHONE),
        ("有事打我电话 139 1234 5678 谢谢", "139 1234 5678", K.PHONE),
        ("Contacto: 934 567 890, pregunte por la tarde", "934 567 890", K.PHONE),
        ("Phone 6123 4567 if the door is locked", "6123 4567", K.PHONE),
        ("mi hija nació el 3 de abril de 2019 con un soplo", "3 de abril de 2019", K.DATE_OF_BIRTH),
        ("父は昭和30年2月14日生まれです", "昭和30年2月14日", K.DATE_OF_BIRTH),
        ("생년월일 1962.11.05 입니다", "1962.11.05", K.DATE_OF_BIRTH),
        ("国民健康保険の被保険者番号は1234567890です", "1234567890", K.INSURANCE_ID),
        # an insurance id after "ID is", a card's "#", a policy of parts, a French NIR, a
        # Spanish member number
        ("my MassHealth ID is 100987654321, renewal lost", "100987654321", K.INSURANCE_ID),
        ("my Aetna card # 1234509876 was declined", "1234509876", K.INSURANCE_ID),
        (
            "policy P/123456/02/2023/004321 still not settled",
            "P/123456/02/2023/004321",
            K.INSURANCE_ID,
        ),
        ("Póliza 87654321-0, no me reembolsan nada", "87654321-0", K.INSURANCE_ID),
        ("N° sécu 1 85 03 75 115 005 42 pour la carte", "1 85 03 75 115 005 42", K.INSURANCE_ID),
        ("mi plan: número de miembro es 0012345678-01", "0012345678-01", K.INSURANCE_ID),
        ("ΑΜΚΑ 01017012345 για τις εξετάσεις", "01017012345", K.INSURANCE_ID),  # noqa: RUF001 - Greek
        ("donate here: gofund.me/9b4f2e1a please", "gofund.me/9b4f2e1a", K.URL_WITH_ID),
        (
            "call me on oh seven seven zero zero nine zero zero two one two",
            "oh seven seven zero zero nine zero zero two one two",
            K.PHONE,
        ),
    ],
)
def test_identifiers_in_other_languages_and_looser_places_are_removed(
    text: str, secret: str, kind: K
) -> None:
    redacted, spans = redact(text)
    assert secret not in redacted, redacted
    assert [text[s.start : s.end] for s in spans if s.kind is kind] == [secret]


@pytest.mark.parametrize(
    "text",
    [
        "Is St John's wort safe with sertraline?",
        "What are the treatments for Ramsay Hunt syndrome?",
        "Tell me about Abatacept Injection",
        "Lot no. 0803 123 4567 on the insulin box, is it recalled?",
        "NDC 0002-8215-01 on my pen but the pharmacy entered 0002-7714-01",
        "Physio Mon 10:15, hydrotherapy Wed 2:30",
        "my son will be 6 next week and still wets the bed",
        "see https://www.nhs.uk/conditions/covid-19/ for the symptoms",
    ],
)
def test_drug_and_condition_names_product_numbers_and_words_are_kept(text: str) -> None:
    assert redact(text) == (text, ())


@pytest.mark.parametrize(
    "text",
    [
        "I got my inhaler via Amazon",
        "Urgent from Hong Kong, my grandfather is choking",
        "I'm fasting for Yom Kippur, can I skip my pills?",
        "Can you tell me more about Tuberous Sclerosis?",
        "call me back asap about the results",
        "I'm Exhausted, the night shifts are killing me",
        "what's the group number for the 5 pm session",
    ],
)
def test_places_conditions_and_words_that_look_like_names_are_kept(text: str) -> None:
    assert redact(text) == (text, ())


def test_the_same_phone_pattern_without_context_is_kept_when_bare_digits() -> None:
    assert redact("my step count was 1234567890 this month")[1] == ()


def test_scan_reports_the_kinds_in_order_of_first_appearance() -> None:
    result = scan("I'm Tom Ward, tom@example.com, call 555-301-4455, or tom.w@example.com")
    assert result.phi == [K.PERSON, K.EMAIL, K.PHONE]
    assert result.crisis is None
    assert "Tom Ward" not in result.redacted


def test_scan_finds_a_crisis_and_redacts_in_one_pass() -> None:
    # (Without "tonight" the learned model scores this below its threshold: README, known
    # misses, "a name before the crisis".)
    result = scan("My name is Ivy Chen and I want to kill myself tonight")
    assert result.crisis is not None
    assert result.redacted == "My name is [PERSON] and I want to kill myself tonight"


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        # record numbers after labels hospitals use around the world
        ("Hosp. no K445021 on the wristband", "K445021", K.MRN),
        ("the IPD reg. no. 2024/558812 is on the bill", "2024/558812", K.MRN),
        ("Alfred UR no 0091827, day ward", "0091827", K.MRN),
        ("MR no: 7745120 at the eye hospital", "7745120", K.MRN),
        ("UHID is MAXH.0004412908.", "MAXH.0004412908", K.MRN),
        ("Patienten-Nr. 77120045 steht auf dem Brief", "77120045", K.MRN),
        ("her clinic no. 3-118-904 at the Cleveland", "3-118-904", K.MRN),
        ("Reg. No. 2023/IPD/40218 on the discharge slip", "2023/IPD/40218", K.MRN),
        ("her NHI is ZZB4471 in Wellington", "ZZB4471", K.MRN),
        ("PHN 9123 456 789, moving to Victoria BC", "9123 456 789", K.INSURANCE_ID),
        # insurance ids after an insurer's name
        ("AXA membership no. 55120987 for the physio", "55120987", K.INSURANCE_ID),
        ("Medibank member ID 4412 8873 1", "4412 8873 1", K.INSURANCE_ID),
        ("Vitality policy no 700112233 lapsed?", "700112233", K.INSURANCE_ID),
        ("my policy K99812033-02 covers dental", "K99812033-02", K.INSURANCE_ID),
        # ids typed a digit at a time, "N.H.S."
        ("my SSN: 2 1 9 - 0 9 - 9 9 9 8 ok", "2 1 9 - 0 9 - 9 9 9 8", K.SSN),
        ("nhs no 9 4 3 4 7 6 5 9 1 9 from the app", "9 4 3 4 7 6 5 9 1 9", K.NHS_NUMBER),
        ("his N.H.S. no. is 485 777 3456", "485 777 3456", K.NHS_NUMBER),
        # dates of birth anywhere in a sentence that names one, and in words
        ("the DOB on my chart says 12/03/1979, not 03/12/1979", "12/03/1979", K.DATE_OF_BIRTH),
        ("date of birth wanted as YYYYMMDD: 19790312", "19790312", K.DATE_OF_BIRTH),
        ("b. 14-11-1993 and new to this group", "14-11-1993", K.DATE_OF_BIRTH),
        (
            "born on the first of March nineteen sixty-two",
            "the first of March nineteen sixty-two",
            K.DATE_OF_BIRTH,
        ),
        ("DOB: the fourth of July 1979 please", "the fourth of July 1979", K.DATE_OF_BIRTH),
        # health cards of many countries, a US card's group and member lines (stop 17)
        ("my medical card no. 1122334A ran out", "1122334A", K.INSURANCE_ID),
        ("SV-Nummer 1234 010180 bitte", "1234 010180", K.INSURANCE_ID),
        ("el NSS es 12345678901, gracias", "12345678901", K.INSURANCE_ID),
        ("cartão do SUS 700 1234 5678 9012 ok", "700 1234 5678 9012", K.INSURANCE_ID),
        ("grp 55102 / mbr 8811220-01 on the card", "8811220-01", K.INSURANCE_ID),
        ("her benefits number is 4455667788 for the clinic", "4455667788", K.INSURANCE_ID),
        # addresses: what comes before the number, units, states, postcodes (stop 17)
        (
            "mail to RR 4 Box 27, Pikeville KY 41501 pls",
            "RR 4 Box 27, Pikeville KY 41501",
            K.ADDRESS,
        ),
        (
            "we live at No. 9 Awolowo Road, Ikoyi, Lagos now",
            "No. 9 Awolowo Road, Ikoyi, Lagos",
            K.ADDRESS,
        ),
        (
            "flat is 3/2, 18 Dumbarton Road, Glasgow G11 6AA ok",
            "3/2, 18 Dumbarton Road, Glasgow G11 6AA",
            K.ADDRESS,
        ),
        (
            "at 4-120 rue Sherbrooke, Montréal QC H2X 1C4 now",
            "4-120 rue Sherbrooke, Montréal QC H2X 1C4",
            K.ADDRESS,
        ),
        (
            "Rua das Flores 12, 3º Esq, 4050-262 Porto",
            "Rua das Flores 12, 3º Esq, 4050-262 Porto",
            K.ADDRESS,
        ),
        (
            "meine Adresse: Frankfurter Allee 20, 10247 Berlin",
            "Frankfurter Allee 20, 10247 Berlin",
            K.ADDRESS,
        ),
        (
            "send it to 7 banksia st geelong west vic 3218 thx",
            "7 banksia st geelong west vic 3218",
            K.ADDRESS,
        ),
        (
            "pick up at 40 Elm Cres #502 Ottawa ON K1S 2B5 after 6",
            "40 Elm Cres #502 Ottawa ON K1S 2B5",
            K.ADDRESS,
        ),
    ],
)
def test_identifiers_after_labels_used_around_the_world_are_removed(
    text: str, secret: str, kind: K
) -> None:
    redacted, spans = redact(text)
    assert secret not in redacted, redacted
    assert secret in [text[s.start : s.end] for s in spans if s.kind is kind]


@pytest.mark.parametrize(
    "text",
    [
        "my clinic number is 0161 496 0000 if you need them",
        "DOB is on the form; appointment on 12/05/2025 at 9",
        "Hep B. 2 doses given, Bupa covered it",
        "I read the privacy policy twice",
        "vitamin B 1 2 drops daily",
        "my policy 2023/24 covers physio",
        "DOB on file; is 12/05/2025 appointment time ok",
        "born in 1985, had my jab 03/02/2021",
    ],
)
def test_phone_lines_visits_and_words_near_id_labels_are_not_ids(text: str) -> None:
    spans = redact(text)[1]
    assert all(s.kind is K.PHONE for s in spans), spans


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("post it to Apt 3, 12 Avenue Foch, 75116 Paris", "Apt 3, 12 Avenue Foch, 75116 Paris"),
        (
            "Prinsengracht 263-1, 1016 GV Amsterdam is home",
            "Prinsengracht 263-1, 1016 GV Amsterdam",
        ),
        ("we moved to 22 Northgate, Chester CH1 2HA", "22 Northgate, Chester CH1 2HA"),
        ("I'm at 4 Meadow View, Kinsale", "4 Meadow View, Kinsale"),
        ("it's 3 Church View, Ballina, Co. Mayo", "3 Church View, Ballina, Co. Mayo"),
        ("drop it at 512 elm creek rd dallas tx 75201 pls", "512 elm creek rd dallas tx 75201"),
        (
            "livrer au 80 boulevard Saint-Laurent E, app. 12, Montréal QC H2X 2T1.",
            "80 boulevard Saint-Laurent E, app. 12, Montréal QC H2X 2T1",
        ),
        # floors, areas and landmarks after the street or the town
        (
            "write to Lindengasse 7, 1070 Wien, 3. Stock rechts bitte",
            "Lindengasse 7, 1070 Wien, 3. Stock rechts",
        ),
        (
            "post to 8 rue Victor Hugo, 69002 Lyon, 2e étage merci",
            "8 rue Victor Hugo, 69002 Lyon, 2e étage",
        ),
        ("Calle Mayor 5, 2º dcha, 28013 Madrid es mi casa", "Calle Mayor 5, 2º dcha, 28013 Madrid"),
        (
            "Carrer de Sants 12, 3r 2a, 08014 Barcelona",
            "Carrer de Sants 12, 3r 2a, 08014 Barcelona",
        ),
        ("mail it to 44 pine st 3rd fl hoboken nj 07030 pls", "44 pine st 3rd fl hoboken nj 07030"),
        (
            "14 Kofo Abayomi Street, opposite First Bank, Victoria Island, Lagos",
            "14 Kofo Abayomi Street, opposite First Bank, Victoria Island, Lagos",
        ),
        (
            "Av. Insurgentes 300, Col. Condesa, 06140 CDMX is mine",
            "Av. Insurgentes 300, Col. Condesa, 06140 CDMX",
        ),
        (
            "45 Rizal Ave., Brgy. Poblacion, Makati City po",
            "45 Rizal Ave., Brgy. Poblacion, Makati City",
        ),
        # street words and house numbers of more countries, labels before the number
        ("mi piso: C/ Mayor 12, 1º A, 28013 Madrid", "C/ Mayor 12, 1º A, 28013 Madrid"),
        (
            "send to 21 Jalan Telawi, Kuala Lumpur 59100 pls",
            "21 Jalan Telawi, Kuala Lumpur 59100",
        ),
        (
            "Privada de las Flores 9, Col. Centro, 76000 Querétaro",
            "Privada de las Flores 9, Col. Centro, 76000 Querétaro",
        ),
        ("Keizersgracht 88 bis, 1015 CS Amsterdam", "Keizersgracht 88 bis, 1015 CS Amsterdam"),
        (
            "at De Clercqstraat 40-2hg, 1052 NC Amsterdam",
            "De Clercqstraat 40-2hg, 1052 NC Amsterdam",
        ),
        ("Schönbrunner Straße 40/3/7, 1050 Wien", "Schönbrunner Straße 40/3/7, 1050 Wien"),
        (
            "Bâtiment B, 12 rue Pasteur, 31000 Toulouse",
            "Bâtiment B, 12 rue Pasteur, 31000 Toulouse",
        ),
        ("Appt 4, 10 rue Nationale, 59000 Lille svp", "Appt 4, 10 rue Nationale, 59000 Lille"),
        ("write to PO Box 12345-00200 Nairobi, thanks", "PO Box 12345-00200 Nairobi"),
        # a house or building name before the street, a street without a number
        (
            "we're at Ivy Cottage, Mill Road, Great Shelford, Cambridge CB22 5AA now",
            "Ivy Cottage, Mill Road, Great Shelford, Cambridge CB22 5AA",
        ),
        (
            "Glenview, Station Road, Maynooth, Kildare W23 X2Y4 is the house",
            "Glenview, Station Road, Maynooth, Kildare W23 X2Y4",
        ),
        (
            "Apt 3B, Palm Court, Ngong Road, Nairobi — come",
            "Apt 3B, Palm Court, Ngong Road, Nairobi",
        ),
        ("Beech House, 3 Orchard Way, Ely CB7 4AA", "Beech House, 3 Orchard Way, Ely CB7 4AA"),
        (
            "Résidence du Parc, Bât. B, 3 rue Pasteur, 69007 Lyon",
            "Résidence du Parc, Bât. B, 3 rue Pasteur, 69007 Lyon",
        ),
        (
            "Flat 6 Kings Court 12 Station Road Leeds LS1 4AB pls",
            "Flat 6 Kings Court 12 Station Road Leeds LS1 4AB",
        ),
        # an Indian house number, its areas and landmarks, a town and its PIN
        (
            "send to 14/2, MG Road, Indiranagar, Bengaluru 560038 pls",
            "14/2, MG Road, Indiranagar, Bengaluru 560038",
        ),
        (
            "A-52, Sector 4, opp. Bus Stand, Noida 201301 is home",
            "A-52, Sector 4, opp. Bus Stand, Noida 201301",
        ),
        # a Japanese postcode mark and the address after it
        (
            "住所は〒150-0002 東京都渋谷区渋谷2-21-1です。thanks",
            "〒150-0002 東京都渋谷区渋谷2-21-1",
        ),
        # a Singapore block: its estate, street number, "#floor-unit" and postcode
        (
            "mum is at Blk 88 Bedok North Ave 4 #07-215 Singapore 460088, alone",
            "Blk 88 Bedok North Ave 4 #07-215 Singapore 460088",
        ),
        (
            "send to Block 5A Ang Mo Kio St 21, #11-42, S(560005) thanks",
            "Block 5A Ang Mo Kio St 21, #11-42, S(560005)",
        ),
        ("pls deliver 302 hougang ave 7 #04-118 tmr", "302 hougang ave 7 #04-118"),
        # a lower-case US town and state that close the clause; words that only look like one
        (
            "new address 208 cedar ln apt 3 fort wayne in, pls update",
            "208 cedar ln apt 3 fort wayne in",
        ),
        ("were at 19 birch rd bangor me and need a nurse", "19 birch rd bangor me"),
        ("send to 4 hill st tulsa ok.", "4 hill st tulsa ok"),
        ("staying at 5 elm rd near me.", "5 elm rd"),
        ("i'm at 12 oak st is that ok", "12 oak st"),
        ("moved to 8 lake dr last week or so.", "8 lake dr"),
        # a Philippine block and lot, a Canadian rural site, a Mexican state's abbreviation
        (
            "padala sa Lot 4 Blk 17, Phase 3, Villa Verde, Dasmariñas, Cavite salamat",
            "Lot 4 Blk 17, Phase 3, Villa Verde, Dasmariñas, Cavite",
        ),
        (
            "mail to RR 2, Site 9, Comp 31, Ponoka AB T4J 1R3 pls",
            "RR 2, Site 9, Comp 31, Ponoka AB T4J 1R3",
        ),
        (
            "Calle Hidalgo 22, Col. Centro, 64000 Monterrey, N.L. gracias",
            "Calle Hidalgo 22, Col. Centro, 64000 Monterrey, N.L.",
        ),
        # an Irish townland or estate with no street word, back from its Eircode
        (
            "we live in Knocknagree, Ballydesmond, Co. Cork P51 X2Y4 now",
            "Knocknagree, Ballydesmond, Co. Cork P51 X2Y4",
        ),
        (
            "Apt 3, The Maltings, Ringsend, Dublin 4, D04 K2W1 is where she is",
            "Apt 3, The Maltings, Ringsend, Dublin 4, D04 K2W1",
        ),
        # a town and postcode, or a postcode and town, after a street without a comma
        (
            "come to 4 Beach Road Muizenberg 7945 the gate is blue",
            "4 Beach Road Muizenberg 7945",
        ),
        ("wohne Lindenstraße 5 10115 Berlin seit Jahren", "Lindenstraße 5 10115 Berlin"),
        # the address tagger takes the room at a street address with it: where someone is
        ("meet me at 12 Oak Road Room 1204 today", "12 Oak Road Room 1204"),
        ("lived at 12 Oak Street 2015 Then we moved", "12 Oak Street"),
        # Latin American numbered streets and blocks, a Brasília sector, an urbanización
        (
            "vivo en la Calle 45 No. 12-30, Bogotá, tengo diabetes",
            "Calle 45 No. 12-30, Bogotá",
        ),
        ("mi mamá vive en Cra 7 Nº 45-12 apto 301, Medellín", "Cra 7 Nº 45-12 apto 301, Medellín"),
        (
            "Urb. Los Almendros, Calle 8 Bloque 3 #14, Bayamón PR 00961 ok?",
            "Urb. Los Almendros, Calle 8 Bloque 3 #14, Bayamón PR 00961",
        ),
        (
            "moro na SQN 210 Bloco F apto 503, Brasília DF e preciso",
            "SQN 210 Bloco F apto 503, Brasília DF",
        ),
        # a street-first street in lower case, with its postcode and town or its block and flat
        ("mia madre abita in via dei tigli 8 20121 milano da sola", "via dei tigli 8 20121 milano"),
        (
            "moro na rua do sol 45 bloco a ap 12 recife pe e preciso",
            "rua do sol 45 bloco a ap 12 recife pe",
        ),
        # a UK address typed in lower case, from its house number to a real postcode
        (
            "4 the maltings great shelford cambridge cb22 5ab pls",
            "4 the maltings great shelford cambridge cb22 5ab",
        ),
        # a lower-case known town that closes the clause after a lower-case street
        ("drop it at 14 awolowo road ikeja lagos, ask the guard", "14 awolowo road ikeja lagos"),
        ("i live at 12 oak st downtown.", "12 oak st"),
        ("we moved to 4 hill st last year.", "4 hill st"),
        # a landmark and a ward set off by commas are pieces of where someone is (the address
        # tagger's reading; the rules alone stop at the street)
        (
            "the ward is at 5 Oak Road, near the car park, Ward 3 is upstairs",
            "5 Oak Road, near the car park, Ward 3",
        ),
    ],
)
def test_whole_addresses_with_units_postcodes_and_towns_are_removed(text: str, secret: str) -> None:
    spans = redact(text)[1]
    assert [text[s.start : s.end] for s in spans if s.kind is K.ADDRESS] == [secret]


@pytest.mark.parametrize(
    "text",
    [
        "took 2 Paracetamol, Ibuprofen later",
        "a 10 fold rise, then it settled",
        "4 weeks view, ok",
        "took 2 tablets near Boots, then 3 more",
        "ward 2, 3rd floor, near the lifts, Oncology",
        "see c/ section 3 of the leaflet",
        "I took 2 pills c/ 3 days",
        "we met at Oak House, then 2 days later at the clinic",
        "Unit 4, Stroke Rehab, 3 tablets a day",
        "I took 5, Metformin, Lisinopril 100000 units",
        "nerve block 2 weeks ago, St Johns wort too",
        "took 2 tabs at 8 pm #3-4 days",
        "the car park lot 3 block 2, Ward 5 is closed",
        "took av. 3 no. 2-3 tabs",
        "UTI 3 Bloco B, leito 4",
        "sent via email 2 20000 times",
        "took 2 tabs b12 1mg daily",
        "i take 2 pills at night for my d3 1ng level",
        "a nerve block 4 lot of pain, Ver. 2 of the leaflet",
    ],
)
def test_numbers_before_words_are_not_addresses(text: str) -> None:
    assert redact(text) == (text, ())


@pytest.mark.parametrize(
    ("text", "secrets"),
    [
        # lists of names after thanks, a welcome or a birthday
        ("big thanks to Tendai, Priya and Olu for the lifts", ["Tendai", "Priya", "Olu"]),
        ("thanks emma and james for visiting", ["emma", "james"]),
        ("Happy birthday to our brave warrior Tobenna!", ["Tobenna"]),
        ("welcome Yusuf and Mei to the carers chat", ["Yusuf", "Mei"]),
        # names after a role, before "the <role>", after a door, kisses or "as"
        ("my physio Anouk said 3 sets a day", ["Anouk"]),
        ("the ward matron, sorry, registrar Dimitri Papadakis", ["Dimitri Papadakis"]),
        ("our group facilitator is Bronwen", ["Bronwen"]),
        ("Oisín the diabetes nurse rang back", ["Oisín"]),
        ("saw dr okonjo at the fracture clinic", ["okonjo"]),
        ("intercom reads Kowalczyk, top bell", ["Kowalczyk"]),
        ("see you all soon xx Bea", ["Bea"]),
        ("the surgery has her down as M. Fitzgerald-Hale", ["M. Fitzgerald-Hale"]),
        ("Little Stevie (my nephew) had his tonsils out", ["Little Stevie"]),
        ("Tomasz's NHS number is on the letter", ["Tomasz"]),
        ("call her after 5, Aisha, she's expecting you", ["Aisha"]),
        ("the nurses (Femi and Grace) were lovely", ["Femi", "Grace"]),
        ("my sister's phone (Dana Ruiz) is off", ["Dana Ruiz"]),
        ("Prof. Tran Thi Mai explained the scan", ["Prof. Tran Thi Mai"]),
        ("thanks so much to Lerato, Sam and Emma for the cards", ["Lerato", "Sam", "Emma"]),
        ("welcome aboard Xiadani and Oskar!", ["Xiadani", "Oskar"]),
        ("Diabetes nurse specialist Rukhsana Begum called", ["Rukhsana Begum"]),
        ("love from Nan & the girls (Maisie and Esme)", ["Maisie", "Esme"]),
        ("my GP is dr hennessy at the health centre", ["hennessy"]),
        ("Philippa the practice nurse rang back", ["Philippa"]),
        ("our keyworker is Temitope", ["Temitope"]),
        ("asked the receptionist, Mary-Jo, twice", ["Mary-Jo"]),
        ("went to dr. adeyemi yesterday", ["adeyemi"]),
        ("mrs kowalski said she'd feed the cat", ["kowalski"]),
        ("the wristband read Daniel Osei, not me", ["Daniel Osei"]),
    ],
)
def test_names_among_people_thanked_greeted_or_named_by_role_are_removed(
    text: str, secrets: list[str]
) -> None:
    spans = redact(text)[1]
    found = [text[s.start : s.end] for s in spans if s.kind is K.PERSON]
    assert all(secret in found for secret in secrets), found


@pytest.mark.parametrize(
    "text",
    [
        "Rang the pharmacist and she said it was fine",
        "thanks everyone and good night",
        "my dad's been caring for mum (Alzheimer's) alone",
        "dr appointment at 3 and dr said rest",
        "welcome to London, the clinic is on the left",
        "the nurse Monday said the same",
        "Happy birthday to the NHS, 75 years",
        "I booked it under my own name as usual",
        "thanks to Pfizer and Moderna we are jabbed",
        "Thanks to Macmillan, Marie Curie and the hospice team",
        "Guy's MRN format is different",
        "Prince William's charity runs a helpline",
        "NHIS/ card and a nibble 12345",
        "ms fatigue at night is the worst",
        "the label says Take Two tablets daily",
        "the box says Ibuprofen Lysine 400",
        "mr scan at 3 today",
    ],
)
def test_roles_diseases_places_and_words_near_those_cues_are_kept(text: str) -> None:
    assert redact(text) == (text, ())


def test_a_personal_video_room_is_a_link_with_an_identifier() -> None:
    text = "join me at https://doxy.me/drhalvorsen for the review"
    assert redact(text)[0] == "join me at [URL_WITH_ID] for the review"


def test_an_email_typed_a_letter_at_a_time_is_removed() -> None:
    text = "write to  t o m 9 9 @ y a h o o . c o m  not here"
    assert redact(text)[0] == "write to  [EMAIL]  not here"


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        ("post it to 14 Mill Lane Leeds LS6 2AB thanks", "14 Mill Lane Leeds LS6 2AB", K.ADDRESS),
        ("ref for the ward: hospital no is QEH 0091273", "QEH 0091273", K.MRN),
        ("baby's nhs 401 023 2137 if needed", "401 023 2137", K.NHS_NUMBER),
        ("deliver to 7 elm grove york yo10 3bb pls", "7 elm grove york yo10 3bb", K.ADDRESS),
        ("his b'day is 14/02/2011", "14/02/2011", K.DATE_OF_BIRTH),
    ],
)
def test_towns_without_commas_prefixed_record_numbers_and_bare_labels(
    text: str, secret: str, kind: K
) -> None:
    redacted, spans = redact(text)
    assert secret not in redacted
    assert any(s.kind is kind and text[s.start : s.end] == secret for s in spans)


@pytest.mark.parametrize(
    "text",
    [
        "policy number AET-7730019-02 covers it",
        "the NHS 111 line said wait",
        "we walked down Mill Lane to Leeds General",
    ],
)
def test_numbers_and_places_near_those_rules_keep_their_shape(text: str) -> None:
    spans = redact(text)[1]
    assert all(s.kind is not K.ADDRESS and s.kind is not K.NHS_NUMBER for s in spans)
    if "AET" in text:
        assert [text[s.start : s.end] for s in spans] == ["AET-7730019-02"]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("hi, my name Tunde Bakare and I need a refill", "Tunde Bakare"),
        ("the name on my booking should say Hannah Price", "Hannah Price"),
        ("name on the card reads Olusegun Ade", "Olusegun Ade"),
        ("pls ring priya at 07700 900456 tonight", "priya"),
        ("WhatsApp Tom Hale on +44 7700 900789", "Tom Hale"),
        ("questions to Kelechi Obi (k.obi@example.org) please", "Kelechi Obi"),
        ("see you at the clinic, Marcus, 07700 900321", "Marcus"),
        ("well done today Fatima! 07700 900654", "Fatima"),
        ("the walk is organised by Megan this week", "Megan"),
        ("tonight's circle is facilitated by Dev Sharma", "Dev Sharma"),
        ("my mums Gloria Reid, she's 82", "Gloria Reid"),
        ("husband Daniel has a temp of 39", "Daniel"),
        ("ok. son Oliver dob 3/4/2015", "Oliver"),
        ("eldest is Zara, she is 9", "Zara"),
        ("thanks a million Siobhan!", "Siobhan"),
        ("ty so much Hamid!!", "Hamid"),
        ("my name fatima begum, room 4", "fatima begum"),
    ],
)
def test_names_in_looser_wording_are_removed(text: str, secret: str) -> None:
    redacted, spans = redact(text)
    assert secret not in redacted
    assert any(s.kind is K.PERSON and text[s.start : s.end] == secret for s in spans)


@pytest.mark.parametrize(
    "text",
    [
        "my rabbit, her name is Clover",
        "our dog is called Biscuit",
        "call Samaritans on 116 123 day or night",
        "Ring reception on 0161 496 0000",
        "Monday, 0161 496 0734 is the line",
        "the course is run by Macmillan Cancer Support",
        "the group is led by Age UK",
        "my mums Tesco shop came",
        "Dad Jokes are the best",
        "thanks so much for the help",
        "My name tag fell off",
        "my name tag fell off again",
        "pretty Lucy-like dolls",
        "WhatsApp group on 07700 900123",
    ],
)
def test_pets_helplines_and_groups_in_those_wordings_are_not_people(text: str) -> None:
    assert all(s.kind is not K.PERSON for s in redact(text)[1])


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # first names from many countries (first_names.toml), where only a known name counts
        ("Please ring me back, Ingrid, on 07700 900123 after six", "Ingrid"),
        ("my daughter thandeka has had a fever since Sunday", "thandeka"),
        ("thank you mateusz for the lift to the clinic", "mateusz"),
    ],
)
def test_first_names_from_many_countries_are_known(text: str, secret: str) -> None:
    redacted, spans = redact(text)
    assert secret not in redacted, redacted
    assert [text[s.start : s.end] for s in spans if s.kind is K.PERSON] == [secret]


@pytest.mark.parametrize(
    "text",
    [
        # names that are also medical or everyday words are left out of that list
        "What is Todd's paralysis after a seizure?",
        "Do you have information about Gun Safety",
        "Where to find support for people with Ellis-van Creveld syndrome?",
    ],
)
def test_eponyms_and_words_among_first_names_are_kept(text: str) -> None:
    assert redact(text)[1] == ()


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("The parcel came with the name Tomasz Nowak on it, not mine", "Tomasz Nowak"),
        ("our insurance rep, Dana Whitley, finally called back", "Dana Whitley"),
    ],
)
def test_a_name_after_the_name_or_a_rep_is_removed(text: str, secret: str) -> None:
    redacted, spans = redact(text)
    assert secret not in redacted, redacted
    assert [text[s.start : s.end] for s in spans if s.kind is K.PERSON] == [secret]


@pytest.mark.parametrize(
    "text",
    ["Contact the parent rep for the forms", "What does the name Ozempic mean?"],
)
def test_verbs_before_a_role_and_drug_names_after_the_name_are_kept(text: str) -> None:
    assert redact(text)[1] == ()


def test_an_nhs_number_a_few_words_after_its_label_is_one_unless_a_phone_is_said() -> None:
    kept = "My NHS number was changed last year, 618 224 9031 is the new one"
    assert [s.kind for s in redact(kept)[1]] == [K.NHS_NUMBER]
    phone = "NHS number is on the letter, call 555 123 4567 to check"
    assert [s.kind for s in redact(phone)[1]] == [K.PHONE]


@pytest.mark.parametrize(
    "text",
    [
        "Nanna keeps forgetting whether she took her evening tablets",
        "Grandad says his ankles swell up by teatime, is that his heart?",
        "Pastor told me to rest but the cough is three weeks old now",
        "Thanks Granny for the soup, it really helped my sore throat",
        "Mashallah the scan came back clear, thank Allah",
        "Mummy and Papa both have high blood pressure, will I get it too?",
    ],
)
def test_kinship_words_clergy_and_god_are_not_names(text: str) -> None:
    assert redact(text)[1] == ()


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Pastor Obinna Eze visited us at the ward today", "Obinna Eze"),
        ("Thanks so much. Love, Granny Adaeze", "Adaeze"),
    ],
)
def test_a_name_after_a_kinship_word_or_a_title_is_still_removed(text: str, secret: str) -> None:
    redacted, _ = redact(text)
    assert secret not in redacted, redacted


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        ("my humana id H4418290377 02 keeps getting rejected", "H4418290377 02", K.INSURANCE_ID),
        ("aetna medicare 881204577 doesn't list my cardiologist", "881204577", K.INSURANCE_ID),
        ("medi-cal bic 55102938B got mailed to my old flat", "55102938B", K.INSURANCE_ID),
        ("Cigna, group 300128, member 77120394, which do they want?", "77120394", K.INSURANCE_ID),
        (
            "UHC posted a new card (QXT778E10293) with a different prefix",
            "QXT778E10293",
            K.INSURANCE_ID,
        ),
        ("Grandpa's red-white-blue card still shows 219-44-7781C", "219-44-7781C", K.INSURANCE_ID),
        ("my id band reads M7730182 and the label on the bag matches", "M7730182", K.MRN),
        ("bday 9th oct 88 and the chemist still says no record", "9th oct 88", K.DATE_OF_BIRTH),
        ("urodzona 3/vii/64, a lekarz pisze inaczej", "3/vii/64", K.DATE_OF_BIRTH),
        (
            "born Boxing Day 1947, so his repeat scripts lapse over the holidays",
            "Boxing Day 1947",
            K.DATE_OF_BIRTH,
        ),
        (
            "she was born the ninth of the ninth, seventy-two",
            "ninth of the ninth, seventy-two",
            K.DATE_OF_BIRTH,
        ),
        ("dob 2nd/11/79 on the referral letter", "2nd/11/79", K.DATE_OF_BIRTH),
        ("nacida el 21 de marzo de 1977 según el hospital", "21 de marzo de 1977", K.DATE_OF_BIRTH),
        ("birth date 1984-Sep-17 on the discharge papers", "1984-Sep-17", K.DATE_OF_BIRTH),
    ],
)
def test_card_lines_claim_numbers_band_ids_and_birth_dates_in_odd_forms_are_removed(
    text: str, secret: str, kind: K
) -> None:
    redacted, spans = redact(text)
    assert secret not in redacted, redacted
    start = text.index(secret)
    end = start + len(secret)
    assert any(s.kind is kind and s.start <= start and end <= s.end for s in spans), spans


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("my baby was born 3rd feb 12 weeks early and is now home", "12 weeks"),
        ("I have been a member 12 years now and the forum helped a lot", "member 12 years"),
        ("the wristband said nil by mouth from midnight", "said nil by mouth"),
        ("Aetna card number 4 of 5 came in the post", "card number 4 of 5"),
    ],
)
def test_counts_after_a_birth_date_and_words_after_card_labels_are_kept(
    text: str, kept: str
) -> None:
    assert kept in redact(text)[0]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("he's at the door again. 41 Hawthorn Rise, Sheffield S11. please hurry", "S11"),
        ("Flat 2, 9 Queens Road, London SE15 and the buzzer is broken", "SE15"),
        ("il me suit, je suis au 9 rue Cler, Paris 7e. vite", " 7e"),
    ],
)
def test_a_uk_outward_code_or_an_arrondissement_closes_an_address(text: str, secret: str) -> None:
    redacted, spans = redact(text)
    assert secret not in redacted, redacted
    assert [s.kind for s in spans][:1] == [K.ADDRESS]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "The Boots pharmacy at 14 High Street, Bristol BS1 3DQ does walk-in jabs",
            "14 High Street",
        ),
        ("St Mary's Hospital is at 55 Praed Street if you come by tube", "55 Praed Street"),
    ],
)
def test_a_public_place_said_to_be_at_an_address_keeps_it(text: str, kept: str) -> None:
    assert kept in redact(text)[0]


@pytest.mark.parametrize(
    "text",
    [
        "my pharmacy at 14 High Street, Bristol BS1 3DQ lost my prescription",
        "GP is Dr Shah at Riverside Surgery, 3 Mill Lane, Bristol BS1 4RT",
        "we live near the station at 22 Canal Road, Leeds LS12 2PL",
    ],
)
def test_a_place_that_is_someones_own_keeps_its_address_redacted(text: str) -> None:
    assert any(s.kind is K.ADDRESS for s in redact(text)[1])


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("My PhilHealth PIN 12-345678901-2 won't load on the portal", "12-345678901-2"),
        ("Mutuelle says I'm not covered, numéro d'affiliation 456/7781234", "456/7781234"),
        ("OSDE no me cubre el estudio, credencial 62 014455 7 02, qué hago", "62 014455 7 02"),
        ("masshealth card no 100998877665 was mailed to the old place", "100998877665"),
        ("NHIS renewal still pending. Mine is 5512 0098 3321, any tips?", "5512 0098 3321"),
    ],
)
def test_ids_after_a_scheme_and_its_card_line_in_many_languages_are_removed(
    text: str, secret: str
) -> None:
    redacted, spans = redact(text)
    assert secret not in redacted, redacted
    assert K.INSURANCE_ID in [s.kind for s in spans]


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("Medicare 2953 61847 2 is fine but they texted my old number 0413 555 219", "0413"),
        ("NHIS office moved, I'm at H.No 14-2-77/B near the market", "14-2-77"),
    ],
)
def test_a_phone_or_a_house_number_near_a_scheme_is_not_taken_for_its_id(
    text: str, other: str
) -> None:
    start = text.index(other)
    ids = [s for s in redact(text)[1] if s.kind is K.INSURANCE_ID]
    assert not any(s.start <= start < s.end for s in ids), ids

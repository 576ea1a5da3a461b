"""The hand-written crisis rules: trigger patterns per category, with guards (reference only).

Careline no longer runs these on messages: the learned classifier (`bot.safety.model`)
replaced them after it was measured on the same wording. Out of fold on the fourteen files
where both were blind, the rules found 0.655 of the crises with false alarms on 8.6% of the
hard negatives, the model 0.926 with 1.4%; the rules on top of the model added recall only
with many more false alarms than lowering the model's threshold would (README, "Safety and
privacy"). `benchmarks/safety.py` still scores them beside the model and the keyword list.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from bot.safety.prefilter import Alternation, Prefilter
from bot.safety.types import CrisisCategory

C = CrisisCategory

# --- normalisation ---------------------------------------------------------------------------

# Emoji people use for crisis talk become words, so the same patterns see them.
_EMOJI_WORDS = {
    "💊": " pill ",
    "🔪": " knife ",
    "🗡": " knife ",
    "🩸": " blood ",
    "🪢": " noose ",
    "⚰": " coffin ",
    "🪦": " grave ",
    "🚑": " ambulance ",
    "🆘": " help ",
    "🔫": " gun ",
    "🥜": " peanut ",
    "🐝": " bee ",
    "😂": " lol ",
    "🤣": " lol ",
    "💀": " lol ",
    "😭": " crying ",
}
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)
_LEET = {"1": "i", "3": "e", "0": "o", "@": "a", "$": "s", "!": "i", "*": "i"}
_LEET_RE = re.compile(r"(?<=[a-z])[130@$!*](?=[a-z])")
_REPEAT_RE = re.compile(r"([a-z])\1{2,}")
_SPACE_RE = re.compile(r"[ \t\u00a0]+")
_EMOJI_RE = re.compile("|".join(map(re.escape, _EMOJI_WORDS)))


def normalise(text: str) -> str:
    """Lower-case, fold quotes and leetspeak, spell out crisis emoji, squeeze repeats."""
    plain = text.isascii()  # NFKC and the emoji only ever change non-ASCII text
    if not plain:
        text = unicodedata.normalize("NFKC", text)
    text = text.translate(_QUOTES).lower()
    if not plain:
        text = _EMOJI_RE.sub(lambda m: _EMOJI_WORDS[m.group()], text)
    text = _LEET_RE.sub(lambda m: _LEET[m.group()], text)
    text = _REPEAT_RE.sub(r"\1\1", text)
    return _SPACE_RE.sub(" ", text)


# --- vocabulary shared by patterns -----------------------------------------------------------

CANT = r"(?:can'?t|cannot|can not|cant|cnt|couldn'?t|could not|unable to)"
NOT = r"(?:not|n'?t|isn'?t|is not|aren'?t)"
KILL = r"(?:k[i1!*y]ll?|kil)"
MYSELF = r"(?:my ?s[e3]l[fv]e?|myslef|mysef|myslf|meself|me self)"
SELF = rf"(?:{MYSELF}|herself|himself|themselves|themself)"
POSS = r"(?:my|his|her|their|our|the|your|a|an)"
WHO = (
    r"(?:i|i'm|im|i am|he|she|they|he's|she's|hes|shes|it|we|someone|somebody|"
    r"(?:my|our) \w+(?: \w+)?)"
)
PILLS = (
    r"(?:pills?|pils|tablets?|tabs|meds|medications?|medicine|capsules?|sleeping pills|"
    r"painkillers?|pain killers|tylenol|paracetamol|acetaminophen|advil|ibuprofen|aspirin|"
    r"xanax|valium|ambien|oxy\w*|percocet|vicodin|insulin|lithium|prozac|zoloft|sertraline|"
    r"antidepressants?|benzos?|opioids?|fentanyl|heroin|metformin|iron pills|vitamins|"
    r"iron tablets|molly|mdma|ecstasy|ketamine|coke|cocaine|meth|edibles|gummies|morphine|"
    r"methadone|tramadol|codeine|klonopin|ativan|adderall|seroquel|amitriptyline|"
    r"diazepam|lorazepam|clonazepam|gabapentin|pregabalin|ecstasy pills|sleep aids?|"
    r"warfarin|digoxin|methotrexate|blood thinners?|heart pills|bp pills|xans?|xannies|"
    r"xanax bars|bars|percs?|perc30s|addys?|oxys|roxies|pingers|nicotine \w+|ket|ghb|lean|"
    r"co-?codamol|naproxen|diclofenac|benadryl|melatonin|nytol|antihistamines?|"
    r"antipsychotics?|(?:\w+ )?tablets|(?:\w+ )?capsules|"
    r"[a-z]+(?:pril|olol|dipine|statin|azole|cillin|mycin|azepam|zolam|codone|morphone|"
    r"triptan|sartan|oxetine|xetine|alopram|oxacin|prazole|formin|tidine|iptyline|azine|"
    r"idone|apine|ipine))"
)
MANY = (
    r"(?:(?:way |far |so )?too (?:many|much)(?: of)?|so many|a lot of|a load of|loads of|"
    r"a ton of|tons of|a heap of|heaps of|"
    r"a bunch of|lots of|loads of|all (?:of )?(?:my|the|his|her)|"
    r"all of them|the whole|a whole|an entire|the entire|whole|entire|half (?:a|the) bottle of|"
    r"(?:\d{2,3}|[2-9]\d?|ten|twelve|fifteen|twenty|thirty|forty|fifty|a hundred|handful of|"
    r"handfuls of|a handful of)(?: (?:of )?(?:my|his|her|the|extra))?)"
)
POISON = (
    r"(?:bleach|drain cleaner|antifreeze|anti-freeze|rat poison|weed ?killer|pesticides?|"
    r"insecticide|lye|ammonia|detergent pods?|tide pods?|laundry pods?|button batter(?:y|ies)|"
    r"batter(?:y|ies)(?![- ]?(?:powered|operated|pack|charger|life|box|compartment|cover))|"
    r"lighter fluid|gasoline|petrol|paint thinner|window cleaner|"
    r"cleaning (?:fluid|product|spray)|mushrooms? (?:from|in) the (?:yard|garden|woods)|"
    r"(?:wild|poisonous) (?:mushrooms?|berries)|poison|toilet cleaner|oven cleaner|"
    r"mouthwash|nail polish remover|vape (?:juice|liquid)|e-?liquid|nicotine (?:juice|liquid)|"
    r"lamp oil|kerosene|paraffin|essential oils?|(?:\w+ )?oil|(?:\w+ )?cleaner|chemicals?|"
    r"solvent|(?:\w+ )?fluid|polish|magnets?|cigarettes?|a cigarette|superglue|glue|"
    r"dishwasher (?:tablet|pod)s?|hand saniti[sz]er|rubbing alcohol|windshield washer|"
    r"(?:\w+ )?liquid|(?:\w+ )?soap|(?:\w+ )?detergent|nicotine(?: \w+)?|vape|"
    r"cannabis|weed|edibles?|gummies|perfume|cologne|(?:\w+ )?syrup|rat bait|mouse bait|"
    r"slug pellets|(?:\w+ )?bait)"
)
# People who may hurt the writer ("my stepdad", "my carer").
PEOPLE = (
    r"(?:husband|husbnd|hubby|wife|partner|boyfriend|"
    r"girlfriend|bf|gf|ex|dad|father|mom|mum|mother|step ?dad|step ?father|step ?mom|"
    r"step ?mum|brother|sister|son|daughter|uncle|aunt|roommate|flatmate|boss|"
    r"neighbou?r|fianc[eé]e?|spouse|carer|caregiver|coach|teacher|grandpa|grandma|cousin)"
)
# Plants and mushrooms someone may eat, and where they grow (foraged, not bought).
PLANT = (
    r"(?:mushrooms?|toadstools?|fungi|fungus|berries|leaves|seeds|bulbs?|plants?|flowers?|"
    r"foxgloves?|hemlock|nightshade|yew|oleander|lil(?:y|ies)|daffodils?)"
)
WILD = (
    r"(?:found|picked|foraged|growing|grew|garden|yard|woods|forest|park|field|hedge\w*|"
    r"outside|walk)"
)
# Carbon monoxide: a fuel burning where the air cannot get out, and its signs.
CO_SOURCE = (
    r"(?:generator|(?:car|engine|motor|van) (?:was |is |left |been )?(?:running|idling|on)|"
    r"running the (?:car|engine|generator)|barbecue|bbq|charcoal|gas (?:heater|fire|stove|"
    r"oven|boiler)|boiler|paraffin heater|space heater|fumes|exhaust)"
)
CO_ROOM = (
    r"(?:garage|indoors|inside|closed|shut|enclosed|shed|tent|basement|cellar|caravan|camper|"
    r"no ventilation|no windows?)"
)
CO_SIGNS = (
    r"(?:dizzy|headaches?|confused|not making sense|sleepy|drowsy|nause\w*|vomit\w*|"
    r"throwing up|passed out|collapsed|won'?t wake|can'?t wake|unconscious|faint\w*)"
)
# Street drugs and the signs of an opioid or sedative overdose ("gouching out", "lips blue").
DRUGS = (
    r"(?:heroin|fentanyl|fent|opioids?|opiates?|gear|smack|dope|spice|drugs|pills|xanax|bars|"
    r"meth|cocaine|coke|crack|oxy\w*|methadone|ketamine|ket|ghb|benzos?|tramadol|morphine|"
    r"codeine|lean|mdma|molly|pingers|snorted \w+|injected \w+|dropped (?:a |two |three |some )?"
    r"(?:pills?|tabs?|molly|mdma|acid|ecstasy)|spiked|(?:took|taken|had|snorted|smoked) something|"
    r"(?:a |some |fat |big |massive )*(?:lines?|bumps?) of \w+|did (?:a |some |fat |big |"
    r"massive )*(?:lines?|bumps?))"
)
SEDATED = (
    r"(?:gouch\w*|nodding out|nodded out|on the nod|(?:lips?|face|fingers?|"
    r"skin) (?:are |is )?(?:going|gone|turning|turned|went|look\w*) (?:blue|purple|grey|gray)|"
    r"barely breathing|not breathing|snoring (?:weird\w*|strange\w*|funny|loud\w*)|gurgl\w*|"
    r"foaming|won'?t wake|can'?t wake|unresponsive|not responding|isn'?t responding|"
    r"unconscious|turning blue|pinned pupils|pinpoint pupils|seizures?|seizing|fitting|"
    r"(?:he'?s|she'?s|hes|shes) (?:gone |going |turning )?(?:blue|grey|gray)|(?:can'?t|barely) "
    r"(?:stand|walk|keep (?:my|his|her) eyes open)|passing out|going in and out|"
    r"convuls\w*|overheating|burning up)"
)
# A racing or irregular heart, and the faintness that makes it an emergency.
RACING = (
    r"(?:heart|hart|pulse|heartbeat|heart ?rate|heart ?beat)\b(?: [\w']+){0,4} (?:is |was |"
    r"keeps |feels |like )?(?:racing|pounding|going crazy|going mad|fluttering|flipping|"
    r"flip-?flopping|doing (?:flips|backflips|somersaults|cartwheels)|skipping|"
    r"beating (?:so |really |super |very )?(?:fast|hard|irregular\w*|weird\w*)|out of control|"
    r"all over the place|(?:at|over|like|around) (?:like |about |over )?(?:1[5-9]\d|2\d\d))"
)
FAINT = (
    r"(?:pass(?:ing)? out|passed out|faint\w*|black(?:ed|ing)? out|collaps\w*|dizzy|"
    r"light ?-?headed|chest pain|can'?t breathe|short of breath|vision (?:going|went|is going)|"
    r"tunnel vision|greying out|graying out)"
)
# Screams and blows heard through a wall, and where they come from.
SCREAMS_AND_BLOWS = (
    r".{0,50}\b(?:scream\w*|shriek\w*|crying for help|yelling for help|shouting for help|"
    r"begging (?:him|her|them) to stop)\b.{0,60}\b(?:smash\w*|thud\w*|hitting|beating|"
    r"slapping|punching|being hit|thrown|glass breaking|breaking glass|help me|let me go|"
    r"stop hitting)\b"
    r"|.{0,50}\b(?:smash\w*|thud\w*|hitting|beating|slapping|punching)\b.{0,60}\b(?:scream\w*|"
    r"shriek\w*|crying for help|yelling for help|shouting for help)\b"
)
HOME = (
    r"(?:neighbou?rs?|next door|upstairs|downstairs|through the wall|(?:my|our|her|his) "
    r"(?:mum|mom|dad|parents|sister|brother|flatmate|roommate)|flat|apartment|house)"
)
# A child, not a pet (a dog that eats leaves is not an emergency; a toddler may be).
KID = (
    r"(?:baby|toddler|kid|child|son|daughter|grand(?:son|daughter|kid|child)|little one|nephew|"
    r"niece|\d+ ?(?:year|yr|month)s? ?old)"
)
CHILD = (
    r"(?:baby|toddler|kid|child|son|daughter|grand(?:son|daughter|kid|child)|little one|nephew|"
    r"niece|"
    r"\d+ ?(?:year|yr|month)s? ?old|dog|cat|puppy)"
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One trigger: a pattern and its category.

    `weight` 2 is a strong signal; 1 is weak, so the guard for mild, long-standing or explained
    complaints ("sometimes", "for weeks", "heartburn") can overrule it.
    """

    category: CrisisCategory
    pattern: str
    weight: int = 2


def _r(category: CrisisCategory, pattern: str, weight: int = 2) -> Rule:
    return Rule(category, pattern, weight)


RULES: tuple[Rule, ...] = (
    # --- suicide and self-harm -------------------------------------------------------------
    _r(
        C.SUICIDE_SELF_HARM,
        rf"\b(?:{KILL}(?:ing|in|ed)?|off(?:ing)?|unalive|hang(?:ing)?|shoot(?:ing)?|"
        rf"drown(?:ing|ed)?|hurt(?:ing)?|harm(?:ing|ed)?|cut(?:ting)?|burn(?:ing|ed|t)?|starv\w*|"
        rf"end(?:ing)?|stab(?:bing|bed)?|poison(?:ing)?|overdose|scratch(?:ing|ed)?|"
        rf"punch(?:ing|ed)?|bruis(?:ing|ed))"
        rf" {SELF}\b(?! (?:on|at night|because|from|in my sleep))",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:kms|kmsl|unalive me|sewer ?slide|self[- ]?harm\w*|"
        r"s[ue]{1,2}[iy]?c[iy]?d(?:e|al|le|ial|ing)|suicid\w*|sucid\w*|suiside|suisid\w*|"
        r"suicde|suacide)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:end|ending|take|taking|end it with|finish|finishing) (?:my|me) (?:own )?life\b"
        r"|\b(?:decided?|deciding) to (?:die|kill myself|end (?:it|things|my life)|finish (?:it|"
        r"my life))\b",
    ),
    _r(C.SUICIDE_SELF_HARM, r"\bend (?:it all|everything|things|it tonight|it now|it today)\b"),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:wants?|wanna|wanted|wanting|ready|need|planning|plan|deserve|"
        r"deserves|trying) (?:to )?(?:die|be dead|not exist|not be here|disappear forever|"
        r"go to sleep (?:and|&) never wake up|sleep forever)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\bwish (?:i|i'd|id) (?:was|were|had|could)? ?(?:be )?(?:dead|"
        r"never been born|not (?:wake|be here|exist)|die)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:do ?n'?t|do not|dont|does ?n'?t|does not|doesnt|no longer|don't even) (?:want|wanna|"
        r"wish) (?:to )?(?:live|be alive|exist|wake up|be here|go on|keep going)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:better off|be better|happier) (?:dead|without me|if i (?:was|"
        r"were) gone|if i wasn'?t here|when i'?m gone)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:no|not any|not a|don'?t see any|don'?t see the|can'?t see a|"
        r"can'?t find a|no more) (?:reason|point|purpose) (?:(?:to|in|of) )?(?:live|living|life|"
        r"going on|go on|carrying on|carry on|being alive|be alive|keep going|continuing|wake up|"
        r"exist)\b(?! (?:with|about|holiday|vacation|the trip|on (?:a|the|holiday)|in a (?:big |"
        r"small )?(?:city|town|house|flat|village|country)))",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:suicide|goodbye|farewell) (?:note|letter|message)s?\b(?! (?:to|for) (?:her|his|my|"
        r"the|our|their) (?:team|colleagues|coworkers|co-workers|class|students|office|staff))",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:writ\w+|wrote|left) (?:a |my )?(?:note|letters?) (?:for|to) "
        r"(?:my|everyone|each of my)\b.{0,40}\b(?:goodbye|gone|after i|why i (?:had to|have to|"
        r"did it|couldn'?t|can'?t)|forgive me|remember me)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\bgiv\w+ away (?:all )?(?:of )?my (?:stuff|things|belongings|"
        r"possessions)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:jump|jumping|throw myself) (?:off|from|in front of) "
        r"(?:a|the|this|my) (?:bridge|roof|building|balcony|cliff|train|car|bus|window|tower)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:noose|slit (?:my|his|her) wrists?|cut (?:my|his|her) wrists?|"
        r"razor blades? (?:on|to|into) (?:my|his|her) (?:arm|wrist|leg|skin)|"
        r"knife (?:to|on|into) (?:my|his|her) (?:wrists?|arms?|throat|skin))\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        rf"\b(?:{CANT}|can no longer) (?:go on|keep going|do this|take "
        r"(?:it|this)|cope|live like this)(?: any ?more| much longer)?\b.{0,60}\b(?:die|dead|"
        r"end it|gone|kill|pills|goodbye|not be here|disappear)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:thinking|thoughts?|thought) (?:about|of) (?:dying|death|"
        r"ending it|not being here|not waking up|killing myself|ending my life|taking my life)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:knife|pill|noose|gun|blood) .{0,20}\b(?:myself|my wrists?|"
        r"goodbye|end it|tonight)\b",
        1,
    ),
    _r(C.SUICIDE_SELF_HARM, r"\bkys\b", 1),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:swallow|take|down|drink)\w* (?:everything|all the pills|all the meds|every pill) "
        r"(?:in|from) (?:the|my) (?:medicine|bathroom|drug)\w*(?: cabinet| cupboard)?\b|"
        r"\b(?:rather|sooner) (?:be dead|die) than (?:keep|go on|live|feel|carry on|continue|be "
        r"like this|wake up|face)\b|\b(?:on|at|off) (?:the|a) (?:bridge|roof|ledge|edge|cliff|"
        r"railway|tracks|balcony)\b.{0,40}\b(?:jump\w*|end it|kill)\b|\b(?:he'?ll|she'?ll|"
        r"i'?ll|going to|gonna|threatening to|wants to|about to) jump\b(?! (?:in|on|into|the "
        r"queue|at the chance|ship))",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:want|wanna|going|gonna|about|ready|planning|plan|need) to (?:just )?(?:jump|"
        r"stop existing|not exist|disappear(?! for (?:a|the|an) (?:weekend|week|day|while|bit|few|"
        r"couple|hour|month))|go to sleep forever|fall asleep forever)\b|"
        r"\bstop existing\b|\b(?:pills|tablets|meds|medication) saved(?: up)?\b|\bsaving "
        r"(?:up )?(?:my |all my )?(?:pills|tablets|meds)\b|\benough (?:pills|tablets|meds) "
        r"(?:saved|to (?:do it|die|end it|kill))\b|\bplann\w* (?:how|when|where) (?:i'?d|i "
        r"will|i'?ll|to) (?:do it|die|end it|kill myself)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:looking up|look up|looked up|searching|googl\w*|research\w*|reading about|"
        r"checking) (?:which|what) (?:bridge|building|cliff|pills?|drugs?|meds|method)s? "
        r"(?:is|are) (?:the )?(?:highest|tallest|most lethal|deadliest|quickest|fastest|"
        r"least painful|painless)\b|\b(?:looking up|look up|looked up|searching|googl\w*|"
        r"research\w*|reading about) (?:the |a )?lethal dose\b"
        r"|\b(?:looking up|look up|looked up|searching|googl\w*|research\w*|reading about) "
        r"(?:ways|how|methods) to (?:die|kill myself|end it|end my life|commit suicide|overdose)\b"
        r"|\b(?:wana|wan to|wnt to|want 2|wanna|wanting to) (?:just )?(?:die|dye|be dead)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:burn\w*|scratch\w*|carv\w*|hitting|punching|bit(?:ing)?) (?:my|her|his|their) "
        r"(?:arms?|wrists?|thighs?|legs?|skin|stomach)\b.{0,30}\b(?:again|with|cigarettes?|"
        r"lighter|blade|razor|till|until|on purpose|every)\b",
        1,
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:will|letters?|note|goodbyes?)\b.{0,60}\bready to (?:go|leave|die|end)\b|"
        r"\b(?:grave|coffin)\b.{0,40}\b(?:soon|me|myself|can'?t|tonight|goodbye|ready)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        rf"\b{CANT} (?:do this|take it|go on|keep going|cope|live like this|handle (?:it|life)|"
        r"keep living) any ?more\b",
        1,
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\bunaliv\w*\b|\b(?:end|ending|take|taking) (?:her|his|their) (?:own )?life\b|"
        r"\bbetter off without (?:me|us|their (?:mum|mom|mother|dad|father|parent)|"
        r"your (?:mum|mom|dad))\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\bcut(?:ting)? (?:my|her|his|their) (?:arms?|wrists?|thighs?|legs?|skin|stomach)\b"
        r"(?! (?:on|with|while|when|by|accidentally))|\brelaps\w*\b.{0,30}\b(?:cut\w*|"
        r"self[- ]?harm\w*|burn\w*)\b",
        1,
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:everyone|everybody|they|my (?:family|kids|husband|wife|parents|friends)|people|"
        r"the world)(?: [\w']+){0,3} (?:be |are |would be |'d be )?(?:better|happier|easier)"
        r"(?: off)?(?: [\w']+){0,2} (?:without me|if i (?:just )?(?:was|were|wasn'?t|weren'?t|"
        r"died|disappeared|vanished|went away for good|stopped existing)\b)|\bif i (?:just )?"
        r"(?:wasn'?t|weren'?t|was not|were not) "
        r"(?:here|around|alive)\b|\b(?:do ?n'?t|can'?t|cannot) see (?:the|any) point (?:of|in) "
        r"(?:anything|living|life|going on|being alive|carrying on)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\bwon'?t (?:be )?need(?:ing)? (?:my |a |the |any )?(?:prescription|meds|medication|"
        r"pills|refills?)(?: refill\w*)? (?:any ?more|again|after (?:tonight|this))?\b"
        r"|\b(?:end|ending|take|taking) (?:my|me) (?:own )?(?:lyfe|lif|liffe)\b"
        r"|\b(?:bought|buying|got|getting|have) (?:a |the |some )?(?:rope|noose|charcoal)\b"
        r"(?! (?:for|to) (?:climbing|the (?:bbq|grill|barbecue)|camping|the boat))",
        1,
    ),
    _r(C.SUICIDE_SELF_HARM, rf"\b{CANT} go on\b(?! (?:with|holiday|vacation|the trip))", 1),
    _r(
        C.SUICIDE_SELF_HARM,
        rf"\b(?:end|ending) (?:it all|my life|everything)\b|\b(?:stockpil\w*|hoard\w*|stash\w*) "
        rf"(?:up )?(?:my |all my |)(?:pills|meds|tablets|medication|sleeping pills|{PILLS})\b|"
        r"\b(?:so i can|to) (?:finally )?"
        r"end (?:it|things)\b(?! (?:with|between|off))",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:won'?t|will not|n'?t (?:think|expect) i'?ll|not going to) be (?:around|here|"
        r"alive) (?:much longer|for long|any ?more|tomorrow|next week|by morning)\b|"
        r"\bmade (?:my )?peace with (?:dying|it all|everyone)\b|\bmade my peace\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:wants?|wanna|wanted|ready|need) (?:to )?(?:dye|dy|dei|ded)\b(?! (?:my|her|his|"
        r"it|the|hair))|\b(?:standing|sitting|up) on (?:the|a|this) (?:roof|ledge|bridge|edge|"
        r"railing)\b.{0,40}\b(?:jump\w*|end|die|goodbye|fall)\b|\bthinking (?:about|of) "
        r"(?:jumping|hanging myself|overdosing|ending it|cutting|slitting)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:pain|it|everything|all) to (?:stop|end) (?:forever|for good|permanently)\b|"
        r"\bwhat'?s the point (?:any ?more|of (?:living|life|going on|anything|being alive|"
        r"trying))\b|\b(?:i'?m|im|i am|i feel like) (?:just )?(?:a|such a) burden\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:feel like|thinking of|thinking about|want to|wanna|going to|gonna|ready to|"
        r"about to|plan to|decided to|might|i'?ll|i will|i should) (?:just )?(?:ending|end) "
        r"(?:it|things|my life|everything|it all)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:nobody|no one|no-one|noone|no body)(?: \w+){0,2} (?:would|will|'d|gonna) "
        r"(?:care|notice|miss me|even notice)\b.{0,25}\b(?:if|when) (?:i'?m|i was|i were|i am|"
        r"i) ?(?:gone|dead|died|disappeared|not here|not around)\b|\bdone with (?:life|"
        r"living|being alive|it all|everything)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:rope|noose|gun|pills|knife|razor|blade|bridge)\b.{0,40}\b(?:i'?ll do it|"
        r"going to do it|gonna do it|do it tonight|know (?:where|how|when) (?:i'?ll|to) do it)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:tired|sick) of (?:living|being alive|life|existing)\b|\b(?:tired|sick) of "
        r"(?:fighting|struggling|trying|being here|waking up)\b(?! (?:with|for|over|about|to|the|"
        r"this|my|it|against))|\b(?:ready to|want to|going to|gonna|about to) let go (?:for good|"
        r"forever|of (?:life|everything|it all)|now|tonight)\b|\blife (?:is ?n'?t|is not|"
        r"isnt|not) worth (?:living|it)\b|\bwant (?:it all|everything) to (?:end|stop)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:say|saying|said) (?:my )?goodbyes?\b.{0,40}\b(?:forever|"
        r"for good|last time|won'?t be (?:here|around))\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:i|i'm|im|i am|i've|ive|i have been|my (?:\w+ )?(?:is|has been)|"
        r"(?:he|she|they) (?:is|are|has been|have been|seems?)|(?:he|she)'s|who is|who'?s|"
        r"feeling|feel|been) (?:so |really |very |pretty |kind of |kinda |actively |"
        r"passively |quite )?(?:suicidal|su[iy]?c[iy]?dal|sucidal|suicidle)\b",
    ),
    # A method or a place, and how quick or easy it would be ("looking at the bridge and
    # thinking how quick it would be").
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:bridges?|tracks|trains?|roofs?|rooftop|ledges?|cliffs?|balcony|motorway|highway|"
        r"traffic|river|rope|pills|tablets|knife|razor|gun|edge|window|car park|multi-stor\w*|"
        r"tower)\b.{0,60}\bhow (?:quick|quickly|easy|easily|fast|simple|painless|peaceful|final) "
        r"(?:it|that|everything|it all) (?:would|could|might|'d) (?:(?:all )?be over|all be|be|"
        r"feel|end)"
        r"(?=\s*(?:$|[,.!?;]|and\b|to (?:just )?(?:jump|end|die|step|let go|do it|fall)))",
    ),
    # Taking every pill there is, said as a plan ("tonight I'll take every pill in the house").
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:going to|gonna|will|i'?ll|want to|wanna|plan(?:ning)? to|about to|ready to) "
        r"(?:just )?(?:take|swallow|down|overdose on) (?:every|all the|all of the|all my|each) "
        r"(?:single )?(?:pills?|tablets?|meds|medications?|painkillers|sleeping pills)\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:drink|drinking|starv\w*) (?:myself|himself|herself) to death\b",
        1,
    ),
    # Carbon monoxide as a method: in the car with the engine running in a closed garage.
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:sitting|sat|sit|lying|waiting) in (?:my|the|his|her) car\b.{0,40}\b(?:engine|motor) "
        r"(?:running|on)\b.{0,40}\b(?:garage|closed|shut|hose|pipe)\b|\b(?:hose|pipe|tube)\b"
        r".{0,30}\bexhaust\b|\bexhaust\b.{0,30}\b(?:hose|pipe|tube)\b"
        r"|\b(?:engine|car|generator) (?:running|on)\b.{0,80}\b(?:not (?:going to )?turn\w* it off|"
        r"(?:won'?t|don'?t think i'?m|not) turn\w* it off)\b",
    ),
    # A weapon ready at hand ("it's loaded next to me").
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:gun|pistol|rifle|shotgun)\b.{0,40}\bloaded\b.{0,30}\b(?:next to me|beside me|in my "
        r"(?:hand|lap|mouth)|on my (?:lap|bed|desk)|rn|right now|tonight)\b|\bloaded (?:gun|"
        r"pistol|rifle|shotgun)\b.{0,30}\b(?:next to me|beside me|in my (?:hand|lap|mouth)|on my "
        r"(?:lap|bed|desk))\b",
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:how much longer|how long) (?:i|i'?m|im) (?:can|could|going to|gonna) (?:hold on|"
        r"keep going|go on|keep doing this|do this|take (?:it|this)|last)\b(?! (?:at|with|in|"
        r"for|until|till|without))",
        1,
    ),
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:keep |been |sitting |sat )?(?:staring|looking) at (?:the |my |all the |all my )?"
        r"(?:pills|tablets|meds|rope|noose|razor|blade|gun)\b.{0,60}\b(?:counted|count\w*|all of "
        r"them|enough|tonight|hours|again)\b",
    ),
    # Not seeing a future ("I don't see myself making it to christmas").
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:don'?t|do not|can'?t|cannot) see myself (?:making it (?:past|through|"
        r"to (?:christmas|"
        r"new year|the end of|my birthday|next))|being (?:here|around|alive) (?:much longer|for "
        r"long|by|next|in a)|alive (?:much longer|by|next))",
        1,
    ),
    # Walking into the sea: a plan, not a paddle.
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:going to|gonna|want to|wanna|will|i'?ll|about to|"
        r"plan(?:ning)? to) (?:just )?(?:walk|"
        r"swim|wade)\w* (?:out )?into (?:the )?(?:sea|ocean|river|lake|water|waves)\b(?! (?:for|"
        r"with|to (?:cool|paddle|swim)))",
    ),
    # "If I'm not here tomorrow, it wasn't anyone's fault."
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:it|this) (?:wasn'?t|was not|isn'?t|is not|won'?t be) (?:anyone'?s|anybody'?s|your|"
        r"their|his|her) fault\b.{0,60}\b(?:not (?:be )?here|gone|goodbye|love you|sorry|"
        r"tomorrow)\b|\bif (?:i'?m|i am) (?:not|no longer) (?:here|around|alive) (?:tomorrow|"
        r"in the morning|by)\b",
    ),
    # Leaving nothing to need ("I won't need anything after friday").
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:won'?t|will not|wont|not going to|no longer) (?:need|be needing) (?:anything|"
        r"any of (?:this|it|these|them|my (?:stuff|things))|my (?:stuff|things|belongings|"
        r"clothes|savings|money))\b[^.!?]{0,20}?\b(?:after (?:tonight|today|tomorrow|"
        r"this week(?:end)?|(?:mon|tues|wednes|thurs|fri|satur|sun)day|the weekend|next week)|"
        r"where i'?m going|when i'?m gone|once i'?m gone)\b(?![^.!?]{0,40}\b(?:trip|holiday|"
        r"vacation|packed|moving|move|course|surgery|treatment|discharge\w*)\b)",
    ),
    # Self-harm that is back or worse ("cutting again", "went deeper than I meant").
    _r(
        C.SUICIDE_SELF_HARM,
        r"\b(?:been|started|start|starting|keep|kept|am|i'?m|im|was|back to) (?:cutting|burning|"
        r"hurting|harming|scratching) (?:myself |my (?:arms?|legs?|thighs?|wrists?|skin) )?again"
        r"\b(?! (?:on|down|back|out|for|carbs|calories|sugar|it|them|the))(?![^.!?]{0,60}\b"
        r"(?:bulk\w*|calorie\w*|carbs|diet\w*|macros|weight|lbs|kg|gym|comp\w*|show|prep)\b)"
        r"|\b(?:i|i'?ve) (?:cut|burned|burnt|harmed) (?:myself |my (?:arms?|legs?|thighs?|"
        r"wrists?|skin) )?again\b(?! (?:on|while|when|cooking|shaving|chopping))"
        r"|\b(?:cutting|burning) (?:myself )?(?:rn|right now|now|as we speak|atm)\b"
        r"|\b(?:want|wanna|going|gonna|need|have|tempted) to (?:go|cut|push it) deeper\b"
        r"|\bcut\w*\b.{0,60}\b(?:way |much |a lot |far |too |really )?deeper than (?:i |i'd |"
        r"i had )?(?:meant|intended|planned|wanted|usual|normal|ever|before|last time)\b",
    ),
    # Making everything stop ("make it stop for good", "make it all end").
    _r(
        C.SUICIDE_SELF_HARM,
        r"\bmake (?:it|this|everything|the pain|it all|the thoughts|all of it|the voices) "
        r"(?:all )?(?:stop|end|go away) (?:for good|forever|permanently|once and for all)\b"
        r"|\bmake (?:it|everything|this) all (?:stop|end)\b(?! (?:hurting|aching|itching|"
        r"bleeding|burning|ringing|throbbing|spinning|crying|raining|beeping))",
    ),
    # --- overdose and poisoning ------------------------------------------------------------
    _r(
        C.OVERDOSE_POISONING,
        rf"\b(?:took|taken|take|taking|swallowed|swallow|ate|eaten|"
        rf"downed|popped|chugged|had|taken like|took like|did|done|used|snorted|smoked|"
        rf"injected|shot up) (?:like |maybe |about |around |"
        rf"over |at least )?{MANY}(?: [\w']+){{0,3}} {PILLS}\b",
    ),
    _r(
        C.OVERDOSE_POISONING,
        r"\b(?:took|swallowed|ate|downed|popped|chugged|finished|drank|drunk|"
        r"emptied) (?:the |a |my |his |her )?(?:whole |entire )?(?:bottle|pack|packet|box|"
        r"blister|strip|jar|month'?s supply)s?(?: of)?\b",
    ),
    _r(
        C.OVERDOSE_POISONING,
        r"\b(?:over ?dos+(?:ed|ing|e)|o\.?d'(?:ed|'d|d|ing)|o\.d(?:ed|d|ing)?|od(?:ed|ing)|"
        r"od'?ed|oding|overdosin\w*)\b",
    ),
    _r(
        C.OVERDOSE_POISONING,
        rf"\b(?:drank|drunk|swallowed|ate|eaten|chewed|bit|sucked on|"
        rf"licked|drinking|swallowing|got into|into the|sprayed|inhaled|huffed|ingested|"
        rf"took) (?:some |a |the |a bottle of |a cup of |a glass of |a mouthful of |"
        rf"a sip of |a bit of |a little |some of the |a few |one of the |my |his |her |"
        rf"our |on (?:a |the |some )?)?{POISON}",
    ),
    _r(
        C.OVERDOSE_POISONING,
        rf"\b{CHILD}\b.{{0,40}}\b(?:got into|ate|swallowed|bit into|bit|bitten|sucked on|licked|"
        rf"chewed|drank|chewed on) (?:(?:my|the|his|her|some|a|our|grandma'?s|grandpa'?s) )?"
        rf"(?:[\w']+ ){{0,3}}(?:{PILLS}|{POISON}|bottle of \w+)",
    ),
    _r(
        C.OVERDOSE_POISONING,
        r"\bpill pill(?: pill)*\b.{0,40}\b(?:all|took|swallowed|gone|"
        r"every|whole|them)\b|\b(?:all of them|took them all|took all|swallowed all|"
        r"whole bottle)\b.{0,20}\bpill pill\b",
    ),
    _r(
        C.OVERDOSE_POISONING,
        r"\b(?:took|taken|had|gave|given|injected) (?:a |my |his |her |"
        r"the )?(?:double|triple|second|extra|2x|3x|twice the|two|three|several) "
        r"(?:\w+ )?(?:doses?|shots?|injections?) (?:of )?(?:my |his |her |the )?(?:\w+ )?"
        r"(?:insulin|fentanyl|methotrexate|lithium|digoxin|warfarin|opioids?|morphine|"
        r"methadone|oxy\w*|blood thinners?)\b",
    ),
    _r(
        C.OVERDOSE_POISONING,
        r"\b(?:unconscious|unresponsive|won'?t wake up|can'?t wake (?:him|her|them)|passed out|"
        r"not breathing|turning blue|blue lips)\b.{0,40}\b(?:heroin|fentanyl|opioids?|pills|"
        r"drugs|xanax|vodka|meth|cocaine|oxy\w*|methadone|ketamine|ghb|benzos?)\b|"
        r"\b(?:heroin|fentanyl|opioids?|drugs|xanax|meth|cocaine|oxy\w*|methadone|ghb|benzos?)"
        r"\b.{0,40}\b(?:unconscious|unresponsive|won'?t wake up|can'?t wake (?:him|her|them)|"
        r"not breathing|turning blue|blue lips)\b",
    ),
    _r(
        C.OVERDOSE_POISONING,
        r"\b(?:took|taken|had|given|gave|injected)\b(?: [\w']+){0,2} (?:double|triple|twice|"
        r"3x|2x)\b(?: [\w']+){0,3} (?:dose|doses|shots?|amount|the prescribed)\b",
        1,
    ),
    _r(
        C.OVERDOSE_POISONING,
        r"\b(?:took|taken|swallowed|had|popped|downed) (?:like |about |around |over |maybe )?"
        r"(?:[2-9]\d|1\d\d|twenty|thirty|forty|fifty|sixty|a hundred)\b(?! ?(?:minutes?|mins?|"
        r"hours?|hrs?|days?|weeks?|months?|years?|seconds?|secs?|mg|mcg|ml|units?|steps?|"
        r"percent|%|kg|lbs?|miles?|km|puffs?|breaths?|people|of us|times))",
        1,
    ),
    _r(
        C.OVERDOSE_POISONING,
        rf"\b(?:found|got into|got hold of) (?:my|the|his|her|our|some) (?:[\w-]+ ){{0,2}}"
        rf"(?:{PILLS}|{POISON})\b.{{0,20}}\b(?:and|then) (?:took|ate|swallowed|drank|had)\b",
    ),
    _r(
        C.OVERDOSE_POISONING,
        r"\b(?:swallowed|took|taken|downed) (?:every|each|all the) (?:single )?(?:pill|tablet|"
        r"med|capsule)s?\b",
    ),
    _r(
        C.OVERDOSE_POISONING,
        r"\bmixed up (?:her|his|my|their) (?:pills?|meds|tablets?|medications?)(?: (?:organi[sz]"
        r"ers?|box(?:es)?|dosette|doses|dosage|bottles))?\b|\btook "
        r"(?:someone else'?s|(?:her|his|my) (?:husband|wife|partner|mum|mom|dad|son|daughter)'?s)"
        r"(?: pills| meds| tablets| medication)?\b",
        1,
    ),
    _r(
        C.OVERDOSE_POISONING,
        r"\b(?:dog|cat|puppy|kitten|pup)\b.{0,30}\b(?:ate|eaten|got into|chewed|swallowed|"
        r"licked)\b.{0,30}\b(?:chocolate|grapes|raisins|xylitol|rat poison|antifreeze|lil(?:y|ies)|"
        r"mushrooms?|toadstools?|foxgloves?|yew|oleander|daffodils?|sago palm|"
        r"onions?|ibuprofen|paracetamol|pills|tablets|meds|gum)\b",
    ),
    _r(
        C.OVERDOSE_POISONING,
        r"\b(?:carbon monoxide|co) (?:alarm|detector)\b.{0,60}\b(?:dizzy|"
        r"headache|sick|nause\w*|vomit\w*|passed out|confused|sleepy)\b",
    ),
    _r(
        C.OVERDOSE_POISONING,
        r"(?<!food )\b(?:poisoned|poisoning)\b(?! (?:ivy|oak|control number))",
        1,
    ),
    _r(
        C.OVERDOSE_POISONING,
        rf"\b(?:took|taken|gave (?:him|her|them)|given)(?: [\w']+){{0,4}} {PILLS}(?: [\w']+){{0,3}}"
        r" (?:twice|two times|three times|double|again) (?:by (?:mistake|accident)|"
        r"accidentally|this morning|today|tonight|(?:and|now)\b.{0,30}\b(?:confused|drowsy|"
        r"dizzy|shaky|shaking|weird|wierd|strange|unwell|sleepy|vomiting|throwing up|"
        r"not making sense))",
    ),
    _r(
        C.OVERDOSE_POISONING,
        r"\b(?:ate|eaten|swallowed|drank|licked|chewed)\b.{0,80}\b(?:poisonous|toxic)\b",
        1,
    ),
    _r(
        C.OVERDOSE_POISONING,
        rf"\bmixed (?:(?:my |his |her )?(?:\w+ ){{0,2}}(?:with|and) (?:alcohol|vodka|whiskey|"
        rf"booze|drinks|wine|beer|gin|rum)|(?:\w+ ){{0,2}}(?:alcohol|vodka|whiskey|booze|drinks|"
        rf"wine|beer|gin|rum) (?:with|and) (?:his |her |my |some )?(?:\w+ ){{0,2}}{PILLS})\b"
        r".{0,40}\b(?:can'?t|won'?t|not|barely|passed|unresponsive|breathing|wake)\b",
    ),
    # An accidental double dose, or someone else's pills on top ("acidently took my pills
    # twice plus my husbands ones").
    _r(
        C.OVERDOSE_POISONING,
        rf"\b(?:accident\w*|acident\w*|accidently|mistakenly|by mistake)\b(?: [\w']+){{0,2}} "
        rf"(?:took|taken|swallowed|had|gave (?:him|her|them)|given (?:him|her|them))\b"
        rf"(?: [\w'-]+){{0,4}} (?:{PILLS}|doses?|insulin)\b(?: [\w']+){{0,3}} (?:twice|two times|"
        rf"three times|double|again|an extra|both|too many)\b"
        rf"|\b(?:took|taken|swallowed|had)\b(?: [\w'-]+){{0,4}} {PILLS}\b(?: [\w']+){{0,2}} "
        rf"(?:twice|two times|double|again)\b.{{0,30}}\b(?:plus|and|as well as|and also) "
        rf"(?:my|his|her|their) [\w']+(?:'?s)? (?:ones|pills|tablets|meds|medication)\b",
        1,
    ),
    _r(C.OVERDOSE_POISONING, r"\bdouble[- ]?dos(?:ed|ing|e)\b", 1),
    _r(
        C.OVERDOSE_POISONING,
        rf"\b(?:took|taken|injected|used|smoked|snorted|had|did|shot up) (?:way |much |a lot |"
        rf"far )?"
        rf"more than (?:usual|normal|(?:i|he|she|they) (?:normally|usually) (?:do|does)|my usual|"
        rf"his usual|her usual|(?:is |was )?prescribed)\b|\boverdid (?:it )?(?:on )?(?:my |his |"
        rf"her |the )?(?:[\w-]+ )?{PILLS}\b"
        rf"|\b(?:took|taken|swallowed|had) (?:like |about |around |over |maybe )?(?:1[2-9]|"
        rf"[2-9]\d) "
        rf"(?:[\w-]+ ){{0,2}}(?:paracetamol|tylenol|acetaminophen|ibuprofen|aspirin|co-?codamol|"
        rf"tablets|pills|caps)\b",
        1,
    ),
    _r(
        C.OVERDOSE_POISONING,
        r"\b(?:drink|drinks|eat|eats|swallow|swallows) (?:the |some |a |his |her )?(?:bleach|"
        r"antifreeze|anti-freeze|drain cleaner|rat poison|weed ?killer|pesticide|lye|"
        r"paint thinner|lighter fluid|gasoline|petrol)\b(?! (?:station|pump|car))",
    ),
    # Days of doses at once ("took a week's worth of warfarin at once").
    _r(
        C.OVERDOSE_POISONING,
        rf"\b(?:took|taken|swallowed|had|downed|given|gave (?:him|her|them))\b(?: [\w']+){{0,3}} "
        rf"(?:days?|weeks?|months?|fortnight)'?s?'? (?:(?:worth|supply)\b(?: of)?|of\b)(?: (?:my|"
        rf"his|her|"
        rf"their|the))?(?: [\w'-]+){{0,2}}(?: {PILLS}\b| (?:at once|in one go|all at once|"
        rf"in one day|together))",
    ),
    # Wild mushrooms, berries or plants: a child who ate them, or anyone with signs after.
    _r(
        C.OVERDOSE_POISONING,
        rf"\b{KID}\b.{{0,40}}\b(?:ate|eaten|eating|swallowed|chewed|chewing|nibbled|licked)\b"
        rf"(?: [\w']+){{0,5}} (?:(?:wild|unknown|strange|random|poisonous) {PLANT}\b|{PLANT}\b"
        rf".{{0,40}}\b{WILD}\b)",
    ),
    _r(
        C.OVERDOSE_POISONING,
        rf"\b(?:ate|eaten|eating|swallowed|chewed|foraged|picked)\b(?: [\w']+){{0,5}} "
        rf"(?:(?:wild|unknown|strange|random|poisonous) {PLANT}\b|{PLANT}\b.{{0,40}}\b{WILD}\b)"
        r".{0,80}\b(?:vomit\w*|throwing up|being sick|confused|confusion|drowsy|hallucinat\w*|"
        r"seizure|fitting|drooling|not making sense|dizzy|cramps|unresponsive|delirious)\b",
        1,
    ),
    # Carbon monoxide without an alarm: a generator, engine or grill in a closed space.
    _r(
        C.OVERDOSE_POISONING,
        rf"\b(?:{CO_SOURCE}\b.{{0,60}}\b{CO_ROOM}|{CO_ROOM}\b.{{0,60}}\b{CO_SOURCE})\b"
        rf".{{0,80}}\b{CO_SIGNS}\b",
    ),
    _r(
        C.OVERDOSE_POISONING,
        rf"\b(?:carbon monoxide|co poisoning)\b.{{0,60}}\b{CO_SIGNS}\b|\b{CO_SIGNS}\b.{{0,60}}"
        r"\b(?:carbon monoxide|co poisoning)\b",
        1,
    ),
    _r(
        C.OVERDOSE_POISONING,
        rf"\b(?:whole (?:family|house(?:hold)?)|every(?:one|body) (?:in the house|at home|here)|"
        rf"all of us|we all|both of us|the kids and)\b.{{0,60}}\b{CO_SIGNS}\b.{{0,120}}"
        r"\b(?:boiler|gas (?:heater|fire|stove|oven)|heater|generator|furnace|wood ?burner|"
        r"log burner|stove|chimney|flue|fumes)\b",
    ),
    # Street drugs with the signs of an overdose ("gouching out after that gear, lips blue").
    _r(C.OVERDOSE_POISONING, rf"\b{DRUGS}\b.{{0,60}}\b{SEDATED}|\b{SEDATED}.{{0,60}}\b{DRUGS}\b"),
    # --- cardiac -----------------------------------------------------------------------------
    _r(
        C.CARDIAC,
        r"\b(?:chest|chset|chets) ?(?:(?:really|so|very|badly|still) )?(?:pain|pains|pian|pane|"
        r"hurts?|is on fire|on fire|"
        r"hurting|is hurting|pressure|"
        r"tightness|is tight|feels? (?:tight|heavy|crushed|like)|discomfort|is killing|"
        r"is burning|squeezing|ache|aches|aching)\b",
        1,
    ),
    _r(
        C.CARDIAC,
        r"\b(?:pain|pressure|tightness|squeezing|crushing|heaviness|weight|elephant|"
        r"burning|stabbing)\b(?: \w+){0,5} "
        r"(?:in|on|across|around|of) (?:(?:my|his|her|their|the) )?"
        r"(?:chest|heart)\b",
        1,
    ),
    _r(
        C.CARDIAC,
        r"\b(?:tight|tightness in (?:the |my |his |her )?|heavy|crushing|squeezing) chest\b|"
        r"\bchest (?:is |feels )(?:so |really |very |super )?(?:tight|heavy|painful)\b",
        1,
    ),
    _r(
        C.CARDIAC,
        r"\b(?:clutch\w*|grabb\w*|grabs|holding|clasping) (?:at )?(?:my|his|her|their) "
        r"(?:chest|heart)\b|\b(?:sitting|standing|sat) on (?:my|his|her|their) chest\b|"
        r"\b(?:chest|heart) "
        r"(?:feels|is|feel) (?:like (?:it'?s|its) )?(?:being )?(?:crushed|squeezed|in a vice)\b",
    ),
    _r(
        C.CARDIAC,
        r"\b(?:h[ea]?art ?at+a?c?k+|heart ?attack|cardiac arrest|"
        r"heart is stopping|heart stopped)\b",
    ),
    _r(
        C.CARDIAC,
        r"\b(?:pain|ache|aching|numb\w*|tingling)\b(?: \w+){0,4} (?:down|into|in|to|"
        r"up) (?:my|his|her) (?:left )?(?:arm|jaw|neck)\b.{0,60}\b(?:sweat\w*|chest|"
        r"nause\w*|short of breath|dizzy|clammy)\b",
        1,
    ),
    _r(
        C.CARDIAC,
        r"\b(?:just |suddenly |has |have )?collapsed\b(?! (?:into|onto|on (?:the|my) (?:bed|sofa|"
        r"couch)|in a heap|vein|lung))",
        1,
    ),
    _r(
        C.CARDIAC,
        r"\b(?:collapsed|went down|dropped|fell down|keeled over|passed out|fainted|"
        r"blacked out)\b.{0,50}\b(?:not "
        r"breathing|isn'?t breathing|no pulse|unresponsive|won'?t wake|not waking|"
        r"can'?t wake|not responding|isn'?t responding|unconscious)\b",
    ),
    _r(
        C.CARDIAC,
        r"\b(?:no pulse|(?:can'?t|cannot|couldn'?t) (?:find|feel|get) (?:a|his|her|their|any) "
        r"pulse|doing cpr|started cpr|"
        r"need(?:s)? cpr|giving (?:him|her) cpr|unresponsive and)\b",
    ),
    _r(
        C.CARDIAC,
        r"\b(?:icd|defib\w*|pacemaker)\b.{0,30}\b(?:shock\w*|fired|went off|zapped|keeps going "
        r"off)\b",
    ),
    _r(
        C.CARDIAC,
        r"\bpain\b(?: \w+){0,3} between (?:my|his|her|the) shoulder ?blades\b.{0,80}\b(?:nause\w*|"
        r"sweat\w*|clammy|short of breath|breathless|exhausted|dizzy|jaw|arm)\b|\b(?:nause\w*|"
        r"sweat\w*|clammy|exhausted)\b.{0,80}\bpain\b(?: \w+){0,3} between (?:my|his|her|the) "
        r"shoulder ?blades\b",
        1,
    ),
    # A racing or pounding heart with faintness ("heart at like 200 and about to pass out").
    _r(C.CARDIAC, rf"\b{RACING}.{{0,60}}\b{FAINT}\b|\b{FAINT}\b.{{0,60}}\b{RACING}", 1),
    # --- stroke -------------------------------------------------------------------------------
    _r(
        C.STROKE,
        r"\b(?:face|mouth|smile|lip|eye(?:lid)?)\b(?: \w+){0,3} (?:is |are |"
        r"has |started |starting |suddenly |just )?(?:droop\w*|drooping|sagging|drooped|"
        r"dropped|fell|falling|crooked|lopsided|uneven)\b",
    ),
    _r(C.STROKE, r"\b(?:droop\w*|drooping|sagging|crooked|lopsided) (?:face|smile|mouth)\b"),
    _r(
        C.STROKE,
        r"\b(?:slurr\w*|slured|slurring)\b(?: \w+){0,3}\b(?:speech|words|talk\w*|"
        r"speak\w*)?",
    ),
    _r(
        C.STROKE,
        rf"\b(?:{CANT}) (?:speak|talk|get (?:the |his |her |my )?words out|"
        r"find (?:the |his |her |my )?words|form words|lift|raise|move|feel) "
        r"(?:properly |right |clearly )?(?:his |her |my |their |one )?(?:(?:left|right) )?"
        r"(?:arm|leg|side|hand|words|sentences)?\b.{0,60}\b(?:sudden\w*|just now|out of "
        r"nowhere|face|droop|slur|numb|weak|confus|stroke|minutes? ago|an hour)\b",
        1,
    ),
    _r(
        C.STROKE,
        r"\b(?:sudden(?:ly)?|out of nowhere|all of a sudden)\b.{0,40}\b(?:numb\w*|"
        r"weak\w*|paralys\w*|can'?t (?:move|feel|see|speak|talk)|lost (?:the )?(?:vision|"
        r"sight|feeling)|blind|confused|slurr\w*|droop\w*|dead arm|limp)\b.{0,40}\b(?:one "
        r"side|left|right|arm|leg|face|eye|speech|words)\b",
    ),
    _r(
        C.STROKE,
        r"\b(?:one side|left side|right side|half) of (?:my|his|her|their) "
        r"(?:face|body)\b(?: \w+){0,3} (?:is |went |has gone |feels |suddenly )?(?:numb|"
        r"weak|droop\w*|dead|limp|paraly\w*|not working|won'?t move|tingl\w*)",
    ),
    _r(
        C.STROKE,
        r"\b(?:worst|worse) headache (?:of|in) (?:my|his|her) (?:life|entire life)\b|\b(?:worst|"
        r"worse) headache (?:i'?ve|i have|he'?s|she'?s|he has|she has) ever (?:had|felt)\b"
        r"|\bheadache\b.{0,40}\bthunderclap\b",
    ),
    _r(
        C.STROKE,
        r"\b(?:sudden(?:ly)?|thunderclap)\b.{0,20}\b(?:severe|worst|excruciating|"
        r"explosive|blinding) headache\b",
    ),
    _r(
        C.STROKE,
        r"\b(?:hav(?:e|i|ei)ng|hav(?:e|i|ei)ng a|had a|is hav(?:e|i|ei)ng|"
        r"is hav(?:e|i|ei)ng a|it'?s a|its a|"
        r"think it'?s "
        r"a|might be a|could be a|signs of a|showing signs of a) (?:mini[- ])?(?:stroke|strok|"
        r"tia)\b",
    ),
    _r(C.STROKE, r"\bstroke symptoms? (?:right now|now|started)\b"),
    _r(C.STROKE, r"\bthunderclap headache\b"),
    _r(
        C.STROKE,
        r"\b(?:can'?t|cannot|couldn'?t|unable to) (?:lift|raise|move) (?:her|his|my|their) "
        r"(?:arm|leg)\b",
        1,
    ),
    _r(
        C.STROKE,
        r"\b(?:left|right|one side|arm|leg|face)\b.{0,30}\b(?:sudden(?:ly)?|all of a sudden)\b"
        r".{0,30}\b(?:weak\w*|numb\w*|heavy|dead|droop\w*|limp|paraly\w*)\b",
    ),
    _r(
        C.STROKE,
        r"\b(?:can'?t|cannot|unable to|couldn'?t) (?:move|feel|lift|use|raise) (?:my|his|her|"
        r"their|the) (?:left|right) (?:side|arm|leg|hand)\b",
    ),
    _r(
        C.STROKE,
        r"\b(?:face|arm|leg|cheek)s? (?:feels |is |went |has gone |going |feel )(?:all )?"
        r"(?:numb|weak|heavy|dead|tingly)\b|\bsudden(?:ly)? (?:confus\w*|trouble (?:speaking|"
        r"seeing|walking|talking|understanding)|can'?t (?:understand|speak|talk|see))\b",
        1,
    ),
    _r(
        C.STROKE,
        r"\b(?:face|smile|mouth)\b(?: [\w']+){0,1} (?:looks?|is|went|gone) (?:all )?(?:weird|"
        r"strange|funny|wrong|different|twisted|slanted)\b",
        1,
    ),
    _r(
        C.STROKE,
        r"\b(?:left|right|one) (?:side|arm|leg|hand)\b(?: [\w']+){0,2} (?:just |suddenly )?"
        r"(?:went|is|has gone|feels|turned|became|is going) (?:all )?(?:weak|numb|limp|dead|"
        r"floppy|heavy|paraly[sz]ed)\b",
    ),
    _r(
        C.STROKE,
        r"\b(?:arm|leg|hand|side|face)(?:'s|s)?\b(?: [\w']+){0,2} (?:just |suddenly )?(?:went|gone|"
        r"going) (?:limp|numb|dead|floppy|weak)\b",
        1,
    ),
    _r(
        C.STROKE,
        r"\b(?:can'?t|cannot|couldn'?t) find (?:my|the|his|her|their) words\b|\b(?:left|right) "
        r"(?:hand|arm|leg|foot)\b(?: [\w']+){0,2} (?:won'?t|doesn'?t|isn'?t|stopped|can'?t) "
        r"(?:work|move|respond|grip|hold)\w*"
        r"|\b(?:face|mouth|smile|body|arm|leg)\b.{0,25}\bon one side\b"
        r"|\bsudden(?:ly)? (?:blurr\w+|double|loss of|lost (?:my |his |her )?)(?: vision| sight)?\b"
        r"|\bdragging (?:his|her|my|their) (?:leg|foot)\b",
        1,
    ),
    _r(
        C.STROKE,
        r"\b(?:numb\w*|weak\w*|droop\w*|slurr\w*|can'?t (?:see|speak|talk|move|feel)|lost "
        r"(?:the )?(?:vision|sight|feeling)|blind|confused|limp|jumbled|garbled|gibberish|"
        r"heavy)\b.{0,60}\b(?:all of a sudden|suddenly|out of nowhere|came on (?:fast|"
        r"suddenly))\b",
    ),
    _r(
        C.STROKE,
        r"\b(?:words|speech)\b(?: [\w']+){0,3} (?:are |is )?(?:all )?(?:jumbled|garbled|"
        r"coming out wrong|not making sense|gibberish|mixed up)\b|\btalking (?:funny|"
        r"gibberish|nonsense|weird|strangely)\b"
        r"|\bspeaking (?:nonsense|gibberish|funny|strangely)\b",
        1,
    ),
    _r(
        C.STROKE,
        r"\b(?:went|gone|going|became|become|is|seems) (?:really |very |suddenly |all )?confused "
        r"(?:mid[- ]?sentence|all of a sudden|out of nowhere|suddenly)\b|\bcan'?t understand "
        r"(?:what|anything) (?:we'?re|we are|i'?m|people are|anyone is|you'?re) saying\b"
        r"(?![^.!?]{0,40}\b(?:without|hearing|deaf|accent|english|language)\b)",
        1,
    ),
    # --- breathing -----------------------------------------------------------------------------
    _r(
        C.BREATHING,
        rf"\b(?:{CANT}|struggling to) (?:breath\w*|brethe|breth|breeth|breathin)\b"
        r"(?! (?:through|thru|out of) (?:my|his|her|their|the) nose)",
    ),
    _r(
        C.BREATHING,
        rf"\b(?:{CANT}|struggling to|hard to|barely|trouble|difficulty|"
        r"having trouble|having a hard time|having difficulty|hard time) "
        r"(?:breath\w*|brethe|breth|breeth|breathin|catch (?:my|his|her|their) breath|"
        r"get (?:any |enough )?air|get a breath)\b",
        1,
    ),
    _r(C.BREATHING, r"\b(?:gasping|fighting|struggling) for (?:air|breath)\b"),
    _r(C.BREATHING, r"\b(?:not|isn'?t|stopped|stop|aren'?t|wasn'?t|no longer) breath\w*\b"),
    _r(
        C.BREATHING,
        r"\b(?:lips?|face|fingers|finger ?tips|skin|fingernails)\b(?: \w+){0,2} (?:are |"
        r"is |turning |going |look |looks |gone |went )?(?:blue|bluish|blueish|purple|grey|gray|"
        r"greyish)\b",
    ),
    _r(C.BREATHING, r"\bturning (?:blue|purple)\b"),
    _r(
        C.BREATHING,
        r"\bgasping\b(?! (?:in|at|with) (?:shock|surprise|horror|delight))|\b(?:can|could) "
        r"(?:hardly|barely|scarcely|not really) breath\w*|\bbreathing (?:is )?(?:getting|got|"
        r"gotten) (?:worse|harder|really bad|bad)\b",
        1,
    ),
    _r(
        C.BREATHING,
        r"\b(?:he|she|they|baby|toddler|lips|face|son|daughter|kid|child)(?:'s|s| is| are)? "
        r"(?:looks?|looking|turning|going|gone|went) (?:blue|purple|grey|gray)\b",
        1,
    ),
    _r(
        C.BREATHING,
        r"\bbreath\w*\b.{0,50}\b(?:can'?t wake|won'?t wake|unresponsive|not responding)\b|"
        r"\b(?:can'?t wake|won'?t wake|unresponsive|not responding)\b.{0,50}\bbreath\w*\b",
    ),
    _r(
        C.BREATHING,
        r"\b(?:choking|choked|choke)\b(?! (?:up|hazard|under|on (?:my|his|her) "
        r"words))",
        1,
    ),
    _r(
        C.BREATHING,
        r"\b(?:inhaler|nebuli[sz]er|puffer|ventolin|albuterol)\b(?: \w+){0,4} "
        r"(?:isn'?t|not|is not|doesn'?t|does not|stopped|no longer|aren'?t) "
        r"(?:working|helping|doing anything)\b",
    ),
    _r(
        C.BREATHING,
        r"\b(?:severe|bad|really bad|terrible|worst) (?:asthma|asma|azma|asthama|ashma) attack\b",
    ),
    _r(
        C.BREATHING,
        r"\b(?:(?:asthma|asma|azma|asthama|ashma) attack|wheez\w+)\b.{0,50}\b(?:can'?t|"
        r"won'?t stop|not|"
        r"getting worse|blue|ambulance|911|999|help)\b",
        1,
    ),
    _r(
        C.BREATHING,
        r"\b(?:inhaler|puffer|ventolin|reliever|albuterol)\b.{0,40}\b(?:\d{2}|ten|twenty|several|"
        r"loads of|so many|[5-9]) (?:times|puffs)\b",
        1,
    ),
    _r(
        C.BREATHING,
        r"\b(?:breath\w*|air|lungs?)\b.{0,40}\bfeels? like (?:i'?m|i am|he'?s|she'?s|they'?re) "
        r"drowning\b(?! in)|\bfeels? like (?:i'?m|i am|he'?s|she'?s|they'?re) drowning\b.{0,40}"
        r"\b(?:breath\w*|air|lungs?)\b",
        1,
    ),
    _r(C.BREATHING, r"\b(?:suffocating|can'?t get air in|air ?way is closing)\b", 1),
    _r(
        C.BREATHING,
        r"\b(?:short|shortness) of breath\b.{0,40}\b(?:at rest|sitting|can'?t "
        r"speak|can'?t finish|can'?t say|can'?t talk|"
        r"getting worse|blue|gasping|sudden\w*|really bad|severe|badly)\b",
        1,
    ),
    _r(
        C.BREATHING,
        r"\bbreathing (?:is )?(?:really |very )?(?:shallow|slow|weird|strange|"
        r"rattly|noisy)\b.{0,40}\b(?:won'?t wake|unresponsive|blue|can'?t wake|"
        r"not responding)\b",
    ),
    # Signs of a child working hard to breathe ("the skin between his ribs is sucking in").
    _r(
        C.BREATHING,
        r"\b(?:skin|chest|tummy|belly|stomach|neck|throat|ribs?|collar ?bones?)\b(?: [\w']+){0,4} "
        r"(?:is |are |keeps |keep |seems to be )?(?:sucking|pulling|caving|sinking|tugging) in\b"
        r"|\bnostrils (?:are |keep |keeps )?flar\w*|\bgrunt\w* (?:with|on|at the end of|after) "
        r"(?:each|every) breath\b|\bhead (?:is )?bobbing (?:with|on) (?:each|every) breath\b"
        r"|\bstridor\b",
    ),
    # --- severe bleeding ------------------------------------------------------------------------
    _r(
        C.SEVERE_BLEEDING,
        r"\b(?:bleeding|bleedin|bleding|blood|bleeds?|nose ?bleeds?)\b(?: \w+){0,8} "
        r"(?:won'?t|will not|wont|doesn'?t|does not|isn'?t going to|can'?t|cannot|not) "
        r"(?:stop|stopping|slow)\w*",
    ),
    _r(
        C.SEVERE_BLEEDING,
        rf"\b(?:{CANT}|unable to) (?:stop|slow) (?:the |his |her |my |this )?"
        r"(?:bleed\w*|blood)\b",
    ),
    _r(
        C.SEVERE_BLEEDING,
        r"\b(?:bleeding|bleed|bled) (?:really |so |very )?(?:heavily|a lot|"
        r"badly|profusely|non ?-?stop|everywhere|like crazy|out|through|so much|so bad|loads|"
        r"tons)\b",
    ),
    _r(
        C.SEVERE_BLEEDING,
        r"\b(?:heavy|severe|massive|uncontrol\w+|lots of|so much|a lot of|"
        r"tons of|loads of) (?:bleeding|blood)\b",
    ),
    _r(
        C.SEVERE_BLEEDING,
        r"\b(?:blood|it|it's|its|blood's)\b(?: \w+){0,2} (?:is |are |keeps )?(?:pouring|"
        r"gushing|spurting|squirting|pumping|everywhere|soaking|soaked|pooling|dripping)\b",
    ),
    _r(
        C.SEVERE_BLEEDING,
        r"\bsoak\w* (?:through )?(?:\w+ )?(?:towels?|bandages?|pads?|"
        r"gauze|shirt|sheets|clothes)\b",
    ),
    _r(
        C.SEVERE_BLEEDING,
        r"\b(?:vomiting|throwing up|coughing up|puking|spitting up|"
        r"threw up|puked|vomited|coughed up)\b(?: [\w']+){0,3} (?:blood|bloody)\b",
    ),
    _r(
        C.SEVERE_BLEEDING,
        r"\b(?:cut|sliced|severed|nicked|slashed) (?:an? |my |his |her )?"
        r"(?:artery|vein)\b|\b(?:deep|huge|big|gaping|bad) (?:cut|gash|wound|laceration)\b"
        r".{0,50}\b(?:bleed\w*|blood|bone|won'?t stop|gushing)\b",
    ),
    _r(
        C.SEVERE_BLEEDING,
        r"\b(?:hemorrhag(?:e|ing)|haemorrhag(?:e|ing)|bleeding out|bleed out)\b",
    ),
    _r(
        C.SEVERE_BLEEDING,
        r"\b(?:won'?t|wont|will not|doesn'?t|does not|isn'?t|can'?t|cannot|not) "
        r"(?:stop|stopping) (?:bleeding|the bleeding)\b|\bnose ?bleeds? (?:that )?(?:won'?t|"
        r"will not|wont|isn'?t|doesn'?t) (?:stop|slow)",
    ),
    _r(
        C.SEVERE_BLEEDING,
        r"\b(?:pouring|gushing|spurting|squirting|pumping|losing) (?:out )?(?:so much |"
        r"a lot of |lots of )?blood\b",
    ),
    _r(
        C.SEVERE_BLEEDING,
        r"\bblood\b.{0,50}\b(?:faint|fainting|dizzy|passing out|pass out|light-?headed)\b",
        1,
    ),
    _r(
        C.SEVERE_BLEEDING,
        r"\b(?:pregnant|weeks|miscarr\w*|after (?:giving )?birth|"
        r"postpartum)\b.{0,50}\b(?:bleeding|blood clots|clots)\b.{0,40}\b(?:heav\w*|a lot|"
        r"soak\w*|won'?t stop|so much|golf ball|pads? an hour)\b",
    ),
    _r(C.SEVERE_BLEEDING, r"\b(?:stabbed|shot|impaled)\b.{0,30}\b(?:bleed\w*|blood)\b"),
    _r(
        C.SEVERE_BLEEDING,
        r"\b(?:cut|wound|gash|laceration|stump|leg|arm|hand|head|finger|neck)\b(?: \w+){0,2} "
        r"(?:is |are |keeps |started )?(?:pouring|gushing|spurting|squirting|pumping)\b",
    ),
    # Bleeding that has gone on too long ("nosebleed for 40 minutes").
    _r(
        C.SEVERE_BLEEDING,
        r"\b(?:bleed\w*|nose ?bleed\w*)\b.{0,40}\b(?:for|over|past) (?:(?:the )?(?:last|past) )?"
        r"(?:[2-9]\d|1\d\d|twenty|thirty|forty|an?|half an?|over an?|\d+) (?:minutes?|mins|"
        r"hours?|hrs?)\b(?! (?:ago|later))",
        1,
    ),
    # --- anaphylaxis ------------------------------------------------------------------------------
    # Spellings are loose here: "swelin", "swolen", "alergy", "tite".
    _r(C.ANAPHYLAXIS, r"\b(?:anaphyla\w*|anaphalax\w*|anafylax\w*|anaphylatic)\b"),
    _r(
        C.ANAPHYLAXIS,
        r"\b(?:peanuts?|nuts?|cashews?|shellfish|shrimp|prawns?|sesame|bee|wasp|sting|stung|"
        r"penicillin|amoxicillin|all?er[gj]\w*|hives)\b.{0,80}\b(?:can'?t breathe|struggling to "
        r"breathe|trouble breathing|hard to breathe|difficulty breathing|wheez\w*|gasping)\b|"
        r"\b(?:can'?t breathe|struggling to breathe|trouble breathing|hard to breathe|"
        r"difficulty breathing|wheez\w*|gasping)\b.{0,60}\b(?:hives|all?er[gj](?:ic|y)|"
        r"peanuts?|nuts?|sting|stung)\b",
    ),
    _r(
        C.ANAPHYLAXIS,
        r"\btongue\b(?: [\w']+){0,3} (?:is |are |keeps |started |starting |getting )?(?:swel+\w*|"
        r"swoll?e?n|puff\w*|blowing up)\b|\b(?:severe|bad|serious|major|massive|really bad) "
        r"allergic reaction\b",
    ),
    _r(
        C.ANAPHYLAXIS,
        r"\b(?:throat|airway|windpipe)\b(?: \w+){0,3} (?:is |are |feels? "
        r"(?:like it'?s )?|keeps |started |starting |getting )?(?:closing|closin|closed|"
        r"closing up|shutting|narrowing|swelling shut|swoll?e?n shut)\b",
    ),
    _r(
        C.ANAPHYLAXIS,
        r"\b(?:throat|airway|windpipe)\b(?: \w+){0,3} (?:is |are |feels? "
        r"(?:like it'?s )?|keeps |started |starting |getting )?(?:swel+\w*|swoll?e?n|tight\w*|"
        r"tite|tyte)\b",
        1,
    ),
    _r(
        C.ANAPHYLAXIS,
        r"\b(?:tongue|lips?|face|mouth|eyes?|throat)\b(?: \w+){0,3} (?:is |are |"
        r"keeps |started |starting |getting |blowing |blew )?(?:swel+\w*|swoll?e?n|puff\w*|"
        r"blowing up|blew up)\b.{0,80}\b(?:peanut|nuts?|cashews?|almonds?|walnuts?|eating|eaten|"
        r"injection|shot|vaccine|jab|can'?t swallow|shellfish|shrimp|all?er[gj]\w*|sting|stung|"
        r"bee|wasp|ate|epi ?-?pen|hives|penicillin|antibiotic|amoxicillin|can'?t breathe|"
        r"breathing|throat|medication)\b",
    ),
    _r(
        C.ANAPHYLAXIS,
        r"\b(?:peanut|nut|shellfish|shrimp|all?er[gj]\w*|sting|stung|bee|wasp|"
        r"penicillin|amoxicillin|antibiotic|sesame|ate|eating)\b.{0,80}\b(?:tongue|lips?|face|"
        r"mouth|throat)\b(?: \w+){0,3} (?:is |are |started |getting |keeps )?(?:swel+\w*|"
        r"swoll?e?n|puff\w*|tight\w*|tite|tyte|closing|blowing up|blew up|ballooning|huge|"
        r"massive|enormous|twice the size)\b",
    ),
    _r(
        C.ANAPHYLAXIS,
        r"\b(?:used|use|using|need|needs|give|gave|giving|jabbed|injected|"
        r"should i use|do i use) (?:an |the |my |his |her |their )?(?:epi ?-?pens?|"
        r"epinephrine|adrenaline|auvi-?q)\b",
    ),
    _r(
        C.ANAPHYLAXIS,
        r"\b(?:allergic reaction|reaction|hives|all?er[gj]\w*)\b.{0,60}"
        r"\b(?:can'?t breathe|trouble breathing|hard to breathe|wheez\w*|throat|swel+\w*|"
        r"passing out|dizzy|faint)\b",
        1,
    ),
    # --- violence and abuse -----------------------------------------------------------------------
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:he|she|they|him|someone|somebody|a stranger|a man|a guy|a woman|some guys?|"
        rf"a group|people|my (?:[\w']+ )?{PEOPLE})"
        r"(?: \w+){0,2} (?:hit|hits|hitting|beat|beats|beating|beat up|punch\w*|kick\w*|"
        r"chok\w*|strangl\w*|slap\w*|shov\w*|push\w*|attack\w*|stab\w*|rap\w*|"
        r"assault\w*|molest\w*|abus\w*|hurt|hurts|hurting|threaten\w*|burn\w*|grabbed|"
        r"dragged|locked|locks|touch\w*|throws things at|threw \w+ at|slamm\w*|smash\w*|"
        r"bang\w*|pull\w*|forc\w*) (?:me|us|my|the kids|"
        r"our)\b(?! (?:at (?:chess|cards|tennis|\w+ games?)|to it|with (?:a|the) "
        r"(?:bill|question|news|facts)))",
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:(?:he|she|they)(?:'ll| will|'d| would| is going to|'s going to| is gonna| gonna)"
        r"|threaten\w*|going|gonna|trying|tried|said (?:he|she)'?d?|"
        r"says (?:he|she)'?ll|swore|will|wants) (?:to )?(?:kill|hurt|beat|stab|shoot|strangle)"
        r" (?:me|us|my|the kids|our)\b",
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:afraid|scared|terrified|frightened|fear)\b.{0,30}\b(?:he|she|"
        r"they|someone|my \w+)\b.{0,15}\b(?:will|'ll|is going to|gonna|might|could) "
        r"(?:kill|hurt|beat|attack|hit) (?:me|us|my)\b",
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:i'?m|i am|im|we'?re|we are|i feel|i do ?n'?t feel|i dont feel|we do ?n'?t feel) "
        r"(?:not )?safe (?:at home|in my (?:home|house|flat)|with (?:him|her|them|my \w+)|"
        r"(?:here|there) anymore|around (?:him|her))\b",
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:abusing|molesting|assaulting|raping|beating|strangling|choking|hitting|"
        r"hurting|touching) (?:me|us|my (?:kids|children|son|daughter|mom|mum|sister|brother))\b"
        r"|\bthrew (?:a |the |his |her )?\w+ at (?:me|us)\b|\bbeing (?:hurt|hit|beaten|"
        r"threatened|abused)\b",
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\bthreaten\w* (?:me|us|my (?:kids|children|family|son|daughter))\b(?! with (?:a )?"
        r"(?:lawsuit|eviction|court|legal|divorce|firing|the sack|bad review))"
        r"|\bshoot (?:up )?(?:my|the|a|our) (?:school|work|office|workplace|church|mall|class|"
        r"store|college|university|mosque|synagogue)\b",
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:husband|wife|partner|boyfriend|girlfriend|dad|father|mom|mum|mother|ex|he|she)"
        r"\b.{0,40}\b(?:hitting|beating|punching|kicking|hurting|choking|attacking)\b.{0,20}"
        r"\bme\b",
        1,
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\bthreaten\w* to (?:\w+ ){0,3}(?:kill|hurt|beat|stab|shoot|strangle|burn) (?:me|us|my)\b"
        r"|\b(?:thinking (?:about|of)|fantasi[sz]ing about|planning on|plan on|considering) "
        r"(?:killing|stabbing|shooting|hurting|murdering|strangling|poisoning|attacking) (?:my|him|"
        r"her|them|someone|somebody|people|everyone)\b",
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:broke|broken|breaking|break|got) in(?:to)? (?:my|our|the) (?:house|home|flat|"
        r"apartment|room|place|bedroom)\b",
    ),
    _r(C.VIOLENCE_ABUSE, r"\b(?:i'?m|im|i am|we'?re|we are) hiding (?:from|in|under)\b", 1),
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:outside|outsde|oustide|outide|at|by) (?:my|our|the) (?:door|house|home|window|flat|"
        r"apartment)\b.{0,30}\b(?:with|has|got|holding) (?:a |his |her )?(?:gun|k?nife|knive|"
        r"weapon|machete)\b|"
        r"\b(?:pointing|pointed|waving) (?:a |his |her )?(?:gun|knife|weapon) at\b",
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:fear(?:ing)?|scared|afraid|terrified) for (?:my|our) "
        r"(?:life|lives|safety)\b",
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:someone|somebody|a man|a guy|a woman|people|an intruder|"
        r"they)\b(?: \w+){0,6} (?:is |are )?(?:break\w* in(?:to)?|trying to (?:get|break) in|"
        r"in my (?:house|home|flat|apartment)|outside my (?:door|house|window) with)\b",
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:being|been|was|got|getting|i'?m being) (?:physically |"
        r"sexually |emotionally )?(?:abused|assaulted|raped|attacked|beaten|molested|"
        r"trafficked|stalked|strangled|choked)\b",
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:i|i'm|im|i am)\b(?: \w+){0,3} (?:going|gonna|want|wanna|"
        r"planning|plan|about) (?:to )?(?:kill|hurt|shoot|stab|murder) (?:him|her|them|"
        r"someone|somebody|everyone|everybody|my \w+|(?:the |all the |those |some |these )?"
        r"(?:people|kids|students|teachers|guys|boys|girls|men|women|staff))\b",
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:has|got|holding|pulled|waving) (?:a |his |her )?(?:gun|knife|"
        r"weapon)\b.{0,40}\b(?:me|us|threat\w*|kill|hurt|scared)\b",
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:won'?t let me (?:leave|go|out|eat|call|see|sleep)|locked me (?:in|out)|took my "
        r"(?:phone|keys|passport|money) (?:and|so)|"
        r"took my phone and)\b",
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:domestic (?:violence|abuse)|abusive (?:relationship|partner|"
        r"husband|wife|boyfriend|girlfriend|home|parent))\b",
        1,
    ),
    # A child's marks, and what the child said about them ("said her stepdad does it").
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:bruis\w*|marks|welts|burns|black eyes?|scratches)\b.{0,60}\b(?:said|says|"
        r"told (?:me|us|\w+ teacher)|admitted|tells (?:me|us))(?: that)? (?:her|his|their|my|the|"
        r"a|an) (?:[\w']+ ){0,3}(?:does it|did it|did (?:this|that)|does (?:this|that)|(?:hits|"
        r"hit|beats|hurts|grabs|kicks|punches|pinches|burns) (?:her|him|them|me)\b)",
    ),
    # Violence further along the sentence ("my carer takes my money and shoves me around").
    _r(
        C.VIOLENCE_ABUSE,
        rf"\b(?:he|she|they|my (?:[\w']+ )?{PEOPLE})\b[^.!?]{{0,50}}\b(?:and|then|also|even|"
        r"sometimes|always|keeps|often|just) (?:hits|hit|shoves|shoved|slaps|slapped|punches|"
        r"punched|kicks|kicked|chokes|choked|beats|beat|throws|threw|drags|dragged|pins|pinned|"
        r"strangles|strangled|grabs|grabbed) me\b(?! (?:up|at|in (?:chess|cards|a race)|to it|"
        r"with (?:a|the) (?:bill|question|news)|by accident|accidentally))",
    ),
    # Threats to "end" someone, slang for killing ("threatening to end me").
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:threaten\w*|said (?:he|she|they)(?:'d| would| will|'ll)?|says (?:he|she|they)"
        r"(?:'ll| will)?|(?:he|she|they)(?:'ll| will|'s going to| is going to| is gonna|'s gonna)|"
        r"swore|promised|going|gonna) (?:to )?(?:end|finish|murder|do in) (?:me|us)\b(?! off)",
    ),
    # Screams and blows heard from a neighbour's home or one's own.
    _r(
        C.VIOLENCE_ABUSE,
        rf"\b(?:hear|hearing|heard)\b(?=[^.!?\n]{{0,120}}\b{HOME}\b)(?:{SCREAMS_AND_BLOWS})"
        rf"|\b{HOME}\b[^.!?\n]{{0,60}}\b(?:hear|hearing|heard)\b(?:{SCREAMS_AND_BLOWS})",
        1,
    ),
    _r(
        C.VIOLENCE_ABUSE,
        r"\bthreaten\w* (?:her|him|them|me|us|my \w+) with (?:a |his |her |their )?(?:knife|gun|"
        r"weapon|machete|bat|hammer|axe|broken bottle)\b",
    ),
    # Someone being hurt right now ("her boyfriend is strangling her").
    _r(
        C.VIOLENCE_ABUSE,
        rf"\b(?:he|she|they|(?:my|her|his|their|our) (?:[\w']+ )?{PEOPLE}|someone|somebody|a man|"
        r"a guy)(?:'s| is| are|'re) (?:[\w']+ ){0,2}?(?:and )?(?:hitting|beating|strangling|"
        r"choking|"
        r"stabbing|attacking|kicking|punching|slapping|shoving|hurting|battering|dragging) "
        r"(?:her|him|them|me|us|my (?:little |baby |big |younger |older )?(?:brother|sister|mum|"
        r"mom|"
        r"dad|son|daughter|gran|nan|grandma|grandpa|kids?))\b(?! (?:at|to it|in (?:a|the) (?:game|"
        r"race|match)))(?![^.!?]{0,40}\b(?:pillows?|playing|play fight\w*|games?|joking|"
        r"tickl\w*|lol)\b)",
    ),
    # A gun brought to school is an emergency by itself.
    _r(
        C.VIOLENCE_ABUSE,
        r"\b(?:brought|brings|bringing|took|taken|had|has|carrying|carries|carried|showed|"
        r"showing|hiding|hid) (?:a |his |her |their |the |my dad'?s |his dad'?s )?(?:gun|firearm|"
        r"pistol|rifle|handgun)s? (?:to|into|in|at) (?:the )?(?:school|class|college|campus)\b",
    ),
)

# A cause names the emergency better than the symptom it brings ("took pills, can't breathe").
_CAUSES = frozenset({C.OVERDOSE_POISONING, C.ANAPHYLAXIS, C.SEVERE_BLEEDING})
# A second, wider net for the medical categories: a body part or function and a word of
# severity in the same sentence ("a tight band around his chest", "breathing is laboured and
# her lips look bluish"). Weak signals, so the mild-and-long-standing guard applies to them.
_BODY_AND_SEVERITY: tuple[tuple[CrisisCategory, str, str], ...] = (
    (
        C.CARDIAC,
        r"\b(?:chest|heart|hart)\b",
        r"\b(?:pain\w*|pian|hurt\w*|ach\w*|tight\w*|pressure|crush\w*|squeez\w*|heavy|band|"
        r"vice|clamp\w*|elephant|stabbing|burn\w*|on fire|agony|agonising|agonizing|"
        r"excruciating|unbearable)\b",
    ),
    (
        C.CARDIAC,
        r"\b(?:keeled|collapsed|dropped|fell|slumped|fainted|passed out|went down)\b",
        r"\b(?:not moving|isn'?t moving|won'?t wake|not waking|unresponsive|not responding|"
        r"isn'?t responding|no pulse|not breathing|isn'?t breathing|blue|grey|gray)\b",
    ),
    (
        C.BREATHING,
        r"\b(?:breath\w*|air|wheez\w*|gasp\w*|inhaler|asthma)\b",
        r"\b(?:laboured|labored|struggl\w*|can'?t|cannot|barely|hardly|rattl\w*|blue|bluish|"
        r"purple|grey|gray|gurgl\w*|sucking in|ribs|not working|useless|suffocat\w*|really fast|"
        r"very fast|rapid|noisy|shallow)\b",
    ),
    (
        C.STROKE,
        r"\b(?:face|mouth|smile|speech|words|talking|arm|leg|side|vision|eye)\b",
        r"\b(?:droop\w*|lopsided|crooked|uneven|slurr\w*|garbled|jumbled|muddled|gibberish|"
        r"numb\w*|weak\w*|paraly\w*|limp)\b.{0,60}\b(?:sudden\w*|out of nowhere|all of a "
        r"sudden|just now|minutes? ago|stroke)\b",
    ),
    (
        C.SEVERE_BLEEDING,
        r"\b(?:blood(?! (?:tests?|work|draws?|pressure|sugars?|glucose|results?|counts?|type|"
        r"donation|bank|levels?|thinners?))\w*|bleed\w*)\b",
        r"\b(?:won'?t stop|can'?t stop|everywhere|pouring|gushing|spurting|soak\w*|loads|"
        r"so much|a lot|heavily|badly|faint\w*|dizzy|pale)\b",
    ),
    (
        C.ANAPHYLAXIS,
        r"\b(?:all?er[gj]\w*|peanuts?|nuts?|shellfish|sting|stung|hives|epi ?-?pen|vaccine|"
        r"injection|jab|antibiotics?|penicillin|new (?:med\w*|drug|tablets?))\b",
        r"\b(?:throat|tongue|swel+\w*|swoll?e?n|puff\w*|wheez\w*|can'?t breathe|struggling "
        r"to breathe|faint\w*|dizzy|collaps\w*|hoarse\w*|voice (?:is |going |gone |went |sounds? "
        r"|getting )?(?:hoarse|funny|weird|strange|croaky|raspy|different|muffled|squeaky)|"
        r"can'?t swallow|trouble swallowing|hard to swallow|drooling)\b",
    ),
)
_BODY_AND_SEVERITY += (
    (
        C.SUICIDE_SELF_HARM,
        r"\b(?:this is goodbye|goodbye (?:forever|for good|message|text|note|letter)|final "
        r"(?:message|text|goodbye)|last (?:message|text|goodbye)|sorry for everything|"
        r"(?:said|saying|says) goodbye to (?:everyone|everybody|us all)|love you all|tell "
        r"(?:my |his |her )?(?:everyone|mum|mom|mother|dad|father|sister|brother|kids|family|"
        r"parents|them)\b[^.!?]{0,10}\bi love (?:them|her|him|you)|sorry (?:mum|mom|dad|"
        r"everyone|all)\b[^.!?]{0,6}\bi love (?:you|you all))\b",
        r"\b(?:phone (?:is |was |went |goes )?(?:off|dead|straight to voicemail)|not answering|"
        r"won'?t answer|isn'?t answering|can'?t reach|cannot reach|(?:nobody|no one|no-one) can "
        r"(?:reach|find|get hold of)|can'?t get hold of|not picking up|"
        r"isn'?t picking up|won'?t pick up|no reply|stopped (?:replying|answering|responding)|"
        r"not replying|isn'?t replying|gone quiet|no answer|turn\w* (?:off )?(?:my|his|her|their) "
        r"phone|location (?:is |was |went |goes )?off|stopped sharing (?:her|his|their) location|"
        r"can'?t find (?:her|him|them))\b",
    ),
    (
        C.SUICIDE_SELF_HARM,
        r"\b(?:(?:(?:this|that|here) is my|my) (?:last|final) (?:post|message|text|tweet|video|"
        r"words)|goodbye (?:world|forever)|bye (?:everyone|world) forever)\b(?![^.!?]{0,40}\b(?:"
        r"before|for a while|holiday|vacation|break|until|see you|moving)\b)",
        r"\b(?:sorry|kind to me|forgive me|love you|won'?t be|no more)\b",
    ),
    (
        C.SUICIDE_SELF_HARM,
        r"\b(?:(?:sort\w*|updat\w*|wr[io]t\w*|made|making|finali[sz]\w*|put) (?:out )?"
        r"(?:my (?:will|affairs)|(?:everything|all my things) in order)|sort\w* (?:out )?(?:all )?"
        r"(?:of )?my (?:stuff|things|belongings)(?![^.!?]{0,30}\b(?:mov\w+|move|clear\w* out|"
        r"declutter\w*|garage sale|charity)\b)|(?:gave|giving|given|"
        r"rehom\w+|found (?:a )?(?:new )?home for) (?:away )?(?:my )?(?:dog|cat|pets?|puppy|"
        r"kitten|bird|rabbit)|giv\w+ (?:away )?(?:all )?(?:my|of my) (?:stuff|things|belongings|"
        r"possessions|clothes|books|games))\b",
        r"\b(?:won'?t (?:need|be needing)|goodbye|when i'?m gone|after i'?m gone|for good|"
        r"forever|one last|last time|won'?t be (?:here|around)|no longer need|(?:nobody|no one|"
        r"no-one) (?:has|have|needs|will have) to|tonight)\b",
    ),
    (
        C.VIOLENCE_ABUSE,
        r"\b(?:(?:keeps|kept|keep|been|started) (?:turning|showing) up (?:at|outside) (?:my|our)|"
        r"(?:he'?s|hes|she'?s|shes|they'?re|theyre|he is|she is|they are|ex is) (?:standing |"
        r"waiting |sitting |parked )?outside (?:my|our|the) (?:door|house|flat|place|window|work|"
        r"home|apartment))\b",
        r"\b(?:threat\w*|scared|afraid|terrified|frightened|weapon|knife|gun|won'?t leave|"
        r"banging|trying to get in|restraining order|not allowed|kill|hurt|stalk\w*|"
        r"harass\w*)\b",
    ),
    (
        C.VIOLENCE_ABUSE,
        rf"\b(?:he|she|they|(?:my|her|his|their|our) (?:[\w']+ )?{PEOPLE}(?:'?s (?:[\w']+ )?"
        rf"{PEOPLE})?)\b(?: \w+){{0,2}} (?:hits|beats|abuses|chokes|strangles|rapes|attacks|kicks|"
        r"punches|slaps|batters|shoves) (?:her|him|them)\b(?! (?:at|to it|in (?:a|the)))",
        r"\b(?:scared|afraid|terrified|frightened|can'?t leave|won'?t leave|bruis\w*|police|"
        r"knife|gun|tonight|right now|again|every)\b",
    ),
    (
        C.VIOLENCE_ABUSE,
        r"\b(?:knife|knives|blade|machete|weapon)s?\b.{0,30}\b(?:school|class|college|campus)\b",
        r"\b(?:said (?:he|she|they)'?d|says (?:he|she|they)'?ll|threat\w*|use it|shoot\w*|"
        r"stab\w*|kill\w*|hurt\w*|scared|afraid|pointed|pointing|waving)\b",
    ),
    (
        C.SUICIDE_SELF_HARM,
        r"\b(?:(?:not|never) (?:wake|waking) up(?! (?:until|till|before|early|for|in time|on "
        r"time|at))|fall asleep forever|"
        r"sleep forever|"
        r"disappear\w* (?:for good|forever)|no future|nothing left (?:for me|to live for)|"
        r"this is the end(?! of)|the end for me|(?:saying|said) my goodbyes"
        r"|without me(?! for| while|"
        r" during| on | at | until| till| tonight| this)|if i (?:died|was gone|"
        r"were gone|disappeared)|(?:leave|dip from|exit|check out of) (?:this|the) world|"
        r"want (?:it|this|everything) (?:all )?over|waste of space|"
        r"(?:drive|crash|steer)\w* (?:my car |the car )?into (?:a|the) (?:wall|tree|river|"
        r"lake|truck|lorry|bridge|sea)|(?:driv|steer|swerv)\w* (?:my car |the car )?(?:off (?:the|"
        r"a) (?:road|bridge|cliff|motorway|overpass)|into oncoming traffic))\b",
        r"\b(?:want|wanna|wish|ready|going to|gonna|plan\w*|decided|tonight|for good|forever|"
        r"relieved|better|fine|nothing|done|enough|i'?m|i am|i'?ve|i feel|i think|myself|"
        r"saying|said|thinking|keep|imagin\w*)\b",
    ),
    (
        C.SUICIDE_SELF_HARM,
        r"\b(?:researching|looking up|googling|reading up on) how (?:many|much)\b",
        r"\b(?:pills|tablets|meds|it would take|to die|is fatal|is lethal|to overdose)\b",
    ),
    (
        C.OVERDOSE_POISONING,
        r"\b(?:took|taken|swallowed|downed|had)\b",
        r"\b(?:(?:whole|entire|full) (?:prescription|supply|bottle|packet|pack|box|month'?s)|"
        r"all (?:my|his|her|the) (?:pills|tablets|meds)) (?:at once|in one go|all together)\b|"
        r"\b(?:some|a few|random|unknown|someone'?s) (?:pills|tablets|meds)\b.{0,60}\b(?:not "
        r"sure what|don'?t know what|no idea what|like \d+|about \d+)",
    ),
    (
        C.OVERDOSE_POISONING,
        r"\b(?:drinking|drunk|alcohol|vodka|wine|beer|booze)\b",
        r"\b(?:took|taken|popped|swallowed) (?:my |some |a few |all my |his |her )?(?:sleeping "
        r"(?:pills|tablets)|painkillers|xanax|valium|benzos|diazepam|opioids|oxy\w*|codeine)\b",
    ),
    (
        C.VIOLENCE_ABUSE,
        r"\b(?:gets|becomes|is|turns|getting|got) (?:really |so |very )?(?:violent|aggressive|"
        r"abusive)\b|\b(?:following|chasing|stalking) me\b",
        r"\b(?:scared|afraid|terrified|frightened|weapon|knife|gun|hurt|hit|home|tonight|now)\b",
    ),
    (
        C.VIOLENCE_ABUSE,
        r"\bforc\w* me (?:to have sex|into sex|to do (?:sexual|things))|\bmakes? me have sex\b",
        r"\b(?:he|she|they|partner|husband|wife|boyfriend|girlfriend|uncle|dad|step\w*|boss)\b",
    ),
    (
        C.SUICIDE_SELF_HARM,
        r"\b(?:dying|death|dead|my funeral|end it|end my life|kill(?:ing)? myself|not (?:be )?here|"
        r"no way out|only way out)\b",
        r"\b(?:relief|peace|better|escape|imagin\w*|fantasi[sz]\w*|daydream\w*|plan\w*|ready|"
        r"deciding|decided|only option|except|easier|the answer)\b",
    ),
    (
        C.SUICIDE_SELF_HARM,
        r"\b(?:pills|tablets|meds|bottle|rope|knife|razor|gun|bridge|ledge|roof)\b",
        r"\b(?:deciding whether|whether to|take them all|all of them|do it|end it|tonight|goodbye|"
        r"counted them (?:twice|again|out|over)|keep (?:staring|looking) at (?:it|them)|"
        r"last time|in my hand|right now|holding (?:it|them)|ready)\b",
    ),
    (
        C.OVERDOSE_POISONING,
        r"\b(?:baby|toddler|kid|child|son|daughter|\d+ ?(?:year|yr|month)s? ?old|little one)\b",
        r"\b(?:drank|swallowed|chewed|licked) (?:something|some|stuff|it|from)\b|"
        r"\b(?:cleaning|cleaner|medicine|chemical|poison)\w*\b.{0,40}\b(?:drank|swallowed|ate)\b",
    ),
    (
        C.VIOLENCE_ABUSE,
        r"\b(?:hands?|arms?|belt|rope|cord) (?:around|round|on) my (?:neck|throat)\b|\b(?:burn|"
        r"set fire to|torch)\w* (?:the house|my house|the flat|me)\b",
        r"\b(?:he|she|they|partner|husband|wife|boyfriend|girlfriend|ex|dad|mom|mum|someone|"
        r"threat\w*|last night|tonight|again)\b",
    ),
    (
        C.VIOLENCE_ABUSE,
        r"\b(?:attacked|assaulted|stabbed|strangled|choked|raped|punched|beat up|mugged|"
        r"slashed) me\b",
        r"\b(?:he|she|they|someone|somebody|ex|partner|husband|wife|boyfriend|girlfriend|man|"
        r"guy|woman|stranger|broke in|terrified|scared)\b",
    ),
    (
        C.VIOLENCE_ABUSE,
        r"\b(?:want|wanna|going|gonna|planning|plan|about|need) to (?:kill|hurt|stab|shoot|murder|"
        r"beat up|strangle)\b",
        r"\b(?:the|that|this) (?:guy|man|woman|person|girl|boy|kid|teacher|bastard|bitch|"
        r"idiot|neighbou?r|driver)\b",
    ),
    (
        C.STROKE,
        r"\b(?:lost|losing|no|can'?t feel (?:any)?) ?(?:feeling|sensation|movement|strength|"
        r"control)\b",
        r"\b(?:left|right|one) (?:side|arm|leg|hand)\b|\bwhole (?:left|right) side\b",
    ),
)
RULES = RULES + tuple(
    Rule(category, rf"(?:{body}).{{0,60}}(?:{severity})|(?:{severity}).{{0,60}}(?:{body})", 1)
    for category, body, severity in _BODY_AND_SEVERITY
)

PRIORITY = (
    C.OVERDOSE_POISONING,
    C.ANAPHYLAXIS,
    C.CARDIAC,
    C.STROKE,
    C.SEVERE_BLEEDING,
    C.BREATHING,
    C.SUICIDE_SELF_HARM,
    C.VIOLENCE_ABUSE,
)

# --- guards ----------------------------------------------------------------------------------

# Idioms: a trigger overlapping one of these is figurative. Only the alternatives whose words
# are in a sentence are run (the same matches, a tenth of the time).
_IDIOMS = Alternation(
    r"(?:is|are|was|were|'s|s|it'?s|its|this|that|these|they|you|u|heels|shoes|feet|back|"
    r"neck|head|job|kids|commute|heat|wait|suspense|class|exam|test|boss|work|traffic) "
    r"(?:\w+ )?(?:killing|kill|killed) me\b(?! (?:and|with|if|when he|when she))"
    r"|\bkill(?:ing|ed)? (?:it|time|the (?:mood|vibe|lights|engine|music)|two birds|"
    r"myself (?:laughing|at work|at the gym|working|studying|with work|over|for|trying|to)"
    r"|me with kindness)\b"
    r"|\b(?:could|would|i'?d) (?:murder|kill|die) (?:a|an|for|some|the)\b"
    r"|\bkill for (?:a|an|some)\b"
    r"|\bdying (?:to|for|of (?:laughter|boredom|embarrassment|curiosity)|laughing|inside)\b"
    r"|\bto die for\b|\b(?:i'?m|im|i am|i|we) (?:literally )?(?:dead|dying|ded|deceased)"
    r"(?: lol| haha| rn lol)\b|\bdie of (?:embarrassment|boredom|shame|laughter)\b"
    r"|\b(?:gave|give|giving|gives|nearly had|almost had|nearly gave|almost gave|going to "
    r"give|gonna give|will give|'ll give|about to have) (?:me |him |her |my \w+ |us )?"
    r"(?:a )?(?:heart ?attack|stroke|aneurysm|coronary)"
    r"|\bheart (?:stopped|skipped(?: a beat)?|sank|dropped|leapt|jumped|was in my mouth|"
    r"attack on a plate|was pounding) (?:when|at|because|for a second|seeing|reading|opening)"
    r"|\b(?:can'?t|cannot|couldn'?t|could not) breathe? (?:lol|lmao|haha|from laughing|"
    r"laughing|i'?m laughing)"
    r"|\b(?:take|took|takes|taking) (?:my|your|our) breath away|\bbreath ?taking\b"
    r"|\bbreathing down (?:my|our|his|her) neck|\bcatch (?:my|our) breath (?:before|after|"
    r"between)"
    r"|\bbleeding (?:money|cash|edge|heart|obvious|us dry|me dry|red ink)\b"
    r"|\b(?:ears|eyes) (?:are|were|is) bleeding\b|\bbled (?:us|me|them) dry\b"
    r"|\b(?:od'?d?|overdosed|overdosing|od'?ing) on (?:netflix|tv|coffee|sugar|chocolate|"
    r"candy|anime|christmas|cheese|pizza|cute|carbs|drama|memes|tiktok|youtube|love|"
    r"podcasts|music|work|sleep)\b"
    r"|\b(?:choked|choking|choke) (?:up|under pressure|on (?:my|his|her) words|in the "
    r"(?:final|game|match|exam|interview))\b|\bchoking hazard\b"
    r"|\b(?:stroke of (?:luck|genius|midnight)|back ?stroke|breast ?stroke|heat ?stroke)\b"
    r"|\bsuicide (?:squad|mission|doors?|run|drills?|sprints?|king|knot)\b"
    r"|\b(?:beat|hit|beats|hits) me (?:at|to it|in (?:chess|cards|a race|the))\b"
    r"|\bhits? (?:me|her|him|them|us) up\b|\b(?:beat\w*|hit\w*) (?:me|us|him|her|them|my \w+) "
    r"(?:at|in) (?:chess|cards|tennis|golf|pool|darts|a race|the race|the game|\w+ games?|"
    r"scrabble|monopoly|football|poker)\b"
    r"|\bchok\w* on (?:all )?(?:this|that|the|my|these) (?:paperwork|work|workload|emails|debt|"
    r"bills|admin|smoke|dust|pollen|homework|deadlines)\b"
    r"|\b(?:mom|mum|dad|mother|father|wife|husband|boss|teacher|coach|parents?) (?:is|are|"
    r"'s|s|will|'ll|gonna|going to)(?: \w+){0,2} (?:kill|murder) me (?:when|if|for|once|"
    r"lol|haha)\b"
    r"|\bthe (?:suspense|heat|wait) is killing\b"
    r"|\bcan'?t (?:go on|take it|do this) (?:any ?more )?(?:with|at) (?:this|my) (?:job|"
    r"diet|class|course)\b"
    r"|\bscared (?:me )?to death\b|\bbored to death\b|\bworried (?:myself )?sick\b"
    r"|\b(?:scared|afraid|worried|fear\w*|terrified|nervous|anxious)\b.{0,40}\b(?:die|dying|"
    r"death)\b|\b(?:die|dying) (?:from|of|in|during|after|on the (?:table|operating))\b"
    r"|\b(?:am i|will i|could i|would i|might i|can i) (?:going to |gonna )?die\b"
    r"|\b(?:so funny|hilarious|laugh\w*|giggl\w*)\b.{0,40}\b(?:can'?t|couldn'?t|could not) "
    r"breathe?\b|\b(?:can'?t|couldn'?t) breathe?\b.{0,30}\b(?:laugh\w*|so funny|hilarious)\b"
    r"|\bchok\w* (?:back|up)\b|\b(?:nearly|almost) chok\w* on (?:my|the|a) \w+ (?:when|at|"
    r"laughing|because)\b"
    r"|\bbit(?:e|ten)? (?:myself )?(?:on )?(?:my|the|his|her) (?:tongue|lip|cheek)\b"
    r"|\bscratch\w* (?:myself|my \w+)\b.{0,40}\b(?:eczema|itch\w*|rash|hives|in my sleep|at "
    r"night|bites?|psoriasis)\b"
    r"|\b(?:hit|kicked|pushed|elbowed|bumped|punched) me (?:by accident|accidentally)\b"
    r"|\baccidentally (?:hit|kicked|pushed|elbowed|bumped|punched) me\b"
    r"|\bchok\w*\b.{0,40}\b(?:test|exam|interview|game|match|final|presentation|speech|"
    r"audition|penalty|pressure|recital)\b"
    r"|\b(?:accidentally|by accident|by mistake) (?:cut|burn\w*|hurt|stabbed) myself\b"
    r"|\bsnor\w* like (?:she'?s|he'?s|i'?m|they'?re|i am|he is|she is) chok\w*"
    r"|\b(?:kick\w*|punch\w*|hit\w*|elbow\w*|slap\w*) (?:me|him|her|us) in (?:her|his|my|their|"
    r"the|our) sleep\b"
    r"|\b(?:blue|purple)\b(?: \w+){0,2} from (?:the |an? |eating |that )?(?:ice ?lolly|ice ?pops?|"
    r"popsicles?|slushies|slushy|blueberr\w*|sweets|candy|food colou?ring|dye|paint|pens?|ink)\b"
    r"|\b(?:so|too) (?:hot|spicy|funny|hilarious|good|cute|delicious|beautiful|loud)\b"
    r"[^.!?]{0,30}\b(?:thought|felt like|swear|swore) (?:i'?d|i was going to|i would|"
    r"i was gonna) (?:stop breathing|die|pass out|faint|explode)\b"
    r"|\b(?:cut|burn\w*|hurt|scald\w*) myself (?:on|while|when|cooking|shaving|chopping|"
    r"gardening|at the gym|with the (?:knife|kettle|oven|iron|pan|tray|stove))\b"
)
# "he never hit me": a negation right before the violent verb inside the trigger itself.
_NEG_INSIDE = re.compile(
    r"\b(?:never|not|didn'?t|doesn'?t|don'?t|won'?t|wouldn'?t|isn'?t) (?:\w+ )?(?:hit|hits|beat|"
    r"beats|hurt|hurts|touch\w*|punch\w*|kick\w*|chok\w*|slap\w*|push\w*|abus\w*|threaten\w*)\b"
)
_INTENT_BEFORE = re.compile(
    r"\b(?:going to|gonna|will|i'?ll|want to|wanna|plan(?:ning)? to|about to|thinking (?:about|"
    r"of)|might|ready to)\s*$"
)
_LAUGH = re.compile(r"\b(?:lol|lmao|lmfao|rofl|haha\w*|jk|/s)\b")
_HYPERBOLE = re.compile(
    r"\bif (?:i|we) (?:have to|hear|see|get|sit|watch|listen|fail|lose|don'?t get|forget|"
    r"forgot|miss|missed|eat|ate|spill\w*|burn\w*|spoil\w*|(?:am|'m|are|'re) late)\b"
)

# Negation right before a trigger ("I'm not suicidal", "no chest pain", "never hurt myself").
_NEGATION = re.compile(
    r"\b(?:not|never|no|nor|without|denies|denied|deny|don'?t|dont|do not|didn'?t|did not|"
    r"doesn'?t|does not|isn'?t|aren'?t|wasn'?t|weren'?t|won'?t|wouldn'?t|haven'?t|hasn'?t|"
    r"ruled out|rule out|free of|negative for|no longer|none)\b(?: \w+){0,3} ?$"
)
# Hypotheticals and conditionals ("what if someone overdosed", "in case of a stroke").
_HYPOTHETICAL = re.compile(
    r"\b(?:what if|if (?:someone|somebody|a person|anyone|people|you|your|one|a|an|the|"
    r"they|he|she|my|his|her|their|i ever|i'?ve ever|i have ever|i were|i was)|in case|"
    r"(?:asked|asks|asking) (?:me )?(?:if|whether)|what would happen|"
    r"what happens|hypothetical\w*|suppose|supposing|imagine|pretend|in a (?:movie|film|"
    r"book|novel|story|show|game|scene)|my (?:character|novel|story|book|screenplay)|"
    r"for (?:a|my|our) (?:[\w-]+ ){0,2}(?:class|essay|paper|project|assignment|course|"
    r"presentation|exam|training|homework|quiz)|"
    r"writing (?:a|an) (?:essay|story|paper|novel|scene)|when (?:someone|somebody|a person|"
    r"people|you))\b"
)
_CLAUSE_BREAK = re.compile(
    r",|;| then | but | so | and (?:now|then) |\b(?:i'?ll|i will|i'?m going|im going|"
    r"i'?m gonna|im gonna|i would|i'?d|he will|she will|he'?ll|she'?ll|they will|"
    r"he'?s going|she'?s going|i swear)\b"
)
# Informational questions ("what are the warning signs of a stroke?").
_INFO_CUE = re.compile(
    r"\b(?:signs? of|symptoms? of|warning signs|red flags|what (?:are|is|causes|does|do|"
    r"should|happens|to do|would)|what'?s (?:the|a)|how (?:do|does|can|would|should|"
    r"long|common|likely|many|much|often|is|are|to)|is it (?:normal|common|possible|true|"
    r"safe|bad|dangerous)|can (?:a|an|stress|anxiety|\w+ing|\w+s)? ?\w* ?cause|causes? of|"
    r"risk (?:of|factors?)|difference between|why (?:do|does|is|are)|does \w+ cause|"
    r"statistics|rates? of|definition|meaning of|explain|learn about|tell me about|"
    r"first aid|who (?:should|can)|when should|which|(?:need to|should i|when to) see a doctor|"
    r"prevent\w*|avoid|treat\w*|diagnos\w*|tests? for|at risk|chances? of|likely to|"
    r"hereditary|genetic|when (?:do|should|would|can) (?:i|you|we)|"
    r"how \w+ (?:would|does|do|is|can|will))\b"
)
_PRESENT = re.compile(
    r"\b(?:right now|rn|just now|currently|at the moment|at this moment|as we speak|"
    r"i'?m having|im having|i am having|is having|are having|i have (?:had )?(?:chest|"
    r"a (?:bad|terrible|sudden|severe))|my \w+ (?:is|has|just|keeps|won'?t|can'?t)|(?:he|she|they) "
    r"(?:is|are|has|just|keeps|won'?t|can'?t)|(?:he|she)'?s|(?:my|our) [\w']+ who(?: is|'s)|"
    r"just (?:took|ate|"
    r"swallowed|drank)|took|swallowed|happening|please help|help me|hurry|tonight|today|"
    r"this (?:morning|evening|afternoon))\b"
)
_PERSONAL = re.compile(
    r"\b(?:i|i'm|im|i've|ive|i'd|me|my|mine|we|our|us|he|she|him|her|his|they|them|their|"
    r"he's|she's|hes|shes|they're|mom|mum|dad|husband|wife|son|daughter|baby|friend)\b"
)
_QUESTION_START = re.compile(
    r"^\s*(?:what|how|why|when|which|who|is|are|can|could|does|do|should|would|will)\b(?!')"
)
# Past and resolved events ("years ago", "as a kid", "now I'm doing well").
_PAST = re.compile(
    r"\b(?:(?:\d+|a few|few|several|many|two|three|four|five|six|ten|a couple of|couple of|"
    r"some) (?:weeks|months|years|yrs|decades) ago|(?:weeks|months|years|decades) ago|"
    r"a (?:year|decade|month) ago|"
    r"last (?:year|month|summer|winter|spring|fall|autumn|christmas|decade|week)|"
    r"when (?:i|he|she|they|we) (?:was|were) (?:a |younger|young|little|small|in|at|\d+|a teen)|"
    r"as a (?:child|kid|teen\w*|"
    r"student|young \w+)|growing up|in (?:19|20)\d\d|back (?:in|then|when)|used to|"
    r"in the past|history of|a while (?:back|ago)|long (?:time )?ago|years back|"
    r"when i was|in (?:high school|college|my teens|my twenties|my 20s|uni|university)|"
    r"(?:survived|recovered from|got through|came through|overcame|got over)|"
    r"(?:during|in) (?:(?:my|his|her|their) )?(?:childhood|teens|youth)|"
    r"previous(?:ly)?|once had|had one|had two|had a history|"
    r"in (?:my|his|her|their) (?:\d0s|\d0'?s|teens|twenties|thirties|forties|fifties|sixties|"
    r"seventies|eighties|nineties)|"
    r"at (?:age )?\d{1,2}(?! ?(?:am|pm|a\.m|p\.m|mg|minutes?|mins?|hours?|o'?clock|:|\.|%|"
    r"weeks?|wks?))|"
    r"(?:since|after) (?:my|his|her) (?:heart attack|stroke|attempt|overdose)|"
    r"(?:years|months) (?:clean|sober|free|since))\b"
)
# Past events no present word can revive ("after my heart attack last year, can I run?").
_DISTANT_PAST = re.compile(
    r"\b(?:(?:\d+|a few|few|several|many|two|three|four|five|six|ten|a couple of|couple of|"
    r"some) (?:months|years|yrs|decades) ago|(?:months|years|decades) ago|a (?:year|decade) "
    r"ago|last year|in (?:19|20)\d\d|as a (?:child|kid|baby|teen\w*))\b"
)
_REVIVED = re.compile(r"\b(?:again|right now|rn|now|just now|tonight|today|currently)\b")
_FICTION = re.compile(
    r"\b(?:(?:story|novel|book|screenplay|script|fanfic|fan fiction|poem|game|scene) "
    r"(?:i'?m|i am|we'?re) (?:writing|making)|my (?:character|protagonist|novel|story|"
    r"screenplay)|a character|in (?:my|a|the) (?:story|novel|book|film|movie|show|game|"
    r"series|episode)|(?:reading|watching|listening to|finished|binged) (?:a|an|the|this) (?:\w+ )?"
    r"(?:thriller|novel|book|film|movie|show|series|episode|podcast|documentary|drama) "
    r"(?:where|in which|about))\b"
)
_IF_QUESTION = re.compile(r"^\s*(?:if|what if|in case|suppose|supposing|hypothetically)\b")
_STRONG_PAST = re.compile(
    r"\b(?:since|after|following) (?:my|his|her|their|your|a) "
    r"(?:\w+ )?(?:heart attack|stroke|attempt|"
    r"overdose|anaphyla\w+|surgery|bypass|cardiac arrest)\b"
)
_RESOLVED = re.compile(
    r"\b(?:now (?:(?:i'?m|im|i am|he'?s|she'?s|they'?re|we'?re) (?:doing |feeling |much |"
    r"so |a lot |way )?(?:fine|ok|okay|better|good|well|great|stable|healthy|thriving|happy|"
    r"safe|recovered|in recovery|clean|sober|off)|doing|feeling|fine|ok|okay|better|good|"
    r"stable|healthy|thriving|happy)|(?:doing|feeling|much|way|lot) (?:better|well|great|"
    r"good|fine) now|(?:i'?m|im|i am) (?:in a )?(?:much |way |a lot )?(?:better|good|safe|"
    r"fine|ok|okay) (?:place )?now|(?:in|entered|reached) recovery|recovered|got help|"
    r"getting help|in therapy|it (?:went away|passed|stopped|resolved|settled)|"
    r"(?<!n't )(?<!not )(?<!wont )(?<!never )"
    r"(?:went|go|gone|goes) away|passed after|stopped after|"
    r"(?:has|had) stopped(?! breathing| responding| moving)|"
    r"is gone now|are gone now|all good now|fine now|ok now|okay now|resolved|"
    r"feel fine now|no longer|don'?t feel that way|all clear|cleared me|was fine|"
    r"turned out to be|ended up being|false alarm|came back (?:normal|clear|fine|negative)|"
    r"(?:was|were|is|are) (?:all )?normal)\b"
)
_RECENT_TIME = re.compile(
    r"\b(?:tonight|today|this (?:morning|evening|afternoon|week)|last night|(?:\d+|a few|few|"
    r"an|a|two|three|ten|twenty|thirty|couple of|a couple of|several) (?:minutes?|mins?|"
    r"hours?|hrs?|days?) ago|yesterday|(?:for|in|over) the (?:last|past) (?:(?:\d+|few|couple of|"
    r"an?|half an?) ?)?(?:minutes?|mins?|hours?|hrs?))\b"
)
_RECENT = re.compile(
    r"\b(?:right now|just now|rn|currently|at the moment|"
    r"every (?:hour|\d+ minutes|few minutes|half hour)|an hour|per hour|each hour|"
    r"again|still (?:bleeding|can'?t|cannot|not|having|feel\w*|thinking|want\w*|struggling|"
    r"hurts?|happening|going|here|swelling|getting|there|unconscious|unresponsive)|any ?more|"
    r"keep|keeps|back again|came back|are back|is back|coming back|"
    r"relaps\w*|urges?|help me|please help|what (?:do|should) (?:i|we) do|is having|"
    r"am having|i'?m having|im having|ambulance|911|999|112|hurry|emergency|"
    r"happening)\b"
)
# Other people's deaths and illnesses in the past ("my grandfather died of a heart attack").
_HISTORY = re.compile(
    r"\b(?:died|dead from|passed away|passed on|death|deaths|funeral|lost (?:him|her|them|my "
    r"\w+)|killed (?:him|her|them)|rip|r\.i\.p|memorial|obituary|anniversary|in memory|"
    r"his last|her last|was diagnosed|got diagnosed|family history|runs in (?:my|the) family|"
    r"(?:my|his|her|our) (?:\w+ )?(?:grand\w+|great[- ]\w+) (?:had|was|used))\b"
)
# Long-standing, mild or explained complaints (for weak triggers only).
_CHRONIC = re.compile(
    r"\b(?:for (?:the )?(?:past |last )?(?:few |several |a few |many |\d+ |couple of |two |"
    r"three )?(?:weeks|months|years)|on and off|comes and goes|come and go|occasional(?:ly)?|"
    r"sometimes|every (?:time|now and then|so often|morning|night|day)|when(?:ever)? "
    r"(?:i|he|she) (?:exercise|run|climb|walk|jog|lie|lay|eat|work out|go up)|after "
    r"(?:eating|meals|exercise|running|workouts?|coffee|(?:\w+ )?(?:coffees|espressos|energy "
    r"drinks?)|caffeine)|when (?:i|he|she) (?:stand|get up|sit up)|allergy season|pollen|"
    r"heartburn|acid reflux|reflux|"
    r"indigestion|gerd|from (?:coughing|a cold|the flu|lifting|sitting|my desk|a desk|posture|"
    r"sleeping|work|the gym|gardening)|at (?:a|my) desk|pulled a muscle|"
    r"mild|slight(?:ly)?|a little|a bit|tiny|small|minor|normal for me|chronic|"
    r"costochondritis|usually|always|all my life|since (?:i was|childhood|birth)|"
    r"allergies|hay ?fever|seasonal|stuffy|blocked nose|runny nose|cold|"
    r"at night when i lie|strep|tonsil\w*|sore throat|glands|the flu|dentist|"
    r"ana?esthetic|novocaine|filling|when (?:i'?m|i am|i get|i feel) (?:anxious|stressed|"
    r"nervous|cold)|anxiety|is (?:that|this|it) normal)\b"
)
_LONG_STANDING = re.compile(
    r"\b(?:for (?:the )?(?:last |past )?(?:\d+|few|several|many|a few|couple of|two|three|six) "
    r"(?:months|years)|for (?:months|years)|(?:months|years) now|since (?:last year|childhood|"
    r"i was (?:a )?(?:kid|child|born|young)))\b"
)
_MEDICAL = frozenset(
    {C.CARDIAC, C.STROKE, C.BREATHING, C.SEVERE_BLEEDING, C.ANAPHYLAXIS, C.OVERDOSE_POISONING}
)


@dataclass(frozen=True, slots=True)
class Hit:
    """A trigger that survived every guard."""

    category: CrisisCategory
    weight: int
    start: int
    end: int


@cache
def _compiled() -> tuple[tuple[tuple[Rule, re.Pattern[str]], ...], Prefilter]:
    """The compiled rules, and the prefilter that says which of them can match a text."""
    rules = tuple((rule, re.compile(rule.pattern)) for rule in RULES)
    return rules, Prefilter([rule.pattern for rule in RULES])


def _clause_before(sentence: str, offset: int) -> str:
    """The part of the sentence's clause that comes before a trigger."""
    before = sentence[:offset]
    cut = max(before.rfind(","), before.rfind(";"), before.rfind(" but "))
    return before[cut + 1 :] if cut >= 0 else before


def _in_conditional(before: str) -> bool:
    """Whether the trigger sits inside an if-clause or hypothetical that has not closed yet."""
    found = list(_HYPOTHETICAL.finditer(before))
    if not found:
        return False
    return _CLAUSE_BREAK.search(before, found[-1].end()) is None


_FIRST_PERSON = re.compile(
    r"\b(?:i'?m|im|i am|i feel|i'?ve been|ive been|i have been|i keep|i want|i wanna|i think "
    r"about|i can'?t|my (?:\w+ )?(?:thoughts|urges|feelings|life)|(?:kill|hurt|harm\w*) myself)\b"
)
# Asking about one's own suicidal thoughts or safety is never "just information".
_PERSONAL_CATEGORIES = frozenset({C.SUICIDE_SELF_HARM, C.VIOLENCE_ABUSE})


_GENERIC_SUBJECT = re.compile(
    r"\b(?:someone|somebody|a person|people|anyone|a child|a baby|a patient|you|your \w+) "
    r"(?:is |are |'re |'s )?(?:having|has|have|is|are)\b"
)


def _is_information_question(sentence: str, category: CrisisCategory) -> bool:
    stripped = sentence.strip()
    if category in _PERSONAL_CATEGORIES and _FIRST_PERSON.search(stripped):
        return False
    asks = stripped.endswith("?") or bool(_QUESTION_START.match(stripped))
    # "signs that someone is having a stroke" is about anyone, not about a case right now.
    specific = _GENERIC_SUBJECT.sub(" ", stripped)
    if not asks or _PRESENT.search(specific):
        return False
    return bool(_INFO_CUE.search(stripped)) or not _PERSONAL.search(stripped)


# "everyone would be relieved if I died" talks about the writer, not about someone's death.
_OWN_DEATH = re.compile(r"\b(?:if|when|after|once) i (?:died|die|was dead|were dead|am dead)\b")
_FUTURE_AGAIN = re.compile(
    r"\b(?:happen|occur|come back|recur|get it|have it|need it|do that|go through (?:it|that)|"
    # Resuming everyday life ("can I start driving again?") does not bring the emergency back.
    r"driv(?:e|ing)|run(?:ning)?|exercis(?:e|ing)|travel(?:l?ing)?|fly(?:ing)?|swim(?:ming)?|"
    r"cycl(?:e|ing)|jog(?:ging)?|danc(?:e|ing)|lift(?:ing)? weights|train(?:ing)?|"
    r"play(?:ing)? (?:sports?|football|soccer|tennis|golf|rugby|basketball)|golf(?:ing)?|"
    r"garden(?:ing)?|hik(?:e|ing)|(?:have|having) sex|dat(?:e|ing)) again\b"
)


class _Sentence:
    """Guard facts about one sentence, computed once however many triggers it holds."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.idioms = _IDIOMS.spans(text)
        self.hyperbole = bool(_LAUGH.search(text) and _HYPERBOLE.search(text))
        self.if_question = bool(_IF_QUESTION.match(text)) and text.rstrip().endswith("?")
        self.strong_past = bool(_STRONG_PAST.search(text))
        # "will it happen again?" asks about the future; it is not happening now.
        self.ongoing = bool(_RECENT.search(_FUTURE_AGAIN.sub(" ", text)))
        self.recent = self.ongoing or bool(_RECENT_TIME.search(text))
        self.distant_past = bool(_DISTANT_PAST.search(text)) and not (
            _REVIVED.search(_FUTURE_AGAIN.sub(" ", text)) or _RECENT_TIME.search(text)
        )
        self.history = bool(_HISTORY.search(_OWN_DEATH.sub(" ", text))) and not self.recent
        self.past = bool(_PAST.search(text)) and not self.recent
        self.chronic = bool(_CHRONIC.search(text)) and not self.recent
        self._info: dict[bool, bool] = {}

    def information(self, category: CrisisCategory) -> bool:
        personal = category in _PERSONAL_CATEGORIES
        if personal not in self._info:
            self._info[personal] = _is_information_question(self.text, category)
        return self._info[personal]


class _Message:
    """A normalised message, its sentences, and the guard facts that concern all of it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends = [m.end() for m in re.finditer(r"[.!?\n]", text)]
        self.fiction = bool(_FICTION.search(text))
        ongoing = bool(_RECENT.search(text))
        self.long_standing = bool(_LONG_STANDING.search(text)) and not ongoing
        self.resolved = bool(_RESOLVED.search(text)) and not ongoing
        self._sentences: dict[int, tuple[int, _Sentence]] = {}

    def sentence(self, start: int, end: int) -> tuple[int, _Sentence]:
        """The sentence holding a match (from the sentence end before it to the one after)."""
        left_index = bisect_right(self.ends, start)
        left = self.ends[left_index - 1] if left_index else 0
        right_index = bisect_left(self.ends, end)
        right = self.ends[right_index] if right_index < len(self.ends) else len(self.text)
        key = left * 1_000_003 + right
        if key not in self._sentences:
            self._sentences[key] = (left, _Sentence(self.text[left:right]))
        return self._sentences[key]


def _guarded(message: _Message, rule: Rule, match: re.Match[str]) -> bool:
    """True when a guard says this trigger is not a crisis."""
    if message.fiction:
        return True
    offset, facts = message.sentence(match.start(), match.end())
    sentence = facts.text
    rel_start, rel_end = match.start() - offset, match.end() - offset
    if any(start < rel_end and rel_start < end for start, end in facts.idioms):
        return True
    if facts.hyperbole or facts.if_question or facts.strong_past:
        return True
    before = _clause_before(sentence, rel_start)
    if _NEGATION.search(before[-40:]):
        return True
    if _in_conditional(sentence[:rel_start]):
        return True
    if facts.information(rule.category):
        return True
    inside = match.group()
    if rule.category is C.VIOLENCE_ABUSE and _NEG_INSIDE.search(inside) and "safe" not in inside:
        return True
    medical = rule.category in _MEDICAL
    if medical and (facts.distant_past or message.long_standing):
        return True
    if facts.history or facts.past or message.resolved:
        return True
    return rule.weight < 2 and facts.chronic  # noqa: PLR2004


def hits(text: str) -> list[Hit]:
    """Every trigger in `text` that survives the guards (for the benchmark and debugging)."""
    norm = normalise(text)
    rules, prefilter = _compiled()
    message: _Message | None = None  # built at the first trigger: most texts have none
    found: list[Hit] = []
    for index in prefilter.candidates(norm):
        rule, pattern = rules[index]
        for match in pattern.finditer(norm):
            if message is None:
                message = _Message(norm)
            if not _guarded(message, rule, match):
                category = rule.category
                # "I'm going to take all my pills" is a plan, not (yet) an overdose.
                if category is C.OVERDOSE_POISONING and _INTENT_BEFORE.search(
                    norm[max(0, match.start() - 30) : match.start()]
                ):
                    category = C.SUICIDE_SELF_HARM
                found.append(Hit(category, rule.weight, match.start(), match.end()))
                break
    return found


def rules_crisis(text: str) -> CrisisCategory | None:
    """The crisis category `text` signals, or None.

    A cause (overdose or poisoning, anaphylaxis) wins over the symptoms it brings; otherwise
    the first complaint mentioned is the chief one ("chest pain and I can't breathe" is cardiac,
    "I can't breathe, my chest is tight" is breathing).
    """
    found = hits(text)
    if not found:
        return None
    causes = {h.category for h in found} & _CAUSES
    if causes:
        return next(c for c in PRIORITY if c in causes)
    # Otherwise the first complaint mentioned is the chief one.
    return min(found, key=lambda h: (h.start, PRIORITY.index(h.category))).category

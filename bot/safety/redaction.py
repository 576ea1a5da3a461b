"""PHI redaction: find personal identifiers and replace each with ``[KIND]``."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache

from bot.safety.address_model import address_cues, address_words, loose_word, shipped_address_model
from bot.safety.name_model import first_names, places, shipped_name_model, word_lists
from bot.safety.prefilter import Gated, any_of
from bot.safety.types import PhiKind, Span

K = PhiKind
Finder = Callable[[str], Iterator[Span]]

# --- helpers -----------------------------------------------------------------------------------


def _span(kind: PhiKind, match: re.Match[str], group: int | str = 0) -> Span:
    return Span(kind, match.start(group), match.end(group))


def _near(
    text: str, start: int, end: int, pattern: Gated, *, before: int = 40, after: int = 0
) -> bool:
    """Whether `pattern` occurs within `before` characters before or `after` after a span."""
    return bool(pattern.search(text[max(0, start - before) : start])) or (
        after > 0 and bool(pattern.search(text[end : end + after]))
    )


# --- email ---------------------------------------------------------------------------------------

_EMAIL = Gated(
    r"(?<![\w.+'-])[A-Za-z0-9][\w.+'-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"
    r"|(?<![\w.+-])[A-Za-z0-9][\w.+-]*(?:\s?(?:\(dot\)|\[dot\]| dot )\s?[\w+-]+)*"
    r"\s?(?:\(at\)|\[at\]|\{at\}| at )\s?[A-Za-z0-9-]+"
    r"(?:\s?(?:\.|\(dot\)|\[dot\]| dot )\s?[A-Za-z0-9-]+)*\s?(?:\.|\(dot\)|\[dot\]| dot )\s?"
    r"(?:com|org|net|edu|gov|io|co|uk|de|fr|ca|au|ie|nl|info|me|us)\b",
)


_SPELLED_AT = Gated(r"\(at\)|\[at\]|\{at\}| dot |\[dot\]")


# An email typed a letter at a time so that bots cannot read it ("j o e 4 5 @ g m a i l . c o m").
_SPACED_EMAIL = Gated(r"(?<!\S)(?:[\w.+-] ){2,60}@(?: [\w-]){2,40} \.(?: [a-z]){2,4}(?!\S)")


def _emails(text: str) -> Iterator[Span]:
    if "@" not in text and not _SPELLED_AT.search(text):
        return  # every email kept below holds one of these: most messages hold none
    for m in _EMAIL.finditer(text):
        if "@" in m.group() or _SPELLED_AT.search(m.group()):
            yield _span(K.EMAIL, m)
    for m in _SPACED_EMAIL.finditer(text) if " @ " in text else ():
        yield _span(K.EMAIL, m)


# --- URLs carrying identifiers -------------------------------------------------------------------

_URL = Gated(
    r"\b(?:https?://|www\.)[^\s<>\"')\]]+"
    # a bare domain with a path ("facebook.com/profile.php?id=…", "gofund.me/7c3a9f2e")
    r"|(?<![\w.@/-])(?:[a-z0-9-]+\.)+(?:com|org|net|me|io|co|ly|gl|uk|us|app|link|health)"
    r"/[^\s<>\"')\]]+",
    re.IGNORECASE,
)
# A path segment that reads like a token: digits, upper- and lower-case letters alternating
# ("7c3a9f2e", "PkL9-3XzQ"), not a word or a word with a number ("covid-19", "iPhone15").
_TOKEN_SEGMENT = Gated(r"/([A-Za-z0-9_-]{6,})(?=[/?#]|$)")


_TOKEN_CHANGES = 4  # digit / upper / lower changes that make a segment a token


def _token_like(segment: str) -> bool:
    kinds = ["d" if c.isdigit() else "u" if c.isupper() else "l" for c in segment if c.isalnum()]
    return sum(a != b for a, b in itertools.pairwise(kinds)) >= _TOKEN_CHANGES


# A profile page on a social network names a person whatever its path looks like, and people
# often paste it without "https://".
_PROFILE = Gated(
    r"(?<![\w./-])(?:https?://)?(?:(?:www|m|mobile)\.)?(?:facebook|fb|instagram|twitter|x|tiktok|"
    r"linkedin|threads|youtube|pinterest|reddit)\.com/(?:in/|user/|u/|@)?[\w.@-]*[A-Za-z0-9][\w.-]*"
    r"/?(?=[\s,;)!?]|\.(?:\s|$)|$)",
    re.IGNORECASE,
)
# A personal video room or booking page names its owner whatever its path looks like.
_ROOM = Gated(
    r"(?<![\w./-])(?:https?://)?(?:www\.)?(?:doxy\.me|whereby\.com|meet\.jit\.si|vsee\.me|"
    r"zoom\.us/my|calendly\.com|meet\.google\.com|thera-link\.com|simplepractice\.com/c)"
    r"/[\w.-]*[A-Za-z0-9]",
    re.IGNORECASE,
)
_NOT_PROFILE = Gated(
    r"\.com/(?:help|about|legal|policies|privacy|terms|groups|events|pages|watch|hashtag|"
    r"explore|search|settings|login|signup)?/?$",
    re.IGNORECASE,
)
_URL_ID = Gated(
    r"[?&#;][^=\s]*=[^&\s]+"  # any query parameter value
    r"|/\d{4,}(?:[/?#.-]|$)"  # long numeric path segment
    r"|/[A-Za-z0-9_-]*\d[A-Za-z0-9_-]*[A-Za-z][A-Za-z0-9_-]{10,}"  # token-like segment
    r"|/[A-Za-z0-9_-]{16,}(?:[/?#]|$)"  # long opaque segment
    r"|/[0-9a-f]{8}-[0-9a-f]{4}-"  # uuid
    r"|/\d+(?:\.\d+){3,}"  # DICOM-style dotted ids
    r"|/(?:patients?|users?|members?|records?|charts?|profiles?|accounts?|u|p|id|studies|"
    r"study|results?|reports?|visits?|appointments?|orders?|invoices?|claims?)/[^/\s]*\d",
    re.IGNORECASE,
)


def _urls(text: str) -> Iterator[Span]:
    if "/" not in text and "www." not in text.lower():
        return  # every form above holds a slash or starts with "www."
    for m in _URL.finditer(text):
        url = m.group().rstrip(".,;:!?")
        path = url[url.find("/", 8) if "//" in url else url.find("/") :] or ""
        if _URL_ID.search(path) or any(
            _token_like(t.group(1)) for t in _TOKEN_SEGMENT.finditer(path)
        ):
            yield Span(K.URL_WITH_ID, m.start(), m.start() + len(url))
    for m in _PROFILE.finditer(text):
        if not _NOT_PROFILE.search(m.group()):
            yield _span(K.URL_WITH_ID, m)
    for m in _ROOM.finditer(text):
        yield _span(K.URL_WITH_ID, m)


# --- national ids --------------------------------------------------------------------------------

_SSN = Gated(r"(?<![\d-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])")
_SSN_CONTEXT = Gated(
    r"ssn|social security|social sec|\bsocial\b|ss#|ss no|soc sec|seguro social", re.IGNORECASE
)


# An old Medicare claim number is a social security number and a letter code ("123-45-6789A").
_CLAIM_SUFFIX = Gated(r"(?-i:[A-Z]\d?)\b")


def _ssns(text: str) -> Iterator[Span]:
    for m in _SSN.finditer(text):
        area, sep, group, serial = m.groups()
        if area in {"000", "666"} or area[0] == "9" or group == "00" or serial == "0000":
            continue
        suffix = _CLAIM_SUFFIX.match(text, m.end())
        if suffix:
            yield Span(K.INSURANCE_ID, m.start(), suffix.end())
        elif sep or _near(text, m.start(), m.end(), _SSN_CONTEXT, before=80, after=30):
            yield _span(K.SSN, m)


_NHS = Gated(r"(?<![\d-])(\d{3})([- ]?)(\d{3})\2(\d{4})(?![\d-])")
_NHS_CONTEXT = Gated(r"\bn\.?h\.?s\b|health service|chi number", re.IGNORECASE)
_NHS_LABEL = Gated(
    r"\bn\.?h\.?s\.?\s*(?:(?:number|no\.?|num|#)\s*)?(?:is|was|:|-)?\s*$", re.IGNORECASE
)
_PHONE_CONTEXT = Gated(
    r"\b(?:call|phone|tel|mobile|cell|text|reach|ring|whatsapp|fax|contact|number is|"
    r"extension|ext|landline|telefon|telefono|tel[ée]fono|telefone|t[ée]l[ée]phone|t[ée]l|"
    r"portable|m[óo]vil|celular|cellulare|handy|zap|llamad\w*|ll[áa]mame|appelez|bel me|"
    r"numer|n[úu]mero|nummer|txt|sms|mob|contacto|contato|kontakt|chama|ligue|liga|llama|"
    r"ruf|anrufen|τηλ\w*|هاتف|تليفون|التليفون|موبايل|رقم)\b"
    r"|电话|電話|手机|携帯|전화|연락처",  # written without spaces: no word boundary
    re.IGNORECASE,
)


# "my NHS number is fairly new, 612 345 7789": the label a few words before, in the same sentence.
_NHS_LABEL_NEAR = Gated(
    r"\bn\.?h\.?s\.?\s*(?:number|no\.?|num|#)\b(?P<between>[^.!?\n\d]{0,40})$", re.IGNORECASE
)
_PHONE_WORD = Gated(r"\b(?:call|phone|tel|mobile|cell|text|ring|whatsapp|fax|landline)", re.I)


def nhs_checksum_ok(digits: str) -> bool:
    """Modulus 11 check of a ten-digit NHS number."""
    if len(digits) != 10 or not digits.isdigit():  # noqa: PLR2004
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:  # noqa: PLR2004
        check = 0
    return check != 10 and check == int(digits[9])  # noqa: PLR2004


def _nhs_numbers(text: str) -> Iterator[Span]:
    for m in _NHS.finditer(text):
        digits = m.group(1) + m.group(3) + m.group(4)
        if _NHS_LABEL.search(text[max(0, m.start() - 30) : m.start()]):
            # Called an NHS number: it is one (or a mistyped one) whatever its checksum.
            yield _span(K.NHS_NUMBER, m)
            continue
        near = _NHS_LABEL_NEAR.search(text[max(0, m.start() - 60) : m.start()])
        if near and m.group(2) and not _PHONE_WORD.search(near.group("between")):
            yield _span(K.NHS_NUMBER, m)
            continue
        if not nhs_checksum_ok(digits):
            continue
        nhs_said = _near(text, m.start(), m.end(), _NHS_CONTEXT, before=60, after=20)
        spaced = m.group(2) == " "
        phone_said = _near(text, m.start(), m.end(), _PHONE_CONTEXT, before=30)
        if nhs_said or (spaced and not phone_said):
            yield _span(K.NHS_NUMBER, m)


# An SSN or an NHS number typed one digit at a time ("4 5 1 - 3 8 - 2 2 0 9"): said to be one.
_SPACED_DIGITS = Gated(r"(?<![\d-])\d(?:\s(?:-\s)?\d|-\d(?=\s)){8,9}(?![\d-])")
_SPACED_CUE = Gated(r"\d\s\d\s\d")


def _spaced_ids(text: str) -> Iterator[Span]:
    if not _SPACED_CUE.search(text):
        return
    for m in _SPACED_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) == 9 and _near(text, m.start(), m.end(), _SSN_CONTEXT, before=60):  # noqa: PLR2004
            yield _span(K.SSN, m)
        elif len(digits) == 10 and _near(text, m.start(), m.end(), _NHS_CONTEXT, before=60):  # noqa: PLR2004
            yield _span(K.NHS_NUMBER, m)


# --- phones -------------------------------------------------------------------------------------

_PHONE = Gated(
    r"(?<![\w/.+-])(?:"
    r"\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}"  # +44 20 7946 0958, +1 (555) …
    r"|00\d{2,3}[\s.-]?\d{2,4}(?:[\s.-]?\d{2,4}){2,3}"  # 0044 20 …
    r"|(?:1[\s.-])?\(\d{3}\)\s?\d{3}[\s.-]?\d{4}"  # (555) 123-4567
    r"|(?:1[\s.-])?\d{3}[.-]\d{3}[.-]\d{4}"  # 555-123-4567, 555.123.4567
    r"|\d{3}\s\d{3}\s\d{4}"  # 555 123 4567
    r"|0\d{2,4}\s?\d{3,4}\s?\d{3,4}"  # UK 020 7946 0958, 07700 900123, 01632960001
    r"|\(0?\d{1,4}\)\s?\d{3,4}[\s.-]?\d{3,4}"  # UK (020) 7946 0000, AU (03) 9123 4567
    r"|0[1-9](?:[\s.-]\d{2}){4}"  # FR 06 12 34 56 78
    r"|0\d{1,4}-\d{3,8}(?:[\s-]\d{4})?"  # NL 06-12345678, JP 06-6123-4567, CN 010-6512 3456
    r"|[1-9]\d{2}(?:\s\d{2}){3}"  # ES 655 12 34 56 (with a phone word near, see `_phones`)
    r"|\d{10}"  # 5551234567
    r")(?:\s?(?:ext\.?|x|extension)\s?\d{1,5})?(?![\w/])",
    re.IGNORECASE,
)
_NOT_PHONE_CONTEXT = Gated(
    r"\b(?:mrn|record|member|policy|insurance|id|nhs|account|acct|order|invoice|case|"
    r"reference|ref|claim|group|ticket)\b(?:\s*(?:number|no\.?|num|#|id|is|was|:|-|=))*\s*$",
    re.IGNORECASE,
)
# Product numbers on a box or a recall letter: no phone word near, a product word before.
_PRODUCT_CONTEXT = Gated(
    r"\b(?:ndc|lot|batch|serial|sku|upc|product code|recall|expiry|exp)\b", re.IGNORECASE
)
_SPACED_PAIRS = Gated(r"[1-9]\d{2}(?:\s\d{2}){3}")


# Shapes that are phone numbers in some countries and other numbers elsewhere: a phone only
# with a phone word near ("chama no zap (19) 91234-5678", "电话 138 0013 8000", "Contacto 912
# 345 678", "Phone 9123 4567").
_CUED_PHONE = Gated(
    r"(?<![\w/.+-])(?:\(\d{1,4}\)\s?\d{4,5}[\s.-]?\d{4}"  # BR (19) 91234-5678
    r"|\d{3}[\s.-]\d{3}[\s.-]\d{4}"  # CA 418 555-0139
    r"|\d{3}\s\d{4}\s\d{4}"  # CN 138 0013 8000
    r"|\d{3}\s\d{3}\s\d{3}|\d{4}\s\d{3}\s\d{3}"  # ES, PT 654 321 098; GR 6944 123 456
    r"|\d{4}\s\d{4}"  # HK, SG 9123 4567
    r"|\d{11,12})(?![\w/])"  # EG ٠١٠٠٢٣٤٥٦٧٨
)
_PHONE_AFTER_WORD = Gated(
    r"\b(?:ph|phone|tel|telephone|mobile|mob|cell|call|text|ring|whatsapp|landline|fax)\b"
    r"[:.#]?\s*(?:(?:is|on|me on|me at|at|no\.?|number)\s+)?(\+?\(?\d[\d\s().-]{7,22}\d)",
    re.IGNORECASE,
)


_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double \w+|triple \w+)"
_SPELLED_PHONE = Gated(rf"\b{_DIGIT_WORD}(?:[\s,-]+{_DIGIT_WORD}){{8,14}}\b", re.IGNORECASE)


def _spelled_phones(text: str) -> Iterator[Span]:
    """A phone number said in words ("zero seven seven zero zero, nine zero zero, …")."""
    for m in _SPELLED_PHONE.finditer(text):
        if _near(text, m.start(), m.end(), _PHONE_CONTEXT, before=40):
            yield _span(K.PHONE, m)


def _after_an_id_label(text: str, start: int) -> bool:
    """Whether a number follows a record, member or other id's label ("MRN:", "policy no.")."""
    return _NOT_PHONE_CONTEXT.search(text[max(0, start - 30) : start]) is not None


def _phones(text: str) -> Iterator[Span]:
    for m in _PHONE.finditer(text):
        raw = m.group()
        digits = re.sub(r"\D", "", raw)
        if len(digits) < 9 or len(digits) > 15:  # noqa: PLR2004
            continue
        bare = raw.isdigit()
        if bare and not _near(text, m.start(), m.end(), _PHONE_CONTEXT, before=40):
            continue
        if _after_an_id_label(text, m.start()):
            continue
        phone_said = _near(text, m.start(), m.end(), _PHONE_CONTEXT, before=40)
        if not phone_said and (
            _near(text, m.start(), m.end(), _PRODUCT_CONTEXT, before=100)
            or _SPACED_PAIRS.fullmatch(raw)
        ):
            continue
        yield _span(K.PHONE, m)
    for m in _CUED_PHONE.finditer(text):
        phone_said = _near(text, m.start(), m.end(), _PHONE_CONTEXT, before=40)
        if phone_said and not _after_an_id_label(text, m.start()):
            yield _span(K.PHONE, m)
    # Any run of digit groups right after "phone", "call", "mobile"… is a phone number.
    for m in _PHONE_AFTER_WORD.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        if 9 <= len(digits) <= 15:  # noqa: PLR2004
            yield _span(K.PHONE, m, 1)


# --- medical record and insurance numbers -------------------------------------------------------

_ID_VALUE = (
    # an upper-case prefix and digit groups ("RXH 774 2291", "UHC 908-441-227", "W2384 55901"),
    # or parts joined by slashes ("NHIS/LAG/558201", "P/211200/01/2024/012345", "0012345/A")
    r"((?-i:[A-Z]{2,5})[ -]\d{2,6}(?:[ -]\d{2,6}){1,3}(?![\d/])"
    # a letter prefix, a space and one run of digits ("RXH 00482913", "K 0572119")
    r"|(?-i:[A-Z]{1,5}) \d{5,12}(?![\d/-])"
    r"|(?-i:[A-Z]{1,4})\d{1,12}(?: \d{2,10}){1,4}(?![\d/])"
    r"|(?=[A-Z0-9/]*\d)(?-i:[A-Z0-9]{1,8})(?:/(?-i:[A-Z0-9]{1,10})){1,5}(?![\w/])"
    # or parts joined by dots, with four digits in a row ("APHC.0001847263", "12.345.678")
    r"|(?=[A-Z0-9.]*\d{4})(?-i:[A-Z0-9]{1,8})(?:\.(?-i:[A-Z0-9]{1,12})){1,3}(?!\w|\.\w)"
    r"|[A-Z0-9][A-Z0-9-]{3,20}[0-9](?:[A-Z0-9]|-(?=[A-Z0-9]))*(?! \d)"
    r"|[0-9]{1,8}(?: [0-9]{1,12}){1,6}(?![\d/])|[0-9]{5,20})"
)
# Up to four words between a label and its value ("the MRN on my wristband was 123", "hospital
# number at Addenbrooke's is K0572119", "numéro de dossier à l'hôpital Necker est …").
_FILLER = r"(?:\s+(?:[^\s\d:#=]{1,16}\s+){0,4}?(?:is|was|reads|says|ist|est|es|[èé]|:)?)?"
_MRN = Gated(
    r"\b(?:mrn|m\.r\.n\.?|medical record(?: number| no\.?| #)?|med(?:ical)? rec(?:ord)? ?(?:no|"
    r"#|num)|record (?:number|no\.?|#)|chart (?:number|no\.?|#)|patient (?:id|number|no\.?|#)|"
    r"hosp(?:ital)?\.? (?:folder |unit |reg(?:istration)?\.? )?(?:number|no\.?|num|id|#)|"
    r"folder (?:number|no\.?)|case (?:number|no\.?)|"
    r"acc(?:oun)?t\s?(?:#|no\.?|number)|uhid|urn|fin|"
    # "OPD reg no", "UR number" (Australia), "MR no." and "CR no." (India), "EMR number"
    r"(?:ip|op|ipd|opd|uhid|patient|clinic)\.? (?:reg(?:istration)?\.? )?(?:no\.?|number|#)|"
    r"(?:ur|mr|mrd|cr|emr|ehr|chi|nhi|ihi) (?:no\.?|number|#)|nhi\b|ihi\b|"
    r"reg(?:istration)?\. no\.?|registration (?:no\.?|number)|"
    r"(?:cancer |medical |health )?cent(?:er|re) id|clinic (?:id|number|no\.?|#)|"
    r"patienten-?(?:id|nr\.?|nummer)|patientennummer|fallnummer|"
    r"num[ée]ro de dossier|dossier(?: n[°o])?|cartella clinica|historia cl[íi]nica|"
    r"id (?:at|in|from) (?:[^\s\d]{1,16} ){0,4}?(?:hospital|clinic|infirmary|centre|center))"
    r"\s*(?:is|was|:|=|#|-)?" + _FILLER + r"\s*(?:#\s*)?" + _ID_VALUE,
    re.IGNORECASE,
)
_INSURANCE = Gated(
    r"\b(?:member(?:ship)?|insurance|policy|subscriber|group|medicare|medicaid|beneficiary|plan|"
    r"health ?plan|insurer|coverage|bcbs|aetna|cigna|humana|kaiser|united ?healthcare|"
    r"blue ?cross(?: blue shield)?|anthem|tricare|ehic|ghic|medical aid|(?:personal )?health|"
    r"health card|uhc)[\s,:]*(?:member |policy |insurance |subscriber |card )?"
    r"(?:id|number|no\.?|#|num|card(?: number| no\.?)?)"
    r"(?:\s*(?:is|was|:|=|#|-))?" + _FILLER + r"\s*(?:#\s*)?" + _ID_VALUE,
    re.IGNORECASE,
)
# A Medicare Beneficiary Identifier has a fixed shape, so it needs no label.
_MBI = Gated(
    r"\b[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?"
    r"[AC-HJKMNP-RT-Y]{2}\d{2}\b"
)


# What a hospital wristband says, right after it ("the wristband said K0038271"): a band also
# carries the name and the date of birth, so only an id straight after the word counts.
_WRISTBAND = Gated(
    r"\b(?:wrist|hospital |id |patient )band(?: (?:number|no\.?|#|id))?"
    r"\s*(?:said|says|reads|read|shows|showed|is|was|:|#)?\s*"
    r"((?-i:[A-Z]{0,3})\d{5,12})\b",
    re.IGNORECASE,
)


def _mrns(text: str) -> Iterator[Span]:
    for m in _WRISTBAND.finditer(text):
        yield _span(K.MRN, m, 1)
    for m in _MRN.finditer(text):
        value = m.group(1)
        # "my clinic number is 06-6123-4567" is the clinic's phone line, not a record.
        phone = _PHONE.fullmatch(value) and len(re.sub(r"\D", "", value)) >= 9  # noqa: PLR2004
        if phone and m.group().lower().startswith("clinic"):
            continue
        yield _span(K.MRN, m, 1)


# Labels that name a health-insurance number on their own, in several languages.
_INSURANCE_LABEL = Gated(
    r"\b(?:(?:medicaid )?cin|dbn|msp (?:number|no\.?|#)|ohip(?: number| no\.?| #)?|"
    r"phn|personal health (?:number|no\.?)|"
    r"enrollee (?:number|no\.?|id)|(?:kranken)?versicherten-?nummer|versicherungsnummer|"
    r"krankenversicherungskarte(?: nr\.?)?|numer ubezpieczenia|"
    r"num[ée]ro de s[ée]cu(?:rit[ée] sociale)?|n[°º]\s?s[ée]cu(?:rit[ée] sociale)?|carte vitale|"
    r"tarjeta sanitaria|tessera sanitaria|"
    r"polisnummer|n[úu]mero de afiliaci[óo]n|n[úu]mero de la seguridad social|"
    r"medicare card|ghic|ehic|"
    # Irish, Austrian, Mexican, Brazilian, Indian and US military cards; a US card's group and
    # member lines ("grp 48213 / mbr 7730219-02")
    r"medical card|sv-?nummer|nss(?: del imss)?|cart[ãa]o (?:do )?sus|pm-?jay card(?: id)?|"
    r"(?:dod )?benefits (?:number|no\.?|id)|grp|mbr)"
    r"(?:\s*(?:n\.|nr\.?|no\.?|n[°º]|number|#|c[óo]digo))?[\s,:]*"
    + _FILLER
    + r"\s*(?:#\s*)?"
    + _ID_VALUE,
    re.IGNORECASE,
)
# Health insurers and schemes around the world: their name, then "membership number",
# "policy", "no." or "member ID", then the id ("Bupa membership number 18754302").
_INSURER_NAMES = (
    r"(?:aetna|cigna|humana|kaiser(?: permanente)?|bcbs|blue ?cross(?: blue shield)?|anthem|"
    r"tricare|uhc|united ?healthcare|medi-?cal|molina|centene|ambetter|wellcare|highmark|"
    r"bupa|axa(?: health| ppp)?|vitality(?:health)?|aviva|allianz(?: care)?|simplyhealth|wpa|"
    r"vhi|laya(?: healthcare)?|irish life health|hsf|discovery(?: health)?|bonitas|"
    r"medshield|nhis|nhif|shif|philhealth|medibank|hcf|nib|hbf|bupa arabia|daman|"
    r"star health|niva bupa|hdfc ergo|icici lombard|sanitas|adeslas|mapfre|dkv|"
    r"aok|barmer|mutuelle|cpam|sun life|manulife|great-west life|canada life|"
    r"southern cross|medicover|generali|metlife|prudential)"
)
_INSURER_POLICY = Gated(
    rf"\b{_INSURER_NAMES}\b(?!-\w)"
    r"(?:\s+(?:health|insurance|medical aid|card|medicaid|medicare|advantage))?[\s,:]*"
    # "bic": a Medi-Cal Benefits Identification Card
    r"(?:(?:membership|member|policy|plan|scheme|subscriber|insurance|card|bic)\s*)?"
    r"(?:(?:id|number|no\.?|num|#)\b\.?)?\s*(?:is|was|:|=|-)?\s*(?:#\s*)?" + _ID_VALUE,
    re.IGNORECASE,
)
# "policy W240118877-01": a policy followed by an id needs no other label.
_FOUR_DIGITS = Gated(r"\d[\s.-]?\d[\s.-]?\d[\s.-]?\d")
# A date on a card or a year range ("policy 2023/24") is no id.
_DATE_SHAPE = Gated(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|(?:19|20)\d\d[/-]\d\d(?:\d\d)?")
_POLICY_ID = Gated(r"\bpolicy\s+(?=[A-Z0-9/-]*\d)" + _ID_VALUE, re.IGNORECASE)
_INSURER = Gated(
    r"\b(?:insurance|insurer|policy|member|plan|medicare|medicaid|aetna|cigna|humana|kaiser|"
    r"bcbs|blue ?cross|anthem|tricare|uhc|united ?healthcare|"
    # cover and schemes in other words and languages, and public programmes by their names
    r"coverage|hmo|health card|scheme|mutuelle|mutual|assurance(?: maladie)?|seguro|"
    r"obra social|prepaga|plano de sa[úu]de|conv[êe]nio|krankenkasse|krankenversicherung|"
    r"afiliad[oa]|affiliation|affili[ée]|assur[ée]|asegurad[oa]|beneficiar(?:y|io)|"
    r"bpjs|philhealth|nhis|nhia|nhif|ramq|ohip|msp|masshealth|medi-?cal|tenncare|kidcare|"
    r"ahcccs|badgercare|forwardhealth|pami|osde|unimed|thiqa|daman|gems|eopyy|ayushman|p[óo]liza|miembro|"
    r"pm-?jay|cghs|esic|ahs|αμκα|εοπυυ)\b",
    re.IGNORECASE,
)
# "…, group 45210", "ID U48 3391 007", "member 11937254", "card (YRP123M45678)", "card no
# 78563412", "Póliza 12345678-9", a Greek AMKA, "mine is 7841 2290 5516" after an
# insurer, a scheme or cover is named.
# Words that say "number" and name no card: after one, a phone-shaped value is a phone line.
_GENERIC_ID_WORD = r"(?:no\.?|n[º°]|number|nr\.?|num|#)"
_INSURER_ID = Gated(
    # not a house's "H.No 8-2-293" or "Flat/No"
    rf"(?<![./])\b(?:group|id|member|subscriber|card|(?:card )?{_GENERIC_ID_WORD}|"
    r"pin|acct|account|credencial|carteirinha|p[óo]liza|afiliado|(?:d')?affiliation|(?:d')?assur[ée]|"
    r"kartu|amka|αμκα|cip|enrol(?:l)?ee (?:number|no\.?|id)|(?:mine|hers|his) is|carte|"
    r"n[úu]mero de (?:miembro|afiliad[oa]|socio|p[óo]liza))"
    r"\s*(?:(?:is|was|es|est)\s+)?[:#(]?\s*" + _ID_VALUE,
    re.IGNORECASE,
)
# "the pre-cert number is 1-800-872-3862", "my ex's number 0412 345 678": a phone-shaped value
# after a word that names no card is a phone line, not a member id. Only a label that is
# nothing but such a word is generic ("card # 1093847561" names a card).
_GENERIC_LABEL = Gated(rf"(?:{_GENERIC_ID_WORD}|(?:mine|hers|his) is)\W*$", re.IGNORECASE)
# Chinese, Japanese and Korean: an insurance word, then "number" ("介護保険被保険者番号は…",
# "건강보험증 번호 …", "医保卡号 …"), written without spaces.
_CJK_INSURANCE = Gated(
    r"(?:保険|保險|보험|医保|醫保|社保)[^\d。、.,!?]{0,10}?(?:番号|號碼|号码|卡号|번호)"
    r"\s*(?:は|:|\uff1a|是|은|는)?\s*(\d[\d-]{4,20}\d)(?!\d)"
)
# An Australian Medicare number has a fixed shape: 10 digits (4-5-1), then the card line.
_AU_MEDICARE = Gated(r"(?<![\d-])\d{4}\s?\d{5}\s?\d(?:\s?/\s?\d)?(?![\d-])")
_MEDICARE = Gated(r"medicare", re.IGNORECASE)


def _insurance(text: str) -> Iterator[Span]:
    for m in _INSURANCE.finditer(text):
        yield _span(K.INSURANCE_ID, m, 1)
    for m in _INSURANCE_LABEL.finditer(text):
        yield _span(K.INSURANCE_ID, m, 1)
    four = _FOUR_DIGITS.search(text) is not None  # every id after a bare insurer has four
    policy = four and ("olicy" in text or "OLICY" in text)
    for pattern, cued in ((_INSURER_POLICY, four), (_POLICY_ID, policy)):
        for m in pattern.finditer(text) if cued else ():
            value = m.group(1)
            if any(c.isdigit() for c in value) and not _DATE_SHAPE.fullmatch(value):
                yield _span(K.INSURANCE_ID, m, 1)
    for m in _INSURER_ID.finditer(text):
        value = m.group(1)
        if (
            any(c.isdigit() for c in value)
            # the insurer, the scheme or the cover named before the id or in its label
            and _INSURER.search(text, max(0, m.start() - 80), m.start(1)) is not None
            and not (_PHONE.fullmatch(value) and _GENERIC_LABEL.match(text, m.start(), m.start(1)))
        ):
            yield _span(K.INSURANCE_ID, m, 1)
    if _MEDICARE.search(text):
        for m in _AU_MEDICARE.finditer(text):
            if _near(text, m.start(), m.end(), _MEDICARE, before=80):
                yield _span(K.INSURANCE_ID, m)
    for m in _MBI.finditer(text):
        yield _span(K.INSURANCE_ID, m)
    for m in _CJK_INSURANCE.finditer(text):
        yield _span(K.INSURANCE_ID, m, 1)


# --- dates of birth ------------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    # German, French, Spanish, Italian, Dutch, Portuguese
    r"|januar|februar|m[äa]rz|mai|juni|juli|oktober|dezember|janvier|f[ée]vrier|mars|avril|"
    r"juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre|enero|febrero|marzo|abril|"
    r"mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|"
    r"maggio|giugno|luglio|settembre|ottobre|dicembre|januari|februari|maart|augustus|"
    r"janeiro|fevereiro|mar[çc]o|maio|junho|julho|setembro|outubro|dezembro)\.?"
)
_UNIT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEEN_WORD = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_TENS_WORD = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_ORDINAL_WORD = (
    r"(?:(?:twenty|thirty)[\s-]?)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|tenth|eleventh|twelfth|(?:thir|four|fif|six|seven|eigh|nine)teenth|twentieth|thirtieth"
)
_ORDINAL_WORD = rf"(?:{_ORDINAL_WORD})"
_YEAR_WORDS = (
    rf"(?:nineteen|twenty)[\s-]+(?:{_TENS_WORD}(?:[\s-]+{_UNIT_WORD})?|{_TEEN_WORD}|"
    rf"oh[\s-]+{_UNIT_WORD}|hundred)|two thousand(?:\s+and)?"
    rf"(?:\s+(?:{_UNIT_WORD}|{_TEEN_WORD}|twenty(?:[\s-]{_UNIT_WORD})?))?"
)
_YEAR_WORDS = rf"(?:{_YEAR_WORDS})\b"
_SHORT_YEAR_WORDS = rf"(?:{_TENS_WORD}(?:[\s-]+{_UNIT_WORD})?)\b"  # "ninety-three"
# Holidays on a fixed day: "born Christmas Eve 1969".
_HOLIDAY = (
    r"(?:christmas (?:eve|day)|new year'?s (?:eve|day)|valentine'?s day|halloween|boxing day|"
    r"st\.? patrick'?s day|independence day|the fourth of july|bonfire night|guy fawkes night)"
)
# A two-digit year said after a date of birth's day and month ("23rd feb 91"), not a count.
_SHORT_YEAR = (
    r"'?\d{2}\b(?!\s*(?:weeks?|wks?|days?|months?|years?|yrs?|hours?|hrs?|mins?|lbs?|kg|g|oz|"
    r"mg|ml|%|am|pm|percent)\b)"
)
_ROMAN_MONTH = r"(?:i{1,3}|iv|vi{0,3}|ix|xi{0,2})"
_DATE = (
    r"(?:\d{1,2}(?:st|nd|rd|th)?[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    rf"|\d{{1,2}}[/.-]{_ROMAN_MONTH}[/.-](?:\d{{4}}|\d{{2}})"  # Polish "14/ix/58"
    rf"|\d{{4}}[-/ ]{_MONTH}[-/ ]\d{{1,2}}\b"  # 1990-Jun-05
    rf"|\d{{1,2}}\s+de\s+{_MONTH}\s+(?:de(?:l)?\s+)?\d{{4}}"  # 8 de octubre de 1983
    rf"|{_HOLIDAY},?\s+(?:\d{{4}}|'\d{{2}})"
    rf"|\d{{1,2}}[-/ ]{_MONTH}[-/ ](?:\d{{4}}|\d{{2}})"  # 12-Jun-1955
    rf"|\d{{1,2}}\.\s*(?:de\s+)?{_MONTH}\s+\d{{4}}"  # 14. Februar 1962
    r"|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:\d{{4}}|'\d{{2}})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?:\d{{4}}\b|{_SHORT_YEAR})"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}"
    rf"|{_MONTH},?\s+\d{{4}}"
    # in words: "the twenty-second of June nineteen seventy-nine", "May the 3rd, two thousand",
    # "the second of February 1956"
    rf"|{_ORDINAL_WORD}\s+(?:of\s+)?{_MONTH},?\s+(?:{_YEAR_WORDS}|\d{{4}}\b|'\d{{2}}\b|{_SHORT_YEAR_WORDS})"
    # "the sixth of the sixth, eighty-one"
    rf"|{_ORDINAL_WORD}\s+of\s+the\s+{_ORDINAL_WORD},?\s+(?:{_YEAR_WORDS}|\d{{4}}\b|'?\d{{2}}\b|{_SHORT_YEAR_WORDS})"
    rf"|{_MONTH}\s+(?:the\s+)?(?:{_ORDINAL_WORD}|\d{{1,2}}(?:st|nd|rd|th)?),?\s+{_YEAR_WORDS})"
)
_DOB = Gated(
    r"\b(?:dob|d\.o\.b\.?|date of birth|birth ?date|birthdate|born(?: on| in)?|birthday'?s?"
    r"(?: is| was)?|b-day|bday|b['\u2019]day|bdate|born:|d\.o\.b:|(?-i:(?<![\w.])b\.)"
    # German, French, Spanish, Italian, Polish, Dutch, Portuguese
    r"|geboren(?: am)?|geb\.|geburtsdatum|n[ée]e? le|date de naissance|fecha de nacimiento|"
    r"nacid[oa] el|nat[oa] il|data di nascita|ur\.|urodzon[ya]|geboortedatum|nascid[oa] em|"
    r"data de nascimento|naci[óo](?: el)?|nasceu(?: em)?|data urodzenia)"
    r"\s*(?:is|was|:|-|=)?\s*(?:(?:on|as|listed as|of)\s+)?"
    rf"((?:the\s+)?{_DATE})\b",
    re.IGNORECASE,
)


# A sentence that names a date of birth: every full date in it is one ("My DOB on the card is
# 1988/05/06 but my passport says 06/05/1988", "asked for DOB and I wrote Nov 3rd, '85"),
# unless it is said to be a visit ("DOB 1/2/1960, seen on 3/4/2024").
_DOB_WORD = Gated(
    r"\b(?:dob|d\.o\.b|date of birth|birth ?date|birthdate|born|geburtsdatum|"
    r"date de naissance|fecha de nacimiento|data di nascita|urodzenia|naci[óo]|nasceu)\b"
    r"|生年月日|生まれ|出生日期|생년월일",  # written without spaces: no word boundary
    re.IGNORECASE,
)
_SENTENCE = Gated(r"[^.!?\n]*(?:[.!?](?!\s|$)[^.!?\n]*)*")
_FULL_DATE = Gated(
    r"(?<![\w/.-])(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:\d{{4}}|'\d{{2}})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?:\d{{4}}|'\d{{2}})"
    # eight digits as DDMMYYYY or YYYYMMDD
    r"|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d\d|(?:19|20)\d\d(?:0[1-9]|1[0-2])\d\d"
    r")(?![\w/-]|\.\d)",
    re.IGNORECASE,
)
# A date as Chinese, Japanese (also by era) and Korean write it: "1949年4月23日", "昭和23年5月8日",
# "1949년 4월 23일".
_CJK_DATE = Gated(
    r"(?:(?:19|20)\d\d|(?:明治|大正|昭和|平成|令和)\d{1,2})年\d{1,2}月\d{1,2}日"
    r"|(?:19|20)\d\d년\s?\d{1,2}월\s?\d{1,2}일"
)
_VISIT = Gated(
    r"\b(?:on|appt|appointment|seen|admitted|discharged|visit|scheduled|booked|since|until|from|"
    r"exp(?:ires|iry)?|issued|valid|dated|surgery|scan|op|jab|vaccine|vaccinated|dose|test|"
    r"tested|diagnosed|started|stopped|last|next|due|by|before|after)\W*$",
    re.IGNORECASE,
)
_VISIT_AFTER = Gated(r"^\W*(?:appt|appointment|visit|clinic|surgery|scan|jab)\b", re.I)


# Substrings of every `_DOB_WORD`: a cheap test that skips most messages.
_DOB_CUES = (
    *("dob", "d.o.b", "birth", "born", "geburt", "naissance", "nacimiento", "nascita", "urodz"),
    *("naci", "nasc", "生年月日", "生まれ", "出生日期", "생년월일"),
)
_DOB_CUE = any_of(_DOB_CUES)


def _dob_said(text: str) -> bool:
    low = text.lower()
    return _DOB_CUE.search(low) is not None and _DOB_WORD.search(text) is not None


def _dobs_in_sentence(text: str) -> Iterator[Span]:
    if not _dob_said(text):
        return
    for sentence in _SENTENCE.finditer(text):
        if not _DOB_WORD.search(sentence.group()):
            continue
        window = (text, sentence.start(), sentence.end())
        for m in (*_FULL_DATE.finditer(*window), *_CJK_DATE.finditer(*window)):
            before, after = text[max(0, m.start() - 20) : m.start()], text[m.end() : m.end() + 20]
            if not _VISIT.search(before) and not _VISIT_AFTER.search(after):
                yield _span(K.DATE_OF_BIRTH, m)


def _dobs(text: str) -> Iterator[Span]:
    for m in _DOB.finditer(text):
        yield _span(K.DATE_OF_BIRTH, m, 1)
    yield from _dobs_in_sentence(text)


def _dobs_in_words(text: str) -> Iterator[Span]:
    """A date of birth said in words, in a message without a digit (`_dobs` does the rest)."""
    if _DIGIT.search(text) or not _dob_said(text):
        return
    for m in _DOB.finditer(text):
        yield _span(K.DATE_OF_BIRTH, m, 1)


# --- addresses -----------------------------------------------------------------------------------

_WORDS = word_lists("names.toml")
_DIGIT = Gated(r"\d")
# Capitalised words that follow "I'm", a title or a relation (or a street) but are not names.
_NOT_NAMES = frozenset(_WORDS["not_names"].split())
_STREET_SURNAMES = frozenset({"Lane", "Park", "Court", "Street"})  # street words, and surnames

_SUFFIX = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|"
    r"terrace|ter|circle|cir|parkway|pkwy|highway|hwy|close|crescent|cres|grove|gardens|gdns|"
    r"square|sq|row|mews|hill|park|trail|trl|pike|alley|plaza|green|walk|promenade|quay|rise|"
    r"parade|esplanade|wharf|heights|wynd|vale|crossing|landing|commons|view|grange|manor|"
    r"meadows|lawns|glen|fields|cottages|villas|chase|"
    r"broadway)\.?"
)
_STOP = (
    r"(?!(?:the|a|an|my|his|her|our|your|their|to|down|up|of|and|or|in|on|at|for|from|with|"
    r"times|mg|mcg|ml|pills?|tablets?|days?|weeks?|hours?|minutes?|years?|months?|miles?|"
    r"blocks?|steps?|flights?|doses?|units?|kg|lbs?|am|pm|is|was|i|it|that|this|times|min|"
    r"mins|hrs?|secs?|km|mi|cm|mm|feet|ft|inch\w*|percent|fold|very|really|more|less)\b)"
    # "5 long days" is not a street; "17 Long Street" is.
    r"(?!(?-i:long|short)\b)"
)
_ADDRESS = Gated(
    r"(?:\b(?:flat|apt|apartment|unit|suite)\s*\w{1,5},?\s+|\b(?:blk|block)\s+"
    r"|\b(?:flat|apt|apartment|unit|suite)\s*(?=\d{1,4}[A-Za-z]?/\d))?"
    rf"\b(?:\d{{1,4}}[A-Za-z]?/)?\d{{1,5}}[A-Za-z]?(?:-\d{{1,5}})?\s+"
    rf"(?:{_STOP}(?:\d{{1,3}}(?:st|nd|rd|th)|[A-Za-z][A-Za-z'.-]*)\s+){{1,3}}"
    rf"{_SUFFIX}(?=[\s,.;]|$)(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?"
    r"(?:,?\s*(?:apt|apartment|suite|ste|unit|flat|#|no\.?)\s*[\w-]+)?",  # then `_address_end`
    re.IGNORECASE,
)
_UK_POSTCODE = Gated(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b")
# A post-office box, or a US rural-route or highway-contract box ("RR 2 Box 118", "HC 65 Box 32A").
_PO_BOX = Gated(
    r"\b(?:P\.?\s?O\.?\s?|(?:RR|R\.R\.|HC|Rural Route|Star Route)\s?\d{1,3},?\s+)Box\s+\d+[A-Z]?"
    r"(?:-\d{5})?\b",  # a Kenyan box has its post office's code: "P.O. Box 45-00100"
    re.IGNORECASE,
)
# An Irish Eircode: said to be one, or a routing key and a unique id of letters and digits.
_EIRCODE = Gated(r"\b(?:eircode\s*:?\s*)?([AC-FHKNPRTV-Y]\d{2}|D6W)\s?([AC-FHKNPRTV-Y0-9]{4})\b")
_ZIP = Gated(
    r"\b(?:zip(?: code)?|postal code|postcode)\s*(?:is|:)?\s*(\d{5}(?:-\d{4})?)\b", re.IGNORECASE
)


# Streets written the way most of the world writes them: the street type first ("rue des Lilas
# 42", "Via Roma 88", "ul. Długa 15", "Calle Mayor 23"), a compound name ("Lindwurmstraße 88",
# "Keizersgracht 12"), a Welsh "Heol y Coed", a Japanese block number ("2-14-5 Shibuya"), a
# unit and a building ("Flat 302, Sai Krupa Apartments"), or a numbered street ("Street 22").
_CAP = (
    r"(?-i:[A-Z\u00c0-\u00d6\u00d8-\u00de\u0106\u0141\u0143\u015a\u0179\u017b])[^\W\d_]*"
    r"(?:['\u2019-][^\W\d_]+)*\b"
)
_PARTICLE = r"(?:de|des|du|la|le|les|los|las|del|della|di|da|do|dos|das|van|von|y|yr|d'|l')"
_STREET_FIRST = Gated(
    r"\b(?:rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|impasse|quai|place|via|viale|piazza|"
    r"corso|calle|avenida|avda\.|paseo|plaza|carrer|rua|travessa|ul\.|ulica|al\.|aleja|plac|"
    r"strada|heol|ffordd|stryd|avinguda|passeig|travessera|rambla|largo|pra[çc]a|"
    # Spanish "c/ Mayor", a Malay or Indonesian "Jalan", a Mexican "Privada"
    r"(?<![\w/])c/|jalan|jln\.?|jl\.|lorong|privada|cerrada|calzada|andador)\s*"
    rf"(?:{_PARTICLE}\s*)*{_CAP}(?:\s+(?:{_PARTICLE}\s+)?(?:{_CAP}|[IVX]{{1,4}})){{0,3}}"
    r",?\s+(?:no\.\s?)?\d{1,4}[a-z]?(?:/\d{1,4})?\b(?:\s?(?:bis|ter)\b)?",
    re.IGNORECASE,
)
_NUMBER_FIRST = Gated(
    r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|boul\.|bd|chemin|all[ée]e|impasse|"
    rf"quai|place|heol|ffordd|stryd|jalan|jln\.?|lorong)\s+(?:{_PARTICLE}\s*)*{_CAP}(?:\s+(?:{_PARTICLE}\s+)?{_CAP}){{0,2}}",
    re.IGNORECASE,
)
_NUMBER_TAIL = (
    r"(?:(?:/\d{1,4}){1,3}|-\d{1,2}\s?(?:hg|hoog)|-(?:[IVX]{1,4}|\d{1,3}|[a-zA-Z])\b)?\b"
    r"(?:\s(?:bis|ter)\b)?"
)
_COMPOUND_STREET = Gated(
    r"\b(?:(?:Van|De|Den|Sint)\s+)?"  # "Van Woustraat"
    r"(?-i:[A-Z\u00c0-\u00de])[\w\u00df-\u017f-]*(?:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|"
    r"ring|damm|ufer|straat|laan|gracht|plein|kade|gatan|v[äa]gen|gade|vej|veien|gata)"
    # a Dutch or German house number may carry a floor or a letter ("123-II", "12-3", "5-a",
    # "157-3hg", "22 bis"), a Viennese one its stair and door ("88/2/14")
    rf"\s+\d{{1,4}}[a-zA-Z]?{_NUMBER_TAIL}"
)
# A German street of two words, the second the street word ("Schönhauser Allee 112").
_TWO_WORD_STREET = Gated(
    rf"\b{_CAP}\s+(?-i:Allee|Straße|Strasse|Weg|Platz|Gasse|Damm|Ufer|Chaussee|Steig)"
    rf"\s+\d{{1,4}}[a-zA-Z]?{_NUMBER_TAIL}"
)
_JAPANESE_BLOCK = Gated(rf"\b\d{{1,2}}-\d{{1,2}}-\d{{1,3}}\s+{_CAP}")
# A Singapore or Malaysian block: its estate, a street word and the street's number ("Blk 88
# Bedok North Ave 4", "Block 5A Ang Mo Kio St 21"), then a "#floor-unit" and the postcode
# ("#07-215, S(460088)"). Without "Blk" the "#floor-unit" is what tells it from other numbers.
_SG_STREET = r"(?-i:St|Street|Ave|Avenue|Lor|Lorong|Rd|Road|Cres|Crescent|Ctrl|Central|Walk|Link)"
_SG_POSTCODE = r"(?:,?\s*(?:Singapore\s*)?s\s?(?:\(\d{6}\)|\d{6}\b))?"  # "S(460088)", "S460088"
_SG_BLOCK = (
    rf"\b(?:blk|block)\s*\d{{1,4}}[A-Z]?,?\s+(?:{_CAP}\s+){{1,4}}{_SG_STREET}\.?"
    r"(?:\s+\d{1,3}[A-Z]?\b)?(?:,?\s*#\s?\d{1,2}-\d{1,5}[A-Z]?\b)?" + _SG_POSTCODE
)
_SG_UNIT_STREET = Gated(
    r"\b(?:blk\s*)?\d{1,4}[A-Z]?\s+(?:[A-Za-z]+\s+){1,4}(?:st|street|ave|avenue|lor|lorong|rd|road)"
    r"\.?(?:\s+\d{1,3}[A-Z]?)?,?\s*#\s?\d{1,2}-\d{1,5}[A-Z]?\b" + _SG_POSTCODE,
    re.IGNORECASE,
)
# A Philippine subdivision's block and lot ("Blk 7 Lot 21, Phase 2, …", "Lot 3 Block 9, …").
_BLOCK_LOT = (
    r"\b(?<!parking )(?<!park )(?<!car )"
    r"(?:(?:blk|block)\.?\s*\d{1,4}[A-Z]?,?\s+lot\.?\s*\d{1,4}[A-Z]?"
    r"|lot\.?\s*\d{1,4}[A-Z]?,?\s+(?:blk|block)\.?\s*\d{1,4}[A-Z]?)\b"
    r"(?=,\s*(?-i:[A-Z]))"  # and its subdivision or town after a comma, not "parking lot 3"
)
# A Canadian rural address: route, site and compartment ("RR 2, Site 9, Comp 31").
_RURAL_SITE = r"\b(?:RR|R\.R\.)\s?\d{1,2},?\s+Site\s+\d{1,4},?\s+(?:Comp|C|Box)\.?\s+\d{1,4}\b"
# A Brasília address: its sector and block, then the flat ("SQN 210 Bloco F apto 503").
_BRASILIA_BLOCK = (
    r"\b(?-i:[A-Z]{2,5})\s?\d{1,4}\s+(?:bloco|bl\.)\s+[A-Z0-9]{1,2}"
    r"\s+(?:apto?|apartamento|casa|lote)\.?\s*\d{1,4}\b"
)
# The four in one regex: one test of its cue words on most messages.
_BLOCKS = Gated(f"{_SG_BLOCK}|{_BLOCK_LOT}|{_RURAL_SITE}|{_BRASILIA_BLOCK}", re.IGNORECASE)
# A numbered street of Latin America: Colombian "Calle 45 # 12-30", "Cra 7 Nº 45-12", or a
# Puerto Rican or Brazilian block after it ("Calle 8 Bloque 3 #14", "Rua 5 Bloco B").
_NUMBERED_CALLE = Gated(
    r"\b(?:(?:calle|carrera|avenida|diagonal|transversal|rua)\s*(?=\d)|(?:cl\.|cra\.?|kra\.?|av\.|dg\.|tv\.)"
    r"\s*(?=\d{1,3}[A-Z]?(?:\s?bis)?\s*(?:#|n[°º])))"  # "av. 3 no. 2-3" may be a dose
    r"\d{1,3}[A-Z]?(?:\s?bis)?(?:\s*(?:#|n[°º]\.?|no\.)\s*\d{1,3}[A-Z]?\s*-\s*\d{1,3}\b"
    r"|\s+(?:bloque|bloco|blq\.)\s+\w{1,3}\b(?:\s*#\s?\d{1,4}[A-Z]?\b)?)",
    re.IGNORECASE,
)
_CALLE_CUE = Gated(r"#|n[°º]|no\.|bloque|bloco|blq\.", re.IGNORECASE)  # a cheap test first
# A street-first street typed in lower case ("via dei tigli 8 20121 milano", "rua do sol 45
# bloco a ap 12"): only with a postcode and a town, or a block or flat, after its number.
_LOWER_STREET_FIRST = Gated(
    r"\b(?:via|viale|piazza|corso|rua|av\.|avenida|calle|carrer|rue|travessa|alameda|estrada|"
    rf"avinguda|paseo|strada)\s+(?:{_STOP}[a-z\u00e0-\u00ff]+\s+){{1,4}}\d{{1,5}}[a-z]?"
    r"(?=\s+(?:\d{5}(?:-\d{3})?\s+[a-z\u00e0-\u00ff]|(?:bloco|bloque|apto?|piso|andar|scala)\b))"
)
# A Japanese postcode after its mark, and the address written after it in kanji, katakana and
# numbers ("〒812-0011 福岡市博多区博多駅前3-4-5"); kana endings ("です") are left out.
_JAPANESE_POSTAL = Gated(
    r"〒\s?\d{3}-?\d{4}(?:\s*[\u3005\u30a0-\u30ff\u4e00-\u9fff\d\uff10-\uff19\-\uff0d\u2212]+)?"
)
_BUILDING = Gated(
    r"\b(?:house|plot|flat|h\.)\s*no\.?\s*\d{1,5}[A-Z]?(?=\s*,)"  # House No. 1147, Sector 15
    r"|\b(?:flat|apt|apartment|unit|suite|villa|blk|block|house|plot|no\.?)\s*\d{1,5}[A-Z]?,?\s+"
    rf"(?:(?:{_CAP}\s+){{1,3}}(?:apartments|residency|towers?|building|mansions|house|estate|"
    r"villas|court|block)\b|street\s+\d{1,4}\b)",
    re.IGNORECASE,
)
# What may follow a street, each part after a comma: a town ("Cape Town 8001", "Dublin 3",
# "Fitzroy North VIC 3068"), a postcode and town ("69003 Lyon", "00-017 Warszawa"), a UK
# postcode or an Eircode, a state and ZIP, a unit ("#08-1140", "Apt 4C", "3ºB").
_TOWN = (
    rf"{_CAP}(?:[ -](?:{_PARTICLE}[ -])?{_CAP}){{0,3}}(?:\s+(?:-\s+)?(?-i:[A-Z]{{2,3}})\b)?"
    r"(?:\s+(?:\d{1,6}(?:-\d{3,4})?(?![\w/]|[.:]\d)|(?-i:[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b"
    # a UK outward code without its second half ("Leeds LS8", "London EC2N"), a Paris or Lyon
    # arrondissement ("Paris 7e")
    r"|(?-i:[A-Z]{1,2}\d[A-Z\d]?)\b(?!\s?\d[A-Z]{2}\b)|\d{1,2}(?:e|er|ème)\b))?"
)
_POSTCODE = (
    r"(?-i:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d{2}\s?[A-Z\d]{4}|[A-Z]{2}\s+\d{5}(?:-\d{4})?"
    r"|(?:[A-Z]{2}\s+)?[A-Z]\d[A-Z]\s?\d[A-Z]\d)"  # Canada: ON M5V 2A1
    r"(?![\w])"
)
# A one-word street that ends in a street word ("58 Kingsway, Cardiff", "3 Northgate, Chester"):
# only with a town or a postcode after its comma.
_ONE_WORD_STREET = Gated(
    r"\b\d{1,4}[A-Za-z]?\s+(?-i:[A-Z][a-z]{2,}(?:way|gate|side|field|fields|croft|dale|mead|"
    r"wood|lands|bury|brook|ford|hurst|ridge|stone|wick|worth|ton))"
    rf"(?=,\s*(?:{_CAP}|{_POSTCODE}))"
)
_US_STATE = (
    r"(?:al|ak|az|ar|ca|co|ct|de|dc|fl|ga|hi|id|il|in|ia|ks|ky|la|me|md|ma|mi|mn|ms|mo|mt|ne|"
    r"nv|nh|nj|nm|ny|nc|nd|oh|ok|or|pa|ri|sc|sd|tn|tx|ut|vt|va|wa|wv|wi|wy)\b"
)
_AU_STATE = r"(?:nsw|vic|qld|tas|act|nt|sa|wa)\b"
_BR_STATE = (
    r"(?:ac|al|ap|am|ba|ce|df|es|go|ma|mt|ms|mg|pa|pb|pr|pe|pi|rj|rn|rs|ro|rr|sc|sp|se|to)\b"
)
# A town that ends in a state and its postcode ("Toronto ON M4Y 1T7", "Kingston AR 72742")
# closes the address even without a comma before it.
_STATE_AND_CODE = Gated(r"\s(?-i:[A-Z]{2,3})\s+(?:\d{4,5}|(?-i:[A-Z]\d[A-Z])\s?\d[A-Z]\d)$")
_FLOOR = (
    r"\d{1,2}(?:st|nd|rd|th)\s+fl(?:oor)?\b\.?|(?:lot|space|spc|trlr)\s+\d{1,4}[a-z]?\b"
    r"|(?:(?:Rückgebäude|Hinterhaus|Vorderhaus|Seitenflügel|Gartenhaus),?\s+)?"
    r"(?:\d{1,2}\.\s?(?:Stock|OG|Etage|Obergeschoss)(?:\s+(?-i:links|rechts|Mitte))?|EG|DG)\b"
    r"|(?:Rückgebäude|Hinterhaus|Vorderhaus|Seitenflügel|Gartenhaus)\b"
    r"|\d{1,2}(?:e|è|ème|eme|er|ère)\s+étage\b(?:\s+(?-i:gauche|droite))?"
)
_ADDRESS_PART = Gated(
    r"(?P<sep>,\s*|\s+)(?:"
    rf"(?P<postcode>{_POSTCODE})"
    r"|(?P<number>\d{1,4}[a-z]?(?=\s*,))"
    r"|(?P<cep>\d{5}-\d{3}(?!\d))"
    r"|(?P<area>(?:sector|phase|block)\s+\d{1,3}[A-Z]?|(?-i:Co\.?|County)\s+[A-Z][a-z]+"
    # a Mexican colonia, a Philippine barangay, a Puerto Rican urbanización ("Col. Roma Norte")
    r"|(?:col\.|colonia|fracc\.|fraccionamiento|brgy\.|barangay|urb\.|urbanizaci[oó]n|purok)"
    rf"\s+{_CAP}(?:\s+(?:{_PARTICLE}\s+)?(?:{_CAP}|[IVX]{{1,4}}\b)){{0,3}})"
    # a landmark between a street and its town ("near Mantri Mall", "opp. Union Bank"), kept
    # only when a town or a postcode follows it (see `_address_end`)
    r"|(?P<landmark>(?:near|opp\.|opposite|behind|beside|next to)\s+[\w'.-]+(?:\s+[\w'.-]+){0,3}"
    r"(?=,))"
    # a Dutch postcode has two letters after its four digits ("1015 CJ Amsterdam")
    rf"|(?P<zip>(?:\d{{2,3}}-\d{{3,4}}|\d{{4}}-\d{{3}}|\d{{4,6}}|\d{{4}}\s?(?-i:[A-Z]{{2}}))\s+{_CAP}"
    rf"(?:[ -]{_CAP})?)"
    # a lower-case US town, state and ZIP ("austin tx 78745")
    # ... or an Australian one ("ballarat east vic 3350")
    rf"|(?P<townzip>[a-z]+(?:\s[a-z]+){{0,2}},?\s+"
    rf"(?:{_US_STATE}\s+\d{{5}}(?:-\d{{4}})?|{_AU_STATE}\s+\d{{4}})(?!\d))"
    # a lower-case UK town and postcode, or the postcode alone ("leeds ls6 2ab")
    r"|(?P<lowpost>(?-i:(?:[a-z]+(?:\s[a-z]+){0,2},?\s+)?[a-z]{1,2}\d[a-z\d]?\s?\d[abd-hjlnp-uw-z]{2})"
    r"(?!\w))"
    # a lower-case US or Brazilian town and its state that close the clause ("waterbury ct, …",
    # "ardmore ok and …", "recife pe"); its words are checked in `_address_end`
    rf"|(?P<lowstate>(?-i:[a-z]+(?:\s[a-z]+){{0,2}}?,?\s+(?:{_US_STATE}|{_BR_STATE}))"
    r"(?=\s*(?:[,.;:!?)]|$)|\s+(?:and|but|so|pls|please|thx|thanks|asap|e|y)\b))"
    # a Mexican state's abbreviation after the town, with its stop ("Xalapa, Ver.", "N.L.")
    r"|(?P<mxstate>(?-i:Ags|B\.\s?C|B\.\s?C\.\s?S|Camp|Chih|Chis|Coah|Dgo|Edo\.\s?Méx|Gro|Gto|Hgo|Jal|"
    r"Méx|Mich|Mor|N\.\s?L|Nay|Oax|Pue|Q\.\s?R(?:oo)?|Qro|S\.\s?L\.\s?P|Sin|Son|Tab|Tamps|Tlax|Ver|Yuc|"
    r"Zac)\.(?!\w))"
    # a postcode and a lower-case town ("20121 milano"), the town checked in `_address_end`
    r"|(?P<lowzip>(?-i:\d{5}(?:-\d{3})?\s+[a-z\u00e0-\u00ff]{3,})\b)"
    # a Portuguese or Spanish block and flat, which may come without a comma ("bloco b ap 301")
    r"|(?P<bloco>(?:bloco|bloque|blq\.|bl\.)\s+[A-Z0-9]{1,2}\b"
    r"|(?:apto|ap|apartamento|depto|dpto)\.?\s*\d{1,4}[A-Z]?\b)"
    r"|(?P<unit>#\s?\d[\w-]*|(?:apt|apto|apartment|app|appt|suite|ste|unit|flat|floor)\.?"
    r"\s*\w{1,5}"
    # a Portuguese or Spanish floor and side: "3ºB", "2º Esq", "5º Dto", "3º izq", Catalan "2n 1a"
    r"|\d{1,2}º(?:\s?(?:\d{1,2}ª|esq|dto|dir|izq(?:da)?\.?|dcha\.?|[A-Z]\b))?"
    r"|\d(?:r|n|t|º)\s\d{1,2}(?:a|ª)\b"
    r"|m\.\s?\d{1,4}|b[âa]t(?:iment)?\.?\s?[A-Z0-9]{1,3}\b"
    r"|int\.\s?\d{1,3}|interno\s\d{1,3}"
    rf"|\d{{1,3}}(?:st|nd|rd|th)\s+{_CAP})"
    # a floor, which may follow the street or the town without a comma: "2nd fl", "lot 14",
    # "2. Stock links", "3. OG", "Rückgebäude", "4ème étage"
    rf"|(?P<floor>{_FLOOR})"
    # a lower-case town that closes the clause ("… gana street maitama abuja, ask …"), a known
    # place checked in `_address_end`
    r"|(?P<lowtown>(?-i:[a-z]+(?:\s[a-z]+){0,2})(?=\s*(?:[,.;!?)]|$)))"
    rf"|(?P<town>{_TOWN}))",
    re.IGNORECASE,
)


# A town without a comma before it closes the clause or comes before a postcode ("221B Baker
# Street London NW1 6XE").
_TOWN_CLOSES = Gated(rf"\s*(?:[,.;:!?)]|$)|\s+{_POSTCODE}")


# Words that follow a street in lower case but are no town ("12 oak st is ok", "near me").
_NOT_TOWN_WORDS = frozenset(_WORDS["not_town_words"].split())
# States that are English words too ("in", "me", "ok"): their town must be a known place.
_US_STATES = frozenset(re.findall(r"[a-z]{2}", _US_STATE))
_WORD_STATES = frozenset({"in", "me", "or", "ok", "hi", "oh", "de", "la", "pa", "ma", "co", "id"})


_SUFFIX_WORD = Gated(_SUFFIX)
_GENERIC_PLACES = frozenset(_WORDS["generic_places"].split())


def _known_town(word: str) -> bool:
    return word in places() and word not in _GENERIC_PLACES


def _lower_town(town_state: str) -> bool:
    """Whether a lower-case "town state" after a street is one ("ardmore ok"), not words."""
    words = town_state.replace(",", " ").split()
    town, state = words[:-1], words[-1]
    if any(w in _NOT_TOWN_WORDS for w in town):
        return False
    known = state in _US_STATES and state not in _WORD_STATES
    return known or town[-1] in places()  # a Brazilian state must follow a known place


# A town and its postcode after a street with no comma ("18 Marine Drive Bloubergstrand 7441
# thats where…"): not a ward, room or bed number, nor a dose ("Room 1204", "Insulin 1000 units").
_TOWN_CODE = Gated(r"\s\d{4,6}$")
_DOSE_AFTER = Gated(r"\s*(?:mg|mcg|ml|iu|units?|x|times|mmol|kg|%)(?!\w)", re.IGNORECASE)
_YEAR = Gated(r"(?:19|20)\d\d")
_ROOM_WORDS = frozenset(_WORDS["room_words"].split())


def _coded_town(text: str, town: str, end: int) -> bool:
    if not _TOWN_CODE.search(town) or _DOSE_AFTER.match(text, end):
        return False
    words = town.split()
    return not _YEAR.fullmatch(words[-1]) and not any(w in _ROOM_WORDS for w in words)


def _address_end(text: str, end: int) -> int:
    """Where an address that runs to `end` really ends: its town, postcode and unit parts."""
    landmark_from: int | None = None  # a landmark counts only when a part follows it
    for _ in range(5):
        m = _ADDRESS_PART.match(text, end)
        if m is None:
            break
        comma = "," in m.group("sep")
        town = m.group("town")
        if m.group("landmark") is not None:
            if not comma:
                break
            landmark_from, end = end, m.end()
            continue
        if town is not None:
            first = town.split()[0].strip(",.")
            if first in _NOT_NAMES or first.endswith("'s") or first.startswith(("I'", "I\u2019")):
                break
            # Without a comma a town must close the sentence or the clause ("at 23 Oak Street
            # Sheffield, i can hear them"), so "42 Maple Street Then I…" stays a street.
            if not comma and not (
                _TOWN_CLOSES.match(text, m.end())
                or _STATE_AND_CODE.search(town)
                or _coded_town(text, town, m.end())
            ):
                break
        elif m.group("zip") is not None and not comma:
            # a postcode and town without a comma ("Hauptstraße 5 10115 Berlin"), not a year
            code, first = m.group("zip").split()[:2]
            if _YEAR.fullmatch(code) or first in _NOT_NAMES or first in _ROOM_WORDS:
                break
        elif m.group("lowzip") is not None:
            town = m.group("lowzip").split()[-1]
            if town not in places() or town in _NOT_TOWN_WORDS:
                break
        elif m.group("lowtown") is not None:
            # only right after a street word typed in lower case too ("12 King Street jesus."
            # is no town, nor "… 20121 milano da sola")
            words = m.group("lowtown").split()
            before = text[max(0, end - 12) : end].split()
            if (
                not before
                or not before[-1].islower()
                or not _SUFFIX_WORD.fullmatch(before[-1])
                or any(w in _NOT_TOWN_WORDS for w in words)
                or not _known_town(words[-1])
            ):
                break
        elif m.group("lowstate") is not None:
            if not _lower_town(m.group("lowstate")):
                break
        elif (
            not comma
            and m.group("postcode") is None
            and m.group("number") is None
            and m.group("townzip") is None
            and m.group("lowpost") is None
            and m.group("floor") is None
            and m.group("bloco") is None
            and (m.group("unit") is None or not m.group("unit").startswith(("m.", "M.")))
        ):
            break
        landmark_from, end = None, m.end()
    return end if landmark_from is None else landmark_from


# A flat or unit before the house number belongs to the address ("Flat 2, 19 Rue des Lilas"),
# and so do a number's label ("No. 14 Adeola Odeku Street", "plot 22 gana street"), a Glasgow
# tenement flat ("2/1, 34 Kelvinhaugh Street"), a New Zealand rural delivery ("RD 3, 1042
# Ohaupo Road") and a Canadian unit joined to the number ("3-215 rue Saint-Denis").
_UNIT_BEFORE = Gated(
    r"(?:\b(?:flat|apt|apartment|unit|suite|app|appt|appartement|wohnung)\.?\s*(?:no\.?\s*)?"
    r"\d{1,4}[A-Za-z]?,?\s*|\bb[âa]t(?:iment)?\.?\s?[A-Z0-9]{1,3},\s*"  # "Bât. C, "
    r"|\b(?:no|door no|house no|hse no|h\.\s?no|plot)\.?\s*"
    r"|\b\d{1,2}/\d{1,2},\s*|\bRD\s?\d{1,2},\s*"
    r"|(?<![\w-])\d{1,4}-)$",
    re.IGNORECASE,
)


# A building or house name before the number ("Résidence Les Pins, Appt 23, 8 allée des
# Tilleuls", "Sunny Heights 201, 2-5-8 Tenjinbashi", "Cedar Court 5 Wellington Rd").
_HOUSE_WORD = (
    r"(?-i:Cottage|House|Farm|Lodge|Barn|Hall|Manor|Rectory|Vicarage|Court|Heights|Apartments|"
    r"Mansions|Towers?|Residency|Villas|Gardens|Plaza|Building|Complex|Estate|Homes|Society)"
)
_BUILDING_BEFORE = Gated(
    r"(?:(?-i:R[ée]sidence|Residencia|Edificio|Immeuble|Condominio|Conjunto|Urb\.|Urbanizaci[oó]n)"
    r"\s+"
    rf"(?:{_PARTICLE} )?{_CAP}(?: {_CAP}){{0,2}}"
    rf"|(?-i:The )?{_CAP}(?: {_CAP})? {_HOUSE_WORD}(?: \d{{1,4}}[A-Z]?)?)"
    r",?\s+$"
)


def _address_start(text: str, start: int) -> int:
    m = _UNIT_BEFORE.search(text, max(0, start - 24), start)
    start = m.start() if m else start
    m = _BUILDING_BEFORE.search(text, max(0, start - 48), start)
    if m is None:
        return start
    m2 = _UNIT_BEFORE.search(text, max(0, m.start() - 24), m.start())
    return m2.start() if m2 else m.start()


# A street without a house number, after a house name and before its town and a UK postcode or
# an Eircode ("Rose Cottage, Church Lane, Little Snoring, Fakenham NR21 0HT"; "Ardmore,
# Ballycullen Road, Knocklyon, Dublin 16, D16 K7W2"): found from the postcode backwards.
_NAMED_STREET_BEFORE = Gated(
    r"(?<![\w'\u2019])(?:(?:flat|apt|apartment|unit)\s*\w{1,4},\s*)?"
    rf"(?:(?-i:The )?{_CAP}(?: {_CAP}){{0,2}},\s*)?"
    rf"{_CAP}(?: {_CAP}){{0,2}} (?=(?-i:[A-Z])){_SUFFIX},\s*"
    rf"(?:{_CAP}(?:[ -](?:{_PARTICLE}[ -])*{_CAP}){{0,3}}(?: \d{{1,2}})?,?\s*){{1,3}}$",
    re.IGNORECASE,
)
# A unit and a building before a street without a number ("Apt B4, Kileleshwa Court, Othaya
# Road, Nairobi"; "Hse No. 7, Riverside Gardens, Riverside Drive").
_UNIT_NAMED_STREET = Gated(
    r"\b(?:flat|apt|apartment|unit|suite|hse no\.?|house no\.?)\s*(?=\w{0,4}\d)\w{1,5},\s*"
    rf"(?-i:The )?{_CAP}(?: {_CAP}){{0,3}},\s*{_CAP}(?: {_CAP}){{0,2}} (?=(?-i:[A-Z])){_SUFFIX}"
    r"(?=[\s,.;]|$)",
    re.IGNORECASE,
)


# An Indian address: a house number ("C-304", "Door No. 12/4", "H.No. 8-2-293/82"), then its
# society, street, area and landmark ("near Gurudwara", "opp. Bus Stand"), each after a comma,
# and a town with its six-digit PIN ("Pune 411038").
_PIN_LANDMARK = r"(?:near|behind|opp\.|opposite|beside|next to)\s+[\w'.-]+(?: [\w'.-]+){0,3}"
_PIN_WORD = rf"(?:{_CAP}|\d{{1,3}}(?:st|nd|rd|th)|No\.|\d{{1,4}}|[IVX]{{1,4}}\b)"
_PIN_ADDRESS = Gated(
    r"(?<![\w/-])(?:(?:(?i:door|flat|house|plot|h\.)\s?(?i:no)\.?\s*|(?i:flat)\s|[A-Z]-?)"
    r"\d{1,4}(?:[/-]\d{1,4}){0,3}|\d{1,4}(?:[/-]\d{1,4}){1,3})[A-Z]?,\s*"
    rf"(?:(?:{_PIN_LANDMARK}|{_PIN_WORD}(?: {_PIN_WORD}){{0,4}}),\s*){{2,6}}"
    rf"{_CAP}(?: {_CAP})?\s*-?\s*[1-9]\d{{5}}(?!\d)"
)

_SIX_DIGITS = Gated(r"\d{6}")  # a cheap test first: the PIN

# A UK address typed in lower case, from its house number to its postcode ("4 the maltings
# great shelford cambridge cb22 5ab"): the postcode's area must be a real one, and what lies
# between is checked in `_addresses_before_postcodes`.
_LOW_UK_POSTCODE = Gated(
    r"\d\s\d(?!mg|ml|hr|wk)[abd-hjlnp-uw-z]{2}(?![\w])"
)  # found first, by its inward half
_UK_AREAS = frozenset(_WORDS["uk_postcode_areas"].split())
_LOW_UK_ADDRESS = Gated(
    r"(?-i:(?<![\w/.-])\d{1,4}[a-z]?\s+((?:[a-z]+\s+){1,6}?)([a-z]{1,2})\d[a-z\d]?)$"
)


# An Irish address with no street word, back from its Eircode over its townland, estate or
# building and village to a county or a Dublin district ("Knocknagree, Ballydesmond, Co. Cork
# P51 X2Y4", "Apt 3, The Maltings, Ringsend, Dublin 4, D04 K2W1").
_IRISH_PARTS_BEFORE = Gated(
    r"(?<![\w'\u2019])(?:(?:apt|apartment|flat|unit)\s*\d{1,4}[A-Z]?,\s*)?"
    rf"(?:(?-i:The )?{_CAP}(?: {_CAP}){{0,3}},\s*){{1,4}}"
    r"(?-i:(?:Co\.?|County) [A-Z][a-z]+|Dublin \d{1,2}[wW]?),?\s*$",
    re.IGNORECASE,
)


def _low_uk_address(text: str, end: int) -> int | None:
    """Where a lower-case UK address that runs to its postcode's outward half ends, starts."""
    m = _LOW_UK_ADDRESS.search(text, max(0, end - 90), end)
    if m is None or m.group(2) not in _UK_AREAS:
        return None
    # "the" and "great" begin streets and towns ("the paddocks", "great shelford")
    if any(w in _NOT_TOWN_WORDS and w not in {"the", "great"} for w in m.group(1).split()):
        return None
    return m.start()


def _named_street_start(text: str, start: int) -> int:
    m = _NAMED_STREET_BEFORE.search(text, max(0, start - 120), start)
    return m.start() if m else start


def _eircode_start(text: str, start: int) -> int:
    found = _named_street_start(text, start)
    m = _IRISH_PARTS_BEFORE.search(text, max(0, start - 120), start)
    if m is None or m.group().split()[0].strip(",") in _NOT_NAMES:
        return found
    return min(found, m.start())


def _addresses(text: str) -> Iterator[Span]:
    """Every address but a public place's."""
    for span in _joined(text, sorted(_address_spans(text), key=lambda s: s.start)):
        if not _public_place(text, span.start):
            yield span


def _joined(text: str, spans: list[Span]) -> Iterator[Span]:
    """Address spans in order, those that touch joined into one ("Flat 11 Cedar Court 5
    Wellington Rd": a building and its street)."""
    if not spans:
        return
    cur = spans[0]
    for span in spans[1:]:
        if span.start <= cur.end or _JOIN.fullmatch(text, cur.end, span.start):
            cur = Span(K.ADDRESS, cur.start, max(cur.end, span.end))
        else:
            yield cur
            cur = span
    yield cur


# A public place's address, given as where the place is ("the Superdrug pharmacy at 60
# Briggate", "Apollo Main Hospital is at 21 Greams Lane"), is nobody's personal detail, unless
# the clause makes it theirs ("my clinic at …", "we live by the station at …"). A place listed
# with a comma among someone's details ("GP: Riverside Surgery, 3 Mill Lane") stays personal.
_PUBLIC_PLACE = Gated(
    r"\b(?:hospital|clinic|cl[ií]nica|pharmacy|farmacia|chemist|apotheke|building|centre|center|"
    r"museum|station|library|university|office|headquarters|hq|church|mosque|temple|hotel|mall|"
    r"store|shop|branch|campus|hospice|lab|laboratory)\b[^.!?\n;,]{0,40}?"
    r"\b(?:at|is at|on|in|en|na|em)\s*$",
    re.IGNORECASE,
)
_PERSONAL = Gated(
    r"\b(?:my|our|i|i'm|im|we|we're|me|us|his|her|their|live|lives|living|home|address|moved|"
    r"stay|staying|send|mail|come)\b",
    re.IGNORECASE,
)
_CLAUSE_START = Gated(r"[.!?\n;]")
_PLACE_WORD = Gated(
    r"\b(?:hospital|hospitals|clinic|cl[ií]nica|klinik|pharmacy|farmacia|chemist|apotheke|"
    r"centre|center|museum|station|library|university|headquarters|hotel|mall|campus|hospice|"
    r"charit[ée]|mediclinic|infirmary|polyclinic)\b",
    re.IGNORECASE,
)


def _clause_before(text: str, start: int) -> str:
    """The clause `start` is in, up to `start` (at most 60 characters back)."""
    before = text[max(0, start - 60) : start]
    ends = [m.end() for m in _CLAUSE_START.finditer(before)]
    return before[ends[-1] :] if ends else before


def _named_public_place(text: str, start: int, end: int) -> bool:
    """An address the learned tagger found that belongs to a named public place, in the same
    clause and with no personal word ("Clínica Alemana, Av. Vitacura 5951", "Mediclinic City
    Hospital, Building 37"): the rules read a comma there as someone's list of details, the
    tagger's wider spans need the place's name too."""
    clause = _clause_before(text, start) + text[start:end]
    return _PLACE_WORD.search(clause) is not None and _PERSONAL.search(clause) is None


def _public_place(text: str, start: int) -> bool:
    clause = _clause_before(text, start)
    return _PUBLIC_PLACE.search(clause) is not None and _PERSONAL.search(clause) is None


_JOIN = Gated(r",?\s")


def _address_spans(text: str) -> Iterator[Span]:
    for m in _ADDRESS.finditer(text):
        yield Span(K.ADDRESS, _address_start(text, m.start()), _address_end(text, m.end()))
    streets = (
        *(_NUMBER_FIRST, _STREET_FIRST, _COMPOUND_STREET, _TWO_WORD_STREET, _ONE_WORD_STREET),
        _JAPANESE_BLOCK,
        _BLOCKS,
    )
    for pattern in (*streets, _BUILDING):
        for m in pattern.finditer(text):
            yield Span(K.ADDRESS, _address_start(text, m.start()), _address_end(text, m.end()))
    for m in _LOWER_STREET_FIRST.finditer(text):
        end = _address_end(text, m.end())
        if end > m.end():  # its postcode and town, or its block or flat, were there
            yield Span(K.ADDRESS, _address_start(text, m.start()), end)
    for m in _NUMBERED_CALLE.finditer(text) if _CALLE_CUE.search(text) else ():
        yield Span(K.ADDRESS, _address_start(text, m.start()), _address_end(text, m.end()))
    for m in _SG_UNIT_STREET.finditer(text) if "#" in text else ():
        yield Span(K.ADDRESS, m.start(), _address_end(text, m.end()))
    for m in _UNIT_NAMED_STREET.finditer(text):
        yield Span(K.ADDRESS, m.start(), _address_end(text, m.end()))
    for m in _PIN_ADDRESS.finditer(text) if _SIX_DIGITS.search(text) else ():
        yield _span(K.ADDRESS, m)
    for m in _LOW_UK_POSTCODE.finditer(text):
        found = _low_uk_address(text, m.start() + 1)
        if found is not None:
            yield Span(K.ADDRESS, found, m.end())
    for m in _UK_POSTCODE.finditer(text):
        yield Span(K.ADDRESS, _named_street_start(text, m.start()), m.end())
    for m in _JAPANESE_POSTAL.finditer(text) if "〒" in text else ():
        yield _span(K.ADDRESS, m)
    for m in _PO_BOX.finditer(text):
        yield Span(K.ADDRESS, m.start(), _address_end(text, m.end()))
    for m in _EIRCODE.finditer(text):
        said = m.group().lower().startswith("eircode")
        unique = m.group(2)
        if said or (any(c.isdigit() for c in unique) and any(c.isalpha() for c in unique)):
            yield Span(K.ADDRESS, _eircode_start(text, m.start(1)), m.end())
    for m in _ZIP.finditer(text):
        yield _span(K.ADDRESS, m, 1)


# --- person names in context ---------------------------------------------------------------------

# Latin letters with accents: Latin-1, Latin Extended-A (Polish, Czech…), the Vietnamese ones.
_UP = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f\u01a0\u01af\u1e00-\u1eff"
_LOW = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f\u01a1\u01b0\u1e00-\u1eff"
_NAME = rf"(?:[{_UP}]'|Mc|Mac)?[{_UP}][{_LOW}]+(?:[-'][{_UP}]?[{_LOW}]+)?"
# Lower-case particles inside a full name ("Daan de Vries", "Khalid bin Saeed").
_NAME_PARTICLE = (
    r"(?:bin|binti|bint|ibn|ben|al|el|de|del|della|di|da|do|dos|das|van|von|der|den|ter|le|la|"
    r"du|dela|n[ií]|nic|ap)"
)
_FULL_NAME = (
    rf"{_NAME}(?:[ \t]+[A-Z]\.?(?=\s))?(?:[ \t]+(?:{_NAME_PARTICLE}[ \t]+){{0,2}}{_NAME}){{0,3}}"
)
# Family words that may open a signature ("Love, Grandma Jean").
_FAMILY_LEAD = frozenset({"grandma", "grandpa", "nana", "nan", "gran", "granny", "auntie", "aunt"})
_TITLE_NAME = Gated(
    rf"\b(?:Dr|Doctor|Prof|Professor|Nurse|Mr|Mrs|Ms|Miss|Mx|Sister|Matron|Dr\.|Mr\.|Mrs\.|"
    rf"Ms\.|Prof\.|Mme|Mlle|Sgt|Capt|Rev|Herr|Frau|Sr|Sra|Srta|Sig|Sig\.ra|Dott|Tita|Tito|"
    rf"Lola|Lolo|Grandad|Granddad|Grandpa|Grandma|Granny|Nana|Auntie|Aunty|Aunt|Uncle|"
    rf"Familie|Midwife|Pastor)\.?\s+((?:[A-Z]\.[ \t]*)?{_NAME}(?:[ \t]+{_NAME}){{0,2}})"
)
# Disease names that are also surnames: after a title they are the person ("Dr. Addison").
_EPONYMS = frozenset(_WORDS["eponyms"].split())
_INTRO_NAME = Gated(
    rf"\b(?:(?:[Mm]y|[Hh]is|[Hh]er|[Tt]heir) names?(?:'s| is|s)?|[Nn]ame(?:'s| is|:)|"
    rf"[Nn]ame on (?:it|file|record|(?:the|my|his|her|their|this|that|your|our)\s+[\w-]+)\s+"
    rf"(?:is|was|says|said|reads|read|shows|should (?:be|say|read)|has to be|must be|"
    rf"needs to be|will be)|[Tt]he name|[Cc]all me|[Tt]his is|[Ii]t'?s|[Aa]sk for|"
    rf"[Aa]ttention:?|[Aa]ttn:?|[Cc]/[Oo]|(?:[Mm]other|[Ff]ather|[Pp]arent|[Gg]uardian) of|"
    rf"[Oo]n behalf of|(?:[Pp]atient|[Rr]esident|[Ss]tudent|[Cc]lient|[Gg]uardian|"
    rf"[Pp]arent/guardian|[Nn]ext of kin|(?:[Pp]rimary )?[Cc]ontact|[Cc]aseworker):(?: myself,)?|"
    rf"[Ii]'m|[Ii]m|I am|[Hh]ere'?s|[Ss]igned|[Ff]rom|[Nn]amed|[Cc]alled|[Ii]'m called|"
    rf"[Ii]t'?s me,?|[Pp]atient name(?: is|:)?|[Pp]t:|Name|[Kk]ontakt:|[Cc]ontacto:|[Cc]ontatto:|"
    rf"[Pp]regunta(?:d)? por|[Cc]hiedi di|[Dd]emandez)"
    rf"\s+({_FULL_NAME})"
)
# A pet just before the introduction: "my hamster, his name is Nugget", "our cat is called Tom".
_PETS = (
    "dog",
    "cat",
    "puppy",
    "pup",
    "kitten",
    "hamster",
    "rabbit",
    "bunny",
    "guinea pig",
    "parrot",
    "budgie",
    "bird",
    "goldfish",
    "fish",
    "pony",
    "horse",
    "tortoise",
    "turtle",
    "snake",
    "lizard",
    "gerbil",
    "rat",
    "mouse",
    "ferret",
    "pet",
)
_PET_WORD = any_of(_PETS)
_PET_BEFORE = Gated(
    r"\b(?:" + "|".join(_PETS) + r")s?\W{0,3}(?:(?:and|who|which|that|is|was|he|she|it)\W+){0,2}$",
    re.IGNORECASE,
)


def _pet_named(text: str, start: int) -> bool:
    """Whether the name at `start` follows a pet ("my dog, her name is Bella")."""
    return _PET_BEFORE.search(text, max(0, start - 60), start) is not None


# Introductions in other languages. The naming verbs ("je m'appelle", "me llamo", "ze heet")
# say a name follows; "I am" ("soy", "sono", "ich bin") needs a name that looks like one.
_FOREIGN_NAMING = (
    r"je m'appelle|je m\u2019appelle|me llamo|mi nombre es|se llama|"
    r"mi chiamo|si chiama|mein name ist|ich hei(?:ß|ss)e|ik heet|ze heet|hij heet|"
    r"mijn naam is|nazywam si[ęe]|mam na imi[ęe]|me chamo|meu nome [ée]|chamo-me|"
    r"t[êe]n t[ôo]i l[àa]|t[ôo]i l[àa]|ako si|pangalan ko ay"
)
_FOREIGN_AM = r"soy|sono|ich bin|ik ben|je suis|moi c'est|sou (?:a|o)|sou|jestem"
_FOREIGN_INTRO = Gated(
    rf"(?i:\b(?P<naming>{_FOREIGN_NAMING})|(?P<am>\b(?:{_FOREIGN_AM})))"
    rf"\s+({_FULL_NAME})"
    r"|(?:\u0627\u0633\u0645\u064a)\s+(" + _FULL_NAME + r")"  # Arabic "my name is"
)
# The same leads without the case-blind flag, for a fast test on the lower-cased message
# (a case-blind alternation is slow in `re`).
_FOREIGN_CUE = Gated(rf"\b(?:{_FOREIGN_NAMING}|{_FOREIGN_AM})|\u0627\u0633\u0645\u064a")
_CJK_INTRO = Gated(r"(?:我叫|我的名字是|我的名字叫|我是)([\u4e00-\u9fff]{2,4})")
# Relations in other languages: "mon fils Hugo", "mi madre Carmen", "mijn moeder Ria".
_FOREIGN_RELATION = Gated(
    r"(?i:\b(?:mon|ma|mi|mio|mia|mijn|mein|meine|meu|minha|moja|m[óo]j)\s+"
    r"(?:fils|fille|mari|femme|fr[èe]re|s[œo]eur|m[èe]re|p[èe]re|hijo|hija|madre|padre|marido|"
    r"esposa|hermano|hermana|figlio|figlia|marito|moglie|moeder|vader|zoon|dochter|man|vrouw|"
    r"sohn|tochter|mann|frau|mutter|vater|filho|filha|m[ãa]e|pai|syn|c[óo]rka|m[ąa][żz]|"
    r"[żz]ona|mama|tata)),?\s+"
    rf"({_FULL_NAME})"
)
# After "my name is" even a lower-case name is a name ("my name is mohammed ali").
_LOWER_INTRO = Gated(
    r"\b(?:my name(?P<is>'s| is|s)?|call me|i'?m called|name:)"
    r"\s+([a-z][a-z'-]+(?:\s+[a-z][a-z'-]+)?)"
)
_NOT_LOWER_NAMES = frozenset(_WORDS["not_lower_names"].split())
_RELATIONS = (
    r"(?:twins?|sons|daughters|kids|boys|girls|lads|grandkids|grandchildren|children|grandson|granddaughter|son|daughter|husband|"
    r"wife|partner|mom|mum|mother|dad|father|brother|sister|bro|sis|friend|freind|frend|bestie|"
    r"mate|flatmate|housemate|roomie|boyfriend|girlfriend|bf|gf|ex|grandma|grandmother|grandpa|"
    r"grandfather|grandad|granddad|gran|granny|nan|nana|stepson|stepdaughter|stepmum|stepdad|"
    r"(?:mother|father|son|daughter|brother|sister)-in-law|caseworker|key worker|social worker|"
    r"aunt|uncle|baby|child|kid|niece|nephew|cousin|fianc[eé]e?|doctor|GP|"
    r"neurologist|cardiologist|oncologist|surgeon|therapist|psychiatrist|nurse|"
    r"pediatrician|paediatrician|dentist|midwife|physio|consultant|specialist|"
    r"endocrinologist|rheumatologist|dermatologist|carer|caregiver|roommate|neighbou?r|"
    r"coworker|colleague|boss|patient|client|pupil|student|resident|tenant|lodger|sponsor|"
    r"team-?mate|classmate|buddy|coach|mentor|supervisor|manager|landlord|landlady|"
    r"counsell?or|psychologist|pharmacist|health visitor)"
)
_RELATION_NAME = Gated(
    rf"\b(?:my|our|his|her|their|a|an|the|My|Our|His|Her|Their|A|An|The)\s+(?:\w+\s+){{0,2}}"
    rf"{_RELATIONS}(?P<s>s)?,?\s+"
    rf"({_FULL_NAME})"
)
# A family word opening a message or a clause, without "my": "wife Emma dob …", "Son Leo".
_FAMILY = (
    "son",
    "daughter",
    "husband",
    "wife",
    "partner",
    "mum",
    "mom",
    "mother",
    "dad",
    "father",
    "brother",
    "sister",
    "bro",
    "sis",
    "grandson",
    "granddaughter",
    "kid",
    "child",
    "boyfriend",
    "girlfriend",
    "bf",
    "gf",
    "fiance",
    "fiancé",
    "fiancee",
    "fiancée",
    "niece",
    "nephew",
    "cousin",
    "stepson",
    "stepdaughter",
    "stepmum",
    "stepdad",
    "twin",
    "hubby",
)
_BARE_RELATION = Gated(
    r"(?:^|[,.;:!?(]\s*|\n\s*|\b(?:and|&)\s+)(?:"
    + "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in _FAMILY)
    + rf")s?\s*[,:-]?\s+({_FULL_NAME})"
)
# "Mum is Dorothy Kelly", "my son is called Leo".
# Found from "is": the word before it must be one of `_IS_RELATIONS` (faster than a case-blind
# alternation tried at every word).
_RELATION_IS = Gated(rf"\s(?:is|was)\s+(?:(?:called|named)\s+)?({_FULL_NAME})")
_IS_RELATIONS = frozenset(_WORDS["is_relations"].split())


def _relation_before(text: str, end: int) -> bool:
    """Whether the word that ends at `end` is a relation ("Mum is …", "kid is …")."""
    words = text[max(0, end - 24) : end].split()
    return bool(words) and words[-1].lower() in _IS_RELATIONS


# Lower-case names after a relation or an introduction ("my brother arjun", "its priya"): only
# known first names that are not also everyday words.
_LOWER_RELATION = Gated(
    rf"\b(?:(?:my|our|his|her|their)\s+(?:\w+\s+)?{_RELATIONS}|this is|it'?s|its|i'?m|"
    r"me and|and me|with)\s+([a-z][a-z'-]+)\b"
)
_WORD_NAMES = frozenset(_WORDS["word_names"].split())
# "Noah and Mia", after a relation's name.
_AND_NAME = Gated(rf"\s+(?:and|&)\s+({_NAME})\b")
# The next name in a list: "…, Raj and Kwabena", "… & the twins"? (no: a name must follow).
_LIST_NEXT = Gated(rf"(?P<sep>\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+)({_NAME})\b(?!['\u2019]s)")
_LOWER_LIST_NEXT = Gated(r"(?P<sep>\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+)([a-z][a-z'-]+)\b")
# "Tunde and I check it daily".
_NAME_AND_I = Gated(rf"\b({_NAME})\s+and\s+(?:I|me)\b")
# "Sarah Whitcombe (F, 34) phoned": a name followed by sex and age, as in clinical notes.
_NAME_SEX_AGE = Gated(
    rf"({_FULL_NAME})\s*\((?:[MF]|male|female|Male|Female)\s*,\s*(?:aged?\s*)?\d{{1,3}}\s*\)"
)
# "I've swapped Sunday with Derek": a known first name after "with" mid-sentence.
_WITH_NAME = Gated(rf"(?<=[a-z,] )with\s+({_NAME})\b(?!['\u2019]s|\s+[A-Z])")
# Saints and the famous are not whom a patient names: "St Vincent's", "Prince Harry's book".
_NOT_OWNER_BEFORE = (
    r"(?<!St )(?<!St\. )(?<!Saint )(?<!Prince )(?<!Princess )(?<!King )(?<!Queen )"
    r"(?<!President )(?<!Pope )"
)
# "Oscar's school": a known first name as an owner.
_OWNER = Gated(
    rf"{_NOT_OWNER_BEFORE}\b({_NAME})['\u2019]s\b"
    r"(?!\s+(?i:wort|disease|syndrome|disorder|palsy|sign|test|law|rule|criteria|phenomenon|"
    r"anomaly|sarcoma|lymphoma|ulcer|node|tumou?r|reflex|maneuver|manoeuvre|contracture))"
)
# "(Marta)", "(Yuki Tanaka)" right after a phone, an email, a link or "me".
# "(Ruby and Finn)" after "the twins", "(Pat Doyle)" after "my mum's mobile".
_PAREN_NAME = Gated(
    rf"\(\s*({_FULL_NAME})(?=\s*\)|\s*(?:,|and|&)\s*{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*\s*\))"
)
_BEFORE_PAREN = Gated(
    r"(?:\d[\d ().-]{6,}\d|@[\w.-]+\.\w+|\bdot \w+|\bme|[\u4e00-\u9fff]|\S*[/?=]\S{4,}"
    rf"|\b{_RELATIONS}s?(?:['\u2019]s(?:\s+[\w-]+){{1,2}})?)"
    r"\s*[,;:]?\s*$"
)
# "thanks Mike", "Grazie Federica!", "Danke an Petra für die Hilfe!".
# Each alternative below holds one of these (without s, k or i, whose case folding is wide).
_THANKS_STEMS = (
    "than",
    "cheer",
    "graz",
    "dan",
    "merc",
    "grac",
    "obr",
    "ante",
    "thx",
    " ty ",
    "tysm",
)
_THANKS_STEM = any_of(_THANKS_STEMS)
_THANKS_NAME = Gated(
    r"\b(?i:thanks|thank you|thank u|thanx|thx|ty|tysm|cheers|grazie|danke(?: an)?|merci|"
    r"gracias|obrigad[oa]|"
    r"dank je(?:wel)?|bedankt|asante)"
    r"(?:\s+(?i:so much|so so much|very much|a lot|a million|again|heaps|loads|lots))?"
    rf"\s*,?\s+({_FULL_NAME})"
)
# "…, Ayesha" closing a message.
_END_NAME = Gated(rf",\s*({_NAME})\s*[.!]?\s*$")
# "…with people who get it. Lou x": a name signed off with kisses closes the message.
_KISS_NAME = Gated(rf"(?:^|[.!?]\s+|\n\s*)({_NAME})\s+x{{1,4}}\s*$")
# "Mick here", "Wanjiru Kamau here from Nairobi" opening a message or after a greeting.
_HERE_NAME = Gated(rf"(?:^|[,.!?;:]\s*|\n)\s*({_FULL_NAME})\s+here\b")
_GREETING = Gated(
    r"(?i:hi|hello|hey|g'day|hiya|habari|hola|ciao|bonjour|hallo|hoi|morning|evening|"
    r"greetings|howdy|oi)\W*$"
)
# "the physio Xochitl", "Ramya, the dietician".
_ROLES = (
    r"(?:physio|physiotherapist|midwife|nurse|dietician|dietitian|pharmacist|gp|doctor|"
    r"therapist|counsellor|counselor|receptionist|consultant|surgeon|social worker|carer|"
    r"health visitor|parent rep|coordinator|organiser|organizer|volunteer)"
)
_ROLE_NAME = Gated(
    rf"\b(?i:the)\s+(?i:{_ROLES})\s+({_FULL_NAME})|(?:^|[.!?]\s+)({_FULL_NAME}),\s+"
    rf"(?i:the|our|my)\s+(?i:{_ROLES})\b"
)
# A known first name said as a person: "Tom here", "Jim from the allotment", "Baby Noah",
# "since Margaret passed".
_NAME_SAID = Gated(
    rf"\b({_NAME}(?:\s+{_NAME})?)\s+(?:here\b|from (?:the|my|our|next door)\b)"
    rf"|\b(?:[Bb]aby|[Ll]ittle|[Ll]il)\s+({_NAME})\b"
    rf"|\b(?i:since|after|when|before)\s+({_NAME})\s+(?:passed|died|left us)\b"
)
# Substrings one of which every `_NAME_SAID` holds.
_NAME_SAID_CUES = (
    " here",
    "\nhere",
    "\there",
    "from ",
    "baby",
    "little",
    "lil",
    "passed",
    "died",
    "left us",
)
_NAME_SAID_CUE = any_of(_NAME_SAID_CUES)
_SIGNATURE = Gated(
    rf"(?:^|\n|[.!?]\s+)\s*(?:[-\u2013\u2014~]+\s*|(?:thanks|thank you|regards|best|cheers|"
    rf"sincerely|kind regards|"
    rf"best regards|warm regards|love|many thanks|thanks again|take care|best wishes|yours),?"
    rf"\s*(?:\n|\s)\s*(?:[-\u2013\u2014~]\s*)?)({_FULL_NAME})\s*$",
    re.IGNORECASE,
)
# The hand-kept names and about 11,000 more from many countries (scripts/build_first_names.py).
_FIRST_NAMES = first_names()
# A sign-off anywhere in a message ("Kind regards, Sarah O'Connell, Practice Nurse. Direct
# line: …") and a name after a dash at the very end ("… email me - Jordan").
_SIGN_OFF = Gated(
    r"\b(?i:kind regards|best regards|warm regards|regards|yours sincerely|yours faithfully|"
    r"yours truly|sincerely|many thanks|thanking you|with thanks|best wishes|all the best),?"
    rf"\s+({_FULL_NAME})"
)
_DASH_NAME = Gated(rf"\s[-\u2013\u2014]+\s*({_FULL_NAME})\s*[.!]?\s*$")
# A full name right before what identifies its bearer: "Margaret Ellis, born 7/9/1941",
# "Tobenna Eze (DOB …)", "Lucia Ferraro, MRN …", "Bob Henley, 0161 496 0734",
# "Janet Ruiz at janet.ruiz@…".
_ID_WORD = Gated(
    r"born\b|dob\b|d\.o\.b|date of birth|mrn\b|nhs (?:no|number)|ssn\b|hospital (?:number|no)|"
    r"aged? \d",
    re.IGNORECASE,
)
_ID_WORD_LOW = Gated(_ID_WORD.pattern)  # for the lower-cased message: see _FOREIGN_CUE
# A wristband or a form: "LOPEZ, ADRIANA MRN …".
_CAPS_NAME = Gated(
    r"\b([A-Z]{2,}(?:[-'][A-Z]+)?,\s?[A-Z]{2,}(?:\s[A-Z]{2,})?)\s+(?=(?i:" + _ID_WORD.pattern + "))"
)
_NAME_THEN_ID = Gated(
    rf"({_NAME}(?:\s+[A-Z]\.)?(?:\s+{_NAME}){{1,2}})(?:\s*[,(]\s*|\s+)(?=(?i:{_ID_WORD.pattern}))"
)
_CONTACT = Gated(r"@|\d[\d ().-]{8,}\d")
# An email or a phone, and what is said just before it (searched backwards from each contact).
_CONTACT_START = Gated(r"[\w.+-]+@[\w-]+\.\w|\+?\(?\d[\d ().-]{8,}\d")
_BEFORE_CONTACT = 60
# "Maria Gonzalez (maria.gonzalez@…)", "Bob Henley, 0161 496 0734", "…surgery Kwame! +44 …".
_NAME_THEN_CONTACT = Gated(
    rf"(?<![\w'-])({_NAME}(?:\s+{_NAME}){{0,2}})(?:\s*[,:!(]\s*|\s+(?:at|on)\s+)$"
)
# "txt sarah on 555-201-7734", "WhatsApp Tunde at +234 …": whom to reach on a phone or an email.
_REACH_NAME = Gated(
    r"\b(?i:text|txt|call|ring|phone|message|msg|whatsapp|whatsap|contact|reach|email|e-mail|dm)"
    rf"\s+([{_UP}{_LOW.replace('a-z', '')}a-z][{_LOW}'-]+(?:\s+{_NAME})?)\s+(?:on|at)\s+$"
)
# "hosted by Aisha", "the group is run by Tom Hale": who runs a meeting.
_BY_NAME = Gated(
    r"\b(?:hosted|co-?hosted|run|led|organi[sz]ed|facilitated|co-?facilitated|chaired|moderated|"
    rf"co-?ordinated)\s+by\s+({_FULL_NAME})"
)
# "the results for Émilie Tremblay", "a lift for Thabo Nkosi": two capitalised words that
# are not a place, an institution or a condition.
_FOR_NAME = Gated(
    rf"\b(?:for|about)\s+({_NAME}\s+{_NAME})\b(?!\s+{_NAME})"
    # "for Ramsay Hunt syndrome", "about Von Willebrand disease": a condition, not a person
    r"(?!\s+(?:syndrome|disease|fever|palsy|disorder|sign|anomaly|malformation|sarcoma|"
    r"lymphoma|tumou?r|spotted|virus|\w+itis|\w+osis|\w+emia)\b)"
)
_NOT_NAME_PARTS = frozenset(_WORDS["not_name_parts"].split())
# "I'm Kemi, my GP is…": one capitalised word after "I'm" and before a comma is a name unless
# it reads like a description ("I'm Exhausted,", "I'm Italian,").
_IM_NAME = Gated(rf"\b(?:I'?m|I am)\s+({_NAME})(?=,|\.(?:\s|$)|\s*[!]?\s*$)")
_DESCRIPTIVE = Gated(r"(?:ed|ing|ful|ous|ive|al|ic|y|less|ish|ible|able|ent|ant|ese)$")


# Words before a name that say a name follows, whatever it looks like.
_STRONG_LEADS = frozenset(
    {
        "my",
        "his",
        "her",
        "their",
        "name",
        "name's",
        "name:",
        "call",
        "signed",
        "named",
        "called",
        "here's",
        "ask",
        "attention",
        "attn",
        "c/o",
        "mother",
        "father",
        "parent",
        "guardian",
        "on",
        "next",
        "primary",
    }
)


def _possessive(word: str) -> str | None:
    """The name in a possessive ("Leo's" → "Leo"), or None when `word` is not one."""
    for ending in ("'s", "\u2019s", "s'", "s\u2019"):
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)] + ("s" if ending[0] == "s" else "")
    return None


def _name_ok(name: str) -> bool:
    words = [w.strip(".,") for w in name.split()]
    if not words:
        return False
    first = words[0]
    stem = _possessive(first)
    if stem is not None:
        # "my son Leo's school" names Leo; "my mum Parkinson's" names a disease.
        return stem not in _NOT_NAMES and stem.rstrip("s") not in _NOT_NAMES
    return not (first.replace("'", "").rstrip("s") in _NOT_NAMES or first in _NOT_NAMES)


# Condition names look like names too ("Tuberous Sclerosis", "Reactive Arthritis").
_CONDITION = Gated(
    r"(?:osis|itis|oma|emia|aemia|pathy|plasia|trophy|algia|ectomy|otomy|iasis|ism|ica|ae)$"
)


def _plain_name(name: str) -> bool:
    """Every word could be part of a name: not a common word, a place, an institution or a
    condition."""
    words = [w.strip(".,") for w in name.split()]
    return all(
        w not in _NOT_NAMES and w not in _NOT_NAME_PARTS and not _CONDITION.search(w.lower())
        for w in words
    )


def _trim_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop trailing words that are not names ("John Smith Here" → "John Smith")."""
    words = list(re.finditer(r"\S+", text[start:end]))
    stop = start
    for index, w in enumerate(words):
        bare = w.group().strip(".,")
        stem = _possessive(bare)
        if stem is not None:
            # "Sofia Rossi's id" → "Sofia Rossi"; "Crohn's" ends the name, or is none.
            if stem not in _NOT_NAMES and stem.rstrip("s") not in _NOT_NAMES:
                stop = start + w.start() + len(stem)
            break
        # "Marcus T. Bell"; "Robert Lane" after a known first name is a surname, not a street.
        surname = index > 0 and (
            bare in _EPONYMS
            or (bare in _STREET_SURNAMES and words[index - 1].group().lower() in _FIRST_NAMES)
        )
        if bare in _NOT_NAMES and not surname:
            break
        stop = start + w.end()
    if stop == start:
        return None
    return start, stop


def _persons(text: str) -> Iterator[Span]:
    low = text.lower()
    pets = _PET_WORD.search(low) is not None
    for m in _TITLE_NAME.finditer(text):
        trimmed = _trim_name(text, m.start(1), m.end(1))
        if trimmed is None and m.group(1).split()[0] in _EPONYMS:
            trimmed = (m.start(1), m.start(1) + len(m.group(1).split()[0]))
        if trimmed and (_name_ok(m.group(1)) or m.group(1).split()[0] in _EPONYMS):
            # The title goes too: "Dr. [PERSON]" and "[PERSON]" are equally readable, and a
            # rare title ("Matron Okafor") can identify on its own.
            yield Span(K.PERSON, m.start(), trimmed[1])
    for m in _INTRO_NAME.finditer(text):
        name = m.group(1)
        trimmed = _trim_name(text, m.start(1), m.end(1))
        if not trimmed or not _name_ok(name):
            continue
        lead = m.group().split()[0].lower()
        several = len(text[trimmed[0] : trimmed[1]].split()) > 1
        known = name.split()[0].lower() in _FIRST_NAMES
        # "I'm Worried" is not a name; "my name is Worried" is odd enough to redact anyway.
        strong = lead in _STRONG_LEADS or lead.endswith(":")
        if lead == "from" and not known:
            continue  # "from Hong Kong" is a place; "from Sarah" signs a message
        if (strong or known or several) and not (pets and _pet_named(text, m.start())):
            yield Span(K.PERSON, *trimmed)
    for m in _LOWER_INTRO.finditer(text):
        words = m.group(2).split()
        # "my name ngozi okafor" without "is": only a known first name ("my name tag" is none)
        if m.group().startswith("my name") and not m.group("is") and words[0] not in _FIRST_NAMES:
            continue
        while words and words[-1] in _NOT_LOWER_NAMES:
            words.pop()
        if (
            words
            and words[0] not in _NOT_LOWER_NAMES
            and not (pets and _pet_named(text, m.start()))
        ):
            start = m.start(2)
            yield Span(K.PERSON, start, start + len(" ".join(words)))
    for m in _RELATION_NAME.finditer(text):
        name = m.group(2)
        trimmed = _trim_name(text, m.start(2), m.end(2))
        # "my dads Raj Patel" says who dad is; "my mums Tesco shop" is hers
        sure = not m.group("s") or len(name.split()) > 1 or _known(name)
        if trimmed and _name_ok(name) and sure:
            yield Span(K.PERSON, *trimmed)
    said = _NAME_SAID_CUE.search(low) is not None
    for m in _NAME_SAID.finditer(text) if said else ():
        group = next(g for g in (1, 2, 3) if m.group(g))
        name = m.group(group)
        if _name_ok(name) and name.split()[0].lower() in _FIRST_NAMES:
            yield _span(K.PERSON, m, group)
    for m in _SIGNATURE.finditer(text):
        first = m.group(1).split()[0]
        if first.lower() in _FAMILY_LEAD and len(m.group(1).split()) > 1:
            rest = m.start(1) + m.group(1).index(" ") + 1
            trimmed = _trim_name(text, rest, m.end(1))
            # The signature is case-blind: "Thanks Granny for the soup" signs nothing.
            if trimmed and text[rest].isupper() and _name_ok(text[rest : trimmed[1]]):
                yield Span(K.PERSON, m.start(1), trimmed[1])
            continue
        trimmed = _trim_name(text, m.start(1), m.end(1))
        if trimmed and _name_ok(m.group(1)) and m.group(1)[0].isupper():
            yield Span(K.PERSON, *trimmed)


def _persons_by_what_follows(text: str) -> Iterator[Span]:
    """Names known by what comes after them: a comma after "I'm Kemi", a sign-off, an id, a
    phone or an email, kisses, sex and age ("Sarah Whitcombe (F, 34)"), or "for" before two
    capitalised words."""
    for m in _IM_NAME.finditer(text):
        word = m.group(1)
        known = word.lower() in _FIRST_NAMES
        if _plain_name(word) and (known or not _DESCRIPTIVE.search(word.lower())):
            yield _span(K.PERSON, m, 1)
    for m in itertools.chain(_SIGN_OFF.finditer(text), _DASH_NAME.finditer(text)):
        trimmed = _trim_name(text, m.start(1), m.end(1))
        several = trimmed is not None and len(text[trimmed[0] : trimmed[1]].split()) > 1
        known = m.group(1).split()[0].lower() in _FIRST_NAMES
        if trimmed and _name_ok(m.group(1)) and (several or known):
            yield Span(K.PERSON, *trimmed)
    low = text.lower()
    for m in _NAME_THEN_ID.finditer(text) if _ID_WORD_LOW.search(low) else ():
        if _plain_name(m.group(1)):
            yield _span(K.PERSON, m, 1)
    for m in _BY_NAME.finditer(text) if " by " in text else ():
        name = m.group(1)
        several = len(name.split()) > 1
        if _plain_name(name) and (several or (_known(name) and name.lower() not in _WORD_NAMES)):
            span = _person_span(text, m.start(1), m.end(1))
            if span:
                yield span
    for m in _KISS_NAME.finditer(text):
        if _plain_name(m.group(1)):
            yield _span(K.PERSON, m, 1)
    for m in _NAME_SEX_AGE.finditer(text):
        trimmed = _trim_name(text, m.start(1), m.end(1))
        if trimmed and _plain_name(m.group(1)):
            yield Span(K.PERSON, *trimmed)
    for m in _FOR_NAME.finditer(text):
        name = m.group(1)
        if _plain_name(name) and (_known(name) or not _MEDICAL_TERM.search(name.split()[-1])):
            yield _span(K.PERSON, m, 1)
    if _CONTACT.search(text):
        yield from _persons_before_contacts(text)


def _persons_before_contacts(text: str) -> Iterator[Span]:
    """A name just before a phone or an email ("Bob Henley, 0161…", "Maria Gonzalez (maria@…)",
    "…Kwame! +44…"), or whom to text or call on one ("txt sarah on 555-201-7734")."""
    for contact in _CONTACT_START.finditer(text):
        start = max(0, contact.start() - _BEFORE_CONTACT)
        m = _NAME_THEN_CONTACT.search(text, start, contact.start())
        if m:
            name = m.group(1)
            several = len(name.split()) > 1
            # one word alone is a name only when it is a known first name ("Kwame! +44…")
            alone = _known(name) and name.lower() not in _WORD_NAMES
            if _plain_name(name) and (several or alone):
                yield _span(K.PERSON, m, 1)
            continue
        m = _REACH_NAME.search(text, start, contact.start())
        if m is None:
            continue
        name = m.group(1)
        if name[0].islower():
            known = name in _FIRST_NAMES and name not in _WORD_NAMES
        else:
            several = len(name.split()) > 1
            known = several or (_known(name) and name.lower() not in _WORD_NAMES)
        if known and _plain_name(name):
            span = _person_span(text, m.start(1), m.end(1))
            if span:
                yield span


# Title-case drug and condition names after "for" or "about" ("about Abatacept Injection",
# "for Treacher Collins syndrome" is kept by its last word): word endings and dosage forms.
_MEDICAL_TERM = Gated(
    r"(?:ia|ine|ide|ate|ous|ity|ics|oid|ase|isms?|ment|ure|ance|ence|cin|xin|mab|nib|tide|vir|"
    r"ical|ology|itis|osis|oma|omas|emia|pathy|plasia|ation|ion|ions|ies|ers|ors)$"
    r"|^(?:Injection|Topical|Ophthalmic|Oral|Acid|Alfa|Rectal|Nasal|Vaccine|Implant|Safety|"
    r"Treated|Non|History|Cysts|Palsy|Control|Toxins|Otic|Sublingual|Buccal|Beta|Sinus|Tumou?rs?|"
    r"Failure|Apnea|Oil|Therapy|Problems|Methods|Injury|Reflux|Stroke|Seizures|Spasms?|Nerve|"
    r"Gram|Knife|Stain|Foods|Diseases?|Syndromes?|Fever|Infection|Cancer|Tests?|Screening|"
    r"Surgery|Transplant|Health|Care|Syrup|Cream|Gel|Patch|Spray|Powder|Tablets?|Capsules?)$"
)


def _known(name: str) -> bool:
    first = name.split(maxsplit=1)[0].lower()
    # "Oisín", "Zoë": a known name written with or without its accents.
    return first in _FIRST_NAMES or (not first.isascii() and _plain_letters(first) in _FIRST_NAMES)


def _plain_letters(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _person_span(text: str, start: int, end: int) -> Span | None:
    """A PERSON span for the name at `start`-`end`, trailing non-name words dropped."""
    trimmed = _trim_name(text, start, end)
    if trimmed is None or not _name_ok(text[trimmed[0] : trimmed[1]]):
        return None
    return Span(K.PERSON, *trimmed)


def _persons_by_relation(text: str) -> Iterator[Span]:
    """A name after a relation in another language ("mon fils Hugo"), said to be one ("kid is
    Liam"), or without "my" ("wife Emma dob …")."""
    for pattern in (_FOREIGN_RELATION, _RELATION_IS, _BARE_RELATION):
        for m in pattern.finditer(text):
            name = m.group(1)
            if pattern is _RELATION_IS and not _relation_before(text, m.start()):
                continue
            if pattern is not _FOREIGN_RELATION and not (len(name.split()) > 1 or _known(name)):
                continue
            span = _person_span(text, m.start(1), m.end(1))
            if span:
                yield span


def _persons_elsewhere(text: str) -> Iterator[Span]:
    """Names in other languages and in looser places: foreign introductions and relations,
    lower-case known names after a relation, a name in brackets after a phone or an email,
    thanks and greetings, "X here", "X and I", a known name as an owner, roles."""
    low = text.lower()
    for m in _FOREIGN_INTRO.finditer(text) if _FOREIGN_CUE.search(low) else ():
        group = 3 if m.group(3) else 4
        name = m.group(group)
        several = len(name.split()) > 1
        if m.group("am") and not (several or _known(name)):
            after = text[m.end(group) : m.end(group) + 2]
            if not (after[:1] in {",", "."} and _plain_name(name)):
                continue
        span = _person_span(text, m.start(group), m.end(group))
        if span:
            yield span
    for m in _CJK_INTRO.finditer(text):
        yield _span(K.PERSON, m, 1)
    yield from _persons_by_relation(text)
    for m in _LOWER_RELATION.finditer(text):
        word = m.group(1)
        if word in _FIRST_NAMES and word not in _WORD_NAMES:
            yield _span(K.PERSON, m, 1)
    for m in _PAREN_NAME.finditer(text):
        before = text[max(0, m.start() - 60) : m.start()]
        if _BEFORE_PAREN.search(before) and _plain_name(m.group(1)) and _name_ok(m.group(1)):
            yield _span(K.PERSON, m, 1)
    padded = f" {low}"  # " ty " opening the message
    thanked = _THANKS_STEM.search(padded) is not None  # most messages thank nobody
    for m in _THANKS_NAME.finditer(text) if thanked else ():
        name = m.group(1)
        at_end = re.match(r"\s*[.!]*\s*$", text[m.end(1) :]) is not None
        if at_end or ((_known(name) or len(name.split()) > 1) and _plain_name(name)):
            span = _person_span(text, m.start(1), m.end(1))
            if span:
                yield span
    for m in _END_NAME.finditer(text):
        if _known(m.group(1)) and _plain_name(m.group(1)):
            yield _span(K.PERSON, m, 1)
    for m in _HERE_NAME.finditer(text) if "here" in text else ():
        name = m.group(1)
        greeted = _GREETING.search(text[max(0, m.start(1) - 20) : m.start(1)]) is not None
        if _plain_name(name) and (len(name.split()) > 1 or _known(name) or greeted):
            yield _span(K.PERSON, m, 1)
    owner = "'s" in text or "\u2019s" in text
    for pattern in (_NAME_AND_I, _OWNER) if owner else (_NAME_AND_I,):
        for m in pattern.finditer(text):
            name = m.group(1)
            if _known(name) and _plain_name(name) and name not in _EPONYMS:
                yield _span(K.PERSON, m, 1)
    for m in _ROLE_NAME.finditer(text):
        before_role = m.group(1) is None  # "Ramya, the dietician"
        group = 2 if before_role else 1
        name = m.group(group)
        if _plain_name(name) and (_known(name) or len(name.split()) > 1 or before_role):
            span = _person_span(text, m.start(group), m.end(group))
            if span:
                yield span
    for m in _CAPS_NAME.finditer(text) if _ID_WORD_LOW.search(low) else ():
        yield _span(K.PERSON, m, 1)


def _names_listed(text: str, taken: list[Span]) -> Iterator[Span]:
    """Names joined to a name already found: "my twins [Noah] and Mia", "members [Siobhan],
    Raj and Kwabena", "thank you [sarah] and jamal": a comma list counts when it closes with
    "and", or name by name when each is a known first name."""
    for span in taken:
        if span.kind is not K.PERSON:
            continue
        lower = text[span.start].islower()
        chain: list[re.Match[str]] = []
        m = (_LOWER_LIST_NEXT if lower else _LIST_NEXT).match(text, span.end)
        while m and len(chain) < 8:  # noqa: PLR2004
            chain.append(m)
            m = (_LOWER_LIST_NEXT if lower else _LIST_NEXT).match(text, m.end())
        closed = max((i for i, c in enumerate(chain) if "," not in c.group("sep")), default=-1)
        for index, c in enumerate(chain):
            name = c.group(2)
            if lower and (name not in _FIRST_NAMES or name in _WORD_NAMES):
                break
            if not lower and not _plain_name(name):
                break
            if index <= closed or (not lower and _known(name) and name.lower() not in _WORD_NAMES):
                yield _span(K.PERSON, c, 2)
            else:
                break


def _persons_after_with(text: str) -> Iterator[Span]:
    """A known first name alone after "with" ("swapped Sunday with Derek"), not a condition
    ("with Crohn's", "with Pierre Robin syndrome") nor a name that is also a word."""
    for m in _WITH_NAME.finditer(text):
        name = m.group(1)
        known = _known(name) and name.lower() not in _WORD_NAMES and name not in _EPONYMS
        if known and _plain_name(name):
            yield _span(K.PERSON, m, 1)


# Names among people being thanked, welcomed or greeted, and names after a role or a door.
# "thank you sarah and jamal": lower-case known first names after thanks.
_LOWER_THANKS_CUE = any_of(("than", "thx", "ty ", "cheers"))
_LOWER_THANKS = Gated(
    r"\b(?:thanks|thank you|thank u|thanx|thx|ty|tysm|cheers)(?:\s+(?:so much|again|to))?"
    r"\s+([a-z][a-z'-]+)\b"
)
# "welcome to our new members Siobhan, …", "Happy birthday to our resident night owl Chinedu".
_GREETED = Gated(
    r"\b(?i:(?P<lead>welcome|happy (?:birthday|bday|anniversary)|congrat(?:ulation)?s|"
    r"shout-? ?out|get well soon|big thanks|hugs|"
    r"(?P<thanks>thanks|thank you)(?:\s+(?:so much|a lot|again|heaps|loads))?\s+to)"
    r"(?:\s+(?:back|aboard|to))?)"
    rf"(?P<who>(?:\s+(?i:our|my|the)(?:\s+[a-z]+){{0,4}})?)\s+(?P<name>{_FULL_NAME})"
)
_GREET_CUES = (
    "thank",
    "welcome",
    "birthday",
    "bday",
    "anniversary",
    "congrat",
    "shout",
    "get well",
    "hugs",
)
_GREET_CUE = any_of(_GREET_CUES)
# "nurse Kemi", "transplant coordinator Nadia", "host is Angela", "Nurse practitioner Lindiwe
# Dube": a name after a role said without "the".
_ROLE_WORDS = (
    r"(?:nurse|practitioner|physio|physiotherapist|midwife|dietitian|dietician|pharmacist|"
    r"therapist|counsell?or|counselor|receptionist|co-?ordinator|organi[sz]er|facilitator|host|"
    r"volunteer|chaplain|paramedic|registrar|doula|caseworker|keyworker|navigator|social worker|"
    r"health visitor|care assistant|key worker|speech therapist|hygienist|optician|sonographer|"
    r"radiographer|phlebotomist|porter|matron|psychologist|psychiatrist|surgeon|anaesthetist|"
    r"rep|representative|advis[eo]r|liaison|case manager)"
)
# Substrings of every role word: a cheap test that skips most messages.
_ROLE_CUES = (
    "nurse",
    "practitioner",
    "physio",
    "midwife",
    "dieti",
    "pharmacist",
    "therapist",
    "counsel",
    "receptionist",
    "ordinator",
    "organi",
    "facilitator",
    "host",
    "volunteer",
    "chaplain",
    "paramedic",
    "registrar",
    "doula",
    "caseworker",
    "keyworker",
    "navigator",
    "social worker",
    "health visitor",
    "care assistant",
    "key worker",
    "hygienist",
    "optician",
    "sonographer",
    "radiographer",
    "phlebotomist",
    "porter",
    "matron",
    "psycholog",
    "psychiatrist",
    "surgeon",
    "anaesthetist",
    "rep ",
    "rep,",
    "representative",
    "advis",
    "liaison",
    "case manager",
)
_ROLE_CUE = any_of(_ROLE_CUES)
_DOOR_CUES = ("buzzer", "bell", "intercom", "letterbox", "mailbox", "door", "nameplate")
_DOOR_CUE = any_of(_DOOR_CUES)
_BARE_ROLE_NAME = Gated(
    rf"\b(?i:{_ROLE_WORDS})(?:\s+(?i:{_ROLE_WORDS}|specialist|manager|lead|advis[eo]r|"
    rf"educator|assistant|consultant))?(?:\s+(?:is|was)\s+|\s*,\s*|\s+)({_FULL_NAME})"
)
# "Gráinne the stoma nurse", "and Gareth the physio".
_NAME_THE_ROLE = Gated(
    rf"(?:^|[,.!?;:]\s*|\b(?:and|&|to|with)\s+)({_NAME}(?:\s+{_NAME})?)\s+the\s+"
    rf"(?:[a-z]+\s+){{0,2}}(?i:{_ROLE_WORDS})\b"
)
# "dr mbeki at the pain clinic": a lower-case word after a lower-case "dr" that reads as a name
# by what follows it, and is no word a doctor is usually followed by.
_LOWER_TITLE_CUE = any_of(("dr ", "dr.", "mrs", "prof"))
_LOWER_DR = Gated(
    r"(?<![\w.])(?:dr|mrs|prof)\.?\s+([a-z][a-z'-]{2,})(?=\s+(?:at|from|in|who|said|says|told|is|"
    r"was|and|has|had|thinks|wants|gave|prescribed|recommended|yesterday|today|tomorrow|last|"
    r"this|again|about|on|next|recently|but|so|because)\b|['\u2019]s\b|\s*[,.!?)]|\s*$)"
)
# Hospitals named after a person, said with a possessive ("Guy's MRN").
_HOSPITAL_OWNERS = frozenset(_WORDS["hospital_owners"].split())
_NOT_AFTER_DR = frozenset(_WORDS["not_after_dr"].split())
# "Buzzer says Okoro", "the name on the door is Kowalski".
_DOOR_NAME = Gated(
    r"\b(?i:buzzer|doorbell|intercom|bell|letterbox|mailbox|door|nameplate|name on the (?:door|"
    rf"bell|buzzer))\s+(?i:says|reads|is|shows)\s*:?\s+({_FULL_NAME})"
)
# "label says Patricia Gomez", "the wristband read Tom Reyes": a full or known name on a label.
_LABEL_CUE = any_of((" says", " said", " read", " show", " has"))
_LABEL_NAME = Gated(
    r"\b(?i:label|wristband|band|bracelet|envelope|letter|prescription|script|bottle|box|badge|"
    r"sticker|card|form)\s+(?i:says|said|reads|read|shows|showed|has)\s*:?\s+"
    rf"(?i:the name\s+)?({_FULL_NAME})"
)
# "Harvey's N.H.S. number", "Amara's MRN": a name owning an identifier.
_NAME_OWNS_ID = Gated(
    rf"{_NOT_OWNER_BEFORE}\b({_NAME})['\u2019]s\s+"
    r"(?=(?i:n\.?h\.?s\.?\s|mrn|ssn|social security|d\.?o\.?b|"
    r"date of birth|insurance|medicare|medicaid|member(?:ship)? (?:id|number)|policy|passport|"
    r"patient (?:id|number)|record number|chart|details|address|phone|mobile|email))"
)
# "the pharmacy has me as C. Ruiz-Delgado", "booked under Tom Reyes".
_LISTED_AS = Gated(
    r"\b(?:(?:has|have|had|got|put|lists?|listed|registered|booked|down|filed|spelt|spelled)"
    r"\s+(?:me|him|her|them|us|it)?\s*(?:down\s+)?(?:as|under)|under the name(?: of)?)\s+"
    rf"((?:[A-Z]\.\s?)?{_FULL_NAME})"
)
# "Big Mike (my dad)": a name or nickname followed by who they are in brackets.
_NAME_THEN_RELATION = Gated(
    rf"((?:{_NAME}\s+)?{_NAME})\s*\((?:my|our|his|her|their)\s+(?:\w+\s+)?{_RELATIONS}\)"
)
# "…, Mohammed, and I'll…": a known first name said to someone between commas.
_VOCATIVE = Gated(rf",\s*({_NAME}),\s")
# "xx Jo & the twins": a name after kisses that sign a message.
_KISSES_NAME = Gated(rf"(?:^|\s)(?i:x{{2,4}}|love)\s+({_NAME})(?=\s*(?:$|[&,.!]|\s+(?:and|&)\b))")


def _list_closed(text: str, first: re.Match[str]) -> bool:
    """Whether a list of names that starts with `first` ends on "and <name>"."""
    m: re.Match[str] | None = first
    while m is not None:
        if "," not in m.group("sep"):
            return True
        m = _LIST_NEXT.match(text, m.end())
    return False


def _persons_around_people(text: str) -> Iterator[Span]:
    """Names being thanked, welcomed or wished well, after a role, a door or kisses, owning
    an id, listed as someone, or followed by who they are ("Big Mike (my dad)")."""
    low = text.lower()
    if _LOWER_THANKS_CUE.search(low):
        for m in _LOWER_THANKS.finditer(text):
            word = m.group(1)
            if word in _FIRST_NAMES and word not in _WORD_NAMES:
                yield _span(K.PERSON, m, 1)
    if _GREET_CUE.search(low):
        for m in _GREETED.finditer(text):
            name = m.group("name")
            nxt = _LIST_NEXT.match(text, m.end("name"))
            # "thanks to Pfizer and Moderna" thanks no one: after thanks a list needs a known
            # name and must close on a name ("…, Marie Curie and the hospice team" does not)
            listed = nxt is not None and (
                not m.group("thanks") or (_known(nxt.group(2)) and _list_closed(text, nxt))
            )
            strong = bool(m.group("who")) or "birth" in m.group("lead").lower()
            if _plain_name(name) and (strong or listed or _known(name)):
                span = _person_span(text, m.start("name"), m.end("name"))
                if span:
                    yield span
    if _ROLE_CUE.search(low):
        for pattern in (_BARE_ROLE_NAME, _NAME_THE_ROLE):
            for m in pattern.finditer(text):
                name = m.group(1)
                # "Rang the pharmacist", "Contact the parent rep": before a role only a known
                # or a full name is one.
                before = pattern is _NAME_THE_ROLE
                if before and " " not in name and not _known(name):
                    continue
                if _plain_name(name):
                    span = _person_span(text, m.start(1), m.end(1))
                    if span:
                        yield span
    if _LOWER_TITLE_CUE.search(low):
        for m in _LOWER_DR.finditer(text):
            word = m.group(1)
            if (
                word not in _NOT_LOWER_NAMES
                and word not in _NOT_AFTER_DR
                and not re.search(r"(?:ed|ing|ly)$", word)
            ):
                yield _span(K.PERSON, m, 1)
    patterns = (
        (_DOOR_NAME, _DOOR_CUE.search(low) is not None),
        (_LABEL_NAME, _LABEL_CUE.search(low) is not None),
        (_LISTED_AS, " as " in low or "under " in low),
        (_NAME_THEN_RELATION, "(" in text),
        (_KISSES_NAME, "xx" in low or "love " in low),
    )
    for pattern, cued in patterns:
        for m in pattern.finditer(text) if cued else ():
            name = m.group(1)
            sure = pattern is not _LABEL_NAME or (_known(name) and len(name.split()) > 1)
            if sure and _plain_name(name.split()[-1]):
                yield _span(K.PERSON, m, 1)
    if "'" in text or "\u2019" in text:
        for m in _NAME_OWNS_ID.finditer(text):
            name = m.group(1)
            if _plain_name(name) and name not in _EPONYMS and name not in _HOSPITAL_OWNERS:
                yield _span(K.PERSON, m, 1)
    for m in _VOCATIVE.finditer(text):
        name = m.group(1)
        if _known(name) and name.lower() not in _WORD_NAMES and _plain_name(name):
            yield _span(K.PERSON, m, 1)


# --- the pipeline --------------------------------------------------------------------------------

# Earlier finders win overlaps: a URL holding an email is one URL, an NHS number is not a phone,
# a number called an MRN is one even when it looks like an SSN.
FINDERS: tuple[Finder, ...] = (
    _urls,
    _emails,
    _mrns,
    _ssns,
    _nhs_numbers,
    _spaced_ids,
    _insurance,
    _dobs,
    _dobs_in_words,
    _phones,
    _spelled_phones,
    _addresses,
    _persons,
    _persons_by_what_follows,
    _persons_elsewhere,
    _persons_after_with,
    _persons_around_people,
)
# Finders whose every form holds a digit (an address has a house, block, postcode or box
# number), skipped on a message without one: most messages, and a third of the scan time.
NEED_A_DIGIT = frozenset(
    {_mrns, _ssns, _nhs_numbers, _spaced_ids, _insurance, _dobs, _phones, _addresses}
)


@cache
def _finders() -> tuple[Finder, ...]:
    return FINDERS


def _cut_address(text: str, span: Span, taken: list[Span]) -> Span | None:
    """An address that runs into a phone or a name ("Hauptstraße 5, 10115 Berlin, Telefon
    030 …") keeps what comes before it; any other overlapping span is dropped."""
    if span.kind is not K.ADDRESS:
        return None
    cut = min(t.start for t in taken if span.start < t.end and t.start < span.end)
    end = span.start + len(text[span.start : cut].rstrip(" ,;-"))
    if cut <= span.start or not _DIGIT.search(text[span.start : end]):
        return None
    return Span(K.ADDRESS, span.start, end)


def _tagged_addresses(text: str, taken: list[Span]) -> list[Span]:
    """`taken` with the learned tagger's addresses. The tagger's reach is in the pieces of an
    address set off by commas, which the rules do not know: a new address needs two pieces
    ("Plot 14, Block C, Admiralty Way, Lagos"), and one that overlaps an address the rules
    found widens it only by whole pieces ("Via Roma 45" to "Via Roma 45, scala B, int. 6,
    20121 Milano", not "12 Oak Road" to "12 Oak Road Room 1204"). None reaches into another
    kind of detail."""
    blocked = [(t.start, t.end) for t in taken if t.kind is not K.ADDRESS]
    out = list(taken)
    for start, end in shipped_address_model().addresses(text, blocked):
        if _public_place(text, start) or _named_public_place(text, start, end):
            continue
        inside = [t for t in out if t.kind is K.ADDRESS and t.start < end and start < t.end]
        if not inside:
            if _a_piece(text[start:end]) and _said_to_be_an_address(text, start, end):
                out.append(Span(K.ADDRESS, start, end))
            continue
        first = min(t.start for t in inside)
        last = max(t.end for t in inside)
        for t in inside:
            out.remove(t)
        wider_start = _grown(text, first, start, pieces=_a_piece(text[start:first]))
        wider_end = _grown(text, last, end, pieces=_a_piece(text[last:end]))
        out.append(Span(K.ADDRESS, min(first, wider_start), max(last, wider_end)))
    return out


def _a_piece(extension: str) -> bool:
    """Whether the text the tagger adds to an address is set off by a comma (Latin or
    Arabic)."""
    return "," in extension or "\u060c" in extension


_EXTENSION_WORD = re.compile(r"[^\W_]+")


def _grown(text: str, edge: int, reach: int, *, pieces: bool) -> int:
    """How far an address grows from `edge` towards `reach`. By pieces set off by commas, all
    the way but a lower-case tail ("…, Sheffield, hurry"); without a comma, over numbers, codes
    and capitalised words ("Via Roma 45 20121 Milano") up to the first lower-case word that is
    no street word or a year ("12 oak st downtown", "… 7945 the gate is blue")."""
    words = list(_EXTENSION_WORD.finditer(text, min(edge, reach), max(edge, reach)))
    if reach < edge:
        words.reverse()
    grown = edge
    for n, word in enumerate(words):
        w = word.group()
        loose = loose_word(w)
        if loose and not pieces:
            break
        if loose and all(loose_word(v.group()) for v in words[n:]):
            break  # only lower-case words are left: the sentence goes on
        if not pieces and _YEAR.fullmatch(w):
            break
        grown = word.end() if reach > edge else word.start()
    return grown


def _said_to_be_an_address(text: str, start: int, end: int) -> bool:
    """Whether a new address of the tagger's has more than its shape for it: a word before it
    that says where someone is ("live", "address", "domicilio"), a town, or two street or
    unit words ("Plot 9, Block F", not "Unit 4, Stroke Rehab, 3 tablets")."""
    span = [w.lower() for w in _EXTENSION_WORD.findall(text, start, end)]
    if sum(w in address_words() for w in span) >= 2 or any(w in places() for w in span):  # noqa: PLR2004
        return True
    before = _EXTENSION_WORD.findall(text, max(0, start - 40), start)
    return any(w.lower() in address_cues() for w in before)


def find_spans(text: str, *, tagger: bool = True) -> tuple[Span, ...]:
    """Every PHI span in `text`, without overlaps, in order. `tagger=False` leaves out the
    learned taggers of addresses and names (the benchmark's "rules only" column)."""
    taken: list[Span] = []
    digits = _DIGIT.search(text) is not None
    for finder in _finders():
        if not digits and finder in NEED_A_DIGIT:
            continue
        for found in finder(text):
            span: Span | None = found
            if found.end <= found.start:
                continue
            if any(found.start < t.end and t.start < found.end for t in taken):
                span = _cut_address(text, found, taken)
            if span is not None:
                taken.append(span)
    if tagger and digits:
        taken = _tagged_addresses(text, taken)
    # Then listed names, and names with no cue around them, which only the learned tagger sees.
    untagged = (Span(K.PERSON, s, e) for s, e in shipped_name_model().names(text)) if tagger else ()
    for span in (*_names_listed(text, taken), *untagged):
        if not any(span.start < t.end and t.start < span.end for t in taken):
            taken.append(span)
    return tuple(sorted(taken, key=lambda s: s.start))


def apply_spans(text: str, spans: tuple[Span, ...]) -> str:
    """Replace each span of `text` with ``[KIND]``."""
    out: list[str] = []
    cursor = 0
    for span in spans:
        out.append(text[cursor : span.start])
        out.append(f"[{span.kind.value}]")
        cursor = span.end
    out.append(text[cursor:])
    return "".join(out)


def redact(text: str) -> tuple[str, tuple[Span, ...]]:
    """`text` with each PHI span replaced by ``[KIND]``, and the spans (offsets in `text`)."""
    spans = find_spans(text)
    return apply_spans(text, spans), spans

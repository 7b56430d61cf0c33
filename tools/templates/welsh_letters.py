"""The documents that are read outside the case folder, in Welsh and bilingual: the Welsh
Government notification letter and the 7 minute briefing.

Like the English ones they never use the subject's initials or anyone's name from the case:
only the reference, the type of review and dates. The bilingual version is the Welsh document,
then the English one (``bilingual.append_document``) under a bilingual header and footer.
"""

from __future__ import annotations

from .bilingual import append_document
from .blocks import facts, guidance, para
from .publication import letterhead, numbered_sections, signed
from .styles import ROOT, new_document, save
from .welsh import MARKING_BILINGUAL, MARKING_CY, TBC_CY, WelshWording, review_type, term, welsh_page

TEMPLATES = ROOT / "o365flow" / "data" / "templates"
WELSH_GOVERNMENT_CY = ["Llywodraeth Cymru", "Parc Cathays", "Caerdydd", "CF10 3NQ"]

BRIEFING_CY = [
    ("Cefndir", "Beth ddigwyddodd, mewn dwy neu dair brawddeg, yn ddienw: pwy oedd {label} (ystod "
                "oedran, amgylchiadau yn gyffredinol) a pham y cynhaliwyd yr adolygiad."),
    ("Pam mae’n bwysig", "Pam mae’r dysgu hwn yn bwysig i ymarferwyr a rheolwyr ar draws y rhanbarth."),
    ("Beth a ganfu’r adolygiad", "Y prif ganfyddiadau: y tri neu bedwar peth a effeithiodd fwyaf ar "
                                 "yr hyn a ddigwyddodd."),
    ("Beth a weithiodd yn dda", "Arfer da a welodd yr adolygiad, er mwyn ei gydnabod a’i ailadrodd."),
    ("Cwestiynau i fyfyrio arnynt", "Dau neu dri chwestiwn i dîm eu trafod: a allai hyn ddigwydd "
                                    "yma? Beth fydden ni’n ei wneud yn wahanol?"),
    ("Beth ddylech chi ei wneud", "Newidiadau pendant i ymarfer ar gyfer ymarferwyr a rheolwyr, a’r "
                                  "gweithdrefnau neu’r offer sy’n helpu."),
    ("Rhagor o wybodaeth", "Ble i ddarllen yr adroddiad cyhoeddedig, y rhannau perthnasol o "
                           "Weithdrefnau Diogelu Cymru a hyfforddiant, ac â phwy i gysylltu."),
]


def _tbc(expression: str) -> str:
    return f'{{{{ {expression} or "{TBC_CY}" }}}}'


def _save(doc, w: WelshWording, name: str, bilingual: bool):
    """Save ``<name>.cy.docx``, or with ``bilingual`` ``<name>.cy+en.docx``: the Welsh document
    with the English one (as built) after it."""
    if bilingual:
        append_document(doc, TEMPLATES / w.folder / f"{name}.docx")
    language = "cy+en" if bilingual else "cy"
    return save(doc, f"{w.folder}/{name}.{language}.docx")


def government_letter(w: WelshWording, bilingual: bool = False):
    """The notification letter in Welsh; ``bilingual`` adds the English letter after it."""
    title = "Hysbysiad i Lywodraeth Cymru" + (" / Notification to the Welsh Government" if bilingual else "")
    short = "Hysbysiad i Lywodraeth Cymru" + (" / Welsh Government notification" if bilingual else "")
    doc = new_document(title, "", heading=False, footer_text=short,
                       marking=MARKING_BILINGUAL if bilingual else MARKING_CY)
    welsh_page(doc, bilingual)
    letterhead(doc, "{{ board.name|cy }}", WELSH_GOVERNMENT_CY, "{{ generated_on|cy_date }}")
    para(doc, "Annwyl Syr neu Fadam,")
    para(doc, f"Hysbysiad o {w.review}: {{{{ case.reference }}}}").runs[0].bold = True
    para(doc, "Ysgrifennaf i hysbysu Llywodraeth Cymru bod Cadeirydd {{ board.name|cy }} wedi "
              "penderfynu bod achos a atgyfeiriwyd at y Bwrdd yn bodloni’r meini prawf ar gyfer "
              f"{w.review}.")
    facts(doc, [
        ("Cyfeirnod y Bwrdd", "{{ case.reference }}"),
        ("Math o adolygiad", review_type(w)),
        ("Penderfyniad", _tbc("case.decision|cy")),
        ("Dyddiad y penderfyniad", _tbc("case.decision_date|cy_date")),
        ("I’w gwblhau erbyn", _tbc("case.review_due|cy_date")),
    ], col_widths=(6.6, 10.0))
    para(doc, "Bydd y Bwrdd yn rhoi gwybod i chi am unrhyw newid i’r amserlen hon, er enghraifft os "
              "caiff yr adolygiad ei atal oherwydd achos troseddol neu gwest, a bydd yn anfon yr "
              "adroddiad atoch pan gaiff ei gyhoeddi.")
    para(doc, "Yn fwriadol, nid yw’r hysbysiad hwn yn cynnwys unrhyw enwau, llythrennau blaen na "
              "manylion eraill a allai adnabod yr unigolyn na’i deulu. Nodwch gyfeirnod y Bwrdd "
              "uchod mewn unrhyw ohebiaeth am yr adolygiad hwn.")
    signed(doc, "Yn gywir,", "{{ coordinator.name|cy }}", "Ar ran y Cadeirydd, {{ board.name|cy }}")
    return _save(doc, w, "welsh-government-notification", bilingual)


def government_letters(w: WelshWording) -> list:
    return [government_letter(w), government_letter(w, bilingual=True)]


def seven_minute_briefing(w: WelshWording, bilingual: bool = False):
    """Seven numbered sections on one page, in Welsh; ``bilingual`` adds the English page."""
    title = term("7 minute briefing").capitalize() + (" / 7 minute briefing" if bilingual else "")
    subtitle = w.review + (f" / {w.english}" if bilingual else "") + " · {{ case.reference }}"
    doc = new_document(title, subtitle, footer_text="{{ board.name|cy }} · " + title,
                       marking=MARKING_BILINGUAL if bilingual else MARKING_CY)
    welsh_page(doc, bilingual)
    guidance(doc, "Saith adran fer y gall rheolwr eu darllen a’u trafod mewn cyfarfod tîm mewn saith "
                  f"munud. Yn ddienw: cyfeiriwch at yr unigolyn fel \u201c{w.subject_label}\u201d ac at "
                  "ymarferwyr yn ôl eu rôl; peidiwch byth â defnyddio enwau na llythrennau blaen. Pan "
                  "fydd y Bwrdd yn ei chymeradwyo i’w rhannu, newidiwch y marc yn y pennawd i SWYDDOGOL.")
    numbered_sections(doc, [(heading, prompt.format(label=w.subject_label)) for heading, prompt in BRIEFING_CY])
    para(doc, "Dywedwch wrthym sut y defnyddioch y sesiwn friffio hon: {{ coordinator.email }}.", "Guidance")
    return _save(doc, w, "seven-minute-briefing", bilingual)


def briefings(w: WelshWording) -> list:
    return [seven_minute_briefing(w), seven_minute_briefing(w, bilingual=True)]

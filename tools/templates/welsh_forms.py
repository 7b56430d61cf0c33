"""The forms people fill in, in Welsh and bilingual (Welsh first): the referral form and the
agency timeline return.

A bilingual form is one form: each label says it in Welsh, then English, and there is one set
of fields, so what a person types is read back whichever language they read it in. The fields
are content controls tagged with the same keys as the English form's; the table labels are the
readers' Welsh labels (``REFERRAL_LABELS_CY``; the timeline reader's Welsh column names).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.shared import Cm

from o365flow.documents.referral import REFERRAL_LABELS, REFERRAL_LABELS_CY

from .blocks import grid, guidance, heading, items, look, para, widths
from .styles import new_document, save
from .welsh import MARKING_BILINGUAL, MARKING_CY, WelshWording, term, welsh_control, welsh_page

CHOICES = {
    "cy": {"kind": ["CPR", "APR", "SUSR", "Fforwm"], "protected_6_months": ["Oedd", "Nac oedd"]},
    "cy+en": {"kind": ["CPR", "APR", "SUSR", "Fforwm / Forum"],
              "protected_6_months": ["Oedd / Yes", "Nac oedd / No"]},
}
KINDS = {"incident_date": ("date", None), "circumstances": ("text", "multiLine")}

REFERRAL_INTRO = (
    "Defnyddiwch y ffurflen hon i atgyfeirio achos at y Bwrdd ar gyfer {cpr}, {apr}, {susr} neu "
    "{forum}. Mae’r is-grŵp adolygu yn ystyried pob atgyfeiriad yn erbyn y meini prawf, a "
    "Chadeirydd y Bwrdd sy’n penderfynu.",
    "Use this form to refer a case to the Board for a Child Practice Review, an Adult Practice "
    "Review, a Single Unified Safeguarding Review or a multi-agency professional forum. The review "
    "sub-group considers every referral against the criteria and the Board Chair decides.",
)
REFERRAL_STEPS = (
    ("Llenwch bob maes. Rhowch lythrennau blaen yr unigolyn yn unig, byth enw llawn.",
     "Complete every field. Give the subject’s initials only, never a full name."),
    ("Yr adolygiad y gofynnir amdano: CPR ({cpr}), APR ({apr}), SUSR ({susr}) neu Fforwm ({forum}).",
     "Review requested: CPR (Child Practice Review), APR (Adult Practice Review), SUSR (Single "
     "Unified Safeguarding Review) or Forum (multi-agency professional forum)."),
    ("Dyddiadau fel 14/02/2026. Cadwch y crynodeb yn fyr ac yn ffeithiol.",
     "Dates as 14/02/2026. Keep the summary brief and factual."),
    ("Cadwch y ffurflen wedi’i llenwi yn llyfrgell Atgyfeiriadau’r Bwrdd. Caiff ei chodi’n "
     "awtomatig; bydd yr uned fusnes yn cysylltu â chi gyda chyfeirnod yr achos.",
     "Save the completed form in the board’s Referrals library. It is picked up automatically; "
     "the business unit will contact you with the case reference."),
)
NEXT = ("Mae’r uned fusnes yn cydnabod yr atgyfeiriad, yn ei gofnodi yng nghofrestr yr adolygiadau "
        "ymarfer ac yn ei gyflwyno i’r is-grŵp adolygu. Cewch wybod beth yw’r penderfyniad.",
        "The business unit acknowledges the referral, records it in the practice review register "
        "and brings it to the review sub-group. You will be told the decision.")


def _names() -> dict[str, str]:
    return {"cpr": term("Child Practice Review"), "apr": term("Adult Practice Review"),
            "susr": term("Single Unified Safeguarding Review"),
            "forum": term("Multi-agency professional forum").lower()}


def _both(doc, pair, bilingual: bool, style=None) -> None:
    """The Welsh text, then (bilingual) the English as its own paragraph."""
    para(doc, pair[0], style)
    if bilingual:
        para(doc, pair[1], style)


def _label_cell(cell, welsh: str, english: str | None) -> None:
    cell.text = welsh
    if english:
        cell.add_paragraph(english)  # second line: the readers match the first (Welsh) one


def referral_form(language: str):
    """The Welsh (``cy``) or bilingual (``cy+en``) referral form; it has no template tags."""
    bilingual = language == "cy+en"
    names = _names()
    title = "Ffurflen atgyfeirio adolygiad ymarfer" + (" / Practice review referral form" if bilingual else "")
    doc = new_document(title, "Bwrdd Diogelu Rhanbarthol" + (" / Regional Safeguarding Board" if bilingual else ""),
                       reference="", footer_text=title,
                       marking=("SWYDDOGOL-SENSITIF pan gaiff ei llenwi" + (" / OFFICIAL-SENSITIVE when completed" if bilingual else "")))
    welsh_page(doc, bilingual)
    _both(doc, (REFERRAL_INTRO[0].format(**names), REFERRAL_INTRO[1]), bilingual)
    items(doc, [welsh.format(**names) for welsh, _ in REFERRAL_STEPS])
    if bilingual:
        items(doc, [english for _, english in REFERRAL_STEPS])
    doc.add_heading("Manylion yr atgyfeiriad" + (" / Referral details" if bilingual else ""), 1)
    table = doc.add_table(rows=0, cols=2, style="Board Table")
    for number, (key, label) in enumerate(REFERRAL_LABELS.items()):
        cells = table.add_row().cells
        _label_cell(cells[0], REFERRAL_LABELS_CY[key], label if bilingual else None)
        kind, options = KINDS.get(key, ("text", None))
        if key in CHOICES[language]:
            kind, options = "dropDownList", CHOICES[language][key]
        cells[1].paragraphs[0]._p.append(welsh_control(key, REFERRAL_LABELS_CY[key], number, kind, options))
        if key == "circumstances":
            table.rows[-1].height = Cm(4.0)
    for row in table.rows:  # a field and its label stay on one page
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    look(table, first_row=False, first_col=True)
    widths(table, [6.0, 10.6])
    doc.add_paragraph()
    doc.add_heading("Beth sy’n digwydd nesaf" + (" / What happens next" if bilingual else ""), 1)
    _both(doc, NEXT, bilingual)
    return save(doc, f"referral-form.{language}.docx")


def referral_forms() -> list:
    return [referral_form("cy"), referral_form("cy+en")]


# The timeline reader knows these Welsh column names (o365flow.documents.timeline).
TIMELINE_COLUMNS_CY = ["Dyddiad", "Amser", "Beth ddigwyddodd", "Pwy oedd yn rhan", "Cofnod ffynhonnell"]
TIMELINE_COLUMNS_EN = ["Date", "Time", "What happened", "Who was involved", "Source record"]


def _steps(w: WelshWording) -> list[tuple[str, str]]:
    label = w.subject_label
    english_label = {"cpr": "Child A", "apr": "Adult A"}.get(w.folder, "{{ wording.subject_label }}")
    return [
        ("Ymdriniwch â’r cyfnod a nodir yn y cylch gorchwyl: fel arfer y 12 mis cyn y digwyddiad"
         "{% if case.incident_date %} ar {{ case.incident_date|cy_date }}{% endif %}.",
         "Cover the period set by the terms of reference: by default the 12 months before the "
         "incident{% if case.incident_date %} of {{ case.incident_date }}{% endif %}."),
        ("Teipiwch enw eich asiantaeth yn y blwch Asiantaeth uchod.",
         "Type your agency’s name in the Agency box above."),
        ("Ychwanegwch un rhes ar gyfer pob digwyddiad, cyswllt neu benderfyniad arwyddocaol, yn "
         "nhrefn dyddiad. Dyddiadau fel 14/02/2026; amser fel 14:30, neu gadewch ef yn wag os nad "
         "yw’n hysbys.",
         "Add one row for each significant event, contact or decision, in date order. Dates as "
         "14/02/2026; time as 14:30, or leave it blank when it is not known."),
        ("Ysgrifennwch beth ddigwyddodd fel y’i cofnodwyd ar y pryd: ffeithiau, nid barn. Nodwch "
         "ble mae wedi’i gofnodi.",
         "Write what happened as recorded at the time: facts, not opinion. Say where it is recorded."),
        (f"Cyfeiriwch at yr unigolyn a’r teulu drwy lythrennau blaen neu rôl yn unig (er enghraifft "
         f"\u201c{label}\u201d, \u201cmam\u201d); enwch ymarferwyr yn ôl eu rôl a’u tîm.",
         f"Refer to the subject and family by initials or role only (for example \u201c{english_label}\u201d, "
         "\u201cmother\u201d); name practitioners by role and team."),
        ("Ychwanegwch resi yn ôl yr angen. Peidiwch â newid, ychwanegu na dileu colofnau.",
         "Add rows as you need them. Do not change, add or remove columns."),
        ("Dychwelwch y ffurflen wedi’i llenwi drwy ateb y neges a ofynnodd amdani, gan gadw’r "
         "cyfeirnod yn y pwnc. Os oes gennych gwestiwn, cysylltwch â’r uned fusnes "
         "({{ coordinator.email }}).",
         "Return the completed form by replying to the message that asked for it, keeping the "
         "reference in the subject. Any questions: the business unit ({{ coordinator.email }})."),
    ]


def timeline_return(w: WelshWording, language: str):
    """The blank agency timeline return, in Welsh or bilingual (landscape, like the English)."""
    bilingual = language == "cy+en"
    title = "Ffurflen llinell amser yr asiantaeth" + (" / Agency timeline return" if bilingual else "")
    subtitle = f"{w.review}" + (f" / {w.english}" if bilingual else "") + " · {{ board.name|cy }}"
    doc = new_document(title, subtitle, landscape=True, footer_text="{{ board.name|cy }} · " + title.split(" / ")[0],
                       marking=MARKING_BILINGUAL if bilingual else MARKING_CY)
    welsh_page(doc, bilingual)
    table = doc.add_table(rows=0, cols=2, style="Board Table")
    rows = [("Cyfeirnod", "Reference", "{{ case.reference }}"),
            ("Asiantaeth", "Agency", None),
            ("Llenwyd gan (enw a rôl)", "Completed by (name and role)", ""),
            ("Dyddiad ei llenwi", "Date completed", ""),
            ("Cofnodion a archwiliwyd", "Records examined", "")]
    for welsh, english, value in rows:
        cells = table.add_row().cells
        _label_cell(cells[0], welsh, english if bilingual else None)
        if value is None:
            cells[1].paragraphs[0]._p.append(welsh_control("agency", "Asiantaeth", 1))
        else:
            cells[1].text = value
    look(table, first_row=False, first_col=True)
    widths(table, [7.0, 18.3])
    doc.add_paragraph()
    doc.add_heading("Sut i lenwi’r ffurflen hon" + (" / How to complete this return" if bilingual else ""), 1)
    steps = _steps(w)
    items(doc, [s[0] for s in steps], numbered=True)
    guidance(doc, "Digwyddiad arwyddocaol yw unrhyw beth a effeithiodd ar ddiogelwch neu les yr "
                  "unigolyn, neu adeg pan wnaed penderfyniad, neu pan allai penderfyniad fod wedi’i wneud.")
    if bilingual:
        items(doc, [s[1] for s in steps], numbered=True)
        guidance(doc, "A significant event is anything that affected the subject’s safety or "
                      "wellbeing, or a point where a decision was made or could have been made.")
    heading(doc, "Llinell amser" + (" / Timeline" if bilingual else ""), new_page=True)
    headers = ([f"{cy}\n{en}" for cy, en in zip(TIMELINE_COLUMNS_CY, TIMELINE_COLUMNS_EN)]
               if bilingual else TIMELINE_COLUMNS_CY)
    table = grid(doc, headers, [2.6, 1.8, 12.0, 4.9, 4.0], blank_rows=10)
    if bilingual:  # "Welsh\nEnglish" as two lines in each header cell
        for cell in table.rows[0].cells:
            cy, en = cell.text.split("\n")
            cell.text = cy
            cell.add_paragraph(en)
            for p in cell.paragraphs:
                p.paragraph_format.space_after = p.paragraph_format.space_before = 0
    return save(doc, f"{w.folder}/agency-timeline-return.{language}.docx")


def timeline_returns(w: WelshWording) -> list:
    return [timeline_return(w, "cy"), timeline_return(w, "cy+en")]

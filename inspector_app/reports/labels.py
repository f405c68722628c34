"""Fixed texts of the documents, in Dutch and English side by side.

They are `LocalText` rather than `_()` messages because a document is rendered for the language asked
for (`--lang en` for one report, or a batch in a worker thread) regardless of the language the rest of
the app is showing; `LocalText.get(lang)` is explicit and thread-safe where switching `_()` is not.
"""

from __future__ import annotations

from inspector_app.i18n import LocalText as T
from inspector_app.reports.model import ReportKind

# -------------------------------------------------------------------------------- page furniture
PAGE_OF = T("pagina {page} van", "page {page} of")
REVISION = T("revisie", "revision")
DRAFT_MARK = T("CONCEPT", "DRAFT")
CONFIDENTIAL = T("VERTROUWELIJK", "CONFIDENTIAL")
PRACTICE_MARK = T("OEFENOMGEVING — GEEN ECHT BEZOEK", "OEFENOMGEVING (PRACTICE) — NOT A REAL VISIT")
UNKNOWN_MUNICIPALITY = T("Gemeente (niet ingesteld)", "Municipality (not set)")
DRAFT_NOTICE = T(
    "Dit is een concept: het bezoek is nog niet definitief vastgesteld. Niet gebruiken als grondslag "
    "voor handhaving.",
    "This is a draft: the visit has not been finalised. Do not use it as a basis for enforcement.",
)

# ----------------------------------------------------------------------------------- visit report
VISIT_TITLE = T("Bestuurlijke rapportage inspectiebezoek", "Administrative inspection report")
H_IDENTIFICATION = T("1. Identificatie", "1. Identification")
H_VISIT = T("2. Bezoek", "2. Visit")
H_TEAM = T("3. Toezichthouders en partners", "3. Inspectors and partners")
H_LEGAL = T("4. Grondslag", "4. Legal ground")
H_PERSONS = T("5. Aangetroffen personen", "5. Persons present")
H_FINDINGS = T("6. Bevindingen", "6. Findings")
H_VIOLATIONS = T("7. Overtredingen", "7. Violations")
H_ACTIONS = T("8. Maatregelen en vervolg", "8. Actions and follow-up")
H_SIGNATURE = T("9. Ondertekening", "9. Signature")
H_CORRECTIONS = T("10. Aanvullingen na vaststelling", "10. Corrections after finalisation")
CORRECTIONS_NOTE = T(
    "Antwoorden die na het definitief vaststellen zijn gecorrigeerd. In de bevindingen staat de nieuwe "
    "waarde, gemarkeerd als aangevuld.",
    "Answers corrected after the report was finalised. The findings show the new value, marked as corrected.",
)
NO_CORRECTIONS = T("Geen aanvullingen.", "No corrections.")
CORRECTED_MARK = T(
    "Aangevuld op {moment}; zie 10. Aanvullingen", "Corrected on {moment}; see 10. Corrections"
)
COL_QUESTION = T("Vraag", "Question")
COL_BEFORE = T("Was", "Was")
COL_AFTER = T("Wordt", "Becomes")
COL_REASON = T("Reden", "Reason")
COL_BY_AT = T("Door, op", "By, on")
PERSONS_NOTE = T(
    "Personen zijn vermeld met hun rol en een pseudoniemcode; namen zijn niet vastgelegd.",
    "Persons are listed by role and pseudonymous code; names were not recorded.",
)
NO_PERSONS = T("Geen personen vastgelegd.", "No persons recorded.")
NO_VIOLATIONS = T("Geen overtredingen vastgesteld.", "No violations found.")
NO_ANSWERS = T("Geen vragen beantwoord in dit onderdeel.", "No questions answered in this part.")
COL_NUMBER = T("Nr.", "No.")
COL_ROLE = T("Rol", "Role")
COL_CODE = T("Code", "Code")
ANSWER = T("Antwoord", "Answer")
LEVEL = T("Niveau", "Level")
NOTE = T("Toelichting", "Note")
BASIS = T("Feit", "Fact")
PHOTO = T("Foto {number}", "Photo {number}")
PHOTO_MISSING = T("(bestand ontbreekt op deze computer)", "(file missing on this computer)")
TRUTHFULNESS = T(
    "Dit rapport is door de ondergetekende(n) naar waarheid opgemaakt op grond van eigen waarneming, "
    "op ambtseed of ambtsbelofte.",
    "This report was drawn up truthfully by the undersigned on the basis of their own observation, "
    "under oath or affirmation of office.",
)
SIGNATURE = T("Handtekening", "Signature")
PLACE_DATE = T("Plaats en datum", "Place and date")

# ------------------------------------------------------------------------------------ signal form
SIGNAL_TITLE = T("Signaalformulier mensenhandel", "Human-trafficking signal form")
SIGNAL_WARNING = T(
    "Vertrouwelijk. Alleen voor de aandachtsfunctionaris mensenhandel en de partners aan wie het signaal "
    "is doorgegeven. Niet in het dossier van de vergunninghouder opnemen en niet aan betrokkenen "
    "verstrekken. Een signaal is geen bewijs.",
    "Confidential. Only for the municipal trafficking contact person and the partners the signal was "
    "passed to. Do not add to the licence holder's file and do not give to the persons concerned. A "
    "signal is not proof.",
)
H_SIGNAL = T("1. Signaal", "1. Signal")
H_INDICATORS = T("2. Signalen en waarnemingen", "2. Indicators and observations")
H_OUTCOME = T("3. Beoordeling en advies", "3. Assessment and advice")
H_DISMISSED = T("4. Terzijde gelegde signalen", "4. Indicators set aside")
H_SIGNAL_PERSONS = T("5. Persoonsreferenties", "5. Person references")
H_REFERRALS = T("6. Doorverwijzingen", "6. Referrals")
NO_INDICATORS = T("Geen signalen geregistreerd.", "No indicators recorded.")
NO_DISMISSED = T("Geen signalen terzijde gelegd.", "No indicators set aside.")
NO_REFERRALS = T("Nog geen doorverwijzingen vastgelegd.", "No referrals recorded yet.")
NO_ADVICE = T("Geen advies.", "No advice.")
CATEGORY = T("Categorie", "Category")
WEIGHT = T("Gewicht", "Weight")
SOURCE = T("Bron", "Source")
OBSERVATION = T("Waarneming van de toezichthouder", "Inspector's observation")
EVIDENCE = T("Vraag en antwoord", "Question and answer")
PERSON = T("Persoon", "Person")
ADVICE = T("Advies", "Advice")
RECIPIENT = T("Ontvanger", "Recipient")
DISMISSED_MARK = T("terzijde gelegd", "set aside")

# ---------------------------------------------------------------------------------------- receipt
RECEIPT_TITLE = T("Ontvangstbewijs inspectiebezoek", "Receipt of inspection visit")
RECEIPT_INTRO = T(
    "Hierbij bevestigt de gemeente dat op de onderstaande locatie een inspectiebezoek heeft plaatsgevonden.",
    "The municipality hereby confirms that an inspection visit took place at the location below.",
)
RECEIPT_REQUEST = T(
    "Het rapport van dit bezoek kan worden opgevraagd bij {municipality}, onder vermelding van "
    "rapportnummer {number}.",
    "The report of this visit can be requested from {municipality}, quoting report number {number}.",
)
THE_MUNICIPALITY = T("de gemeente", "the municipality")

# --------------------------------------------------------------------------------- field labels
REPORT_NUMBER = T("Rapportnummer", "Report number")
ZAAK = T("Zaaknummer", "Case number (zaaknummer)")
ZAAK_WITH_TYPE = T("{number} (zaaktype: {kind})", "{number} (case type: {kind})")
SIGNAL_NUMBER = T("Signaalnummer", "Signal number")
MUNICIPALITY = T("Gemeente", "Municipality")
LOCATION = T("Locatie", "Location")
ADDRESS = T("Adres", "Address")
ADDRESS_REGISTER = T("Adres volgens register", "Address in the register")
ADDRESS_ON_SITE = T(
    "Adres of referentie zoals ter plaatse vastgelegd", "Address or reference as recorded on site"
)
END_NOT_RECORDED = T("eindtijd niet vastgelegd", "end time not recorded")
OBJECT_TYPE = T("Soort bedrijf / object", "Type of business / premises")
KVK = T("KvK-nummer", "Chamber of Commerce number")
LICENCE = T("Vergunningnummer", "Licence / permit number")
DATE = T("Datum", "Date")
TIMES = T("Begin- en eindtijd", "Start and end time")
VISIT_TYPE = T("Soort bezoek en aanleiding", "Visit type and reason")
STATUS = T("Status", "Status")
STATUS_FINAL = T("Definitief vastgesteld op {moment}", "Finalised on {moment}")
STATUS_DRAFT = T("Concept (nog niet definitief)", "Draft (not yet finalised)")
CHECKLIST = T("Checklist", "Checklist")
CHECKLIST_VERSION = T("{title}, versie {version}", "{title}, version {version}")
INSPECTORS = T("Toezichthouders", "Inspectors")
INSPECTOR_COUNT = T("Aantal toezichthouders", "Number of inspectors")
PARTNERS = T("Aanwezige partnerorganisaties", "Partner organisations present")
INTERPRETER = T("Tolk", "Interpreter")
LEGAL_GROUND = T("Grondslag voor toezicht en binnentreden", "Legal ground for inspection and entry")
LEGAL_EXPLANATION = T("Toelichting / toestemming", "Explanation / consent")
ACTIONS = T("Maatregelen en vervolg", "Actions and follow-up")
ACTIONS_NOTE = T("Toelichting vervolg", "Note on follow-up")
NO_ACTIONS = T("Geen bestuurlijke maatregelen vastgelegd", "No administrative actions recorded")
VISIT_ID = T("Bezoek-id (koppeling, geen kopie)", "Visit id (link, not a copy)")
VISIT_REPORT_NUMBER = T("Rapportnummer bezoek", "Visit report number")
ACUTE = T("Acute situatie", "Acute situation")
ACUTE_YES = T("Ja — op grond van: {questions}", "Yes — because of: {questions}")
INDICATOR_COUNTS = T("Staande signalen per gewicht", "Standing indicators by weight")
CONTEXT_FINDINGS = T("Contextbevindingen", "Context findings")
DISMISS_REASON = T("Reden", "Reason")
DISMISSED_BY = T("Door", "By")
DISMISSED_AT = T("Op", "At")
AGE_BAND = T("Leeftijdsklasse", "Age band")
LANGUAGES = T("Talen", "Languages")
URGENCY = T("Urgentie", "Urgency")
CONSENT = T("Toestemming", "Consent")
CHANNEL = T("Kanaal", "Channel")
CREATED = T("Aangemaakt", "Created")
SENT = T("Verzonden", "Sent")
REFERENCE = T("Kenmerk partner", "Partner reference")
OUTCOME = T("Terugkoppeling / uitkomst", "Feedback / outcome")
SIGNALS = T("Signalen", "Indicators")
PERSONS = T("Personen", "Persons")
NOTE_FIELD = T("Notitie", "Note")
PERSON_VISIT = T("Bezocht door", "Visited by")
ORGANISATIONS = T("Organisaties", "Organisations")
CONCEPT_DATE = T("concept, nog niet ondertekend", "draft, not yet signed")

FINDING_KIND_LABELS = {
    "compliance": T("voorschriften", "compliance"),
    "hygiene": T("hygiëne", "hygiene"),
    "fire": T("brandveiligheid", "fire safety"),
}
REPORT_KIND_LABELS = {
    ReportKind.VISIT: T("Bezoekrapport (bestuurlijke rapportage)", "Visit report (administrative report)"),
    ReportKind.SIGNAL: T("Signaalformulier (vertrouwelijk)", "Signal form (confidential)"),
    ReportKind.RECEIPT: T("Ontvangstbewijs", "Receipt"),
}

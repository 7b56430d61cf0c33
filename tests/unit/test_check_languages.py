"""``check`` on each language setting: every message and agency-facing document in every language
the configuration uses, each missing Welsh file named."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from o365flow.commands.check import MAIL_TEMPLATES, run_checks
from o365flow.commands.init import init_board
from o365flow.configuration.loader import load_config
from o365flow.data import shipped
from o365flow.errors import ConfigError


def board(tmp_path: Path, language: str, agency_language: str = "", phrases: str = "") -> Path:
    init_board(tmp_path)
    path = tmp_path / "o365flow.toml"
    text = re.sub(r'(?m)^language = "en"', f'language = "{language}"', path.read_text(encoding="utf-8"), count=1)
    if agency_language:
        text = text.replace('code = "UHB"\n', f'code = "UHB"\nlanguage = "{agency_language}"\n', 1)
    if phrases:
        text = text.replace("[reminders]", f"approval_phrases = {phrases}\n\n[reminders]", 1)
        text = text.replace("# approval_phrases", "#", 1)
    path.write_text(text, encoding="utf-8")
    return path


def checks(path: Path) -> tuple[list[str], list[str]]:
    return run_checks(load_config(path))


@pytest.mark.parametrize("language", ["en", "cy", "cy+en"])
def test_a_new_board_checks_clean_in_each_language(tmp_path, language):
    problems, ok = checks(board(tmp_path, language))
    assert problems == []
    for name in MAIL_TEMPLATES:
        assert f"mail template {name} ({language})" in ok
    welsh_documents = [line for line in ok if re.search(r"\.cy(\+en)?\.docx", line)]
    if language == "en":
        assert welsh_documents == [] and not any("glossary" in line for line in ok)
    else:
        # the timeline return, the letter and the briefing of each review workflow
        assert len(welsh_documents) == 9 and all(f".{language}.docx" in line for line in welsh_documents)


def test_an_agencys_own_language_is_checked_too(tmp_path):
    problems, ok = checks(board(tmp_path, "en", agency_language="cy"))
    assert problems == []
    assert "mail template signoff-request (en)" in ok and "mail template signoff-request (cy)" in ok


def test_a_missing_welsh_message_is_named(tmp_path):
    path = board(tmp_path, "cy+en")
    (tmp_path / "templates" / "mail").mkdir(parents=True)
    (tmp_path / "templates" / "mail" / "signoff-request.txt").write_text(
        "Subject: [{{ case.reference }}] Please sign off\n\nDear colleague,\n", encoding="utf-8")
    problems, _ = checks(path)
    assert len(problems) == 1 and "signoff-request.cy.txt is missing" in problems[0]
    (tmp_path / "templates" / "mail" / "signoff-request.cy.txt").write_text(
        "Subject: [{{ case.reference }}] Cymeradwywch\n\nAnnwyl gydweithiwr,\n", encoding="utf-8")
    assert checks(path)[0] == []


def test_an_english_board_does_not_ask_for_welsh(tmp_path):
    path = board(tmp_path, "en")
    (tmp_path / "templates" / "mail").mkdir(parents=True)
    (tmp_path / "templates" / "mail" / "signoff-request.txt").write_text("Subject: x\n\nDear colleague,\n", encoding="utf-8")
    assert checks(path)[0] == []


def test_a_missing_welsh_document_is_named(tmp_path):
    path = board(tmp_path, "cy")
    workflows = tmp_path / "workflows"
    text = (shipped("workflows") / "cpr.toml").read_text(encoding="utf-8")
    (workflows / "cpr.toml").write_text(text.replace('"cpr/agency-timeline-return.docx"', '"own/agency-timeline-return.docx"'), encoding="utf-8")
    (tmp_path / "templates" / "own").mkdir(parents=True)
    shutil.copy(shipped("templates") / "cpr" / "agency-timeline-return.docx", tmp_path / "templates" / "own")
    problems, _ = checks(path)
    assert len(problems) == 1 and "own/agency-timeline-return.cy.docx" in problems[0] and "not found" in problems[0]


def test_welsh_messages_must_ask_for_a_phrase_that_counts(tmp_path):
    problems, _ = checks(board(tmp_path, "cy", phrases='["Approved", "Signed off"]'))
    assert len(problems) == 1 and "'Cymeradwywyd'" in problems[0] and "approval_phrases" in problems[0]
    problems, _ = checks(board(tmp_path / "en", "en", phrases='["Approved", "Signed off"]'))
    assert problems == []


def test_a_broken_board_glossary_is_reported(tmp_path):
    path = board(tmp_path, "cy+en")
    (tmp_path / "templates" / "glossary.cy.toml").write_text("[terms\n", encoding="utf-8")
    problems, _ = checks(path)
    assert any("glossary.cy.toml" in p and "TOML" in p for p in problems)


def test_an_agency_language_that_is_not_one_is_named(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(board(tmp_path, "en", agency_language="fr"))
    assert any("agencies[3].language" in p and "'fr'" in p for p in caught.value.problems)

"""Configuration values: any TOML value in any key of any table. The file loads, or every
problem is named on its own line; never a traceback."""

from __future__ import annotations

import json
import re
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o365flow.commands.init import CONFIG
from o365flow.configuration.loader import load_config
from o365flow.errors import ConfigError

_SHIPPED = tomllib.loads(CONFIG)
# Every (table, key) the shipped file holds, plus keys a board may add and one nobody knows.
PAIRS = sorted(
    [(t, k) for t, keys in _SHIPPED.items() if isinstance(keys, dict) for k in keys]
    + [("agencies", k) for k in _SHIPPED["agencies"][0]]
    + [("mail", k) for k in ("mark_read", "smtp_port", "read_since", "mailbox", "smtp_host")]
    + [("agencies", "signoff"), ("state", "x"), ("board", "client_secret")]
)

scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.sampled_from(["", "false", "true", "../..", "/etc", "x@y.org\nBcc: e@e.example", "\u202eabc", "00:00", "25:99"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["a", "code", "start"]), inner, max_size=2), max_leaves=6)


def toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{k} = {toml(v)}" for k, v in value.items()) + "}"


TABLES = re.findall(r"^\[([a-z_0-9]+)\]", CONFIG, flags=re.MULTILINE)


@given(st.lists(st.tuples(st.sampled_from(PAIRS), values), min_size=1, max_size=4))
def test_any_value_in_any_key_is_loaded_or_named(tmp_path_factory, changes):
    text = CONFIG
    for (table, key), value in changes:
        header = "[[agencies]]" if table == "agencies" else f"[{table}]"
        line = f"{key} = {toml(value)}"
        # Replace the key where the table has it, else add it at the top of the table.
        pattern = re.compile(rf"(^{re.escape(header)}\n(?:(?!\[)[^\n]*\n)*?){re.escape(key)} = [^\n]*\n", re.MULTILINE)
        if pattern.search(text):
            text = pattern.sub(lambda m: m.group(1) + line + "\n", text, count=1)
        else:
            text = text.replace(header + "\n", header + "\n" + line + "\n", 1)
    path = tmp_path_factory.mktemp("cfg") / "o365flow.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_config(path)
    except ConfigError as exc:
        assert exc.problems or "not valid TOML" in exc.message
        for line in [exc.message, *exc.problems]:
            assert line.isprintable(), line
            assert re.match(r"^o365flow\.toml: [^:]+: ", line) or line is exc.message


@pytest.mark.parametrize("junk", [b"\xff\xfe", b"[board\n", b"a = 1\na = 2\n", b"x = 1979-05-27T07:32:00Z\n" * 2])
def test_a_file_that_is_not_toml_is_one_named_problem(tmp_path, junk):
    path = tmp_path / "o365flow.toml"
    path.write_bytes(junk)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "\n" not in caught.value.message

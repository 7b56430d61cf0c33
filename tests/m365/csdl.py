"""Entity and complex types of Microsoft Graph v1.0, read from Microsoft's CSDL, for checking the
stand-in's JSON: every property name must be declared on the type or one of its base types."""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

CSDL = Path("/work/shared/reference/msgraph-v1.0-csdl.xml")
_EDM = "{http://docs.oasis-open.org/odata/ns/edm}"


@dataclass(frozen=True)
class GraphType:
    name: str
    base: str | None
    open: bool  # an open complex type (e.g. identity) may carry undeclared properties
    properties: dict[str, str]  # name -> type (Collection(...) unwrapped)


@functools.lru_cache(maxsize=1)
def load(path: Path = CSDL) -> dict[str, GraphType]:
    types: dict[str, GraphType] = {}
    for schema in ET.parse(path).getroot().iter(f"{_EDM}Schema"):
        namespace = schema.get("Namespace")
        for element in schema:
            if element.tag not in (f"{_EDM}EntityType", f"{_EDM}ComplexType"):
                continue
            props = {}
            for prop in element:
                if prop.tag in (f"{_EDM}Property", f"{_EDM}NavigationProperty"):
                    kind = prop.get("Type", "")
                    if kind.startswith("Collection("):
                        kind = kind[len("Collection(") : -1]
                    props[prop.get("Name")] = _full(kind)
            name = f"{namespace}.{element.get('Name')}"
            types[name] = GraphType(
                name,
                _full(element.get("BaseType")),
                element.tag == f"{_EDM}ComplexType" and element.get("OpenType") == "true",
                props,
            )
    return types


def _full(name: str | None) -> str | None:
    if name is None:
        return None
    return "microsoft.graph." + name[len("graph.") :] if name.startswith("graph.") else name


def properties(type_name: str) -> dict[str, str]:
    """All properties of a type, inherited ones included."""
    types = load()
    found: dict[str, str] = {}
    name: str | None = type_name
    while name:
        found = {**types[name].properties, **found}
        name = types[name].base
    return found


def problems(body: dict, type_name: str, where: str = "") -> list[str]:
    """Property names in ``body`` that ``type_name`` does not declare (checked recursively into
    declared entity and complex types; annotations allowed)."""
    types = load()
    declared = properties(type_name)
    found = []
    for key, value in body.items():
        if key.startswith("@odata.") or key.startswith("@microsoft.graph.") or "@odata." in key:
            continue
        if key not in declared:
            if not types[type_name].open:
                found.append(f"{where}{type_name.rsplit('.', 1)[-1]}.{key}")
            continue
        inner = declared[key]
        if inner in types:
            for one in value if isinstance(value, list) else [value]:
                if isinstance(one, dict):
                    found += problems(one, inner, f"{where}{key}/")
    return found

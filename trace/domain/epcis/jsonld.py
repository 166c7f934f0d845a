"""The little JSON-LD an EPCIS capture needs: the context's namespace prefixes.

Extension fields are written ``prefix:name`` (``"example:myField"``) with the prefix bound
in the document's (or the event's) ``@context``; the EPCIS 2.0 default context binds a few
prefixes of its own (``cbvmda``, ``gs1``, ``cbv``…). The Event Hash ID names an extension
by its full namespace (``{http://ns.example.com/epcis/}myField``), so the prefixes must be
resolved. No other JSON-LD processing (remote contexts, expansion) is done: the default
context is fixed by the standard and never fetched.

References: EPCIS 2.0 (GS1, 2022), JSON-LD binding, and its context file
``https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld``; JSON-LD 1.1, section
4.1.5 (compact IRIs).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["DEFAULT_PREFIXES", "expand_curie", "has_epcis_context", "prefixes", "qualified_name"]

# The prefixes bound by the EPCIS 2.0 default context file.
DEFAULT_PREFIXES: Mapping[str, str] = {
    "epcis": "https://ref.gs1.org/epcis/",
    "cbv": "https://ref.gs1.org/cbv/",
    "cbvmda": "urn:epcglobal:cbv:mda:",
    "gs1": "https://gs1.org/voc/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}

# The EPCIS 2.0 default context, with or without the version in its path.
_EPCIS_CONTEXT = re.compile(r"https://ref\.gs1\.org/standards/epcis/(?:2\.\d+\.\d+/)?epcis-context\.jsonld")
# In EPCIS XML the CBV master-data namespace has no trailing ":"; CBV 2.0 names the
# attributes ``{urn:epcglobal:cbv:mda}lotNumber`` so XML and JSON-LD hash alike.
_XML_NAMESPACES = {"urn:epcglobal:cbv:mda:": "urn:epcglobal:cbv:mda"}


def has_epcis_context(context: Any) -> bool:
    """True when ``context`` (a string, object or list) includes the EPCIS 2.0 default context."""
    entries = context if isinstance(context, list) else [context]
    return any(isinstance(entry, str) and _EPCIS_CONTEXT.fullmatch(entry) for entry in entries)


def prefixes(*contexts: Any) -> dict[str, str]:
    """Prefix -> namespace from the default context and each ``@context`` given, later ones winning.

    >>> prefixes([{"example": "http://ns.example.com/epcis/"}])["example"]
    'http://ns.example.com/epcis/'
    """
    bound = dict(DEFAULT_PREFIXES)
    for context in contexts:
        for entry in context if isinstance(context, list) else [context]:
            if isinstance(entry, Mapping):
                bound.update(
                    (term, iri) for term, iri in entry.items()
                    if isinstance(iri, str) and not term.startswith("@") and ":" not in term
                )
    return bound


def expand_curie(value: str, bound: Mapping[str, str]) -> str:
    """``prefix:rest`` with a bound prefix -> the full IRI; anything else unchanged.

    >>> expand_curie("gs1:Temperature", DEFAULT_PREFIXES)
    'https://gs1.org/voc/Temperature'
    >>> expand_curie("urn:epc:id:sgln:0614141.07346.1234", DEFAULT_PREFIXES)
    'urn:epc:id:sgln:0614141.07346.1234'
    """
    prefix, colon, rest = value.partition(":")
    if colon and not rest.startswith("//") and prefix in bound:
        return bound[prefix] + rest
    return value


def qualified_name(key: str, bound: Mapping[str, str]) -> str:
    """An extension key as ``{namespace}localName``; a key with an unbound prefix stays as written.

    >>> qualified_name("example:myField", {"example": "http://ns.example.com/epcis/"})
    '{http://ns.example.com/epcis/}myField'
    >>> qualified_name("cbvmda:lotNumber", DEFAULT_PREFIXES)
    '{urn:epcglobal:cbv:mda}lotNumber'
    """
    prefix, colon, local = key.partition(":")
    if not colon or local.startswith("//") or prefix not in bound:
        return key
    namespace = bound[prefix]
    return "{" + _XML_NAMESPACES.get(namespace, namespace) + "}" + local

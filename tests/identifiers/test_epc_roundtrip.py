"""Round trips over random EPCs of every scheme (fixed seed): every form reads back the same.

Hex, lower-case hex, hex with extra zero words, tag URI, pure identity URI and Digital Link
must all lead back to an equal ``Epc``.
"""

from __future__ import annotations

import random
import string

import pytest

from trace.identifiers.epc import SCHEMES, Epc, decode, encode
from trace.identifiers.epc.schemes import Field

CSET_82 = string.digits + string.ascii_letters + "!\"%&'()*+,-./:;<=>?_"
PER_SCHEME = 300


def random_integer(rng: random.Random, bits: int) -> str:
    # Mix tiny, mid-sized and near-maximal values so every bit position is exercised.
    return str(rng.choice([rng.randrange(10), rng.randrange(1 << (bits // 2)), rng.randrange(1 << bits)]))


def random_string(rng: random.Random, most: int) -> str:
    return "".join(rng.choice(CSET_82) for _ in range(rng.randint(1, most)))


def random_epc(rng: random.Random, name: str) -> Epc:
    scheme = SCHEMES[name]
    partition = rng.choice(scheme.partitions)
    prefix = "".join(rng.choice(string.digits) for _ in range(partition.prefix_digits))
    if scheme.reference_field is Field.PADDED:
        reference = "".join(rng.choice(string.digits) for _ in range(partition.reference_digits))
    elif scheme.reference_field is Field.INTEGER:
        reference = random_integer(rng, partition.reference_bits)
    else:
        reference = random_string(rng, partition.reference_digits)
    tail = None
    if scheme.tail_field is Field.INTEGER:
        tail = random_integer(rng, scheme.tail_bits)
    elif scheme.tail_field is Field.STRING:
        tail = random_string(rng, scheme.tail_bits // 7)
    return Epc(name, rng.randrange(8), prefix, reference, tail)


@pytest.mark.parametrize("name", list(SCHEMES))
def test_every_form_reads_back(name: str) -> None:
    rng = random.Random(f"tracemark-epc-{name}")
    for _ in range(PER_SCHEME):
        epc = random_epc(rng, name)
        hex_text = epc.to_hex()
        assert len(hex_text) == SCHEMES[name].hex_digits
        assert Epc.from_hex(hex_text) == epc
        assert Epc.from_hex(hex_text.lower() + "0000" * rng.randrange(3)) == epc
        assert Epc.from_tag_uri(epc.tag_uri) == epc
        assert Epc.from_pure_identity(epc.pure_identity, scheme=name, filter=epc.filter) == epc
        link = epc.to_digital_link().as_uri()
        assert Epc.from_digital_link(
            link, scheme=name, filter=epc.filter, company_prefix_length=len(epc.company_prefix)
        ) == epc
        decoded = decode(hex_text)
        assert (decoded.tag_uri, decoded.pure_identity, decoded.digital_link) == (
            epc.tag_uri, epc.pure_identity, link
        )
        assert encode(epc.tag_uri) == hex_text


def test_escapes_are_read_in_either_case_and_written_upper_case() -> None:
    epc = Epc.from_pure_identity("urn:epc:id:sgtin:0614141.712345.32a%2fb%2B", scheme="sgtin-198",
                                 filter=3)
    assert epc.serial == "32a/b+"
    assert epc.pure_identity == "urn:epc:id:sgtin:0614141.712345.32a%2Fb+"
    every = Epc("sgtin-198", 0, "0614141", "712345", "\"%&/<>?!'()*+,-.:;=_")
    assert every.pure_identity == (
        "urn:epc:id:sgtin:0614141.712345.%22%25%26%2F%3C%3E%3F!'()*+,-.:;=_"
    )
    assert Epc.from_tag_uri(every.tag_uri) == every

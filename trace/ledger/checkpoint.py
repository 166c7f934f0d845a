"""Checkpoints: the text a log signs to commit to its tree at one size.

::

    example.com/behind-the-sofa
    20852163
    CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

Origin, tree size in decimal, root hash in standard base64, then optional extension lines;
every line ends in a newline. The text is signed as a note (:mod:`trace.ledger.note`).

References: C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint), "Note text".
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from trace.ledger.errors import CheckpointError
from trace.ledger.hashing import HASH_SIZE
from trace.types import Hash32

MAX_TREE_SIZE = 2**64 - 1
"""Tree sizes are uint64 in every C2SP implementation; larger ones cannot interoperate."""

_TREE_SIZE = re.compile(r"0|[1-9][0-9]*")  # ASCII decimal, no sign, no leading zeroes
_CONTROL = re.compile(r"[\x00-\x1f]")  # C2SP signed-note: no control characters


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A log's commitment to its Merkle tree at ``size`` leaves.

    Constructing one validates it (``CheckpointError`` otherwise), so every instance
    renders to a well-formed checkpoint.

    >>> cp = Checkpoint("example.com/log", 1, bytes(32))
    >>> cp.to_text()
    'example.com/log\\n1\\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\\n'
    >>> Checkpoint.parse(cp.to_text()) == cp
    True
    """

    origin: str
    size: int
    root_hash: Hash32
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_line("origin", self.origin)
        if isinstance(self.size, bool) or not isinstance(self.size, int):
            raise TypeError(f"checkpoint size must be an int, found {type(self.size).__name__}")
        if not 0 <= self.size <= MAX_TREE_SIZE:
            raise CheckpointError(
                f"checkpoint size {self.size}: expected 0 <= size <= {MAX_TREE_SIZE}"
            )
        if not isinstance(self.root_hash, bytes) or len(self.root_hash) != HASH_SIZE:
            raise CheckpointError(
                f"checkpoint root hash: expected {HASH_SIZE} bytes, found {self.root_hash!r}"
            )
        if not isinstance(self.extensions, tuple):
            raise TypeError("checkpoint extensions must be a tuple of str")
        for extension in self.extensions:
            _check_line("extension line", extension)

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Parse checkpoint note text (the body of a signed note, without signatures).

        Strict: the size must be canonical decimal, the root canonical standard base64 of
        32 bytes, and no line may be empty or hold control characters.

        References: C2SP tlog-checkpoint, "Note text".
        """
        if not text.endswith("\n"):
            raise CheckpointError("checkpoint text: expected a final newline, found none")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise CheckpointError(
                f"checkpoint text: expected at least 3 lines, found {len(lines)}"
            )
        origin, size_text, root_text, *extensions = lines
        if not _TREE_SIZE.fullmatch(size_text):
            raise CheckpointError(
                f"checkpoint size {size_text!r}: expected a decimal number without leading zeroes"
            )
        return cls(origin, int(size_text), _decode_root(root_text), tuple(extensions))

    def to_text(self) -> str:
        """Render the note text: origin, size, base64 root, extensions, each newline-ended."""
        root = base64.b64encode(self.root_hash).decode("ascii")
        lines = (self.origin, str(self.size), root, *self.extensions)
        return "".join(f"{line}\n" for line in lines)


def _check_line(what: str, line: str) -> None:
    if not isinstance(line, str):
        raise TypeError(f"checkpoint {what} must be a str, found {type(line).__name__}")
    if not line:
        raise CheckpointError(f"checkpoint {what}: expected a non-empty line, found ''")
    if _CONTROL.search(line):
        raise CheckpointError(
            f"checkpoint {what} {line!r}: expected no newline or control characters"
        )


def _decode_root(text: str) -> Hash32:
    try:
        root = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error) as exc:
        raise CheckpointError(f"checkpoint root hash {text!r}: expected standard base64") from exc
    # Reject non-canonical encodings (stray padding bits) so one root has one spelling.
    if len(root) != HASH_SIZE or base64.b64encode(root).decode("ascii") != text:
        raise CheckpointError(
            f"checkpoint root hash {text!r}: expected the base64 of {HASH_SIZE} bytes"
        )
    return Hash32(root)

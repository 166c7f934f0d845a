"""An NTAG215 in memory, behind an nfcpy device driver: nfcpy's own seam for tag tests.

nfcpy talks to hardware through a driver object (:class:`nfc.clf.device.Device`):
``sense_tta`` finds a Type A target, ``send_cmd_recv_rsp`` carries one command to it.
:class:`InMemoryNtagDevice` is such a driver whose "radio field" holds an
:class:`Ntag215` — 135 pages of 4 bytes answering the NTAG21x commands (READ 0x30,
WRITE 0xA2, GET_VERSION 0x60, READ_SIG 0x3C) as the NXP data sheet describes. Put into
``nfc.ContactlessFrontend().device``, it lets the real nfcpy stack run unchanged on top:
``ContactlessFrontend.connect`` / ``sense`` / ``exchange``, tag activation (which tells
an NTAG215 by its GET_VERSION answer), the Type 2 Tag NDEF read and write procedures
and ndeflib. Nothing of Tracemark's own interface is faked.

References: NXP NTAG213/215/216 data sheet (rev. 3.2), sections 8.5 (memory
organisation), 10 (command set: READ, WRITE, GET_VERSION, READ_SIG, NAK behaviour);
NFC Forum Type 2 Tag Technical Specification (capability container, NDEF TLV).
"""

from __future__ import annotations

import nfc.clf
import nfc.clf.device

PAGES = 135  # NTAG215: pages 0x00–0x86
_ACK, _NAK = b"\x0a", b"\x00"
# GET_VERSION answer of an NTAG215: vendor NXP, type NTAG, storage size 0x11 (504 bytes).
NTAG215_VERSION = bytes.fromhex("0004040201001103")
# Capability container: NDEF magic E1, version 1.0, 0x3E * 8 = 496 data bytes, read/write.
_CAPABILITY_CONTAINER = bytes.fromhex("E1103E00")


class Ntag215:
    """The memory and command set of one NTAG215 tag."""

    def __init__(self, uid: bytes) -> None:
        if len(uid) != 7 or uid[0] != 0x04:
            raise ValueError("an NXP NTAG UID has 7 bytes, the first 0x04")
        self.uid = uid
        bcc0 = 0x88 ^ uid[0] ^ uid[1] ^ uid[2]
        bcc1 = uid[3] ^ uid[4] ^ uid[5] ^ uid[6]
        memory = bytearray(PAGES * 4)
        memory[0:12] = uid[:3] + bytes([bcc0]) + uid[3:] + bytes([bcc1, 0x48, 0x00, 0x00])
        memory[12:16] = _CAPABILITY_CONTAINER
        memory[16:20] = bytes.fromhex("0300FE00")  # factory state: empty NDEF message TLV, terminator
        memory[131 * 4:132 * 4] = bytes.fromhex("040000FF")  # CFG0: AUTH0 = 0xFF, no password
        self.memory = memory
        self.mute = True  # IDLE until selected (anticollision, SEL_REQ)

    def page(self, number: int) -> bytes:
        return bytes(self.memory[number * 4:number * 4 + 4])

    def answer(self, command: bytes) -> bytes:
        """The tag's answer to one command frame (raises TimeoutError while muted)."""
        if self.mute:
            raise nfc.clf.TimeoutError("tag is muted after a NAK until it is sensed again")
        code = command[0] if command else None
        if code == 0x30 and len(command) == 2:  # READ: 4 pages, rolling over at the end
            start = command[1]
            if start >= PAGES:
                return self._nak()
            data = b"".join(self.page((start + i) % PAGES) for i in range(4))
            return self._hide_password(start, data)
        if code == 0xA2 and len(command) == 6:  # WRITE one page
            number = command[1]
            if not 2 <= number < PAGES:
                return self._nak()
            self.memory[number * 4:number * 4 + 4] = command[2:6]
            return _ACK
        if code == 0x60:
            return NTAG215_VERSION
        if code == 0x3C and len(command) == 2:
            return bytes(32)  # originality signature (not checked here)
        return self._nak()

    def _nak(self) -> bytes:
        self.mute = True  # an NTAG goes back to IDLE after a NAK
        return _NAK

    @staticmethod
    def _hide_password(start: int, data: bytes) -> bytes:
        """PWD (page 133) and PACK always read as zeros."""
        out = bytearray(data)
        for i in range(4):
            if (start + i) % PAGES in (133, 134):
                out[i * 4:i * 4 + 4] = bytes(4)
        return bytes(out)


class InMemoryNtagDevice(nfc.clf.device.Device):
    """An nfcpy driver whose field holds zero or one in-memory NTAG215."""

    def __init__(self, tag: Ntag215 | None = None) -> None:  # noqa: D107 - no hardware to open
        self._path = "memory"
        self._chipset_name = "in-memory NTAG215"
        self.tag = None
        self.commands: list[bytes] = []
        if tag is not None:
            self.present(tag)

    def present(self, tag: Ntag215) -> None:
        tag.mute = True  # a tag entering the field is IDLE: it answers only once selected
        self.tag = tag

    def remove(self) -> None:
        self.tag = None

    def close(self) -> None:
        pass

    def mute(self) -> None:
        if self.tag is not None:
            self.tag.mute = True  # RF off: the tag resets to IDLE until sensed again

    def sense_tta(self, target: nfc.clf.RemoteTarget) -> nfc.clf.RemoteTarget | None:
        if self.tag is None:
            return None
        if target.sel_req and bytes(target.sel_req) != self.tag.uid:
            return None
        self.tag.mute = False
        return nfc.clf.RemoteTarget("106A", sens_res=bytearray.fromhex("4400"),
                                    sdd_res=bytearray(self.tag.uid), sel_res=bytearray.fromhex("00"))

    def sense_ttb(self, target: nfc.clf.RemoteTarget) -> None:
        return None

    def sense_ttf(self, target: nfc.clf.RemoteTarget) -> None:
        return None

    def sense_dep(self, target: nfc.clf.RemoteTarget) -> None:
        return None

    def send_cmd_recv_rsp(self, target: nfc.clf.RemoteTarget, data: bytes, timeout: float) -> bytearray:
        self.commands.append(bytes(data))
        if self.tag is None:
            raise nfc.clf.TimeoutError("no tag in the field")
        return bytearray(self.tag.answer(bytes(data)))

    def get_max_send_data_size(self, target: nfc.clf.RemoteTarget) -> int:
        return 252

    def get_max_recv_data_size(self, target: nfc.clf.RemoteTarget) -> int:
        return 252


def frontend(device: InMemoryNtagDevice) -> nfc.ContactlessFrontend:
    """A real ``nfc.ContactlessFrontend`` driving ``device``."""
    clf = nfc.ContactlessFrontend()
    clf.device = device
    return clf

"""An NTAG 424 DNA programmed from a plan as the API or CLI hands it out (JSON, hex), tapped.

On every read the tag copies its NDEF file, writes the SDM mirrors at the programmed offsets
(PICCData, then SDMENCFileData over the plain data at SDMENCOffset, then SDMMAC over
file[SDMMACInputOffset:SDMMACOffset]) and the phone opens the URI (NT4H2421 §9.3, AN12196 §4.4).
Built only from the plan's JSON, so a test proves the encoder gets everything it needs.
"""

from __future__ import annotations

from collections.abc import Mapping

import ndef

from trace.crypto.ntag424 import encrypt_file_data, encrypt_picc_data, sdm_mac, session_enc_key, session_mac_key


class ProgrammedTag:
    def __init__(self, plan: Mapping[str, object]) -> None:
        self.uid = bytes.fromhex(str(plan["uid"]))
        self.ndef_file = bytes.fromhex(str(plan["ndef_file"]))
        self.plan = plan
        keys = plan["keys"]
        assert isinstance(keys, Mapping)
        self.meta_key = bytes.fromhex(keys["sdm_meta_read"])
        self.file_key = bytes.fromhex(keys["sdm_file_read"])
        self.read_counter = 0

    def tap(self) -> str:
        """The URL the next read produces (the counter goes up by one, as SDMReadCtr does)."""
        self.read_counter += 1
        counter, plan = self.read_counter, self.plan
        data = bytearray(self.ndef_file)

        def mirror(offset: object, value: bytes) -> None:
            assert isinstance(offset, int)
            text = value.hex().upper().encode("ascii")
            data[offset:offset + len(text)] = text

        mirror(plan["picc_data_offset"], encrypt_picc_data(self.meta_key, self.uid, counter, padding=b"\x17" * 5))
        enc_offset, enc_length = plan["sdm_enc_offset"], plan["sdm_enc_length"]
        if isinstance(enc_offset, int) and isinstance(enc_length, int):
            plain = bytes(data[enc_offset:enc_offset + enc_length // 2])
            mirror(enc_offset, encrypt_file_data(session_enc_key(self.file_key, self.uid, counter), counter, plain))
        start, end = plan["sdm_mac_input_offset"], plan["sdm_mac_offset"]
        assert isinstance(start, int) and isinstance(end, int)
        mirror(end, sdm_mac(session_mac_key(self.file_key, self.uid, counter), bytes(data[start:end])))
        (record,) = ndef.message_decoder(bytes(data[2:]))
        return record.iri

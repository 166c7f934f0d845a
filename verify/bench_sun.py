"""SUN check throughput next to one AES-CMAC of the same input (for `tracemark bench carriers`).

Target (issue 5): ≥ 5,000 SUN checks per second.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from trace.crypto.ntag424 import aes_cmac, encrypt_picc_data, sdm_mac, session_mac_key
from verify.sun import check_sun_url


@dataclass(frozen=True, slots=True)
class SunBench:
    sun_checks: int
    sun_checks_per_s: float
    sun_baseline_cmac_per_s: float


def simulated_sun_url(base: str, *, meta_key: bytes, file_key: bytes, uid: bytes, read_counter: int) -> str:
    """A SUN URL as an NTAG 424 DNA answers a tap (PICCData, SDMMAC over empty input; no file data)."""
    picc = encrypt_picc_data(meta_key, uid, read_counter)
    mac = sdm_mac(session_mac_key(file_key, uid, read_counter), b"")
    return f"{base}?e={picc.hex().upper()}&c={mac.hex().upper()}"


def bench_sun(*, checks: int = 20_000) -> SunBench:
    """Check ``checks`` simulated taps; baseline: one AES-CMAC over each URL's bytes."""
    meta_key, file_key = os.urandom(16), os.urandom(16)
    uid = bytes.fromhex("04DE5F1EACC040")
    urls = [simulated_sun_url("https://id.acme.example/t", meta_key=meta_key, file_key=file_key, uid=uid,
                              read_counter=n + 1) for n in range(checks)]
    start = time.perf_counter()
    for url in urls:
        check_sun_url(url, meta_key=meta_key, file_key=file_key)
    checked = time.perf_counter() - start
    encoded = [url.encode("ascii") for url in urls]
    start = time.perf_counter()
    for data in encoded:
        aes_cmac(file_key, data)
    macs = time.perf_counter() - start
    return SunBench(sun_checks=checks, sun_checks_per_s=checks / max(checked, 1e-9),
                    sun_baseline_cmac_per_s=checks / max(macs, 1e-9))

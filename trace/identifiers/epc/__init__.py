"""GS1 EPC Tag Data Standard: EPCs as tag URIs, pure identity URIs, RFID binary and Digital Link.

Schemes: SGTIN-96 and SGTIN-198 (items), SSCC-96 (cases and pallets), SGLN-96 and SGLN-195
(locations), GRAI-96 and GRAI-170 (returnable assets), GIAI-96 and GIAI-202 (individual
assets). Pure: standard library and :mod:`trace.identifiers` only.

>>> decode("3074257BF7194E4000001A85").digital_link
'https://id.gs1.org/01/80614141123458/21/6789'

References: GS1 EPC Tag Data Standard 2.x.
"""

from __future__ import annotations

from trace.identifiers.epc.codec import DecodedEpc, decode, encode
from trace.identifiers.epc.schemes import FILTER_VALUES, SCHEMES, Scheme
from trace.identifiers.epc.value import Epc

__all__ = ["FILTER_VALUES", "SCHEMES", "DecodedEpc", "Epc", "Scheme", "decode", "encode"]

"""A brand's NTAG 424 SUN master key (list, rotate) and its NFC tags (program, export keys)."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from codegen.ntag424_template import plan_sun_tag
from codegen.reprint import signed_url_for_unit
from trace.api.deps import KeyAdmin, Minter, Reader, RuntimeDep, check_brand
from trace.api.schemas import NfcTagIn, SunKeyOut, SunTagPlanOut, TagKeyExportOut
from trace.errors import InvalidInput
from trace.services import sun_keys

router = APIRouter(prefix="/api/v1/brands/{brand}", tags=["nfc"])


@router.get("/sun-keys", response_model=list[SunKeyOut])
def list_sun_keys(brand: str, runtime: RuntimeDep, principal: Reader) -> list[SunKeyOut]:
    check_brand(principal, brand)
    return [SunKeyOut.model_validate(k) for k in sun_keys.list_sun_keys(runtime.db, brand)]


@router.post("/sun-keys/rotate", response_model=SunKeyOut)
def rotate_sun_key(brand: str, request: Request, runtime: RuntimeDep, principal: KeyAdmin) -> SunKeyOut:
    check_brand(principal, brand)
    info = sun_keys.rotate_sun_key(runtime.db, runtime.key_store, brand)
    request.app.state.sun_keys.invalidate()
    return SunKeyOut.model_validate(info)


@router.post("/nfc-tags", status_code=status.HTTP_201_CREATED, response_model=SunTagPlanOut)
def program_tag(brand: str, body: NfcTagIn, runtime: RuntimeDep, principal: Minter) -> SunTagPlanOut:
    """Bind a tag to a unit and answer what to write into it (NDEF file, SDM offsets, its keys)."""
    check_brand(principal, brand)
    uid = bytes.fromhex(body.uid)
    url = signed_url_for_unit(runtime.db, runtime.key_store, gtin=body.gtin, serial=body.serial)
    plan = sun_keys.program_tag(
        runtime.db, runtime.key_store, brand=brand, uid=uid, gtin=body.gtin, serial=body.serial,
        plan=lambda master, system_id: plan_sun_tag(url, uid=uid, master_key=master, file_data=body.file_data,
                                                    system_identifier=system_id))
    return SunTagPlanOut.model_validate(plan.as_json())


@router.get("/nfc-tags/{uid}/keys", response_model=TagKeyExportOut)
def tag_keys(brand: str, uid: str, runtime: RuntimeDep, principal: KeyAdmin) -> TagKeyExportOut:
    check_brand(principal, brand)
    if len(uid) != 14 or not all(c in "0123456789abcdefABCDEF" for c in uid):
        raise InvalidInput(f"NFC UID {uid!r}: expected 14 hex digits")
    export = sun_keys.export_tag_keys(runtime.db, runtime.key_store, brand=brand, uid=bytes.fromhex(uid))
    return TagKeyExportOut(uid=export.uid.hex().upper(), gtin=export.gtin, serial=export.serial,
                           sun_key_version=export.version, app_master=export.keys.app_master.hex().upper(),
                           sdm_meta_read=export.keys.sdm_meta_read.hex().upper(),
                           sdm_file_read=export.keys.sdm_file_read.hex().upper())

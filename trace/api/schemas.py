"""Request and response bodies of the brand API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class BrandIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    domain: str = Field(description="Resolver base URL of the brand's codes, e.g. https://id.brand.example")
    slug: str | None = Field(default=None, max_length=40)


class BrandOut(_Out):
    slug: str
    name: str
    domain: str
    active_kid: str | None


class ProductIn(BaseModel):
    gtin: str = Field(description="GTIN-8/12/13/14 with a valid check digit")
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    image_url: str | None = None


class ProductOut(_Out):
    brand: str
    gtin: str
    name: str
    description: str
    image_url: str | None


class LotIn(BaseModel):
    lot: str = Field(min_length=1, max_length=20)
    produced_on: date
    expires_on: date | None = None
    line: str | None = None
    site: str | None = None


class LotOut(_Out):
    brand: str
    gtin: str
    lot: str
    produced_on: date
    expires_on: date | None
    line: str | None
    site: str | None


class KeyOut(_Out):
    brand: str
    kid: str
    algorithm: str
    status: str
    created_at: datetime
    retired_at: datetime | None
    revoked_at: datetime | None


class SunKeyOut(_Out):
    brand: str
    version: int
    status: str
    system_identifier: str
    created_at: datetime
    retired_at: datetime | None


class NfcTagIn(BaseModel):
    uid: str = Field(pattern=r"^[0-9A-Fa-f]{14}$", description="The NTAG 424 DNA's 7-byte UID as hex")
    gtin: str = Field(max_length=14)
    serial: str = Field(min_length=1, max_length=20)
    file_data: str | None = Field(default=None, max_length=128,
                                  description="Plain ASCII the tag encrypts on every tap (16-character blocks)")


class TagKeysOut(BaseModel):
    app_master: str
    sdm_meta_read: str
    sdm_file_read: str


class SunTagPlanOut(BaseModel):
    """What to write into the tag; holds its keys (hex)."""

    uid: str
    url_template: str
    ndef_file: str
    uri_prefix_code: int
    picc_data_offset: int
    sdm_mac_input_offset: int
    sdm_enc_offset: int | None
    sdm_enc_length: int | None
    sdm_mac_offset: int
    keys: TagKeysOut


class TagKeyExportOut(TagKeysOut):
    uid: str
    gtin: str
    serial: str
    sun_key_version: int


class MintJobIn(BaseModel):
    gtin: str
    lot: str
    count: int = Field(gt=0, le=100_000)
    format: Literal["csv", "zpl", "json"] = "json"


class MintedCodeOut(BaseModel):
    serial: str
    url: str


class MintJobOut(BaseModel):
    job_id: int
    brand: str
    gtin: str
    lot: str
    count: int
    kid: str
    codes: list[MintedCodeOut]

"""CBV 2.0 standard vocabularies as tables, and the one canonical form of each value.

A standard value reaches us in three spellings: the bare word of the JSON-LD binding
(``shipping``), the CBV URN of EPCIS 1.x XML (``urn:epcglobal:cbv:bizstep:shipping``) and
the GS1 web vocabulary URI (``https://ref.gs1.org/cbv/BizStep-shipping``, or the CURIE
``cbv:BizStep-shipping``). All three normalise to the bare word, which is what the EPCIS
2.0 default JSON-LD context expands to the web URI; the Event Hash ID uses the web URI
(:meth:`Vocabulary.web_uri`).

Rejection rule (EPCIS 2.0: user vocabulary values are URIs; CBV 2.0 lists the standard
words): a bare word that is not a standard value is an error; a spelling in a
CBV namespace with an unknown word is an error (a typo, not an extension); any other
absolute URI is a user extension and is kept exactly as given.

References: CBV 2.0 (GS1, 2022), section 7 (the standard vocabularies: business steps,
dispositions, business transaction types, source/destination types, error reasons, sensor
components); EPCIS 2.0 JSON Schema (the same word lists); GS1 Web Vocabulary
(``https://gs1.org/voc/``) for sensor measurement and alert types.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from trace.domain.epcis.schema import is_uri
from trace.errors import InvalidInput

__all__ = [
    "BIZ_STEP",
    "BIZ_TRANSACTION_TYPE",
    "COMPONENT",
    "DISPOSITION",
    "ERROR_REASON",
    "MEASUREMENT_TYPE",
    "SENSOR_ALERT_TYPE",
    "SOURCE_DESTINATION_TYPE",
    "Vocabulary",
]

CBV_WEB = "https://ref.gs1.org/cbv/"
GS1_VOC = "https://gs1.org/voc/"
REF_GS1_VOC = "https://ref.gs1.org/voc/"
# Namespaces GS1 keeps for its own terms (the EPCIS 2.0 schema refuses extension URIs in
# urn:epcglobal:cbv and ns.gs1.org/cbv, and in gs1.org/voc for sensor types).
_CBV_NAMESPACES = (
    "urn:epcglobal:cbv:", CBV_WEB, "http://ref.gs1.org/cbv/", "cbv:",
    "https://ns.gs1.org/cbv/", "http://ns.gs1.org/cbv/",
)
_GS1_VOC_NAMESPACES = (GS1_VOC, "http://gs1.org/voc/", "https://www.gs1.org/voc/", REF_GS1_VOC, "gs1:")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """One standard vocabulary: its words and the namespaces they are written in.

    >>> BIZ_STEP.normalise("urn:epcglobal:cbv:bizstep:shipping", field="bizStep")
    'shipping'
    >>> BIZ_STEP.web_uri("shipping")
    'https://ref.gs1.org/cbv/BizStep-shipping'
    >>> BIZ_STEP.normalise("https://brand.example/bizstep/labelling", field="bizStep")
    'https://brand.example/bizstep/labelling'
    """

    title: str
    """What a value is, for messages: ``"business step"``."""
    web_prefix: str
    """Prefix of the web URI of a word, e.g. ``https://ref.gs1.org/cbv/BizStep-``."""
    spellings: tuple[str, ...]
    """Every prefix a word may be written after (URN, web URI, CURIE…)."""
    words: frozenset[str]
    reserved: tuple[str, ...]
    """GS1 namespaces: a URI there that is not one of ``words`` is a mistake, not an extension."""

    def normalise(self, value: str, *, field: str) -> str:
        """The canonical form of ``value``: the bare word for standard values, else the URI as given.

        ``field`` names the JSON field in the message. Raises ``InvalidInput``, e.g.
        ``bizStep 'shiping' is not a CBV 2.0 business step: expected a CBV word (did you
        mean 'shipping'?) or an extension URI outside the CBV namespaces``.
        """
        word = self._word(value)
        if word is None:
            if is_uri(value) and not value.startswith(self.reserved):
                return value  # a user extension: EPCIS 2.0 requires those to be URIs
            return self._reject(value, value.rpartition(":")[2].rpartition("-")[2], field=field)
        if word in self.words:
            return word
        return self._reject(value, word, field=field)

    def web_uri(self, canonical: str) -> str:
        """The web vocabulary URI of a canonical value (extensions are returned unchanged)."""
        return self.web_prefix + canonical if canonical in self.words else canonical

    def _word(self, value: str) -> str | None:
        """The word ``value`` names in one of this vocabulary's spellings, or None for other URIs."""
        for prefix in self.spellings:
            if value.startswith(prefix):
                return value[len(prefix):]
        return None if ":" in value else value

    def _reject(self, value: str, word: str, *, field: str) -> str:
        close = difflib.get_close_matches(word, sorted(self.words), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InvalidInput(
            f"{field} {value!r} is not a CBV 2.0 {self.title}: expected a CBV word{hint}"
            " or an extension URI outside the CBV namespaces"
        )


def _cbv(title: str, term: str, urn: str | None, words: str) -> Vocabulary:
    """A CBV vocabulary: ``urn:epcglobal:cbv:{urn}:word``, ``https://ref.gs1.org/cbv/{term}-word``."""
    web = f"{CBV_WEB}{term}-"
    spellings = (web, web.replace("https://", "http://", 1), f"cbv:{term}-")
    spellings += (f"urn:epcglobal:cbv:{urn}:",) if urn else ()
    return Vocabulary(title, web, spellings, _words(words), _CBV_NAMESPACES)


def _gs1_voc(title: str, term: str, words: str) -> Vocabulary:
    """A GS1 Web Vocabulary class (``gs1:`` in the EPCIS context: ``https://gs1.org/voc/``).

    The pre-hash string writes these under ``https://ref.gs1.org/voc/``, as CBV 2.0's own
    example (``gs1:Temperature`` -> ``https://ref.gs1.org/voc/Temperature``) and GS1's
    reference implementation do.
    """
    spellings = tuple(f"{namespace}{term}" for namespace in _GS1_VOC_NAMESPACES)
    return Vocabulary(title, REF_GS1_VOC + term, spellings, _words(words), _GS1_VOC_NAMESPACES)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# CBV 2.0 business steps.
BIZ_STEP = _cbv("business step", "BizStep", "bizstep", """
    accepting arriving assembling collecting commissioning consigning creating_class_instance
    cycle_counting decommissioning departing destroying disassembling dispensing encoding
    entering_exiting holding inspecting installing killing loading other packing picking
    receiving removing repackaging repairing replacing reserving retail_selling sampling
    sensor_reporting shipping staging_outbound stock_taking stocking storing transporting
    unloading unpacking void_shipping
""")

# CBV 2.0 dispositions; also the values of persistentDisposition.
DISPOSITION = _cbv("disposition", "Disp", "disp", """
    active available completeness_inferred completeness_verified conformant container_closed
    container_open damaged destroyed dispensed disposed encoded expired in_progress in_transit
    inactive mismatch_class mismatch_instance mismatch_quantity needs_replacement
    no_pedigree_match non_conformant non_sellable_other partially_dispensed recalled reserved
    retail_sold returned sellable_accessible sellable_not_accessible stolen unavailable unknown
""")

# CBV 2.0 business transaction types.
BIZ_TRANSACTION_TYPE = _cbv(
    "business transaction type", "BTT", "btt",
    "bol cert desadv inv pedigree po poc prodorder recadv rma testprd testres upevt",
)

# CBV 2.0 source/destination types.
SOURCE_DESTINATION_TYPE = _cbv(
    "source/destination type", "SDT", "sdt", "owning_party possessing_party location"
)

# CBV 2.0 error reasons (of an errorDeclaration).
ERROR_REASON = _cbv("error reason", "ER", "er", "did_not_occur incorrect_data")

# GS1 Web Vocabulary gs1:MeasurementType, as enumerated by the EPCIS 2.0 JSON Schema.
MEASUREMENT_TYPE = _gs1_voc("sensor measurement type", "", """
    AbsoluteHumidity AbsorbedDose AbsorbedDoseRate Acceleration Radioactivity Altitude
    AmountOfSubstance AmountOfSubstancePerUnitVolume Angle AngularAcceleration AngularMomentum
    AngularVelocity Area Capacitance Conductance Conductivity Count Density Dimensionless
    DoseEquivalent DoseEquivalentRate DynamicViscosity ElectricCharge ElectricCurrent
    ElectricCurrentDensity ElectricFieldStrength Energy Exposure Force Frequency Illuminance
    Inductance Irradiance KinematicViscosity Length LinearMomentum Luminance LuminousFlux
    LuminousIntensity MagneticFlux MagneticFluxDensity MagneticVectorPotential Mass
    MassConcentration MassFlowRate MassPerAreaTime MemoryCapacity MolalityOfSolute MolarEnergy
    MolarMass MolarVolume Power Pressure RadiantFlux RadiantIntensity RelativeHumidity
    Resistance Resistivity SolidAngle SpecificVolume Speed SurfaceDensity SurfaceTension
    Temperature Time Torque Voltage Volume VolumeFlowRate VolumeFraction VolumetricFlux
    Wavenumber
""")

# GS1 Web Vocabulary gs1:SensorAlertType.
SENSOR_ALERT_TYPE = _gs1_voc("sensor alert type", "SensorAlertType-", "ALARM_CONDITION ERROR_CONDITION")

# CBV 2.0 sensor report components (of a location or a vector).
COMPONENT = _cbv("sensor component", "Comp", None, """
    x y z axial_distance azimuth height spherical_radius polar_angle elevation_angle easting
    northing latitude longitude altitude
""")

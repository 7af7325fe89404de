"""OCPP 1.6, 2.0.1 and 2.1 for Python: schema validation, strict frame decoding, the tolerant
decoder, and the record pipeline of ``ocpp-validate check`` and ``summary`` over Arrow record
batches of data-lake rows (see :mod:`ocpp_toolkit.spark` for Spark DataFrames).

The work is done by the Rust library ``ocpp-validate`` (``ocpp_toolkit._native``); this
module accepts Python values where the native functions take JSON text, and pyarrow tables
where they take batches.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, List, Mapping, Optional, Tuple, Union

import pyarrow as pa

from . import _native
from ._native import (
    Finding,
    Frame,
    FrameError,
    OcppError,
    PayloadError,
    Repair,
    UnknownActionError,
    __version__,
)

__all__ = [
    "Finding",
    "Frame",
    "FrameError",
    "OcppError",
    "PayloadError",
    "Repair",
    "UnknownActionError",
    "__version__",
    "decode_frame",
    "repair",
    "repair_batches",
    "summarize",
    "summarize_batches",
    "tolerant",
    "validate",
    "validate_batch",
    "validate_batches",
]

Payload = Union[str, Mapping[str, Any]]
Batches = Union[pa.RecordBatch, pa.Table, pa.RecordBatchReader, Iterable[pa.RecordBatch]]


def _text(payload: Payload) -> str:
    return payload if isinstance(payload, str) else json.dumps(payload)


def _batches(batches: Batches) -> Iterable[pa.RecordBatch]:
    if isinstance(batches, pa.RecordBatch):
        return [batches]
    if isinstance(batches, pa.Table):
        return batches.to_batches()
    return batches


def _columns(columns: Optional[Mapping[str, str]]) -> Optional[dict]:
    return dict(columns) if columns is not None else None


def validate(version: str, action: str, kind: str, payload: Payload) -> List[Finding]:
    """Every violation of ``payload`` (a dict or JSON text) against the schema of ``action``'s
    ``kind`` (``"request"`` or ``"response"``) in ``version`` (``"1.6"``, ``"2.0.1"``,
    ``"2.1"``), in document order; empty when it is valid. Raises ``UnknownActionError`` for
    an action the version lacks and ``PayloadError`` for text that is not JSON."""
    return _native.validate(version, action, kind, _text(payload))


def decode_frame(text: str, version: str = "1.6") -> Frame:
    """Decodes one OCPP-J frame strictly; raises ``FrameError`` (with ``rule``, ``error_code``
    and ``reply_id``) when ``text`` is not one."""
    return _native.decode_frame(text, version)


def tolerant(
    version: str, action: str, kind: str, payload: Payload, profile: Optional[str] = None
) -> Tuple[Any, List[Repair], bool]:
    """Decodes ``payload`` tolerantly under a shipped profile (``None``: the rules'
    defaults): returns the normalized payload (as Python values), the repairs, and whether
    the normalized payload now decodes strictly."""
    normalized, repairs, decodes = _native.tolerant(
        version, action, kind, _text(payload), profile
    )
    return json.loads(normalized), repairs, decodes


def validate_batches(
    batches: Batches,
    version: Optional[str] = None,
    columns: Optional[Mapping[str, str]] = None,
    semantic: bool = True,
    profile: Optional[str] = None,
    keep: Optional[List[str]] = None,
) -> pa.RecordBatch:
    """Checks data-lake rows exactly as ``ocpp-validate check`` checks a lake export and
    returns the findings as one ``pyarrow.RecordBatch`` (``row``, ``line``,
    ``charge_point_id``, ``rule``, ``severity``, ``category``, ``pointer``, ``message``,
    ``error_code``, ``value``, then a copy of each column ``keep`` names, taken from the
    finding's row). The rows of each charge point must come in time order."""
    return _native.validate_batches(
        _batches(batches),
        version,
        _columns(columns),
        semantic,
        profile,
        list(keep) if keep is not None else None,
    )


def validate_batch(
    batch: pa.RecordBatch,
    version: Optional[str] = None,
    columns: Optional[Mapping[str, str]] = None,
    semantic: bool = True,
    profile: Optional[str] = None,
    keep: Optional[List[str]] = None,
) -> pa.RecordBatch:
    """:func:`validate_batches` of one batch."""
    return validate_batches([batch], version, columns, semantic, profile, keep)


def repair_batches(
    batches: Batches,
    profile: Optional[str] = None,
    version: Optional[str] = None,
    columns: Optional[Mapping[str, str]] = None,
) -> pa.RecordBatch:
    """Decodes data-lake rows tolerantly under a shipped profile, as ``ocpp-validate check
    --profile`` does: one row per row given, ``row``, ``body`` (the payload as decoded,
    repaired where the policy allows, JSON text; null where the frame cannot be read) and
    ``repairs`` (a JSON array of the row's deviations)."""
    return _native.repair_batches(
        _batches(batches), profile, version, _columns(columns)
    )


def repair(
    table: pa.Table,
    profile: Optional[str] = None,
    version: Optional[str] = None,
    columns: Optional[Mapping[str, str]] = None,
) -> pa.Table:
    """``table`` with its body column replaced by the repaired payloads (JSON text) and a
    ``repairs`` column appended (see :func:`repair_batches`)."""
    repaired = repair_batches(table, profile, version, columns)
    body = (columns or {}).get("body", "body")
    index = table.schema.get_field_index(body)
    if index < 0:
        raise ValueError(f"the table has no body column {body!r}")
    return table.set_column(index, body, repaired.column("body")).append_column(
        "repairs", repaired.column("repairs")
    )


def summarize_batches(
    batches: Batches,
    version: Optional[str] = None,
    columns: Optional[Mapping[str, str]] = None,
) -> str:
    """The summary of data-lake rows as the JSON text ``ocpp-validate summary --format json``
    writes."""
    return _native.summarize_batches(
        _batches(batches), version, _columns(columns)
    )


def summarize(
    batches: Batches,
    version: Optional[str] = None,
    columns: Optional[Mapping[str, str]] = None,
) -> Any:
    """:func:`summarize_batches`, parsed."""
    return json.loads(summarize_batches(batches, version, columns))

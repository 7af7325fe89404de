"""Typed stubs of the native module (the Rust library ``ocpp-validate``)."""

from typing import Iterable, Mapping, Optional, Tuple

import pyarrow as pa

__version__: str

class OcppError(Exception):
    """What every error of ocpp_toolkit is."""

class FrameError(OcppError):
    """A text that is not an OCPP-J frame."""

    rule: str
    error_code: Optional[str]
    reply_id: str

class PayloadError(OcppError):
    """A payload that is not JSON."""

    line: int
    column: int

class UnknownActionError(OcppError):
    """An action the version does not define."""

    version: str
    action: str

class Finding:
    """One thing a check found."""

    @property
    def rule(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def pointer(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def error_code(self) -> Optional[str]: ...
    @property
    def value(self) -> Optional[str]: ...

class Frame:
    """An OCPP-J frame, decoded strictly."""

    @property
    def message_type(self) -> str: ...
    @property
    def message_id(self) -> str: ...
    @property
    def action(self) -> Optional[str]: ...
    @property
    def payload(self) -> Optional[str]: ...
    @property
    def error_code(self) -> Optional[str]: ...

class Repair:
    """One deviation the tolerant decoder met."""

    @property
    def rule(self) -> str: ...
    @property
    def pointer(self) -> str: ...
    @property
    def original(self) -> str: ...
    @property
    def normalized(self) -> Optional[str]: ...
    @property
    def verdict(self) -> str: ...

def validate(version: str, action: str, kind: str, payload: str) -> list[Finding]: ...
def decode_frame(text: str, version: str = "1.6") -> Frame: ...
def tolerant(
    version: str, action: str, kind: str, payload: str, profile: Optional[str] = None
) -> Tuple[str, list[Repair], bool]: ...
def validate_batches(
    batches: Iterable[pa.RecordBatch],
    version: Optional[str] = None,
    columns: Optional[Mapping[str, str]] = None,
    semantic: bool = True,
    profile: Optional[str] = None,
    keep: Optional[list[str]] = None,
) -> pa.RecordBatch: ...
def repair_batches(
    batches: Iterable[pa.RecordBatch],
    profile: Optional[str] = None,
    version: Optional[str] = None,
    columns: Optional[Mapping[str, str]] = None,
) -> pa.RecordBatch: ...
def summarize_batches(
    batches: Iterable[pa.RecordBatch],
    version: Optional[str] = None,
    columns: Optional[Mapping[str, str]] = None,
) -> str: ...

"""Spark integration: check, repair and summarize OCPP data-lake rows held in a Spark DataFrame.

One DataFrame row is one OCPP-J message, with the columns the data-lake reader of
``ocpp-validate`` knows (``message_id``, ``message_type``, ``charge_point_id``, ``action``, a
timestamp such as ``write_timestamp``, ``body``; see :func:`ocpp_toolkit.validate_batches`).

:func:`validate`, :func:`repair` and :func:`summarize` shuffle the rows by charge point, sort
each partition by charge point and time, and hand each partition's Arrow batches to the Rust
pipeline in one call (``mapInArrow``), so every charge point's rows are checked by one call, in
time order, as ``ocpp-validate check`` checks a file of them. No state is shared between
partitions. Besides PySpark's own Python requirements for ``mapInArrow`` (pyarrow, pandas), an
executor needs only this package's wheel.

Example::

    from ocpp_toolkit import spark as ocpp_spark

    rows = spark.read.parquet("s3://lake/ocpp/")
    findings = ocpp_spark.validate(rows, version="1.6")
    findings.groupBy("rule").count().orderBy("count", ascending=False).show()
    charge_points, sessions = ocpp_spark.summarize(rows, version="1.6")
    repaired = ocpp_spark.repair(rows, profile="field-chargers")
"""

from __future__ import annotations

import itertools
import json
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple

import pyarrow as pa

try:
    from pyspark.sql import Column, DataFrame
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError("ocpp_toolkit.spark needs PySpark: pip install 'pyspark[sql]'") from error

__all__ = [
    "FINDINGS_SCHEMA",
    "CHARGE_POINTS_SCHEMA",
    "SESSIONS_SCHEMA",
    "SUMMARY_SCHEMA",
    "REPAIRS_COLUMN",
    "validate",
    "repair",
    "summarize",
    "summary_frame",
    "split_summary",
]

# --------------------------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------------------------

_S = T.StringType()
_L = T.LongType()
_D = T.DoubleType()


def _struct(*fields: Tuple[str, T.DataType]) -> T.StructType:
    return T.StructType([T.StructField(name, kind, True) for name, kind in fields])


#: The findings of :func:`validate`: the columns of :func:`ocpp_toolkit.validate_batches`.
#: ``row`` and ``line`` count the rows of the partition that held the finding's charge point,
#: in the order they were checked (by charge point, then time), from 0 and 1.
FINDINGS_SCHEMA = _struct(
    ("row", _L),
    ("line", _L),
    ("charge_point_id", _S),
    ("rule", _S),
    ("severity", _S),
    ("category", _S),
    ("pointer", _S),
    ("message", _S),
    ("error_code", _S),
    ("value", _S),
)

_RECENT_ERROR = _struct(("kind", _S), ("count", _L))
_BOOT = _struct(("at", _S), ("vendor", _S), ("model", _S), ("firmware", _S), ("status", _S))
_SAMPLE = _struct(
    ("at", _S),
    ("energy_wh", _D),
    ("power_w", _D),
    ("current_a", _D),
    ("voltage_v", _D),
    ("temperature", _D),
    ("soc_percent", _D),
)
_JUMP = _struct(("at", _S), ("quantity", _S), ("from", _D), ("to", _D))
_STATUS_CHANGE = _struct(("status", _S), ("at", _S), ("error_code", _S))
_CONNECTOR = _struct(
    ("connector", _S),
    ("status", _S),
    ("error_code", _S),
    ("at", _S),
    ("vendor_error_code", _S),
    ("time_in_status", T.MapType(_S, _D, True)),
    ("timeline", T.ArrayType(_STATUS_CHANGE, True)),
)
_SESSION_FIELDS: List[Tuple[str, T.DataType]] = [
    ("transaction_id", _S),
    ("connector", _S),
    ("id_tag", _S),
    ("start", _S),
    ("stop", _S),
    ("duration_seconds", _D),
    ("energy_wh", _D),
    ("idle_seconds", _D),
    ("peak_power_w", _D),
    ("average_power_w", _D),
    ("stop_reason", _S),
    ("samples", T.ArrayType(_SAMPLE, True)),
    ("jumps", T.ArrayType(_JUMP, True)),
]
_SESSION = _struct(*_SESSION_FIELDS)

_CHARGE_POINT_FIELDS: List[Tuple[str, T.DataType]] = [
    ("charge_point_id", _S),
    ("last_message", _S),
    ("messages", _L),
    ("availability", _S),
    ("errors_last_hour", _L),
    ("errors", _L),
    ("recent_errors", T.ArrayType(_RECENT_ERROR, True)),
    ("total_energy_wh", _D),
    ("average_session_seconds", _D),
    ("boots", T.ArrayType(_BOOT, True)),
    ("connectors", T.ArrayType(_CONNECTOR, True)),
]

#: One row per charge point: the members of a ``chargePoints`` entry of
#: ``ocpp-validate summary --format json`` in snake_case (``id`` is ``charge_point_id``),
#: without ``sessions`` (see :data:`SESSIONS_SCHEMA`). Nested objects stay nested (arrays of
#: structs; ``time_in_status`` a map from status to seconds). Times are the RFC 3339 text the
#: CLI prints (UTC, trailing zeros of the fraction dropped): ``F.to_timestamp(...)`` turns
#: them into Spark timestamps. JSON numbers that are counts are longs, the others doubles. A
#: member the JSON leaves out is null.
CHARGE_POINTS_SCHEMA = _struct(*_CHARGE_POINT_FIELDS)

#: One row per charging session: ``charge_point_id`` and the members of a ``sessions`` entry
#: of the summary JSON in snake_case, with the conventions of :data:`CHARGE_POINTS_SCHEMA`.
SESSIONS_SCHEMA = _struct(("charge_point_id", _S), *_SESSION_FIELDS)

#: What :func:`summary_frame` gives: :data:`CHARGE_POINTS_SCHEMA` and a ``sessions`` column,
#: an array of the sessions' structs.
SUMMARY_SCHEMA = _struct(*_CHARGE_POINT_FIELDS, ("sessions", T.ArrayType(_SESSION, True)))


def _arrow_type(kind: T.DataType) -> pa.DataType:
    """The Arrow type Spark exchanges for ``kind`` (of the few used here)."""
    if isinstance(kind, T.StringType):
        return pa.string()
    if isinstance(kind, T.LongType):
        return pa.int64()
    if isinstance(kind, T.DoubleType):
        return pa.float64()
    if isinstance(kind, T.ArrayType):
        return pa.list_(_arrow_type(kind.elementType))
    if isinstance(kind, T.MapType):
        return pa.map_(_arrow_type(kind.keyType), _arrow_type(kind.valueType))
    if isinstance(kind, T.StructType):
        return pa.struct([_arrow_field(field) for field in kind.fields])
    raise TypeError(f"no Arrow type for {kind}")  # pragma: no cover - schemas are fixed


def _arrow_field(field: T.StructField) -> pa.Field:
    return pa.field(field.name, _arrow_type(field.dataType), nullable=field.nullable)


def _arrow_schema(schema: T.StructType) -> pa.Schema:
    return pa.schema([_arrow_field(field) for field in schema.fields])


# --------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------

# The names the data-lake reader also reads a field under when ``columns`` does not rename it,
# in its order (ocpp-validate/src/trace/lake.rs).
_COMMON_NAMES: Dict[str, Tuple[str, ...]] = {
    "timestamp": ("timestamp", "write_timestamp", "created_at", "received_at", "event_time", "ts"),
    "charge_point_id": ("charge_point_id", "chargePointId", "station_id", "identity", "cp_id"),
    "body": ("body", "payload", "message"),
    "message_id": ("message_id",),
    "message_type": ("message_type",),
    "action": ("action",),
    "direction": ("direction",),
    "ocpp_version": ("ocpp_version",),
}


def _find(names: Iterable[str], present: Mapping[str, str]) -> Optional[str]:
    """The first of ``names`` that is a column (Spark column names are case-insensitive by
    default; the column's own spelling is returned)."""
    for name in names:
        if name in present.values():
            return name
    for name in names:
        if name.lower() in present:
            return present[name.lower()]
    return None


class _Plan:
    """Which DataFrame columns the pipeline reads, and how they are handed over."""

    def __init__(self, df: DataFrame, columns: Optional[Mapping[str, str]]):
        given = dict(columns or {})
        unknown = sorted(set(given) - set(_COMMON_NAMES))
        if unknown:
            raise ValueError(f"unknown column keys {unknown}; known: {sorted(_COMMON_NAMES)}")
        present = {name.lower(): name for name in df.columns}
        self.names: Dict[str, str] = {}
        for key, common in _COMMON_NAMES.items():
            if key in given:
                found = _find([given[key]], present)
                if found is None:
                    raise ValueError(
                        f"column {given[key]!r} (given for {key!r}) is not in the DataFrame; "
                        f"its columns: {df.columns}"
                    )
            else:
                found = _find(common, present)
            if found is not None:
                self.names[key] = found
        for key in ("charge_point_id", "timestamp"):
            if key not in self.names:
                raise ValueError(
                    f"no {key} column: name it with columns={{{key!r}: ...}} "
                    f"(looked for {list(_COMMON_NAMES[key])}; the DataFrame has {df.columns}); "
                    "rows are checked per charge point in time order"
                )
        if "body" not in self.names:
            raise ValueError(
                f"no body column: name it with columns={{'body': ...}} (the DataFrame has "
                f"{df.columns})"
            )
        self.types = {field.name: field.dataType for field in df.schema.fields}
        self.columns = list(df.columns)
        self.charge_point = self.names["charge_point_id"]
        self.timestamp = self.names["timestamp"]
        self.body = self.names["body"]

    def native_columns(self) -> Dict[str, str]:
        """The ``columns`` argument of the native functions: every field read, by its column."""
        return dict(self.names)

    def read(self) -> List[str]:
        """The columns the pipeline reads, once each."""
        return list(dict.fromkeys(self.names.values()))

    def handed_over(self, every_column: bool = False, keep: Iterable[str] = ()) -> List[Column]:
        """The columns given to the pipeline (with ``every_column``, all of ``df``'s, in its
        order; else those it reads and those ``keep`` names). Arrow rows become lake rows
        column by column (text, numbers, structs as objects, timestamps as RFC 3339 text in
        UTC); a map or array ``body`` has no such form and goes over as its JSON text."""
        selected = []
        names = self.columns if every_column else list(dict.fromkeys([*self.read(), *keep]))
        for name in names:
            column = F.col(f"`{name}`")
            if name == self.body and isinstance(self.types[name], (T.MapType, T.ArrayType)):
                column = F.to_json(column)
            selected.append(column.alias(name))
        return selected

    def ordered(
        self,
        df: DataFrame,
        partitions: Optional[int],
        every_column: bool = False,
        keep: Iterable[str] = (),
    ) -> DataFrame:
        """The rows the pipeline reads (with ``every_column``, all of ``df``'s columns),
        shuffled by charge point and sorted by time.

        Ties (the same time) keep the order the rows had in ``df`` (a sequence number taken
        before the shuffle). A timestamp held as text is ordered as a time where Spark can read
        it as one, else as text.
        """
        sequence = "__ocpp_sequence"
        ordered_time = "__ocpp_time"
        kind = self.types[self.timestamp]
        time = F.col(f"`{self.timestamp}`")
        if isinstance(kind, T.StringType):
            time_key = F.try_to_timestamp(time)
        else:
            time_key = time
        prepared = df.select(
            *self.handed_over(every_column, keep),
            time_key.alias(ordered_time),
            F.monotonically_increasing_id().alias(sequence),
        )
        by = F.col(f"`{self.charge_point}`")
        shuffled = (
            prepared.repartition(partitions, by)
            if partitions is not None
            else prepared.repartition(by)
        )
        return shuffled.sortWithinPartitions(
            by, F.col(ordered_time), F.col(f"`{self.timestamp}`"), F.col(sequence)
        ).drop(ordered_time, sequence)


def _rows(batches: Iterator[pa.RecordBatch]) -> Optional[Iterator[pa.RecordBatch]]:
    """The batches of a partition from its first row on, or ``None`` when it has no row: the
    pipeline is not run on an empty partition (it would report an empty input)."""
    iterator = iter(batches)
    for batch in iterator:
        if batch.num_rows > 0:
            return itertools.chain([batch], iterator)
    return None


def _native() -> Any:
    """The package's batch functions (imported on the executor)."""
    import ocpp_toolkit

    return ocpp_toolkit


# --------------------------------------------------------------------------------------------
# validate
# --------------------------------------------------------------------------------------------


def _conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """``batch`` with exactly the columns and types of ``schema`` (absent columns null)."""
    arrays = []
    for field in schema:
        index = batch.schema.get_field_index(field.name)
        if index < 0:
            arrays.append(pa.nulls(batch.num_rows, field.type))
        else:
            arrays.append(batch.column(index).cast(field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def validate(
    df: DataFrame,
    columns: Optional[Mapping[str, str]] = None,
    version: Optional[str] = None,
    semantic: bool = True,
    profile: Optional[str] = None,
    partitions: Optional[int] = None,
    keep: Optional[List[str]] = None,
) -> DataFrame:
    """Checks data-lake rows as ``ocpp-validate check`` does; returns the findings.

    ``df`` has one OCPP-J message per row (see the module's doc). ``columns`` maps the fields
    ``message_id``, ``message_type``, ``charge_point_id``, ``action``, ``body``, ``timestamp``,
    ``direction`` and ``ocpp_version`` to the columns that hold them when those differ from
    the defaults; a field left out is looked for under the data-lake reader's common names
    (the time as ``timestamp``, ``write_timestamp``, ``created_at``, …; the charge point as
    ``charge_point_id``, ``station_id``, …; the body as ``body``, ``payload``, ``message``).
    A charge point, a timestamp and a body column are required. Only the columns found are
    handed to the pipeline: text, numbers, a struct ``body`` (read as an object) and Spark
    timestamps (read as RFC 3339 text in UTC) as they are, a map or array ``body`` as its
    JSON text.

    ``version`` is ``"1.6"``, ``"2.0.1"`` or ``"2.1"`` for rows that do not name theirs;
    ``None`` guesses it from the first rows of each partition (give it, or an
    ``ocpp_version`` column, when a DataFrame mixes versions). ``semantic=False`` turns the
    semantic rules off; ``profile`` (a shipped profile's name or a TOML file present on every
    executor) decodes tolerantly, as ``--profile`` does. ``partitions`` is the number of
    partitions of the shuffle (else ``spark.sql.shuffle.partitions``).

    The rows are shuffled by charge point (``repartition``), sorted within each partition by
    charge point and time (``sortWithinPartitions``; equal times keep their order in ``df``),
    and each partition's Arrow batches go to :func:`ocpp_toolkit.validate_batches` in one call
    (``mapInArrow``): one charge point's rows are all checked by one call, in time order. The
    result has :data:`FINDINGS_SCHEMA` and is lazy like any DataFrame; ``keep`` appends a
    copy of those columns of ``df`` taken from each finding's row (``row`` and ``line`` count
    within a partition, so a key such as ``message_id`` and the time joins findings to rows).
    """
    plan = _Plan(df, columns)
    native_columns = plan.native_columns()
    keep = list(keep or [])
    for name in keep:
        if name not in df.columns:
            raise ValueError(f"keep: the DataFrame has no column {name!r}")
        if name in FINDINGS_SCHEMA.fieldNames():
            raise ValueError(f"keep: {name!r} is a column of the findings already")
    schema = T.StructType(
        FINDINGS_SCHEMA.fields
        + [T.StructField(name, df.schema[name].dataType, True) for name in keep]
    )
    target = _arrow_schema(schema)

    def check(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        rows = _rows(batches)
        if rows is None:
            return
        findings = _native().validate_batches(
            rows,
            version=version,
            columns=native_columns,
            semantic=semantic,
            profile=profile,
            keep=keep,
        )
        if findings.num_rows > 0:
            yield _conform(findings, target)

    return plan.ordered(df, partitions, keep=keep).mapInArrow(check, schema)


#: The column :func:`repair` appends: the row's deviations as a JSON array (``rule``,
#: ``severity``, ``pointer``, ``message``, ``value``); ``[]`` for a row without any.
REPAIRS_COLUMN = "repairs"


def repair(
    df: DataFrame,
    profile: Optional[str] = None,
    columns: Optional[Mapping[str, str]] = None,
    version: Optional[str] = None,
    partitions: Optional[int] = None,
) -> DataFrame:
    """Decodes data-lake rows tolerantly, as ``ocpp-validate check --profile`` does, and
    returns them repaired: every column of ``df``, the body column replaced by the payload as
    decoded (repaired where the profile allows; JSON text, null where the row's frame cannot
    be read), and a ``repairs`` column appended (:data:`REPAIRS_COLUMN`).

    ``profile`` is a shipped profile's name or a TOML file present on every executor
    (``None``: the rules' defaults); ``columns``, ``version`` and ``partitions`` are those of
    :func:`validate`, and the rows reach :func:`ocpp_toolkit.repair_batches` the same way, one
    call per partition, so the result comes by charge point in time order, not in ``df``'s
    order. Unlike :func:`validate`, each call holds its partition's rows until the pipeline
    has read them all, to put the repaired bodies back beside them.
    """
    plan = _Plan(df, columns)
    native_columns = plan.native_columns()
    read = plan.read()
    body = plan.body
    prepared = plan.ordered(df, partitions, every_column=True)
    if REPAIRS_COLUMN in prepared.columns:
        raise ValueError(f"df already has a {REPAIRS_COLUMN!r} column")
    schema = T.StructType(
        [T.StructField(f.name, _S, True) if f.name == body else f for f in prepared.schema.fields]
        + [T.StructField(REPAIRS_COLUMN, _S, True)]
    )
    names = schema.fieldNames()

    def repair_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        rows = _rows(batches)
        if rows is None:
            return
        kept: List[pa.RecordBatch] = []

        def handed(source: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            for batch in source:
                kept.append(batch)
                yield batch.select(read)

        repaired = _native().repair_batches(
            handed(rows), profile=profile, version=version, columns=native_columns
        )
        if repaired.num_rows != sum(batch.num_rows for batch in kept):
            raise RuntimeError("repair_batches did not give one row per row")
        offset = 0
        for batch in kept:
            part = repaired.slice(offset, batch.num_rows)
            offset += batch.num_rows
            arrays = []
            for name in names:
                if name == body:
                    arrays.append(part.column("body").cast(pa.string()))
                elif name == REPAIRS_COLUMN:
                    arrays.append(part.column("repairs").cast(pa.string()))
                else:
                    arrays.append(batch.column(name))
            yield pa.RecordBatch.from_arrays(arrays, names=names)

    return prepared.mapInArrow(repair_partition, schema)


# --------------------------------------------------------------------------------------------
# summarize
# --------------------------------------------------------------------------------------------


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _converter(kind: T.DataType) -> Callable[[Any], Any]:
    """Turns a JSON value of the summary into the Python value Arrow builds ``kind`` from."""
    if isinstance(kind, T.StructType):
        members = [
            (
                "id" if field.name == "charge_point_id" else _camel(field.name),
                field.name,
                _converter(field.dataType),
            )
            for field in kind.fields
        ]

        def struct(value: Any) -> Any:
            if value is None:
                return None
            return {name: convert(value.get(key)) for key, name, convert in members}

        return struct
    if isinstance(kind, T.ArrayType):
        element = _converter(kind.elementType)
        return lambda value: None if value is None else [element(v) for v in value]
    if isinstance(kind, T.MapType):
        key_of = _converter(kind.keyType)
        value_of = _converter(kind.valueType)
        return lambda value: (
            None if value is None else [(key_of(k), value_of(v)) for k, v in value.items()]
        )
    if isinstance(kind, T.DoubleType):
        return lambda value: None if value is None else float(value)
    if isinstance(kind, T.LongType):
        return lambda value: None if value is None else int(value)
    return lambda value: None if value is None else str(value)


def summary_frame(
    df: DataFrame,
    columns: Optional[Mapping[str, str]] = None,
    version: Optional[str] = None,
    partitions: Optional[int] = None,
) -> DataFrame:
    """The summary of ``ocpp-validate summary --format json`` as one row per charge point,
    its sessions nested (:data:`SUMMARY_SCHEMA`).

    ``columns``, ``version`` and ``partitions`` are those of :func:`validate`
    (:func:`ocpp_toolkit.summarize_batches` always runs the semantic rules and the strict
    decoder). Each partition's rows (by charge point, in
    time order) go to :func:`ocpp_toolkit.summarize_batches` in one call; its JSON becomes
    rows. :func:`summarize` splits this frame in two; cache it first
    (``summary_frame(df).cache()``, then :func:`split_summary`) when both halves are used, or
    the pipeline runs once for each.
    """
    plan = _Plan(df, columns)
    native_columns = plan.native_columns()
    target = _arrow_schema(SUMMARY_SCHEMA)
    row_of = _converter(SUMMARY_SCHEMA)

    def summarize_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        rows = _rows(batches)
        if rows is None:
            return
        text = _native().summarize_batches(rows, version=version, columns=native_columns)
        points = [row_of(entry) for entry in json.loads(text).get("chargePoints", [])]
        if points:
            yield pa.RecordBatch.from_pylist(points, schema=target)

    return plan.ordered(df, partitions).mapInArrow(summarize_partition, SUMMARY_SCHEMA)


def split_summary(frame: DataFrame) -> Tuple[DataFrame, DataFrame]:
    """``(charge_points, sessions)`` of a :func:`summary_frame`: the frame without its
    ``sessions`` column (:data:`CHARGE_POINTS_SCHEMA`), and one row per session
    (:data:`SESSIONS_SCHEMA`)."""
    charge_points = frame.select(*[F.col(f"`{f.name}`") for f in CHARGE_POINTS_SCHEMA.fields])
    sessions = frame.select(
        F.col("charge_point_id"), F.explode(F.col("sessions")).alias("session")
    ).select(
        F.col("charge_point_id"),
        *[F.col("session").getField(name).alias(name) for name, _ in _SESSION_FIELDS],
    )
    return charge_points, sessions


def summarize(
    df: DataFrame,
    columns: Optional[Mapping[str, str]] = None,
    version: Optional[str] = None,
    partitions: Optional[int] = None,
) -> Tuple[DataFrame, DataFrame]:
    """Summarizes data-lake rows as ``ocpp-validate summary --format json`` does.

    Returns ``(charge_points, sessions)``: one row per charge point
    (:data:`CHARGE_POINTS_SCHEMA`: last message, messages, availability, errors, boots,
    connectors, …) and one row per charging session (:data:`SESSIONS_SCHEMA`: transaction
    id, connector, id tag, start, stop, duration, energy, idle time, power, stop reason,
    samples, jumps). ``columns``, ``version`` and ``partitions`` are those of
    :func:`validate`, and the rows reach the pipeline the same way. Both DataFrames come from
    one :func:`summary_frame`; evaluating both runs the pipeline twice unless that frame is
    cached (see :func:`summary_frame`).
    """
    return split_summary(summary_frame(df, columns, version, partitions))

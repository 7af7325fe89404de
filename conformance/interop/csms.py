"""A small CSMS built on the PyPI `ocpp` (2.1.0) and `websockets` packages, serving OCPP 1.6,
2.0.1 and 2.1 on 127.0.0.1, for the runner's interop test.

It also serves the trigger URL convention on a second port:
POST /api/octt/{1.6|2.0.1|2.1}/{identity}/call/{Action} with the OCPP payload (camelCase JSON) as
body sends that CALL to the connected station and answers, once the station has answered,
200 with its CALLRESULT payload (404 no such station or path, 409 other version, 502 a
CALLERROR, 504 no answer).

Usage: python3 csms.py PORT API_PORT  (prints "ready" once listening)
"""

import asyncio
import json
import sys
from datetime import datetime, timezone

import websockets
from ocpp.charge_point import (
    camel_to_snake_case,
    remove_nones,
    serialize_as_dict,
    snake_to_camel_case,
)
from ocpp.exceptions import OCPPError
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201
from ocpp.v21 import ChargePoint as ChargePoint21
from ocpp.v21 import call as call21
from ocpp.v21 import call_result as result21

# Connected stations by identity: (OCPP version, ChargePoint).
STATIONS = {}
CALLS = {"1.6": call16, "2.0.1": call201, "2.1": call21}


def now():
    return datetime.now(timezone.utc).isoformat()


class Csms16(ChargePoint16):
    @on("BootNotification")
    def on_boot(self, **_):
        return result16.BootNotification(current_time=now(), interval=300, status="Accepted")

    @on("Heartbeat")
    def on_heartbeat(self, **_):
        return result16.Heartbeat(current_time=now())

    @on("Authorize")
    def on_authorize(self, id_tag, **_):
        status = "Invalid" if id_tag.startswith("INVALID") else "Accepted"
        return result16.Authorize(id_tag_info={"status": status})

    @on("StartTransaction")
    def on_start(self, **_):
        return result16.StartTransaction(transaction_id=1, id_tag_info={"status": "Accepted"})

    @on("StopTransaction")
    def on_stop(self, **_):
        return result16.StopTransaction()

    @on("MeterValues")
    def on_meter_values(self, **_):
        return result16.MeterValues()

    @on("StatusNotification")
    def on_status(self, **_):
        return result16.StatusNotification()

    @on("DataTransfer")
    def on_data_transfer(self, **_):
        return result16.DataTransfer(status="UnknownVendorId")


def ocpp2_csms(charge_point, result):
    """The CSMS class of a version with 2.0.1's message shapes (2.0.1, 2.1), on its own types."""

    class Csms(charge_point):
        @on("BootNotification")
        def on_boot(self, **_):
            return result.BootNotification(current_time=now(), interval=300, status="Accepted")

        @on("Heartbeat")
        def on_heartbeat(self, **_):
            return result.Heartbeat(current_time=now())

        @on("Authorize")
        def on_authorize(self, id_token, **_):
            status = "Invalid" if id_token["id_token"].startswith("INVALID") else "Accepted"
            return result.Authorize(id_token_info={"status": status})

        @on("TransactionEvent")
        def on_transaction_event(self, **kwargs):
            if "id_token" in kwargs:
                return result.TransactionEvent(id_token_info={"status": "Accepted"})
            return result.TransactionEvent()

        @on("MeterValues")
        def on_meter_values(self, **_):
            return result.MeterValues()

        @on("StatusNotification")
        def on_status(self, **_):
            return result.StatusNotification()

        @on("DataTransfer")
        def on_data_transfer(self, **_):
            return result.DataTransfer(status="UnknownVendorId")

    return Csms


Csms201 = ocpp2_csms(ChargePoint201, result201)
Csms21 = ocpp2_csms(ChargePoint21, result21)


async def handler(connection):
    identity = connection.request.path.rstrip("/").split("/")[-1]
    if connection.subprotocol == "ocpp1.6":
        version, station = "1.6", Csms16(identity, connection)
    elif connection.subprotocol == "ocpp2.0.1":
        version, station = "2.0.1", Csms201(identity, connection)
    elif connection.subprotocol == "ocpp2.1":
        version, station = "2.1", Csms21(identity, connection)
    else:
        await connection.close()
        return
    STATIONS[identity] = (version, station)
    try:
        await station.start()
    except websockets.exceptions.ConnectionClosed:
        pass
    finally:
        if STATIONS.get(identity, (None, None))[1] is station:
            del STATIONS[identity]


async def trigger(method, path, body):
    """The status and JSON body answering one trigger API request."""
    parts = path.split("/")
    if method != "POST" or len(parts) != 7 or parts[1:3] != ["api", "octt"] or parts[5] != "call":
        return 404, {"error": "not /api/octt/{version}/{identity}/call/{action}"}
    version, identity, action = parts[3], parts[4], parts[6]
    if identity not in STATIONS:
        return 404, {"error": f"no station {identity} is connected"}
    connected, station = STATIONS[identity]
    if connected != version or version not in CALLS:
        return 409, {"error": f"{identity} speaks OCPP {connected}"}
    request_type = getattr(CALLS[version], action, None)
    if request_type is None:
        return 404, {"error": f"unknown action {action}"}
    try:
        payload = json.loads(body or b"{}")
        request = request_type(**camel_to_snake_case(payload))
    except (ValueError, TypeError) as error:
        return 400, {"error": str(error)}
    try:
        answer = await station.call(request, suppress=False)
    except OCPPError as error:
        return 502, {"error": str(error)}
    except asyncio.TimeoutError:
        return 504, {"error": f"{identity} did not answer"}
    return 200, remove_nones(snake_to_camel_case(serialize_as_dict(answer)))


async def serve_trigger_api(reader, writer):
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        body = await asyncio.wait_for(reader.readexactly(length), 10) if length else b""
        status, answer = await trigger(method, path, body)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ValueError):
        status, answer = 400, {"error": "the request cannot be read"}
    text = json.dumps(answer).encode()
    writer.write(
        f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(text)}\r\nConnection: close\r\n\r\n".encode() + text
    )
    await writer.drain()
    writer.close()


async def main(port, api_port):
    async with websockets.serve(
        handler, "127.0.0.1", port, subprotocols=["ocpp2.1", "ocpp2.0.1", "ocpp1.6"]
    ):
        api = await asyncio.start_server(serve_trigger_api, "127.0.0.1", api_port)
        async with api:
            print("ready", flush=True)
            await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))

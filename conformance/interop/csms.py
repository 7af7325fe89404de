"""A small CSMS built on the PyPI `ocpp` (2.1.0) and `websockets` packages, serving OCPP 1.6
and 2.0.1 on 127.0.0.1, for the runner's interop test.

Usage: python3 csms.py PORT  (prints "ready" once listening)
"""

import asyncio
import sys
from datetime import datetime, timezone

import websockets
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call_result as result201


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


class Csms201(ChargePoint201):
    @on("BootNotification")
    def on_boot(self, **_):
        return result201.BootNotification(current_time=now(), interval=300, status="Accepted")

    @on("Heartbeat")
    def on_heartbeat(self, **_):
        return result201.Heartbeat(current_time=now())

    @on("Authorize")
    def on_authorize(self, id_token, **_):
        status = "Invalid" if id_token["id_token"].startswith("INVALID") else "Accepted"
        return result201.Authorize(id_token_info={"status": status})

    @on("TransactionEvent")
    def on_transaction_event(self, **kwargs):
        if "id_token" in kwargs:
            return result201.TransactionEvent(id_token_info={"status": "Accepted"})
        return result201.TransactionEvent()

    @on("MeterValues")
    def on_meter_values(self, **_):
        return result201.MeterValues()

    @on("StatusNotification")
    def on_status(self, **_):
        return result201.StatusNotification()

    @on("DataTransfer")
    def on_data_transfer(self, **_):
        return result201.DataTransfer(status="UnknownVendorId")


async def handler(connection):
    identity = connection.request.path.rstrip("/").split("/")[-1]
    if connection.subprotocol == "ocpp1.6":
        station = Csms16(identity, connection)
    elif connection.subprotocol == "ocpp2.0.1":
        station = Csms201(identity, connection)
    else:
        await connection.close()
        return
    try:
        await station.start()
    except websockets.exceptions.ConnectionClosed:
        pass


async def main(port):
    async with websockets.serve(
        handler, "127.0.0.1", port, subprotocols=["ocpp2.0.1", "ocpp1.6"]
    ):
        print("ready", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))

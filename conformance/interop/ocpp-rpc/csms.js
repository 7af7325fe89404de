// A small CSMS built on the npm package `ocpp-rpc` in strict mode (every CALL and answer is
// checked against the official schemas by the library), serving OCPP 1.6 and 2.0.1 on
// 127.0.0.1, for the runner's interop test.
//
// Beside the WebSocket endpoint, the same port serves the HTTP trigger convention of the open
// pytest CSMS suite: POST /api/octt/{1.6|2.0.1}/{identity}/call/{Action} with the OCPP payload
// as the JSON body makes this CSMS send that CALL to the connected station; the response is the
// station's answer (200) once it came, 404 when the station is not connected, 502 when the call
// failed.
//
// Usage: node csms.js PORT   (prints "ready" once listening)

'use strict';

const http = require('http');
const { RPCServer } = require('ocpp-rpc');

const VERSIONS = { '1.6': 'ocpp1.6', '2.0.1': 'ocpp2.0.1' };
const MAX_BODY = 1 << 20;

const stations = new Map();
let nextTransactionId = 1;

function now() {
  return new Date().toISOString();
}

function handle16(client) {
  client.handle('BootNotification', () => ({ currentTime: now(), interval: 300, status: 'Accepted' }));
  client.handle('Heartbeat', () => ({ currentTime: now() }));
  client.handle('Authorize', ({ params }) => ({
    idTagInfo: { status: params.idTag.startsWith('INVALID') ? 'Invalid' : 'Accepted' },
  }));
  client.handle('StartTransaction', () => ({
    transactionId: nextTransactionId++,
    idTagInfo: { status: 'Accepted' },
  }));
  client.handle('StopTransaction', () => ({}));
  client.handle('MeterValues', () => ({}));
  client.handle('StatusNotification', () => ({}));
  client.handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
}

function handle201(client) {
  client.handle('BootNotification', () => ({ currentTime: now(), interval: 300, status: 'Accepted' }));
  client.handle('Heartbeat', () => ({ currentTime: now() }));
  client.handle('Authorize', ({ params }) => ({
    idTokenInfo: { status: params.idToken.idToken.startsWith('INVALID') ? 'Invalid' : 'Accepted' },
  }));
  client.handle('TransactionEvent', ({ params }) =>
    params.idToken ? { idTokenInfo: { status: 'Accepted' } } : {});
  client.handle('MeterValues', () => ({}));
  client.handle('StatusNotification', () => ({}));
  client.handle('NotifyReport', () => ({}));
  client.handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
}

const rpc = new RPCServer({
  protocols: ['ocpp1.6', 'ocpp2.0.1'],
  strictMode: true,
  callTimeoutMs: 30000,
});

rpc.auth((accept) => accept());

rpc.on('client', (client) => {
  stations.set(client.identity, client);
  client.once('close', () => {
    if (stations.get(client.identity) === client) {
      stations.delete(client.identity);
    }
  });
  if (client.protocol === 'ocpp1.6') {
    handle16(client);
  } else {
    handle201(client);
  }
});

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function trigger(req, res) {
  const match = /^\/api\/octt\/([^/]+)\/([^/]+)\/call\/([A-Za-z0-9]+)$/.exec(req.url);
  if (req.method !== 'POST' || !match) {
    reply(res, 404, { error: `no route ${req.method} ${req.url}` });
    return;
  }
  const [, version, identity, action] = match;
  const protocol = VERSIONS[version];
  const station = stations.get(decodeURIComponent(identity));
  if (!protocol) {
    reply(res, 404, { error: `unknown OCPP version ${version}` });
    return;
  }
  if (!station || station.protocol !== protocol) {
    reply(res, 404, { error: `station ${identity} is not connected with ${protocol}` });
    return;
  }
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => {
    text += chunk;
    if (text.length > MAX_BODY) {
      reply(res, 413, { error: 'body too large' });
      req.destroy();
    }
  });
  req.on('end', async () => {
    let payload;
    try {
      payload = text.trim() === '' ? {} : JSON.parse(text);
    } catch (err) {
      reply(res, 400, { error: `body is not JSON: ${err.message}` });
      return;
    }
    try {
      reply(res, 200, await station.call(action, payload));
    } catch (err) {
      reply(res, 502, { error: `${action} failed: ${err.message}` });
    }
  });
}

const server = http.createServer(trigger);
server.on('upgrade', rpc.handleUpgrade);
server.listen(Number(process.argv[2]), '127.0.0.1', () => {
  process.stdout.write('ready\n');
});

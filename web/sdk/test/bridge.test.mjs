// The SDK (tandem.js) against a fake bridge (fake-bridge.mjs): a real WebSocket server on
// 127.0.0.1 speaking tandem.v1, reached through a real WebSocket client — undici's, the WHATWG
// implementation that browsers' API follows and that Node itself exposes as a global from Node 22
// on (Node 20, which this project's machines have, has it only behind a flag). Peer connections and
// media are still fakes (fake-browser.mjs): Node has no WebRTC.
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket as WhatwgWebSocket } from 'undici';
import { FakeBridge, RpcError } from './fake-bridge.mjs';
import { installFakeBrowser } from './fake-browser.mjs';

const APP_ORIGIN = 'https://app.test';
/** The Origin the next sockets send, as a browser sends its page's. */
let pageOrigin = APP_ORIGIN;

/** A browser's WebSocket: the page's Origin goes with the upgrade request. */
globalThis.WebSocket = class PageWebSocket extends WhatwgWebSocket {
  constructor(url, protocols) {
    super(url, { protocols, headers: pageOrigin ? { origin: pageOrigin } : {} });
  }
};
installFakeBrowser();

const { connect, TandemError } = await import('../tandem.js');

let bridge;
const clients = [];

beforeEach(async () => {
  pageOrigin = APP_ORIGIN;
  bridge = await FakeBridge.start({
    users: { alice: 'alice-dev' },
    tokens: { 'token-for-bob': 'bob' },
    allowedOrigins: [APP_ORIGIN],
  });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await bridge.stop();
});

/** Connects as alice (or with other options) and keeps the client for cleanup. */
async function signIn(options = {}) {
  const client = await connect({ url: bridge.url, user: 'alice', password: 'alice-dev', ...options });
  clients.push(client);
  return client;
}

/** Records a client's or call's events in order, as [event, value] pairs. */
function record(emitter, events) {
  const seen = [];
  for (const event of events) emitter.on(event, (value) => seen.push([event, value]));
  return seen;
}

/** Resolves with the first value of an emitter's event. */
function next(emitter, event) {
  return new Promise((resolve) => {
    const fn = (value) => {
      emitter.off(event, fn);
      resolve(value);
    };
    emitter.on(event, fn);
  });
}

/** Rejects with `what` unless the promise settles within 3 s. */
function within(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within 3 s`)), 3000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** An answered call from alice to bob. */
async function activeCall(client) {
  const call = await client.call('bob');
  const active = next(call, 'state');
  bridge.notify(bridge.session('alice'), 'call.answered', { callId: call.id, sdp: 'v=0 answer', dtmf: 'info' });
  assert.equal(await within(active, 'answer'), 'active');
  return call;
}

test('signs in with a user and password over tandem.v1, with the page origin', async () => {
  const client = await signIn();
  assert.equal(client.user, 'alice');
  assert.equal(client.sessionId, bridge.session('alice').id);
  assert.deepEqual(client.iceServers, bridge.iceServers);
  assert.equal(bridge.connections.length, 1);
  assert.equal(bridge.connections[0].protocol, 'tandem.v1');
  assert.equal(bridge.connections[0].origin, APP_ORIGIN);
});

test('signs in with a token', async () => {
  const client = await signIn({ user: undefined, password: undefined, token: 'token-for-bob' });
  assert.equal(client.user, 'bob');
  assert.ok(bridge.session('bob'));
});

test('a wrong password rejects connect() with 4002 and closes the socket', async () => {
  const refused = await connect({ url: bridge.url, user: 'alice', password: 'guess' }).catch((e) => e);
  assert.ok(refused instanceof TandemError);
  assert.equal(refused.code, 4002);
  assert.equal(refused.message, 'authentication failed');
  await bridge.until(() => bridge.connections[0].closeCode !== null, 'the socket closed');
  assert.equal(bridge.connections[0].closeCode, 1000, 'closed cleanly, not left open with its ping');
});

test('a throttled sign-in rejects with 4029 and says when to try again (data.retryAfter)', async () => {
  bridge.throttledFor = 7;
  const refused = await connect({ url: bridge.url, user: 'alice', password: 'alice-dev' }).catch((e) => e);
  assert.equal(refused.code, 4029);
  assert.deepEqual(refused.data, { retryAfter: 7 });
  bridge.throttledFor = null;
  const client = await signIn();
  assert.equal(client.user, 'alice', 'the same options work once the throttle is over');
});

test('an origin the bridge does not allow is reported as 4403 and not retried', async () => {
  pageOrigin = 'https://evil.test';
  const refused = await connect({ url: bridge.url, user: 'alice', password: 'alice-dev' }).catch((e) => e);
  assert.ok(refused instanceof TandemError);
  assert.equal(refused.code, 4403);
  assert.equal(refused.message, 'origin not allowed: https://evil.test');
  // the SDK's first reconnect would come after 250 ms
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(bridge.connections.length, 1, 'no second attempt');
});

test('a placed call goes calling, ringing, early, active, ended, in the order of the events', async () => {
  const client = await signIn();
  let outgoing = null;
  client.on('outgoing', (call) => (outgoing = call));
  const call = await client.call('bob');
  assert.equal(call, outgoing);
  assert.deepEqual((await bridge.request('call.invite')).params, { to: 'bob', sdp: 'v=0 local-offer' });
  assert.equal(call.id, 'c1');
  assert.equal(client.calls.get('c1'), call);
  const seen = record(call, ['state', 'dtmf', 'ended']);
  const ended = next(call, 'ended');
  const alice = bridge.session('alice');
  bridge.notify(alice, 'call.ringing', { callId: 'c1' });
  bridge.notify(alice, 'call.progress', { callId: 'c1', sdp: 'v=0 early' });
  bridge.notify(alice, 'call.answered', { callId: 'c1', sdp: 'v=0 answer', dtmf: 'rfc4733' });
  bridge.notify(alice, 'call.dtmf', { callId: 'c1', digit: '5' });
  bridge.notify(alice, 'call.ended', { callId: 'c1', reason: 'remote-hangup', sipCode: 200 });
  await within(ended, "'ended'");
  assert.deepEqual(seen, [
    ['state', 'ringing'],
    ['state', 'early'],
    ['state', 'active'],
    ['dtmf', '5'],
    ['state', 'ended'],
    ['ended', { reason: 'remote-hangup', sipCode: 200, sipReason: undefined }],
  ]);
  assert.equal(call.dtmfMethod, 'rfc4733');
  assert.equal(call.pc.closed, true, 'the peer connection is closed at the end');
  assert.equal(client.calls.size, 0);
});

test('a call the dial plan forbids rejects with 4003 and ends as failed', async () => {
  bridge.onInvite = () => {
    throw new RpcError(4003, 'forbidden');
  };
  const client = await signIn();
  let outgoing = null;
  client.on('outgoing', (call) => (outgoing = call));
  const refused = await client.call('+15550100').catch((e) => e);
  assert.equal(refused.code, 4003);
  assert.equal(refused.message, 'forbidden');
  assert.equal(outgoing.state, 'ended');
  assert.equal(outgoing.endReason, 'failed');
});

test('an incoming call is answered with the browser answer, then hung up', async () => {
  const client = await signIn();
  const incoming = next(client, 'incoming');
  bridge.ring(bridge.session('alice'), { callId: 'in1', from: 'carol', sdp: 'v=0 offer' });
  const call = await within(incoming, 'incoming call');
  assert.equal(call.direction, 'incoming');
  assert.equal(call.state, 'ringing');
  assert.deepEqual(call.caller, { user: 'carol' });
  await call.answer();
  assert.deepEqual((await bridge.request('call.answer')).params, { callId: 'in1', sdp: 'v=0 local-answer' });
  assert.equal(call.state, 'active');
  assert.equal(call.pc.remoteDescription.sdp, 'v=0 offer');
  await call.hangup();
  assert.deepEqual((await bridge.request('call.hangup')).params, { callId: 'in1' });
  assert.equal(call.endReason, 'hangup');
});

test('an incoming call is rejected as busy', async () => {
  const client = await signIn();
  const incoming = next(client, 'incoming');
  bridge.ring(bridge.session('alice'), { callId: 'in2', from: 'carol', sdp: 'v=0 offer' });
  const call = await within(incoming, 'incoming call');
  await call.reject('busy');
  assert.deepEqual((await bridge.request('call.reject')).params, { callId: 'in2', reason: 'busy' });
  assert.equal(call.state, 'ended');
  assert.equal(bridge.session('alice').calls.size, 0);
});

test("the bridge's protocol errors reach the app as TandemErrors; a bad frame does not break the session", async () => {
  const client = await signIn();
  const invalid = await client.request('call.invite', { to: 'bob' }).catch((e) => e);
  assert.equal(invalid.code, -32602);
  assert.equal(invalid.message, 'params.sdp: required');
  const unknown = await client.request('call.fly').catch((e) => e);
  assert.equal(unknown.code, -32601);
  const noCall = await client.request('call.hangup', { callId: 'nope' }).catch((e) => e);
  assert.equal(noCall.code, 4004);

  bridge.onInvite = () => {
    throw new RpcError(4088, 'bad SDP', { line: 3, reason: 'm= needs <media> <port> <proto> <fmt>' });
  };
  const badSdp = await client.call('bob').catch((e) => e);
  assert.equal(badSdp.code, 4088);
  assert.deepEqual(badSdp.data, { line: 3, reason: 'm= needs <media> <port> <proto> <fmt>' });

  // an error without an id (the bridge could not read a frame) is emitted as 'error'
  const error = next(client, 'error');
  bridge.sendRaw(bridge.session('alice'), 'this is not JSON');
  bridge.sendRaw(bridge.session('alice'), JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } }));
  const emitted = await within(error, "'error'");
  assert.equal(emitted.code, -32700);
  assert.ok((await client.request('ping')).time > 0, 'the session still answers');
});

test('a dropped connection reconnects and resumes: the call goes on and queued events follow', async () => {
  const client = await signIn();
  const call = await activeCall(client);
  const seen = record(client, ['disconnected', 'reconnecting', 'resumed']);
  const resumed = next(client, 'resumed');
  const alice = bridge.session('alice');
  const firstToken = alice.resumeToken;
  const dtmf = next(call, 'dtmf');
  bridge.drop(alice);
  await bridge.until(() => alice.socket === null, 'the socket dropped');
  bridge.notify(alice, 'call.dtmf', { callId: call.id, digit: '#' }); // queued while away
  await within(resumed, "'resumed'");
  assert.equal(await within(dtmf, 'the queued event'), '#');
  assert.deepEqual(seen.map(([event]) => event), ['disconnected', 'reconnecting', 'resumed']);
  assert.equal(seen[0][1].code, 1006);
  assert.deepEqual(seen[2][1].calls, [{ callId: call.id, state: 'calling', direction: 'outgoing', peer: 'bob' }]);
  assert.equal(bridge.connections.length, 2);
  assert.equal(bridge.connections[1].session, alice);
  assert.equal(bridge.connections[0].url, '/ws', 'the first connection goes to the URL given');
  assert.equal(bridge.connections[1].url, '/ws?node=edge-1', 'the reconnect names the node holding the session');
  assert.equal(client.node, 'edge-1');
  assert.notEqual(alice.resumeToken, firstToken, 'the fresh token of every resume is kept');
  assert.equal(call.state, 'active');
  await call.hangup();
  assert.deepEqual((await bridge.request('call.hangup')).params, { callId: call.id }, 'the call works after the resume');
});

test('a resume the bridge no longer knows (4010) ends the calls as resume-expired', async () => {
  const client = await signIn();
  const call = await activeCall(client);
  const error = next(client, 'error');
  const ended = next(call, 'ended');
  const alice = bridge.session('alice');
  bridge.expire(alice);
  bridge.drop(alice);
  assert.equal((await within(error, "'error'")).code, 4010);
  assert.deepEqual(await within(ended, "'ended'"), { reason: 'resume-expired' });
  await bridge.until(() => bridge.connections[1]?.closeCode !== null, 'the second socket closed');
  assert.equal(bridge.connections[1].closeCode, 1000);
});

test('a session resumed elsewhere (4409) is not resumed again', async () => {
  const client = await signIn();
  const disconnected = next(client, 'disconnected');
  const alice = bridge.session('alice');
  const other = new WhatwgWebSocket(bridge.url, 'tandem.v1');
  await new Promise((resolve) => (other.onopen = resolve));
  other.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session.resume', params: { resumeToken: alice.resumeToken } }));
  assert.equal((await within(disconnected, "'disconnected'")).code, 4409);
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(bridge.connections.length, 2, 'no reconnect after 4409');
  other.close();
});

test('a session an administrator ended (4410) is not resumed', async () => {
  const client = await signIn();
  const disconnected = next(client, 'disconnected');
  bridge.session('alice').socket.close(4410, 'disconnected by an administrator');
  assert.equal((await within(disconnected, "'disconnected'")).code, 4410);
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(bridge.connections.length, 1, 'no reconnect after 4410');
});

test('close() hangs up the calls, then closes with 1000, which ends the session at once', async () => {
  const client = await signIn();
  const call = await activeCall(client);
  const seen = record(client, ['reconnecting']);
  client.close();
  await bridge.until(() => bridge.connections[0].closeCode !== null, 'the socket closed');
  assert.deepEqual(bridge.received('call.hangup').map((r) => r.params), [{ callId: call.id }]);
  assert.equal(bridge.connections[0].closeCode, 1000);
  assert.equal(bridge.connections[0].closeReason, 'client closed');
  assert.equal(bridge.sessions.size, 0, 'the bridge ended the session');
  assert.equal(call.state, 'ended');
  await new Promise((r) => setTimeout(r, 400));
  assert.deepEqual(seen, [], 'no reconnect after close()');
});

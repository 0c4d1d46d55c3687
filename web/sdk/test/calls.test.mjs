// Unit tests of the SDK's call handling (tandem.js) under Node's built-in test runner (`npm test`
// in web/sdk): the WebSocket too is a fake here, so that each test decides exactly when each of the
// bridge's frames arrives and when the peer connection's promises settle (bridge.test.mjs runs the
// SDK against a real WebSocket server instead).
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakePeerConnection, captures, installFakeBrowser } from './fake-browser.mjs';

/** A promise with its resolve function, to settle when a test says so. */
function deferred() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets every queued task and microtask run (a frame arrives as a task of its own). */
const settle = () => new Promise((r) => setTimeout(r, 0));

async function until(condition, what) {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await settle();
  }
  assert.fail(`never happened: ${what}`);
}

/** The bridge end of the socket: what the SDK sent, and frames pushed to it. */
class FakeWebSocket {
  static OPEN = 1;
  static last = null;
  constructor(url, protocol) {
    this.url = url;
    this.protocol = protocol;
    this.readyState = 0;
    this.sent = [];
    FakeWebSocket.last = this;
    setTimeout(() => {
      this.readyState = FakeWebSocket.OPEN;
      this.onopen?.();
    }, 0);
  }
  send(text) {
    this.sent.push(JSON.parse(text));
  }
  close(code = 1000) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code, reason: '' }), 0);
  }
  /** Delivers one frame from the bridge, as its own task. */
  async push(frame) {
    this.onmessage({ data: JSON.stringify({ jsonrpc: '2.0', ...frame }) });
    await settle();
  }
  request(method) {
    return this.sent.find((f) => f.method === method);
  }
  requests(method) {
    return this.sent.filter((f) => f.method === method);
  }
  async reply(method, result) {
    await until(() => this.request(method), `${method} sent`);
    await this.push({ id: this.request(method).id, result });
  }
}

globalThis.WebSocket = FakeWebSocket;
installFakeBrowser();

const { connect } = await import('../tandem.js');

const clients = [];
afterEach(async () => {
  // stops the SDK's ping and fails its pending requests, so that no timer keeps Node alive
  clients.splice(0).forEach((c) => c.close());
  await settle();
});

/** A client authenticated as alice, and the socket the bridge sees. */
async function alice(options = {}) {
  FakePeerConnection.log = [];
  const connecting = connect({ url: 'ws://bridge.test/ws', user: 'alice', password: 'alice-dev', ...options });
  await until(() => FakeWebSocket.last?.readyState === FakeWebSocket.OPEN, 'socket open');
  const ws = FakeWebSocket.last;
  await ws.reply('session.authenticate', {
    user: 'alice', sessionId: 's1', resumeToken: 'r1', resumeGraceSeconds: 30, iceServers: [], calls: [],
  });
  const client = await connecting;
  clients.push(client);
  return { client, ws };
}

/** Alice's call to bob, accepted by the bridge as {@code callId}. */
async function placedCall(ws, client, callId) {
  const placed = client.call('bob');
  await ws.reply('call.invite', { callId });
  return placed;
}

test('hangup while call.invite is in flight hangs the call up as soon as its callId is known', async () => {
  const { client, ws } = await alice();
  let outgoing = null;
  client.on('outgoing', (call) => (outgoing = call));
  const placed = client.call('bob');
  await until(() => ws.request('call.invite'), 'call.invite sent');
  assert.ok(outgoing, "the 'outgoing' event hands the app the call before the bridge answers");
  await outgoing.hangup();
  assert.equal(outgoing.state, 'ended', 'the call ends locally at once');
  assert.equal(outgoing.endReason, 'hangup');
  assert.deepEqual(ws.requests('call.hangup'), [], 'no callId yet: nothing to hang up');

  await ws.push({ id: ws.request('call.invite').id, result: { callId: 'c1' } });
  const call = await placed;
  assert.equal(call, outgoing);
  assert.equal(call.state, 'ended');
  assert.deepEqual(
    ws.requests('call.hangup').map((r) => r.params),
    [{ callId: 'c1' }],
    'call.hangup goes out once the callId is known, so the callee stops ringing',
  );
  assert.equal(client.calls.has('c1'), false, 'an ended call is not tracked');
});

test('a referred call hung up while its call.invite is in flight is hung up at the bridge', async () => {
  const { client, ws } = await alice();
  const first = await placedCall(ws, client, 'c1');
  await ws.push({ method: 'call.answered', params: { callId: 'c1', sdp: 'v=0 answer', dtmf: 'info' } });
  assert.equal(first.state, 'active');
  let referred = null;
  first.on('referred', (r) => (referred = r));
  await ws.push({ method: 'call.referred', params: { callId: 'c1', referId: 'ref1', to: '1002', uri: 'sip:1002@pbx' } });
  await until(() => ws.requests('call.invite').some((r) => r.params.referId === 'ref1'), 'the referred call.invite');
  await referred.call.hangup();
  const invite = ws.sent.filter((f) => f.method === 'call.invite').at(-1);
  await ws.push({ id: invite.id, result: { callId: 'c2' } });
  await until(() => ws.requests('call.hangup').length > 0, 'call.hangup for c2');
  assert.deepEqual(ws.requests('call.hangup').map((r) => r.params), [{ callId: 'c2' }]);
  assert.equal(first.state, 'active', 'the first call goes on');
});

test('hangup before call.invite was sent sends nothing at all', async () => {
  const { client, ws } = await alice();
  let outgoing = null;
  client.on('outgoing', (call) => (outgoing = call));
  const placed = client.call('bob');
  outgoing.hangup();
  const call = await placed;
  assert.equal(call.state, 'ended');
  await settle();
  assert.deepEqual(ws.requests('call.invite'), []);
  assert.deepEqual(ws.requests('call.hangup'), []);
});

test("a call's events are handled one at a time, in order", async () => {
  const { client, ws } = await alice();
  const call = await placedCall(ws, client, 'c1');
  FakePeerConnection.log = [];
  const hold = deferred();
  FakePeerConnection.holdRemote = hold;
  // the answer, a candidate and the peer's re-offer arrive back to back, while the answer's
  // setRemoteDescription is still under way
  await ws.push({ method: 'call.answered', params: { callId: 'c1', sdp: 'v=0 answer', dtmf: 'info' } });
  await ws.push({
    method: 'call.candidate',
    params: { callId: 'c1', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0' } },
  });
  await ws.push({ method: 'call.update', params: { callId: 'c1', type: 'offer', sdp: 'v=0 re-offer' } });
  assert.deepEqual(FakePeerConnection.log, ['setRemoteDescription answer'], 'nothing else starts meanwhile');
  hold.resolve();
  await until(() => ws.requests('call.update').length > 0, 'the re-offer answered');
  assert.deepEqual(FakePeerConnection.log, [
    'setRemoteDescription answer',
    'setRemoteDescription answer done',
    'addIceCandidate candidate:1 1 udp 1 127.0.0.1 5000 typ host',
    'setRemoteDescription offer',
    'setRemoteDescription offer done',
    'setLocalDescription answer',
  ]);
  assert.equal(call.state, 'active');
  assert.deepEqual(ws.requests('call.update').map((r) => r.params.type), ['answer'], 'not dropped as glare');
});

test('call.ended right after call.answered ends the call after the answer was applied', async () => {
  const { client, ws } = await alice();
  const call = await placedCall(ws, client, 'c1');
  const states = [];
  call.on('state', (s) => states.push(s));
  const hold = deferred();
  FakePeerConnection.holdRemote = hold;
  await ws.push({ method: 'call.answered', params: { callId: 'c1', sdp: 'v=0 answer', dtmf: 'info' } });
  await ws.push({ method: 'call.ended', params: { callId: 'c1', reason: 'remote-hangup' } });
  assert.equal(call.state, 'calling', 'the end waits for the answer before it');
  hold.resolve();
  await until(() => call.state === 'ended', 'ended');
  assert.deepEqual(states, ['active', 'ended']);
  assert.equal(call.endReason, 'remote-hangup');
});

test('an incoming call without an offer (SIP late offer) is answered with an offer, active on call.answered', async () => {
  const { client, ws } = await alice();
  let incoming = null;
  client.on('incoming', (call) => (incoming = call));
  await ws.push({ method: 'call.incoming', params: { callId: 'c9', from: 'Pat', browserOffers: true, dtmf: 'info' } });
  assert.ok(incoming.browserOffers);
  FakePeerConnection.log = [];
  const answering = incoming.answer();
  await ws.reply('call.answer', {});
  await answering;
  assert.deepEqual(FakePeerConnection.log, ['setLocalDescription offer'], 'no remote offer to apply');
  assert.deepEqual(ws.requests('call.answer').map((r) => r.params), [{ callId: 'c9', sdp: 'v=0 local-offer' }]);
  assert.equal(incoming.state, 'connecting', 'not active before the answer');
  await ws.push({ method: 'call.answered', params: { callId: 'c9', sdp: 'v=0 sip-answer', dtmf: 'rfc4733' } });
  await until(() => incoming.state === 'active', 'active');
  assert.equal(incoming.pc.remoteDescription.type, 'answer');
  assert.equal(incoming.pc.remoteDescription.sdp, 'v=0 sip-answer');
  assert.equal(incoming.dtmfMethod, 'rfc4733');
});

test('an incoming call with an offer is answered as before', async () => {
  const { client, ws } = await alice();
  let incoming = null;
  client.on('incoming', (call) => (incoming = call));
  await ws.push({ method: 'call.incoming', params: { callId: 'c8', from: 'Pat', sdp: 'v=0 offer', dtmf: 'info' } });
  assert.equal(incoming.browserOffers, false);
  const answering = incoming.answer();
  await ws.reply('call.answer', {});
  await answering;
  assert.equal(ws.request('call.answer').params.sdp, 'v=0 local-answer');
  assert.equal(incoming.state, 'active');
});

test('call(to, {anonymous: true}) asks call.invite for an anonymous call; without it nothing is sent', async () => {
  const { client, ws } = await alice();
  const anonymous = client.call('15551234', { anonymous: true });
  await ws.reply('call.invite', { callId: 'c1' });
  await anonymous;
  const plain = client.call('15551234');
  await until(() => ws.requests('call.invite').length === 2, 'the second call.invite');
  await ws.push({ id: ws.requests('call.invite')[1].id, result: { callId: 'c2' } });
  await plain;
  assert.deepEqual(
    ws.requests('call.invite').map((r) => r.params.anonymous),
    [true, undefined],
  );
});

test("an incoming call's caller has one shape: user, display name and URI", async () => {
  const { client, ws } = await alice();
  const incoming = [];
  client.on('incoming', (call) => incoming.push(call));
  const caller = { user: '15551230000', displayName: 'Front Desk', uri: 'sip:15551230000@pbx.test' };
  await ws.push({ method: 'call.incoming', params: { callId: 'c1', from: 'Front Desk', sdp: 'v=0 offer', dtmf: 'info', caller } });
  await ws.push({ method: 'call.incoming', params: { callId: 'c2', from: 'bob', sdp: 'v=0 offer', dtmf: 'signaling' } });
  assert.deepEqual(incoming[0].caller, caller);
  assert.equal(incoming[0].peer, 'Front Desk');
  assert.deepEqual(incoming[1].caller, { user: 'bob' }, 'a bridge without caller: the from as user');
});

test('call(to, {video: true}) opens the camera too; without it the camera stays closed', async () => {
  const { client, ws } = await alice();
  captures.length = 0;
  const plain = await placedCall(ws, client, 'c1');
  assert.deepEqual(captures[0], { audio: true, video: false });
  assert.equal(plain.video, false);
  const face = client.call('room', { video: true });
  await until(() => ws.requests('call.invite').length === 2, 'the second call.invite');
  await ws.push({ id: ws.requests('call.invite')[1].id, result: { callId: 'c2' } });
  const call = await face;
  assert.deepEqual(captures[1], { audio: true, video: true });
  assert.equal(call.video, true);
  assert.deepEqual(call.localStream.getTracks().map((t) => t.kind), ['audio', 'video']);
  assert.deepEqual(call.pc.getTransceivers().map((t) => t.sender.track.kind), ['audio', 'video']);
});

test("an incoming call says whether its offer has video, and answer({video: true}) sends the camera", async () => {
  const { client, ws } = await alice();
  const incoming = [];
  client.on('incoming', (call) => incoming.push(call));
  const offer = 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n';
  await ws.push({ method: 'call.incoming', params: { callId: 'c1', from: 'Pat', sdp: offer, dtmf: 'info' } });
  await ws.push({ method: 'call.incoming', params: { callId: 'c2', from: 'Pat', sdp: offer.replace('m=video 9', 'm=video 0'), dtmf: 'info' } });
  assert.equal(incoming[0].offersVideo, true);
  assert.equal(incoming[1].offersVideo, false, 'port 0: refused video');
  captures.length = 0;
  const answering = incoming[0].answer({ video: true });
  await ws.reply('call.answer', {});
  await answering;
  assert.deepEqual(captures, [{ audio: true, video: true }]);
  assert.equal(incoming[0].video, true);
});

test('setVideo(false) stops the camera and keeps receiving; setVideo(true) sends again; both renegotiate', async () => {
  const { client, ws } = await alice();
  const face = client.call('room', { video: true });
  await ws.reply('call.invite', { callId: 'c1' });
  const call = await face;
  await ws.push({ method: 'call.answered', params: { callId: 'c1', sdp: 'v=0 answer', dtmf: 'rfc4733' } });
  await until(() => call.state === 'active', 'active');
  const [, video] = call.pc.getTransceivers();
  const camera = video.sender.track;

  await call.setVideo(false);
  assert.equal(camera.stopped, true);
  assert.equal(video.sender.track, null);
  assert.equal(video.direction, 'recvonly');
  assert.equal(call.video, false);
  assert.deepEqual(call.localStream.getTracks().map((t) => t.kind), ['audio']);

  call.hold(true);
  assert.deepEqual(call.pc.getTransceivers().map((t) => t.direction), ['sendonly', 'inactive']);
  call.hold(false);
  await call.setVideo(true);
  assert.notEqual(video.sender.track, camera, 'a fresh camera track');
  assert.equal(video.sender.track.kind, 'video');
  assert.equal(video.direction, 'sendrecv');
  assert.equal(call.pc.getTransceivers().length, 2, 'the same video m-line again');
  assert.equal(call.video, true);

  // the browser fires negotiationneeded for a direction change; the SDK re-offers by call.update
  call.pc.onnegotiationneeded();
  await until(() => ws.request('call.update'), 'call.update');
  assert.equal(ws.request('call.update').params.type, 'offer');
});

test('setVideo(true) on an audio call adds a video track (a new m-line)', async () => {
  const { client, ws } = await alice();
  const call = await placedCall(ws, client, 'c1');
  await ws.push({ method: 'call.answered', params: { callId: 'c1', sdp: 'v=0 answer', dtmf: 'rfc4733' } });
  await until(() => call.state === 'active', 'active');
  assert.equal(call.pc.getTransceivers().length, 1);
  await call.setVideo(true);
  assert.deepEqual(call.pc.getTransceivers().map((t) => t.sender.track.kind), ['audio', 'video']);
  assert.equal(call.video, true);
  await call.hangup();
  await assert.rejects(call.setVideo(true), /cannot change the video/);
});

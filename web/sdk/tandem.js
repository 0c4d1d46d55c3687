// Tandem browser SDK — talks the tandem.v1 protocol (docs/protocol.md) over a WebSocket and drives
// RTCPeerConnections for calls. ES module, no dependencies, no build step.
//
//   import { connect } from '/sdk/tandem.js';
//   const client = await connect({ url: 'ws://127.0.0.1:8080/ws', user: 'alice', password: 'alice-dev' });
//   client.on('incoming', (call) => call.answer());
//   const call = await client.call('bob');
//   call.on('state', (s) => console.log(s));

// The declarations in tandem.d.ts, for `@implements` below: `npm run typecheck` (tsc --checkJs)
// fails when a class here lacks a declared member or has a different signature.
/** @import * as Declared from './tandem.js' */

const SUBPROTOCOL = 'tandem.v1';
const REQUEST_TIMEOUT_MS = 10000;
/** The bridge closes a socket whose page origin it does not allow with this code (docs/protocol.md). */
const CLOSE_DISCONNECTED_BY_ADMIN = 4410;
const CLOSE_ORIGIN_NOT_ALLOWED = 4403;
const PING_INTERVAL_MS = 20000;

/**
 * An error answered by the bridge (code and message from docs/protocol.md) or by the SDK.
 * @implements {Declared.TandemError}
 */
export class TandemError extends Error {
  /**
   * @param {number | string} code
   * @param {string} message
   * @param {Declared.TandemError['data']} [data]
   */
  constructor(code, message, data) {
    super(message);
    this.name = 'TandemError';
    this.code = code;
    this.data = data;
  }
}

class Emitter {
  constructor() {
    this._handlers = new Map();
  }
  on(event, fn) {
    if (!this._handlers.has(event)) this._handlers.set(event, new Set());
    this._handlers.get(event).add(fn);
    return this;
  }
  off(event, fn) {
    this._handlers.get(event)?.delete(fn);
    return this;
  }
  _emit(event, value) {
    for (const fn of [...(this._handlers.get(event) ?? [])]) {
      try {
        fn(value);
      } catch (e) {
        console.error(`tandem: '${event}' handler failed`, e);
      }
    }
  }
}

/**
 * Connects and authenticates; resolves to a {@link Client}.
 * @param {Declared.ConnectOptions} options
 * @returns {Promise<Client>}
 */
export async function connect(options) {
  const client = new Client(options);
  await client._open();
  return client;
}

/** @implements {Declared.Client} */
export class Client extends Emitter {
  /** @param {Declared.ConnectOptions} options */
  constructor(options) {
    super();
    if (!options?.url) throw new TypeError('connect: url is required');
    this.options = { reconnect: true, ...options };
    /** @type {string | null} */
    this.user = null;
    /** @type {string | null} */
    this.sessionId = null;
    /** @type {string | null} */
    this.node = null;
    /** @type {RTCIceServer[]} */
    this.iceServers = [];
    /** @type {Map<string, Call>} */
    this.calls = new Map();
    this._pending = new Map();
    this._nextId = 1;
    this._resumeToken = null;
    this._closed = false;
    this._refused = null;
    this._ws = null;
    this._ping = null;
    // A page that goes away closes its session cleanly (1000), which frees the user's session
    // slot at once instead of after the resume grace period (docs/protocol.md, "Session resume").
    globalThis.addEventListener?.('pagehide', (e) => {
      if (!e.persisted && !this._closed) this.close();
    });
  }

  /**
   * Sends one request; resolves with its result or rejects with a TandemError.
   * @param {string} method
   * @param {object} [params]
   * @param {number} [timeoutMs]
   * @returns {Promise<any>}
   */
  request(method, params = {}, timeoutMs = REQUEST_TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
      if (!this._ws || this._ws.readyState !== WebSocket.OPEN) {
        reject(this._refused ?? new TandemError('disconnected', 'not connected'));
        return;
      }
      const id = this._nextId++;
      const timer = setTimeout(() => {
        this._pending.delete(id);
        reject(new TandemError('timeout', `${method}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this._pending.set(id, { resolve, reject, timer });
      this._ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /**
   * Places a call to a user name or SIP URI; resolves once the bridge accepted it. The call is
   * handed to 'outgoing' listeners at once, so that it can be hung up before that.
   * `anonymous: true` withholds the caller's identity where the destination allows it.
   * `video: true` sends the camera too (the offer gets a video m-line; a destination without video
   * answers it with port 0 and the call carries audio only, docs/video.md).
   * @param {string} to
   * @param {{ audio?: boolean, video?: boolean, stream?: MediaStream, anonymous?: boolean }} [options]
   * @returns {Promise<Call>}
   */
  async call(to, { audio = true, video = false, stream = null, anonymous = false } = {}) {
    const call = new Call(this, { direction: 'outgoing', peer: to });
    this._emit('outgoing', call);
    await call._dial(to, { audio, video, stream }, undefined, anonymous);
    return call;
  }

  /**
   * Fresh STUN/TURN servers (TURN credentials expire).
   * @returns {Promise<RTCIceServer[]>}
   */
  async refreshIceServers() {
    const result = await this.request('iceServers.get');
    this.iceServers = result.iceServers;
    return result.iceServers;
  }

  /**
   * Hangs up every call and closes the connection for good.
   * @returns {void}
   */
  close() {
    this._closed = true;
    for (const call of this.calls.values()) call.hangup().catch(() => {});
    clearInterval(this._ping);
    this._ws?.close(1000, 'client closed');
  }

  async _open() {
    await this._socket();
    const { token, user, password } = this.options;
    let result;
    try {
      result = await this.request('session.authenticate', token ? { token } : { user, password });
    } catch (e) {
      // refused (4002, 4029 ...): connect() rejects, so nobody could close this client; do it here
      // rather than leave the socket open with its ping running
      this.close();
      throw e;
    }
    this._session(result);
    this._emit('connected', { user: this.user, sessionId: this.sessionId });
  }

  _session(result) {
    this.user = result.user;
    this.sessionId = result.sessionId;
    this.node = result.node ?? null;
    this._resumeToken = result.resumeToken;
    this.iceServers = result.iceServers ?? [];
  }

  /**
   * Where a reconnect goes: the same URL with ?node= naming the node that holds the session, so
   * that a load balancer in front of several nodes sends it there (docs/protocol.md).
   */
  _resumeUrl() {
    if (!this.node) return this.options.url;
    const url = new URL(this.options.url);
    url.searchParams.set('node', this.node);
    return url.toString();
  }

  _socket(url = this.options.url) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, SUBPROTOCOL);
      let opened = false;
      ws.onopen = () => {
        opened = true;
        this._ws = ws;
        clearInterval(this._ping);
        this._ping = setInterval(() => this.request('ping').catch(() => {}), PING_INTERVAL_MS);
        resolve();
      };
      ws.onmessage = (e) => this._frame(e.data);
      ws.onclose = (e) => {
        // 4403: the bridge refused this page's origin (ws.allowed-origins); say so, do not retry
        const refused = e.code === CLOSE_ORIGIN_NOT_ALLOWED;
        if (refused) {
          this._closed = true;
          this._refused = new TandemError(e.code, e.reason || 'origin not allowed');
        }
        for (const [, p] of this._pending) {
          clearTimeout(p.timer);
          p.reject(
            refused
              ? this._refused
              : new TandemError('disconnected', `connection closed (${e.code})`),
          );
        }
        this._pending.clear();
        clearInterval(this._ping);
        if (!opened) {
          reject(new TandemError('disconnected', `cannot connect to ${this.options.url} (${e.code})`));
          return;
        }
        if (this._ws === ws) this._ws = null;
        this._emit('disconnected', { code: e.code, reason: e.reason });
        // 4409: resumed on another connection; 4410: an administrator ended the session
        const final = e.code === 4409 || e.code === CLOSE_DISCONNECTED_BY_ADMIN;
        if (!this._closed && this.options.reconnect && this._resumeToken && !final) {
          this._reconnect();
        }
      };
    });
  }

  async _reconnect() {
    this._emit('reconnecting', {});
    for (let attempt = 0, delay = 250; !this._closed; attempt++, delay = Math.min(delay * 2, 5000)) {
      await new Promise((r) => setTimeout(r, delay));
      try {
        await this._socket(this._resumeUrl());
      } catch {
        continue;
      }
      try {
        const result = await this.request('session.resume', { resumeToken: this._resumeToken });
        this._session(result);
        const kept = new Set(result.calls.map((c) => c.callId));
        for (const call of [...this.calls.values()]) {
          if (!kept.has(call.id)) call._end({ reason: 'resume-expired' });
        }
        this._emit('resumed', { calls: result.calls });
      } catch (e) {
        for (const call of [...this.calls.values()]) call._end({ reason: 'resume-expired' });
        this._resumeToken = null;
        this._emit('error', e);
        this._ws?.close(1000, 'resume failed');
      }
      return;
    }
  }

  _frame(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (frame.id !== undefined && frame.id !== null && this._pending.has(frame.id)) {
      const p = this._pending.get(frame.id);
      this._pending.delete(frame.id);
      clearTimeout(p.timer);
      if (frame.error) p.reject(new TandemError(frame.error.code, frame.error.message, frame.error.data));
      else p.resolve(frame.result);
      return;
    }
    if (!frame.method) {
      if (frame.error) this._emit('error', new TandemError(frame.error.code, frame.error.message, frame.error.data));
      return;
    }
    const params = frame.params ?? {};
    if (frame.method === 'call.incoming') {
      // no sdp (browserOffers): a SIP late offer, this browser makes the offer when it answers
      const call = new Call(this, { direction: 'incoming', peer: params.from, id: params.callId, offer: params.sdp ?? null });
      call.dtmfMethod = params.dtmf ?? 'signaling';
      call.caller = params.caller ?? { user: params.from };
      this._emit('incoming', call);
      return;
    }
    const call = this.calls.get(params.callId);
    if (call) call._enqueue(frame.method, params);
  }
}

/**
 * Whether an SDP carries video: an m=video line with a port (port 0 is a refused or stopped one).
 * @param {string | null} sdp
 */
function hasVideo(sdp) {
  return /^m=video [1-9]/m.test(sdp ?? '');
}

/**
 * One call: an RTCPeerConnection plus its signaling.
 * @implements {Declared.Call}
 */
export class Call extends Emitter {
  /**
   * @param {Client} client
   * @param {{ direction: 'outgoing' | 'incoming', peer: string, id?: string | null, offer?: string | null }} init
   */
  constructor(client, { direction, peer, id = null, offer = null }) {
    super();
    this.client = client;
    this.direction = direction;
    this.peer = peer;
    /** @type {string | null} */
    this.id = id;
    /** @type {Declared.CallState} */
    this.state = direction === 'incoming' ? 'ringing' : 'new';
    /** @type {RTCPeerConnection | null} */
    this.pc = null;
    /** @type {MediaStream | null} */
    this.localStream = null;
    this.remoteStream = new MediaStream();
    /** Whether this side sends its camera (call/answer with video, setVideo). */
    this.video = false;
    /** Whether the peer's offer carries video (an incoming call's m=video with a port). */
    this.offersVideo = hasVideo(offer);
    /** @type {Declared.EndReason | null} */
    this.endReason = null;
    /**
     * How DTMF goes on this call, as the bridge said: 'rfc4733', 'info' or 'signaling'.
     * @type {'rfc4733' | 'info' | 'signaling' | null}
     */
    this.dtmfMethod = null;
    /** @type {{ user: string, displayName?: string, uri?: string } | undefined} */
    this.caller = undefined;
    this._offer = offer;
    /** An incoming call without an offer (a SIP late offer): answer() makes the offer. */
    this.browserOffers = direction === 'incoming' && !offer;
    this._remoteCandidates = [];
    this._localCandidates = [];
    this._makingOffer = false;
    this._negotiated = false;
    /** The call's events, handled one at a time: each waits for the one before it. */
    this._events = Promise.resolve();
    if (id) client.calls.set(id, this);
  }

  /**
   * Answers an incoming call. For a call that came without an offer (browserOffers, a SIP late
   * offer) it sends this browser's offer instead; the call is active once call.answered brings the
   * SIP peer's answer.
   * `video: true` sends the camera too; without it the call still shows the caller's video
   * (offersVideo) in remoteStream, and sends none.
   * @param {{ audio?: boolean, video?: boolean, stream?: MediaStream }} [options]
   * @returns {Promise<void>}
   */
  async answer({ audio = true, video = false, stream = null } = {}) {
    if (this.direction !== 'incoming' || this.state !== 'ringing') {
      throw new TandemError('invalid-state', `cannot answer a call that is ${this.state}`);
    }
    this._setState('connecting');
    await this._media({ audio, video, stream });
    if (this.browserOffers) {
      await this.pc.setLocalDescription(await this.pc.createOffer());
      await this.client.request('call.answer', { callId: this.id, sdp: this.pc.localDescription.sdp });
      return; // 'active' once call.answered brings the answer
    }
    await this.pc.setRemoteDescription({ type: 'offer', sdp: this._offer });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await this._flushRemoteCandidates();
    await this.client.request('call.answer', { callId: this.id, sdp: this.pc.localDescription.sdp });
    this._negotiated = true;
    this._setState('active');
  }

  /**
   * Declines an incoming call: 'declined' (default) or 'busy'.
   * @param {'declined' | 'busy'} [reason]
   * @returns {Promise<void>}
   */
  async reject(reason = 'declined') {
    await this.client.request('call.reject', { callId: this.id, reason });
    this._end({ reason: 'hangup' });
  }

  /**
   * Hangs up: the call ends here at once. While call.invite is still in flight there is no callId
   * to hang up yet; call.hangup then goes out as soon as the bridge's answer brings it (_dial).
   * @returns {Promise<void>}
   */
  async hangup() {
    if (this.state === 'ended') return;
    const id = this.id;
    this._end({ reason: 'hangup' });
    if (id) await this.client.request('call.hangup', { callId: id }).catch(() => {});
  }

  /**
   * Puts the call on hold (this side stops receiving: its audio goes 'sendonly') or takes it off
   * hold; the SDK re-offers, and for a SIP call the bridge sends a re-INVITE.
   * @param {boolean} [on]
   * @returns {void}
   */
  hold(on = true) {
    for (const t of this.pc?.getTransceivers() ?? []) {
      const kind = t.receiver.track?.kind ?? t.sender.track?.kind;
      if (kind === 'audio') {
        t.direction = on ? 'sendonly' : 'sendrecv';
      } else if (kind === 'video' && t.currentDirection !== 'stopped') {
        // the camera keeps going out while held, if it is on; nothing comes in
        const sending = Boolean(t.sender.track);
        t.direction = on ? (sending ? 'sendonly' : 'inactive') : sending ? 'sendrecv' : 'recvonly';
      }
    }
    this.held = on;
  }

  /**
   * Turns this side's camera on or off during the call: on opens the camera (or reuses the one
   * given) and sends it, adding a video m-line when the call has none; off stops it and leaves
   * the video receiving ('recvonly'). Either way the SDK re-offers (call.update), and for a SIP
   * call the bridge sends a re-INVITE. The peer's video, if any, keeps coming.
   * @param {boolean} [on]
   * @param {{ stream?: MediaStream }} [options] a stream whose video track to send instead of the camera
   * @returns {Promise<void>}
   */
  async setVideo(on = true, { stream = null } = {}) {
    if (!this.pc || this.state === 'ended') {
      throw new TandemError('invalid-state', `cannot change the video of a call that is ${this.state}`);
    }
    const transceiver = this.pc
      .getTransceivers()
      .find((t) => t.currentDirection !== 'stopped' && (t.receiver.track?.kind ?? t.sender.track?.kind) === 'video');
    if (!on) {
      const track = transceiver?.sender.track;
      if (track) {
        track.stop();
        this.localStream?.removeTrack(track);
        await transceiver.sender.replaceTrack(null);
      }
      if (transceiver) transceiver.direction = this.held ? 'inactive' : 'recvonly';
      this.video = false;
      return;
    }
    const source = stream ?? (await navigator.mediaDevices.getUserMedia({ video: true }));
    const [track] = source.getVideoTracks();
    if (!track) throw new TandemError('invalid-state', 'no video track to send');
    this.localStream?.addTrack(track);
    if (transceiver) {
      await transceiver.sender.replaceTrack(track);
      transceiver.direction = this.held ? 'sendonly' : 'sendrecv';
    } else {
      this.pc.addTrack(track, this.localStream ?? source);
    }
    this.video = true;
  }

  /**
   * Mutes or unmutes the microphone.
   * @param {boolean} [muted]
   * @returns {void}
   */
  mute(muted = true) {
    for (const track of this.localStream?.getAudioTracks() ?? []) track.enabled = !muted;
    this.muted = muted;
  }

  /**
   * Transfers this answered SIP call: blind to `target` (a string, dialled like client.call), or
   * attended when `target` is another answered Call of this client (its peer replaces this
   * call). Progress comes as 'transfer' events ({status, reason, state}); on success the call
   * ends with reason 'transferred'.
   * @param {string | Call} target
   * @returns {Promise<void>}
   */
  async transfer(target) {
    /** @type {{ callId: string | null, to?: string, replaces?: string | null }} */
    const params = { callId: this.id };
    if (target instanceof Call) params.replaces = target.id;
    else params.to = String(target);
    await this.client.request('call.transfer', params);
  }

  /**
   * Sends DTMF digits (0-9, A-D, *, #; ',' pauses) the way the bridge said for this call: in the
   * media as RFC 4733 telephone-events ('rfc4733'), or through the bridge ('info', 'signaling').
   * @param {string} digits
   * @param {number} [durationMs]
   * @returns {Promise<void>}
   */
  async dtmf(digits, durationMs = 100) {
    const sender = this.pc?.getSenders().find((s) => s.track?.kind === 'audio');
    if (this.dtmfMethod === 'rfc4733' && sender?.dtmf) {
      sender.dtmf.insertDTMF(String(digits), durationMs, 70);
      return;
    }
    await this.client.request('call.dtmf', { callId: this.id, digits: String(digits), durationMs });
  }

  /**
   * The call's RTCPeerConnection statistics (empty before it has one).
   * @returns {Promise<RTCStatsReport>}
   */
  getStats() {
    return this.pc ? this.pc.getStats() : Promise.resolve(new Map());
  }

  async _dial(to, media, referId, anonymous = false) {
    await this._media(media);
    if (this._hungUp()) {
      this._release(); // hung up while the microphone was being opened: nothing was sent
      return;
    }
    const offer = await this.pc.createOffer();
    if (this._hungUp()) return;
    await this.pc.setLocalDescription(offer);
    if (this._hungUp()) return;
    this._setState('calling');
    let result;
    try {
      const params = { to, sdp: this.pc.localDescription.sdp };
      if (referId) params.referId = referId;
      if (anonymous) params.anonymous = true;
      result = await this.client.request('call.invite', params);
    } catch (e) {
      this._end({ reason: 'failed', error: e });
      throw e;
    }
    this.id = result.callId;
    if (this._hungUp()) {
      // hung up while call.invite was in flight: now there is a callId to hang up
      this.client.request('call.hangup', { callId: this.id }).catch(() => {});
      return;
    }
    this.client.calls.set(this.id, this);
    for (const c of this._localCandidates) this._sendCandidate(c);
    this._localCandidates = [];
  }

  /**
   * The SIP peer asks this call to move to someone else (REFER): with the client option
   * followRefer (default true) the SDK places that call and hangs this one up once it is
   * answered; either way a 'referred' event says so ({to, uri, call}).
   */
  async _referred(params) {
    if (this.client.options.followRefer === false) {
      this._emit('referred', { to: params.to, uri: params.uri, referId: params.referId, call: null });
      return;
    }
    const next = new Call(this.client, { direction: 'outgoing', peer: params.to });
    this.client._emit('outgoing', next);
    this._emit('referred', { to: params.to, uri: params.uri, referId: params.referId, call: next });
    next.on('state', (state) => {
      if (state === 'active' && this.state !== 'ended') this.hangup();
    });
    // not awaited: this call's later events need not wait for the new call's call.invite
    next._dial(params.to, { audio: true, video: this.video, stream: null }, params.referId).catch((e) => this._emit('error', e));
  }

  async _media({ audio, video = false, stream }) {
    this.localStream = stream ?? (await navigator.mediaDevices.getUserMedia({ audio, video }));
    this.video = this.localStream.getVideoTracks().length > 0;
    const config = { iceServers: this.client.iceServers };
    if (this.client.options.iceTransportPolicy) config.iceTransportPolicy = this.client.options.iceTransportPolicy;
    this.pc = new RTCPeerConnection(config);
    for (const track of this.localStream.getTracks()) this.pc.addTrack(track, this.localStream);
    this.pc.ontrack = (e) => {
      this.remoteStream.addTrack(e.track);
      this._emit('track', e.track);
    };
    this.pc.onicecandidate = (e) => {
      const candidate = e.candidate ? e.candidate.toJSON() : null;
      if (this.id) this._sendCandidate(candidate);
      else this._localCandidates.push(candidate);
    };
    this.pc.onnegotiationneeded = () => this._renegotiate();
    this.pc.onconnectionstatechange = () => this._emit('connection', this.pc.connectionState);
  }

  _sendCandidate(candidate) {
    this.client.request('call.candidate', { callId: this.id, candidate }).catch(() => {});
  }

  // Perfect negotiation (W3C WebRTC §10.7): the callee is polite, the caller impolite.
  async _renegotiate() {
    if (!this._negotiated || this.state !== 'active') return;
    try {
      this._makingOffer = true;
      await this.pc.setLocalDescription();
      await this.client.request('call.update', { callId: this.id, type: 'offer', sdp: this.pc.localDescription.sdp });
    } catch (e) {
      if (this.pc?.signalingState === 'have-local-offer') {
        await this.pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
      }
      this._emit('error', e);
    } finally {
      this._makingOffer = false;
    }
  }

  /**
   * Queues one of the bridge's events for this call: each is handled only once the one before it
   * is done (an answer's setRemoteDescription finishes before the next candidate or re-offer is
   * applied, and before call.ended closes the connection).
   */
  _enqueue(method, params) {
    this._events = this._events.then(() => this._event(method, params));
  }

  async _event(method, params) {
    if (this.state === 'ended') return;
    try {
      switch (method) {
        case 'call.ringing':
          if (this.state === 'calling') this._setState('ringing');
          break;
        case 'call.progress':
          if (params.sdp) {
            await this.pc.setRemoteDescription({ type: 'pranswer', sdp: params.sdp });
            await this._flushRemoteCandidates();
          }
          this._setState('early');
          break;
        case 'call.answered':
          this.dtmfMethod = params.dtmf ?? 'signaling';
          await this.pc.setRemoteDescription({ type: 'answer', sdp: params.sdp });
          await this._flushRemoteCandidates();
          this._negotiated = true;
          this._setState('active');
          break;
        case 'call.candidate':
          if (this.pc?.remoteDescription) await this._addRemoteCandidate(params.candidate);
          else this._remoteCandidates.push(params.candidate);
          break;
        case 'call.update':
          await this._update(params);
          break;
        case 'call.dtmf':
          this._emit('dtmf', params.digit);
          break;
        case 'call.transfer':
          this._emit('transfer', { status: params.status, reason: params.reason, state: params.state });
          break;
        case 'call.referred':
          await this._referred(params);
          break;
        case 'call.ended':
          this._end({ reason: params.reason, sipCode: params.sipCode, sipReason: params.sipReason });
          break;
      }
    } catch (e) {
      this._emit('error', e);
    }
  }

  async _update({ type, sdp }) {
    if (type === 'rollback') {
      // the bridge could not carry our re-offer (the SIP peer refused the re-INVITE)
      if (this.pc.signalingState === 'have-local-offer') await this.pc.setLocalDescription({ type: 'rollback' });
      this._emit('error', new Error('the peer refused the renegotiation'));
      return;
    }
    if (type === 'answer') {
      await this.pc.setRemoteDescription({ type: 'answer', sdp });
      return;
    }
    this.offersVideo = hasVideo(sdp);
    const polite = this.direction === 'incoming';
    const collision = this._makingOffer || this.pc.signalingState !== 'stable';
    if (collision && !polite) return; // the polite side rolls back and answers ours
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    await this.pc.setLocalDescription();
    await this.client.request('call.update', { callId: this.id, type: 'answer', sdp: this.pc.localDescription.sdp });
  }

  async _addRemoteCandidate(candidate) {
    try {
      await this.pc.addIceCandidate(candidate ?? undefined);
    } catch (e) {
      if (candidate) this._emit('error', e);
    }
  }

  async _flushRemoteCandidates() {
    const queued = this._remoteCandidates;
    this._remoteCandidates = [];
    for (const c of queued) await this._addRemoteCandidate(c);
  }

  /** Whether the call ended meanwhile: hangup() may run while _dial awaits the browser or the bridge. */
  _hungUp() {
    return this.state === 'ended';
  }

  _setState(state) {
    if (this.state === state || this.state === 'ended') return;
    this.state = state;
    this._emit('state', state);
  }

  _release() {
    this.pc?.close();
    for (const track of this.localStream?.getTracks() ?? []) track.stop();
  }

  _end(info) {
    if (this.state === 'ended') return;
    this.endReason = info.reason;
    this._release();
    if (this.id) this.client.calls.delete(this.id);
    this.state = 'ended';
    this._emit('state', 'ended');
    this._emit('ended', info);
  }
}

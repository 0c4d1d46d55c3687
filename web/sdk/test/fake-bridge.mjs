// A fake Tandem bridge for the SDK's tests: a real WebSocket server (the `ws` package) on
// 127.0.0.1 that speaks tandem.v1 as docs/protocol.md describes it — subprotocol, Origin check
// (4403), JSON-RPC 2.0 framing and its errors, sign-in with a password or a token (4002, 4029 with
// data.retryAfter), sessions that outlive their socket and resume (4010, 4409), a clean close
// (1000) that ends the session at once — and lets each test decide how calls go: it answers
// call.invite through a handler and sends the call's events when the test says so.
import { WebSocketServer } from 'ws';

const SUBPROTOCOL = 'tandem.v1';
const WAIT_MS = 3000;

/** A JSON-RPC error for a handler to throw: the bridge answers the request with it. */
export class RpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

/** One signed-in user's session: it outlives its socket until it is resumed or closed. */
class Session {
  constructor(id, user) {
    this.id = id;
    this.user = user;
    this.resumeToken = null;
    this.socket = null;
    this.queued = [];
    this.calls = new Map(); // callId -> { callId, state, direction, peer }
    this.ended = false;
  }
}

export class FakeBridge {
  /**
   * @param {object} [options]
   * @param {Record<string, string>} [options.users] user -> password
   * @param {Record<string, string>} [options.tokens] token -> user
   * @param {string[]} [options.allowedOrigins] Origins other than none that may connect
   */
  static async start(options = {}) {
    const bridge = new FakeBridge(options);
    await new Promise((resolve, reject) => {
      bridge.server.once('listening', resolve);
      bridge.server.once('error', reject);
    });
    return bridge;
  }

  constructor({ users = { alice: 'alice-dev' }, tokens = {}, allowedOrigins = [], node = 'edge-1' } = {}) {
    this.users = users;
    this.node = node;
    this.tokens = tokens;
    this.allowedOrigins = allowedOrigins;
    /** While set, sign-ins are refused with 4029 and this many seconds in data.retryAfter. */
    this.throttledFor = null;
    /** Answers call.invite: (params, session) => result; throw an RpcError to refuse. */
    this.onInvite = () => ({ callId: `c${++this._callIds}` });
    this.iceServers = [{ urls: ['stun:127.0.0.1:3478'] }];
    /** Every connection: its Origin, subprotocol and, once closed, the close code and reason. */
    this.connections = [];
    /** Every request that reached a method: { session, method, params }. */
    this.requests = [];
    this.sessions = new Map();
    this._callIds = 0;
    this._sessionIds = 0;
    this._waiters = new Set();
    this.server = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      path: '/ws',
      // an upgrade without tandem.v1 is refused (docs/protocol.md, "Transport")
      handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    });
    this.server.on('connection', (socket, request) => this._connected(socket, request));
  }

  get url() {
    return `ws://127.0.0.1:${this.server.address().port}/ws`;
  }

  /** Sends a notification to a session, or queues it while the session has no socket. */
  notify(session, method, params) {
    const frame = { jsonrpc: '2.0', method, params };
    if (session.socket) session.socket.send(JSON.stringify(frame));
    else session.queued.push(frame);
  }

  /** Sends raw text to a session's socket (for frames that are not JSON-RPC). */
  sendRaw(session, text) {
    session.socket.send(text);
  }

  /** Drops a session's socket without a close frame (the client sees 1006); the session stays. */
  drop(session) {
    session.socket.terminate();
  }

  /** Forgets a session, as when its resume grace period is over: a resume gets 4010. */
  expire(session) {
    session.ended = true;
    this.sessions.delete(session.id);
  }

  /** The requests of one method so far. */
  received(method) {
    return this.requests.filter((r) => r.method === method);
  }

  /** Waits until `condition()` holds, re-checked on every frame and close; fails after 3 s. */
  until(condition, what) {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this._waiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(() => {
        this._waiters.delete(waiter);
        reject(new Error(`fake bridge: never happened within ${WAIT_MS} ms: ${what}`));
      }, WAIT_MS);
      this._waiters.add(waiter);
    });
  }

  /** Waits for the n-th request of a method and returns it. */
  async request(method, n = 1) {
    await this.until(() => this.received(method).length >= n, `${n} × ${method}`);
    return this.received(method)[n - 1];
  }

  async stop() {
    for (const c of this.connections) c.socket.terminate();
    await new Promise((resolve) => this.server.close(resolve));
  }

  _changed() {
    for (const waiter of [...this._waiters]) waiter();
  }

  _connected(socket, request) {
    const origin = request.headers.origin ?? null;
    const connection = { socket, origin, url: request.url, protocol: socket.protocol, closeCode: null, closeReason: null, session: null };
    this.connections.push(connection);
    socket.on('close', (code, reason) => {
      connection.closeCode = code;
      connection.closeReason = reason.toString();
      this._closed(connection);
      this._changed();
    });
    // Browsers send their page's Origin; one not allowed is accepted only to be closed at once
    if (origin && !this.allowedOrigins.includes(origin)) {
      socket.close(4403, `origin not allowed: ${origin}`);
      return;
    }
    socket.on('message', (data, isBinary) => {
      this._frame(connection, isBinary ? null : data.toString());
      this._changed();
    });
    this._changed();
  }

  _closed(connection) {
    const session = connection.session;
    if (!session || session.socket !== connection.socket) return;
    session.socket = null;
    // a clean close (1000) ends the session at once; anything else waits for a resume
    if (connection.closeCode === 1000) this.expire(session);
  }

  _frame(connection, text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      this._send(connection, { id: null, error: { code: -32700, message: 'parse error' } });
      return;
    }
    const id = frame?.id;
    if (typeof frame !== 'object' || frame === null || frame.jsonrpc !== '2.0' || typeof frame.method !== 'string') {
      this._send(connection, { id: id ?? null, error: { code: -32600, message: 'invalid request' } });
      return;
    }
    const params = frame.params ?? {};
    let result;
    try {
      result = this._dispatch(connection, frame.method, params);
    } catch (e) {
      if (!(e instanceof RpcError)) throw e;
      if (id !== undefined) this._send(connection, { id, error: { code: e.code, message: e.message, data: e.data } });
      return;
    }
    if (id !== undefined) this._send(connection, { id, result });
    // a resumed session's queued events follow the response, in order
    if (frame.method === 'session.resume') {
      const session = connection.session;
      for (const queued of session.queued.splice(0)) connection.socket.send(JSON.stringify(queued));
    }
  }

  _send(connection, frame) {
    connection.socket.send(JSON.stringify({ jsonrpc: '2.0', ...frame }));
  }

  _dispatch(connection, method, params) {
    const session = connection.session;
    if (method === 'session.authenticate') return this._authenticate(connection, params);
    if (method === 'session.resume') return this._resume(connection, params);
    if (!session) throw new RpcError(4001, 'not authenticated');
    this.requests.push({ session, method, params });
    const call = () => {
      const found = session.calls.get(params.callId);
      if (!found) throw new RpcError(4004, `no such call: ${params.callId}`);
      return found;
    };
    switch (method) {
      case 'ping':
        return { time: Date.now() };
      case 'iceServers.get':
        return { iceServers: this.iceServers };
      case 'call.invite': {
        for (const field of ['to', 'sdp']) {
          if (typeof params[field] !== 'string') throw new RpcError(-32602, `params.${field}: required`);
        }
        const result = this.onInvite(params, session);
        session.calls.set(result.callId, { callId: result.callId, state: 'calling', direction: 'outgoing', peer: params.to });
        return result;
      }
      case 'call.answer':
        call().state = 'active';
        return {};
      case 'call.reject':
      case 'call.hangup':
        call();
        session.calls.delete(params.callId);
        return {};
      case 'call.candidate':
      case 'call.update':
      case 'call.dtmf':
      case 'call.transfer':
        call();
        return {};
      default:
        throw new RpcError(-32601, `method not found: ${method}`);
    }
  }

  /** Offers an incoming call to a session, as the bridge does when someone calls its user. */
  ring(session, { callId, from, sdp }) {
    session.calls.set(callId, { callId, state: 'ringing', direction: 'incoming', peer: from });
    this.notify(session, 'call.incoming', { callId, from, sdp, dtmf: 'info', caller: { user: from } });
  }

  /** The session a user signed in with last. */
  session(user) {
    return [...this.sessions.values()].filter((s) => s.user === user).at(-1);
  }

  _authenticate(connection, params) {
    if (connection.session) throw new RpcError(4009, 'already authenticated');
    if (this.throttledFor !== null) {
      throw new RpcError(4029, 'too many failed sign-ins; try again later', { retryAfter: this.throttledFor });
    }
    let user;
    if (typeof params.token === 'string') {
      user = this.tokens[params.token];
    } else if (typeof params.user === 'string' && typeof params.password === 'string') {
      user = this.users[params.user] === params.password ? params.user : undefined;
    } else {
      throw new RpcError(-32602, 'params: token, or user and password, required');
    }
    if (!user) throw new RpcError(4002, 'authentication failed');
    const session = new Session(`s${++this._sessionIds}`, user);
    this.sessions.set(session.id, session);
    return this._attach(connection, session);
  }

  _resume(connection, params) {
    const session = [...this.sessions.values()].find((s) => s.resumeToken === params.resumeToken);
    if (!session) throw new RpcError(4010, 'resume expired');
    // a session resumed on a second socket closes the first (docs/protocol.md, "Session resume")
    session.socket?.close(4409, 'session resumed elsewhere');
    return this._attach(connection, session);
  }

  _attach(connection, session) {
    connection.session = session;
    session.socket = connection.socket;
    session.resumeToken = `${this.node}.r-${session.id}-${Math.random().toString(36).slice(2)}`;
    return {
      user: session.user,
      sessionId: session.id,
      resumeToken: session.resumeToken,
      node: this.node,
      resumeGraceSeconds: 30,
      iceServers: this.iceServers,
      calls: [...session.calls.values()].map(({ callId, state, direction, peer }) => ({ callId, state, direction, peer })),
    };
  }
}

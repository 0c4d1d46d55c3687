// Type declarations for the Tandem browser SDK (tandem.js). `npm run typecheck` checks tandem.js
// against them (its classes `@implements` these) and test/usage.ts uses them as an app would;
// test/package.test.mjs checks that every export and public member here exists at run time and
// that nothing public at run time is missing here.

export type CallState = 'new' | 'calling' | 'ringing' | 'early' | 'connecting' | 'active' | 'ended';

export type EndReason =
  | 'hangup' | 'remote-hangup' | 'busy' | 'declined' | 'no-answer' | 'unavailable' | 'not-found'
  | 'forbidden' | 'cancelled' | 'answered-elsewhere' | 'timeout' | 'transferred' | 'failed' | 'resume-expired'
  | 'server-shutdown' | 'ended-by-admin';

export interface ConnectOptions {
  /** The bridge's WebSocket URL, e.g. ws://127.0.0.1:8080/ws */
  url: string;
  /** A JWT whose sub is the user name. */
  token?: string;
  /** A development user (auth.users in the bridge's configuration). */
  user?: string;
  password?: string;
  /** Reconnect and resume the session after a dropped connection (default true). */
  reconnect?: boolean;
  /** Follow a SIP peer's REFER by placing the call it asks for (default true). */
  followRefer?: boolean;
  /** Passed to every RTCPeerConnection, e.g. 'relay' to force TURN. */
  iceTransportPolicy?: RTCIceTransportPolicy;
}

export interface EndInfo {
  reason: EndReason;
  sipCode?: number;
  sipReason?: string;
  error?: TandemError;
}

export class TandemError extends Error {
  constructor(code: number | string, message: string, data?: TandemError['data']);
  /**
   * The protocol's error code (docs/protocol.md, e.g. 4002 authentication failed, 4003 forbidden,
   * 4029 rate limited, 4403 origin not allowed), or 'timeout' / 'disconnected' / 'invalid-state'.
   */
  code: number | string;
  /**
   * More about the error: `line` and `reason` of a bad SDP (4088), `retryAfter` (seconds) of a
   * throttled sign-in (4029).
   */
  data?: { field?: string; line?: number; reason?: string; retryAfter?: number };
}

export function connect(options: ConnectOptions): Promise<Client>;

export class Client {
  readonly options: ConnectOptions;
  readonly user: string | null;
  readonly sessionId: string | null;
  /** The bridge node holding the session (the session result's node); reconnects add ?node= with it. */
  readonly node: string | null;
  readonly iceServers: RTCIceServer[];
  readonly calls: Map<string, Call>;
  /**
   * Places a call; resolves once the bridge accepted it (or with the ended call, if it was hung up
   * meanwhile). The call is handed to 'outgoing' listeners as soon as it exists.
   */
  call(
    to: string,
    options?: {
      audio?: boolean;
      /** Send the camera too (default false); a destination without video answers audio only. */
      video?: boolean;
      stream?: MediaStream;
      /** Withhold the caller's identity (RFC 3323) where the destination allows it. */
      anonymous?: boolean;
    },
  ): Promise<Call>;
  refreshIceServers(): Promise<RTCIceServer[]>;
  request(method: string, params?: object, timeoutMs?: number): Promise<any>;
  close(): void;
  on(event: 'incoming', fn: (call: Call) => void): this;
  /** A call placed by call() (or to follow a REFER), before the bridge has accepted it. */
  on(event: 'outgoing', fn: (call: Call) => void): this;
  on(event: 'connected', fn: (info: { user: string; sessionId: string }) => void): this;
  on(event: 'disconnected', fn: (info: { code: number; reason: string }) => void): this;
  on(event: 'reconnecting', fn: (info: {}) => void): this;
  on(event: 'resumed', fn: (info: { calls: Array<{ callId: string; state: string; direction: string; peer: string }> }) => void): this;
  on(event: 'error', fn: (error: Error) => void): this;
  off(event: string, fn: (...args: any[]) => void): this;
}

export class Call {
  readonly client: Client;
  readonly id: string | null;
  readonly direction: 'outgoing' | 'incoming';
  readonly peer: string;
  /** Who calls (incoming calls): the same shape for a browser user, a phone, a trunk or a bridge. */
  readonly caller?: { user: string; displayName?: string; uri?: string };
  readonly state: CallState;
  readonly pc: RTCPeerConnection | null;
  /** This side's microphone and, when it sends video, camera. */
  readonly localStream: MediaStream | null;
  /** What the peer sends: its audio, and its video tracks when it sends video. */
  readonly remoteStream: MediaStream;
  /** Whether this side sends its camera (call/answer with video: true, setVideo). */
  readonly video: boolean;
  /** Whether the peer's (latest) offer carries video: answer({ video: true }) to send some back. */
  readonly offersVideo: boolean;
  readonly endReason: EndReason | null;
  readonly muted?: boolean;
  /** How DTMF goes on this call, as the bridge said once it rang or was answered. */
  readonly dtmfMethod: 'rfc4733' | 'info' | 'signaling' | null;
  /**
   * An incoming call that came without an offer (a SIP late offer, call.incoming with
   * browserOffers): answer() sends this browser's offer, and the call turns 'active' when the SIP
   * peer's answer arrives (call.answered).
   */
  readonly browserOffers: boolean;
  /** Answers an incoming call (for browserOffers: with this browser's offer, see above). */
  answer(options?: { audio?: boolean; video?: boolean; stream?: MediaStream }): Promise<void>;
  reject(reason?: 'declined' | 'busy'): Promise<void>;
  /**
   * Ends the call here at once; before the bridge accepted it (no id yet) call.hangup goes out as
   * soon as the bridge's answer brings the id, and nothing goes out if call.invite was not sent.
   */
  hangup(): Promise<void>;
  mute(muted?: boolean): void;
  /**
   * Hold (this side's audio 'sendonly', its video 'sendonly' or 'inactive') or resume; re-offers,
   * a re-INVITE for SIP calls.
   */
  hold(on?: boolean): void;
  /**
   * Camera on (opened, or the given stream's video track; a video m-line is added when the call
   * has none) or off (stopped; the peer's video keeps coming); re-offers, a re-INVITE for SIP
   * calls.
   */
  setVideo(on?: boolean, options?: { stream?: MediaStream }): Promise<void>;
  readonly held?: boolean;
  /** In the media (RFC 4733) or through the bridge (SIP INFO, or to the peer browser), per {@link dtmfMethod}. */
  dtmf(digits: string, durationMs?: number): Promise<void>;
  /** Blind transfer to a dialled target, or attended: the other call's peer replaces this one. */
  transfer(target: string | Call): Promise<void>;
  getStats(): Promise<RTCStatsReport>;
  on(event: 'state', fn: (state: CallState) => void): this;
  on(event: 'track', fn: (track: MediaStreamTrack) => void): this;
  on(event: 'ended', fn: (info: EndInfo) => void): this;
  on(
    event: 'transfer',
    fn: (t: { status: number; reason: string; state: 'trying' | 'succeeded' | 'failed' }) => void,
  ): this;
  on(
    event: 'referred',
    fn: (r: { to: string; uri: string; referId: string; call: Call | null }) => void,
  ): this;
  on(event: 'dtmf', fn: (digit: string) => void): this;
  on(event: 'connection', fn: (state: RTCPeerConnectionState) => void): this;
  on(event: 'error', fn: (error: Error) => void): this;
  off(event: string, fn: (...args: any[]) => void): this;
}

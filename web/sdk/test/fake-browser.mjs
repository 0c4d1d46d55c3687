// Fakes for the browser APIs the SDK uses besides WebSocket (Node has no WebRTC): a peer
// connection that logs what the SDK asked of it, a media stream, and navigator.mediaDevices.

/**
 * A peer connection that keeps a log of the operations the SDK asked for, each entered when it
 * started and marked done when it finished; setRemoteDescription can be held open by a test.
 */
export class FakePeerConnection {
  static log = [];
  static holdRemote = null; // a deferred the next setRemoteDescription waits for
  constructor(config) {
    this.config = config;
    this.signalingState = 'stable';
    this.localDescription = null;
    this.remoteDescription = null;
    this.closed = false;
  }
  /** One transceiver per track added, as a browser makes them for an offer. */
  addTrack(track) {
    if (!this.transceivers) this.transceivers = [];
    const sender = {
      track,
      async replaceTrack(next) {
        sender.track = next;
      },
    };
    this.transceivers.push({ sender, receiver: { track: new FakeTrack(track.kind) }, direction: 'sendrecv', currentDirection: null });
  }
  getTransceivers() {
    return this.transceivers ?? [];
  }
  getSenders() {
    return this.getTransceivers().map((t) => t.sender);
  }
  async createOffer() {
    return { type: 'offer', sdp: 'v=0 local-offer' };
  }
  async createAnswer() {
    return { type: 'answer', sdp: 'v=0 local-answer' };
  }
  async setLocalDescription(description) {
    const type = description?.type ?? (this.signalingState === 'have-remote-offer' ? 'answer' : 'offer');
    FakePeerConnection.log.push(`setLocalDescription ${type}`);
    this.localDescription = { type, sdp: description?.sdp ?? `v=0 local-${type}` };
    this.signalingState = type === 'offer' ? 'have-local-offer' : 'stable';
  }
  async setRemoteDescription(description) {
    FakePeerConnection.log.push(`setRemoteDescription ${description.type}`);
    const hold = FakePeerConnection.holdRemote;
    FakePeerConnection.holdRemote = null;
    if (hold) await hold.promise;
    this.remoteDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
    FakePeerConnection.log.push(`setRemoteDescription ${description.type} done`);
  }
  async addIceCandidate(candidate) {
    FakePeerConnection.log.push(`addIceCandidate ${candidate?.candidate ?? 'end'}`);
  }
  close() {
    this.closed = true;
    this.signalingState = 'closed';
  }
  getStats() {
    return Promise.resolve(new Map());
  }
}

/** A capture track: its kind, and whether the SDK stopped it. */
export class FakeTrack {
  constructor(kind) {
    this.kind = kind;
    this.enabled = true;
    this.stopped = false;
  }
  stop() {
    this.stopped = true;
  }
}

export class FakeMediaStream {
  constructor(tracks = []) {
    this.tracks = [...tracks];
  }
  getTracks() {
    return [...this.tracks];
  }
  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }
  addTrack(track) {
    this.tracks.push(track);
  }
  removeTrack(track) {
    this.tracks = this.tracks.filter((t) => t !== track);
  }
}

/** What getUserMedia was asked for, in order. */
export const captures = [];

/** Puts the fakes where the SDK looks for the browser's APIs. */
export function installFakeBrowser() {
  globalThis.RTCPeerConnection = FakePeerConnection;
  globalThis.MediaStream = FakeMediaStream;
  Object.defineProperty(globalThis, 'navigator', {
    value: {
      mediaDevices: {
        getUserMedia: async (constraints) => {
          captures.push(constraints);
          const tracks = [];
          if (constraints.audio) tracks.push(new FakeTrack('audio'));
          if (constraints.video) tracks.push(new FakeTrack('video'));
          return new FakeMediaStream(tracks);
        },
      },
    },
    configurable: true,
  });
}

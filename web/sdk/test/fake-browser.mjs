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
  addTrack() {}
  getTransceivers() {
    return [];
  }
  getSenders() {
    return [];
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

export class FakeMediaStream {
  getTracks() {
    return [];
  }
  getAudioTracks() {
    return [];
  }
  addTrack() {}
}

/** Puts the fakes where the SDK looks for the browser's APIs. */
export function installFakeBrowser() {
  globalThis.RTCPeerConnection = FakePeerConnection;
  globalThis.MediaStream = FakeMediaStream;
  Object.defineProperty(globalThis, 'navigator', {
    value: { mediaDevices: { getUserMedia: async () => new FakeMediaStream() } },
    configurable: true,
  });
}

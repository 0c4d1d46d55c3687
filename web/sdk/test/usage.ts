// An app's use of every API that tandem.d.ts declares, type-checked strictly (`npm run typecheck`,
// test/tsconfig.json) and never run: a declaration that stops fitting how apps call the SDK (the
// README's example among them) fails the check. The import resolves to tandem.d.ts.
import { Call, Client, connect, TandemError } from '../tandem.js';
import type { CallState, ConnectOptions, EndInfo, EndReason } from '../tandem.js';

const options: ConnectOptions = {
  url: 'ws://127.0.0.1:8080/ws',
  user: 'alice',
  password: 'alice-dev',
  reconnect: true,
  followRefer: false,
  iceTransportPolicy: 'relay',
};

export async function app(audioElement: HTMLAudioElement, stream: MediaStream): Promise<void> {
  let client: Client;
  try {
    client = await connect(options);
  } catch (e) {
    if (e instanceof TandemError && e.code === 4029) console.log('retry in', e.data?.retryAfter, 's');
    if (e instanceof TandemError && e.code === 4403) console.log('origin not allowed:', e.message);
    throw e;
  }
  const withToken: Client = await connect({ url: options.url, token: 'eyJ...' });
  withToken.close();

  const who: string | null = client.user;
  const session: string | null = client.sessionId;
  const node: string | null = client.node;
  const servers: RTCIceServer[] = await client.refreshIceServers();
  const known: RTCIceServer[] = client.iceServers;
  const calls: Map<string, Call> = client.calls;
  const reconnects: boolean | undefined = client.options.reconnect;
  console.log(who, session, node, servers, known, calls.size, reconnects);
  const pong: unknown = await client.request('ping', {}, 5000);
  console.log(pong);

  client
    .on('incoming', async (call: Call) => {
      call.on('ended', ({ reason }: EndInfo) => console.log('ended:', reason));
      if (call.browserOffers) console.log('late offer from', call.caller?.user, call.caller?.displayName, call.caller?.uri);
      if (call.peer === 'spam') await call.reject('busy');
      else if (call.offersVideo) await call.answer({ audio: true, video: true });
      else await call.answer({ audio: true, stream });
    })
    .on('outgoing', (call: Call) => console.log('placing', call.peer))
    .on('connected', ({ user, sessionId }) => console.log(user, sessionId))
    .on('disconnected', ({ code, reason }) => console.log(code, reason))
    .on('reconnecting', () => console.log('reconnecting'))
    .on('resumed', ({ calls: kept }) => kept.forEach((c) => console.log(c.callId, c.state, c.direction, c.peer)))
    .on('error', (error: Error) => console.log(error.message));

  const call: Call = await client.call('bob');
  await client.call('+15559876543', { anonymous: true, audio: true, stream });
  const face: Call = await client.call('room-1', { video: true });
  const sending: boolean = face.video;
  const offered: boolean = face.offersVideo;
  console.log(sending, offered, face.remoteStream.getVideoTracks().length);
  await face.setVideo(false);
  await face.setVideo(true, { stream });
  await face.setVideo();
  const onState = (state: CallState) => console.log(state);
  call.on('state', onState).off('state', onState);
  call
    .on('track', (track: MediaStreamTrack) => {
      audioElement.srcObject = call.remoteStream;
      console.log(track.kind);
    })
    .on('transfer', ({ status, reason, state }) => console.log(status, reason, state))
    .on('referred', ({ to, uri, referId, call: next }) => console.log(to, uri, referId, next?.id))
    .on('dtmf', (digit: string) => console.log('peer sent', digit))
    .on('connection', (state: RTCPeerConnectionState) => console.log(state))
    .on('error', (error: Error) => console.log(error));

  const id: string | null = call.id;
  const direction: 'outgoing' | 'incoming' = call.direction;
  const owner: Client = call.client;
  const pc: RTCPeerConnection | null = call.pc;
  const local: MediaStream | null = call.localStream;
  const reason: EndReason | null = call.endReason;
  const dtmfMethod: 'rfc4733' | 'info' | 'signaling' | null = call.dtmfMethod;
  console.log(id, direction, owner === client, pc, local, reason, dtmfMethod, call.muted, call.held, call.state);

  call.mute(true);
  call.hold(true);
  call.hold(false);
  await call.dtmf('123#');
  await call.dtmf('4', 200);
  const stats: RTCStatsReport = await call.getStats();
  console.log(stats.size);
  await call.transfer('1002');
  const other = await client.call('carol');
  await call.transfer(other);
  await call.hangup();
  client.close();

  const mine = new TandemError('invalid-state', 'made by the app', { field: 'to' });
  console.log(mine.code, mine.data?.field, mine.name);
}

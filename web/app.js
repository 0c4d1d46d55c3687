// The demo softphone. Every control has a stable id, which the end-to-end tests drive:
//   #user #password #token #login      sign in (development user, or a JWT)
//   #status                            "offline" | "online as <user>" | "reconnecting…"
//   #to #call                          dial a user name or a SIP URI
//   #anonymous                         "Hide my number": the next call is anonymous
//   #video                             "With video": the next call sends the camera too
//   #incoming #incoming-from #answer #answer-video (shown when the caller offers video) #decline
//   #in-call #call-peer #call-state #duration #mute #hold #camera #hangup #keypad .key[data-digit] #level
//     (keypad, hold, camera and transfer shown only while the call is answered; no control after its end)
//   #videos #remote-video #local-video  the peer's video and this side's camera, while there is any
//   #transfer-form #transfer-to #transfer-state
//   #dtmf-digits (digits the peer sent out of band)
//   #error                             the last error, readable
//   #remote-audio                      plays the remote stream
import { connect } from '/sdk/tandem.js';

const $ = (id) => document.getElementById(id);
const STATE_TEXT = {
  new: 'Starting', calling: 'Calling', ringing: 'Ringing', early: 'Early media',
  connecting: 'Connecting', active: 'In call',
};

let client = null;
let current = null;
let ringing = null;
let timer = null;
let meter = null;

// For debugging from the console (and for the end-to-end tests): the client and the current call.
window.tandemDemo = {
  get client() { return client; },
  get call() { return current; },
};

function showError(e) {
  const data = e?.data?.line ? ` (SDP line ${e.data.line})` : '';
  $('error').textContent = e ? `${e.message ?? e}${data}` : '';
}

// Debugging switches in the page address: `?ice=relay` sends all media through TURN.
function pageOptions() {
  const params = new URLSearchParams(location.search);
  return params.get('ice') === 'relay' ? { iceTransportPolicy: 'relay' } : {};
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const token = $('token').value.trim();
  try {
    const credentials = token ? { token } : { user: $('user').value.trim(), password: $('password').value };
    client = await connect({ url, ...credentials, ...pageOptions() });
  } catch (e) {
    showError(e);
    return;
  }
  $('status').textContent = `online as ${client.user}`;
  $('status').classList.add('online');
  $('login-form').hidden = true;
  $('dial-form').hidden = false;
  client.on('incoming', onIncoming);
  client.on('reconnecting', () => ($('status').textContent = 'reconnecting…'));
  client.on('resumed', () => ($('status').textContent = `online as ${client.user}`));
  client.on('disconnected', () => ($('status').textContent = 'offline'));
  client.on('error', showError);
});

$('dial-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  const to = $('to').value.trim();
  if (!to) return;
  try {
    const call = await client.call(to, { anonymous: $('anonymous').checked, video: $('video').checked });
    track(call);
  } catch (e) {
    showError(e);
  }
});

function onIncoming(call) {
  if (current) {
    call.reject('busy').catch(showError);
    return;
  }
  ringing = call;
  $('incoming-from').textContent = call.peer;
  $('answer-video').hidden = !call.offersVideo;
  $('incoming').hidden = false;
  call.on('ended', () => {
    if (ringing === call) {
      ringing = null;
      $('incoming').hidden = true;
    }
  });
}

async function answer(video) {
  const call = ringing;
  ringing = null;
  $('incoming').hidden = true;
  if (!call) return;
  track(call);
  try {
    await call.answer({ video });
    showVideo(call);
  } catch (e) {
    showError(e);
  }
}

$('answer').addEventListener('click', () => answer(false));
$('answer-video').addEventListener('click', () => answer(true));

// The video area: the peer's video tracks (remoteStream) and this side's camera, while either is there.
function showVideo(call) {
  const remote = call.remoteStream.getVideoTracks().some((t) => t.readyState !== 'ended');
  const local = call.video && (call.localStream?.getVideoTracks().length ?? 0) > 0;
  if ($('remote-video').srcObject !== call.remoteStream) $('remote-video').srcObject = call.remoteStream;
  $('local-video').srcObject = local ? call.localStream : null;
  $('local-video').hidden = !local;
  $('videos').hidden = !(remote || local) || call.state === 'ended';
  $('camera').setAttribute('aria-pressed', String(call.video));
  $('camera').textContent = call.video ? 'Camera off' : 'Camera on';
}

$('decline').addEventListener('click', () => {
  ringing?.reject('declined').catch(showError);
  ringing = null;
  $('incoming').hidden = true;
});

function track(call) {
  current = call;
  $('call-peer').textContent = call.peer;
  $('in-call').hidden = false;
  $('dial-form').hidden = true;
  $('mute').setAttribute('aria-pressed', 'false');
  $('mute').textContent = 'Mute';
  $('hold').setAttribute('aria-pressed', 'false');
  $('hold').textContent = 'Hold';
  render(call.state);
  $('dtmf-digits').textContent = '';
  $('dtmf-received').hidden = true;
  call.on('state', render);
  call.on('dtmf', (digit) => {
    $('dtmf-digits').textContent += digit;
    $('dtmf-received').hidden = false;
  });
  call.on('track', (t) => {
    $('remote-audio').srcObject = call.remoteStream;
    if (t.kind === 'audio') startMeter(call.remoteStream);
    showVideo(call);
    t.addEventListener?.('ended', () => showVideo(call));
  });
  showVideo(call);
  $('transfer-state').textContent = '';
  call.on('transfer', (t) => ($('transfer-state').textContent = `transfer: ${t.status} ${t.reason}`));
  let next = null;
  call.on('referred', (r) => {
    $('transfer-state').textContent = `moved to ${r.to}`;
    next = r.call;
  });
  call.on('ended', (info) => {
    const code = info.sipCode ? ` (${info.sipCode})` : '';
    $('call-state').textContent = `Ended: ${info.reason}${code}`;
    showControls('ended');
    stopTimer();
    stopMeter();
    $('videos').hidden = true;
    $('remote-video').srcObject = null;
    $('local-video').srcObject = null;
    if (info.error) showError(info.error);
    current = null;
    $('dial-form').hidden = false;
    if (next && next.state !== 'ended') track(next); // the SIP side moved us to another party
  });
}

$('transfer-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const to = $('transfer-to').value.trim();
  if (current && to) current.transfer(to).catch(showError);
});

// Only the controls that apply to the call's state: keypad, Hold and Transfer once answered;
// nothing but the outcome after the end.
function showControls(state) {
  const answered = state === 'active';
  $('keypad').hidden = !answered;
  $('hold').hidden = !answered;
  $('camera').hidden = !answered;
  $('transfer-form').hidden = !answered;
  $('mute').hidden = state === 'ended';
  $('hangup').hidden = state === 'ended';
}

function render(state) {
  showControls(state);
  if (state === 'ended') return;
  $('call-state').textContent = STATE_TEXT[state] ?? state;
  if (state === 'active' && !timer) startTimer();
}

function startTimer() {
  const started = Date.now();
  timer = setInterval(() => {
    const s = Math.floor((Date.now() - started) / 1000);
    $('duration').textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }, 500);
}

function stopTimer() {
  clearInterval(timer);
  timer = null;
}

function startMeter(stream) {
  stopMeter();
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const id = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const v of samples) sum += v * v;
    $('level').value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
  }, 100);
  meter = { context, id };
}

function stopMeter() {
  if (!meter) return;
  clearInterval(meter.id);
  meter.context.close();
  meter = null;
  $('level').value = 0;
}

$('hangup').addEventListener('click', () => current?.hangup().catch(showError));

$('hold').addEventListener('click', () => {
  if (!current) return;
  const held = !current.held;
  current.hold(held);
  $('hold').setAttribute('aria-pressed', String(held));
  $('hold').textContent = held ? 'Resume' : 'Hold';
});

$('camera').addEventListener('click', async () => {
  if (!current) return;
  const call = current;
  try {
    await call.setVideo(!call.video);
  } catch (e) {
    showError(e);
  }
  showVideo(call);
});

$('mute').addEventListener('click', () => {
  if (!current) return;
  const muted = !current.muted;
  current.mute(muted);
  $('mute').setAttribute('aria-pressed', String(muted));
  $('mute').textContent = muted ? 'Unmute' : 'Mute';
});

$('keypad').addEventListener('click', (event) => {
  const digit = event.target?.dataset?.digit;
  if (digit && current) current.dtmf(digit).catch(showError);
});

// Drives one real browser for the end-to-end tests (shared/PEERS.md has the recipes).
//
//   node driver.mjs chromium|firefox <profile dir> [fake audio wav]
//
// Reads one JSON command per line on stdin and answers one JSON line on stdout:
//   {"id":1,"op":"goto","url":"http://127.0.0.1:8080/"}            -> {"id":1,"ok":true}
//   {"id":2,"op":"eval","js":"document.title"}                      -> {"id":2,"ok":true,"value":"Tandem"}
//   {"id":3,"op":"waitFor","js":"...","timeoutMs":10000}            -> value once truthy, or an error
//   {"id":4,"op":"screenshot","path":"/tmp/x.png"}
//   {"id":5,"op":"close"}
// "eval" takes an expression and awaits it when it is a promise. Everything else (clicks, typing) is done with eval on the page, so both
// browsers are driven the same way. Console messages of the page go to stderr.
import readline from 'node:readline';

const [browserName, profileDir, fakeAudio] = process.argv.slice(2);
if (!['chromium', 'firefox'].includes(browserName) || !profileDir) {
  console.error('usage: driver.mjs chromium|firefox <profile dir> [fake audio wav]');
  process.exit(2);
}

async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
    '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns',
    '--autoplay-policy=no-user-gesture-required',
  ];
  if (fakeAudio) args.push(`--use-file-for-fake-audio-capture=${fakeAudio}`);
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => console.error(`[page] ${m.type()}: ${m.text()}`));
  return {
    goto: (url) => page.goto(url),
    eval: (js) => page.evaluate(`(async () => (${js}))()`),
    screenshot: (path) => page.screenshot({ path, fullPage: true }),
    close: () => context.close(),
  };
}

async function launchFirefox() {
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    userDataDir: profileDir,
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      'media.peerconnection.ice.loopback': true,
      'media.peerconnection.ice.obfuscate_host_addresses': false,
      'permissions.default.microphone': 1,
      'permissions.default.camera': 1,
      'media.autoplay.default': 0,
      'network.trr.mode': 5,
      'services.settings.server': 'http://127.0.0.1:9/',
    },
  });
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  page.on('console', (m) => console.error(`[page] ${m.type()}: ${m.text()}`));
  return {
    goto: (url) => page.goto(url),
    eval: (js) => page.evaluate(`(async () => (${js}))()`),
    screenshot: (path) => page.screenshot({ path, fullPage: true }),
    close: () => browser.close(),
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(browser, js, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await browser.eval(js);
      if (last) return last;
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > deadline) {
      throw new Error(`not true within ${timeoutMs} ms: ${js} (last: ${JSON.stringify(last)})`);
    }
    await sleep(100);
  }
}

const browser = browserName === 'chromium' ? await launchChromium() : await launchFirefox();
const reply = (frame) => process.stdout.write(`${JSON.stringify(frame)}\n`);
reply({ id: 0, ok: true, value: 'ready' });

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const command = JSON.parse(line);
  try {
    let value = null;
    switch (command.op) {
      case 'goto':
        await browser.goto(command.url);
        break;
      case 'eval':
        value = await browser.eval(command.js);
        break;
      case 'waitFor':
        value = await waitFor(browser, command.js, command.timeoutMs ?? 10000);
        break;
      case 'screenshot':
        await browser.screenshot(command.path);
        break;
      case 'close':
        await browser.close();
        reply({ id: command.id, ok: true, value: null });
        process.exit(0);
        break;
      default:
        throw new Error(`unknown op ${command.op}`);
    }
    reply({ id: command.id, ok: true, value: value ?? null });
  } catch (e) {
    reply({ id: command.id, ok: false, error: String(e?.message ?? e) });
  }
}
await browser.close();

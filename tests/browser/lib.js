// Shared by the real-browser tests (tests/browser/*_test.js): a scratch database and the titrate
// binary, `titrate serve` on a free loopback port, headless Debian chromium through puppeteer-core,
// screenshots at phone and desktop sizes, and axe-core (WCAG 2.1 AA) on every page looked at.
// A missing chromium, puppeteer-core or axe-core is a FAILURE naming .ci/install-web, never a skip.
'use strict';

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const PASSWORD = 'correct horse battery';
// No isMobile/hasTouch: changing those makes Chromium reload the page, which re-sends the form a
// page is the answer to; the phone's width and pixel density are what the layout sees.
const PHONE = { width: 390, height: 844, deviceScaleFactor: 2 };
const DESKTOP = { width: 1280, height: 900 };

function fail(msg) {
  console.error('FAIL: ' + msg);
  process.exit(1);
}

function nodeModule(sourceDir, name) {
  const roots = [process.env.TITRATE_BROWSER_NODE, '/opt/titrate-browser', path.join(sourceDir, 'tests/browser')]
    .filter(Boolean).map((r) => path.join(r, 'node_modules', name));
  for (const r of roots) {
    try { return { module: require(r), root: r }; } catch (e) { /* try the next */ }
  }
  fail(`${name} not found in ${roots.join(', ')}; run .ci/install-web`);
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

// One test's world. usage: const t = await lib.world(process.argv, 'name', { today: '2026-12-01' })
// argv: node FILE TITRATE_BINARY SOURCE_DIR SCREENSHOT_DIR.
async function world(argv, name, opts = {}) {
  const [binary, sourceDir, shotRoot] = argv.slice(2);
  if (!binary || !sourceDir || !shotRoot) fail(`usage: node ${name}_test.js TITRATE_BINARY SOURCE_DIR SCREENSHOT_DIR`);
  const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) fail(`${chromium} not found; run .ci/install-web (apt-get install chromium)`);
  const puppeteer = nodeModule(sourceDir, 'puppeteer-core').module;
  const axeSource = fs.readFileSync(path.join(nodeModule(sourceDir, 'axe-core').root, 'axe.min.js'), 'utf8');
  const shotDir = path.join(shotRoot, name);
  fs.mkdirSync(shotDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `titrate-${name}-`));
  const env = { ...process.env, TITRATE_DB: path.join(tmp, 'titrate.db'), TITRATE_TODAY: opts.today || '2026-12-01',
    TITRATE_USER: 'setup', TITRATE_ROLE: 'clinician', ...(opts.env || {}) };
  delete env.TITRATE_BASE_URL;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = { binary, sourceDir, shotDir, tmp, env, port, base, PASSWORD, PHONE, DESKTOP, step: 'setup',
    axePages: 0, axeViolations: 0, server: null, browser: null };

  // Runs the CLI on the test's database; a non-zero exit fails the test unless `allowFail`.
  t.titrate = (args, input, allowFail = false) => {
    const r = spawnSync(binary, args, { env, input, encoding: 'utf8', cwd: sourceDir });
    if (r.status !== 0 && !allowFail) fail(`titrate ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return allowFail ? r : r.stdout;
  };
  // The adult patient P1 (born 1971-06-15, female, 65 kg, creatinine 0.8 mg/dL, baseline pain 7:
  // the web tests' adult, tests/web/web_people.hpp).
  t.addP1 = () => t.titrate(['patient', 'add', 'P1', '--birth-date', '1971-06-15', '--sex', 'female', '--weight-kg',
    '65', '--creatinine-mg-dl', '0.8', '--baseline-pain', '7']);
  // The staff: clinician dr.a and pharmacist ph.b, each signing in with PASSWORD.
  t.addStaff = () => {
    t.titrate(['user', 'add', 'dr.a', '--role', 'clinician'], PASSWORD + '\n');
    t.titrate(['user', 'add', 'ph.b', '--role', 'pharmacist'], PASSWORD + '\n');
  };
  t.check = (cond, what) => {
    if (!cond) throw new Error(`${t.step}: ${what}`);
    console.log(`ok - ${t.step}: ${what}`);
  };
  t.serve = async (extra = []) => {
    const server = spawn(binary, ['serve', '--listen', `127.0.0.1:${port}`, ...extra], { env, cwd: sourceDir });
    let err = '';
    server.stderr.on('data', (d) => { err += d; });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('serve did not start in 60 s: ' + err)), 60000);
      server.stdout.on('data', (d) => { if (String(d).includes('serving')) { clearTimeout(timer); resolve(); } });
      server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
    t.server = server;
    return server;
  };
  t.launch = async () => {
    t.browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      userDataDir: path.join(tmp, 'profile'),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    });
    return t.browser;
  };
  t.text = (page) => page.evaluate(() => document.body.innerText);
  // A DOM click on the element (as a tap would do); puppeteer's pointer click can miss elements
  // below the fold of a phone viewport.
  t.submitAndWait = async (page, selector) => {
    const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.$eval(selector, (e) => e.click())]);
    return resp;
  };
  t.login = async (page, user) => {
    await page.goto(`${base}/login`, { waitUntil: 'load' });
    await page.type('#user', user);
    await page.type('#password', PASSWORD);
    return t.submitAndWait(page, 'button[type=submit]');
  };
  // axe-core's WCAG 2.0/2.1 A and AA rules on the page as it is now; any violation fails the test.
  t.axe = async (page, what) => {
    if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
      // Injected through the DevTools protocol, so the pages' Content-Security-Policy stays strict.
      await page.evaluate(axeSource);
    }
    const r = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }));
    t.axePages += 1;
    t.axeViolations += r.violations.length;
    const detail = r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
    t.check(r.violations.length === 0, `axe-core: 0 WCAG 2.1 AA violations on ${what}${detail.length ? ': ' + detail.join(' | ') : ''}`);
  };
  // A full-page screenshot at the phone and at the desktop size, and axe-core on the page; the
  // viewport is left at the desktop size (or the phone size when `phoneLast`).
  t.look = async (page, name, { phoneLast = false } = {}) => {
    const sizes = phoneLast ? [['desktop', DESKTOP], ['phone', PHONE]] : [['phone', PHONE], ['desktop', DESKTOP]];
    for (const [label, vp] of sizes) {
      await page.setViewport(vp);
      const file = path.join(shotDir, `${name}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`screenshot ${file}`);
    }
    await t.axe(page, name);
  };
  // At the phone's width (390 px): the page does not scroll sideways, no box on it scrolls sideways
  // except the chart's labelled scroll region (a table too wide for its card hides its last column
  // off-screen), and axe-core finds nothing at this size. Leaves the viewport at the phone size.
  t.fitsPhone = async (page, what) => {
    await page.setViewport(PHONE);
    const r = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      boxes: [...document.querySelectorAll('body *')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) &&
          !e.matches('.chart-scroll[role=region][aria-label]'))
        .map((e) => `${e.tagName.toLowerCase()} "${(e.querySelector('h2') || e).textContent.slice(0, 40)}" ${e.scrollWidth} > ${e.clientWidth} px`),
    }));
    t.check(r.scrollWidth <= r.innerWidth,
      `${what} at 390 px: the page does not scroll sideways (scrollWidth ${r.scrollWidth}, innerWidth ${r.innerWidth})`);
    t.check(r.boxes.length === 0, `${what} at 390 px: nothing on it scrolls sideways but the chart${r.boxes.length ? ': ' + r.boxes.join('; ') : ''}`);
    await t.axe(page, `${what} at 390 px`);
  };
  t.close = async () => {
    if (t.browser) await t.browser.close();
    if (t.server) t.server.kill('SIGTERM');
  };
  return t;
}

// Runs `body(t)` and exits 0 only if it finishes; prints the axe-core figures.
function run(t, body) {
  body(t).then(async () => {
    await t.close();
    console.log(`axe-core: ${t.axePages} page states checked, ${t.axeViolations} violations`);
    console.log(`${path.basename(process.argv[1])} passed`);
    fs.rmSync(t.tmp, { recursive: true, force: true });
  }).catch(async (e) => {
    console.error('FAIL: ' + (e && e.stack ? e.stack : e));
    try { await t.close(); } catch (x) { /* already failing */ }
    process.exit(1);
  });
}

module.exports = { world, run, fail, PASSWORD, PHONE, DESKTOP };

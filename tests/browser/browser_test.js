// Real-browser test of `titrate serve`: headless Chromium (Debian's /usr/bin/chromium) driven by
// puppeteer-core. A clinician drafts a plan, the author's approval is refused, a pharmacist
// approves it, and the patient opens the link, logs a score and a side effect and sees them in the
// chart. Screenshots of each page go to build/screenshots/. Missing chromium or puppeteer-core is a
// FAILURE (exit 1) naming .ci/install-web, never a skip.
//
// usage: node browser_test.js TITRATE_BINARY SOURCE_DIR SCREENSHOT_DIR
'use strict';

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const [binary, sourceDir, shotDir] = process.argv.slice(2);
function fail(msg) {
  console.error('FAIL: ' + msg);
  process.exit(1);
}
if (!binary || !sourceDir || !shotDir) fail('usage: node browser_test.js TITRATE_BINARY SOURCE_DIR SCREENSHOT_DIR');

const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(chromium)) fail(`${chromium} not found; run .ci/install-web (apt-get install chromium)`);
let puppeteer;
{
  const roots = [process.env.TITRATE_BROWSER_NODE, '/opt/titrate-browser', path.join(sourceDir, 'tests/browser')]
    .filter(Boolean).map((r) => path.join(r, 'node_modules', 'puppeteer-core'));
  for (const r of roots) {
    try { puppeteer = require(r); break; } catch (e) { /* try the next */ }
  }
  if (!puppeteer) fail(`puppeteer-core not found in ${roots.join(', ')}; run .ci/install-web`);
}

const PASSWORD = 'correct horse battery';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'titrate-browser-'));
const env = { ...process.env, TITRATE_DB: path.join(tmp, 'titrate.db'), TITRATE_TODAY: '2026-12-01',
  TITRATE_USER: 'setup', TITRATE_ROLE: 'clinician' };
delete env.TITRATE_BASE_URL;

function titrate(args, input) {
  const r = spawnSync(binary, args, { env, input, encoding: 'utf8', cwd: sourceDir });
  if (r.status !== 0) fail(`titrate ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

let step = 'setup';
function check(cond, what) {
  if (!cond) throw new Error(`${step}: ${what}`);
  console.log(`ok - ${step}: ${what}`);
}

async function main() {
  fs.mkdirSync(shotDir, { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  titrate(['patient', 'add', 'P1', '--birth-date', '1971-06-15', '--sex', 'female', '--weight-kg', '65',
    '--creatinine-mg-dl', '0.8', '--baseline-pain', '7']);
  titrate(['user', 'add', 'dr.a', '--role', 'clinician'], PASSWORD + '\n');
  titrate(['user', 'add', 'ph.b', '--role', 'pharmacist'], PASSWORD + '\n');
  const url = titrate(['patient', 'invite', 'P1', '--base-url', base]).trim();
  if (!/^http:\/\/127\.0\.0\.1:\d+\/p\/[0-9a-f]{32}$/.test(url)) fail(`invite printed ${url}`);

  const server = spawn(binary, ['serve', '--listen', `127.0.0.1:${port}`], { env, cwd: sourceDir });
  let serverErr = '';
  server.stderr.on('data', (d) => { serverErr += d; });
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('serve did not start in 60 s: ' + serverErr)), 60000);
    server.stdout.on('data', (d) => { if (String(d).includes('serving')) { clearTimeout(t); resolve(); } });
    server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${serverErr}`)));
  });

  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    userDataDir: path.join(tmp, 'profile'),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  try {
    const shot = async (page, name) => {
      await page.screenshot({ path: path.join(shotDir, name), fullPage: true });
      console.log(`screenshot ${path.join(shotDir, name)}`);
    };
    const text = (page) => page.evaluate(() => document.body.innerText);
    const submitAndWait = async (page, selector) => {
      // A DOM click on the element (as a tap would do); puppeteer's pointer click can miss
      // elements below the fold of a phone viewport.
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.$eval(selector, (e) => e.click())]);
    };
    const login = async (page, user) => {
      await page.goto(`${base}/login`, { waitUntil: 'load' });
      await page.type('#user', user);
      await page.type('#password', PASSWORD);
      await submitAndWait(page, 'button[type=submit]');
    };

    // --- the clinician drafts a plan
    step = 'clinician';
    const staff = await browser.newPage();
    await staff.setViewport({ width: 1200, height: 900 });
    await staff.goto(`${base}/clinic/`, { waitUntil: 'load' });
    check(staff.url() === `${base}/login`, 'no session redirects to /login');
    await shot(staff, 'login.png');
    await login(staff, 'dr.a');
    check(staff.url() === `${base}/clinic/`, 'signed in to the clinic');
    await shot(staff, 'clinic-due.png');
    await submitAndWait(staff, 'a[href="/clinic/patients/P1"]');
    check((await text(staff)).includes('Eligibility on 2026-12-01'), 'patient summary shows the verdicts');
    await staff.select('#pathway', 'cipn-esmo');
    await submitAndWait(staff, '#draft');
    const drafted = await text(staff);
    check(drafted.includes('Drafted plan version 1; read it below'), 'plan drafted, not submitted');
    check(drafted.includes('Draft plan version 1 (not submitted)'), 'the drafted plan is shown');
    await shot(staff, 'clinic-patient.png');
    await submitAndWait(staff, '#submit-draft');
    check((await text(staff)).includes('Plan version 1 is submitted for pharmacist review.'), 'submitted after reading it');
    await shot(staff, 'clinic-submitted.png');

    // --- the author tries to approve their own plan: refused
    step = 'author';
    // No approve button is offered to a clinician; post the approve form by hand, as a forger would.
    const [resp] = await Promise.all([
      staff.waitForNavigation({ waitUntil: 'load' }),
      staff.evaluate(() => {
        const f = document.createElement('form');
        f.method = 'post';
        f.action = '/pharmacy/patients/P1/versions/1/approve';
        const i = document.createElement('input');
        i.type = 'hidden';
        i.name = 'csrf';
        i.value = document.querySelector('input[name=csrf]').value;
        f.appendChild(i);
        document.body.appendChild(f);
        f.submit();
      }),
    ]);
    check(resp.status() === 403, 'the author\'s own approval is refused with 403');
    check((await text(staff)).includes('role clinician may not approve or reject plans'), 'the refusal says why');
    await shot(staff, 'author-refused.png');
    await staff.goto(`${base}/clinic/`, { waitUntil: 'load' });
    await submitAndWait(staff, 'header button[type=submit]');
    check(staff.url() === `${base}/login`, 'logged out');

    // --- the pharmacist approves
    step = 'pharmacist';
    await login(staff, 'ph.b');
    check(staff.url() === `${base}/pharmacy/`, 'signed in to the pharmacy');
    await shot(staff, 'pharmacy-queue.png');
    await submitAndWait(staff, 'a[href="/pharmacy/patients/P1/versions/1"]');
    const review = await text(staff);
    check(review.includes('Lint findings') && review.includes('Drafted by dr.a'),
      'version page shows lint findings and the author');
    check(review.includes('patient: 55 years (born 1971-06-15)') && review.includes('Side effects reported') &&
      review.includes('Why this version: web: drafted from 2026-12-01'), 'version page shows the patient and why');
    await shot(staff, 'pharmacy-review.png');
    await staff.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await shot(staff, 'pharmacy-review-phone.png');
    await staff.setViewport({ width: 1200, height: 900 });
    await submitAndWait(staff, '#approve');
    check((await staff.$eval('#status', (e) => e.textContent)) === 'approved', 'approved');
    await shot(staff, 'pharmacy-approved.png');

    // --- the patient, on a phone
    step = 'patient';
    const phone = await browser.newPage();
    await phone.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await phone.goto(url, { waitUntil: 'load' });
    const p = await text(phone);
    check(p.includes('In the morning: DULoxetine 30 mg, take 1 capsule of 30 mg'), 'today\'s dose is shown');
    check(p.includes('Next assessment: 2026-12-22'), 'next assessment date is shown');
    const before = await phone.$$eval('.chart svg circle', (c) => c.length);
    await shot(phone, 'patient.png');
    await phone.click('input[name=score][value="6"] + span');
    await phone.type('#note', 'after my walk <b>ok</b>');
    await submitAndWait(phone, 'form[action$="/scores"] button');
    const afterScore = await text(phone);
    check(afterScore.includes('Your pain score is saved'), 'score saved');
    check(afterScore.includes('after my walk <b>ok</b>'), 'note shown as text, not markup');
    const after = await phone.$$eval('.chart svg circle', (c) => c.length);
    check(after === before + 1, `the score is a new dot in the chart (${before} -> ${after})`);
    await phone.type('#description', 'dizziness');
    await phone.select('#severity', 'moderate');
    await submitAndWait(phone, 'form[action$="/adverse-effects"] button');
    check((await text(phone)).includes('dizziness (moderate)'), 'side effect listed');
    check((await text(phone)).includes('Your side effect (moderate) is saved.'), 'the patient is told who sees it');
    await shot(phone, 'patient-after.png');

    await phone.type('#description', 'cannot sleep');
    await phone.select('#severity', 'intolerable');
    await submitAndWait(phone, 'form[action$="/adverse-effects"] button');
    check((await text(phone)).includes('Because it is intolerable, please call your clinic today'),
      'an intolerable side effect asks the patient to call');
    await shot(phone, 'patient-intolerable.png');

    // --- the clinic home leads with it
    step = 'clinic side effects';
    await submitAndWait(staff, 'header button[type=submit]'); // the pharmacist logs out
    await login(staff, 'dr.a');
    await staff.setViewport({ width: 1280, height: 900 });
    const home = await text(staff);
    check(home.includes('cannot sleep') && home.indexOf('cannot sleep') < home.indexOf('Due by'),
      'the clinic home lists the intolerable side effect above the due list');
    await shot(staff, 'clinic-side-effects.png');
    await staff.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await shot(staff, 'clinic-side-effects-phone.png');

    const wrong = await phone.goto(`${base}/p/0123456789abcdef0123456789abcdef`, { waitUntil: 'load' });
    check(wrong.status() === 404, 'a wrong link is 404');
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}

main().then(() => {
  console.log('browser test passed');
  fs.rmSync(tmp, { recursive: true, force: true });
}).catch((e) => {
  console.error('FAIL: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});

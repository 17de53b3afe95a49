// Real-browser test of `titrate serve`'s navigation and abuse pages (issue 15 items 4 and 5): each
// role's header shows its own section only; following a link into the other role's section is a
// 403 page that keeps the header (the user, their section, "Log out") and leads back home; failed
// sign-ins are slowed (429, "Try again in 1 second") rather than locking the account; an unknown
// link is a plain 404. Every page is looked at on a phone and a desktop (screenshots in
// build/screenshots/abuse/) and checked by axe-core (tests/browser/lib.js).
//
// usage: node abuse_test.js TITRATE_BINARY SOURCE_DIR SCREENSHOT_DIR
'use strict';

const path = require('path');
const lib = require('./lib');

lib.world(process.argv, 'abuse').then((t) => lib.run(t, async () => {
  const { base, check } = t;
  t.addP1();
  t.addStaff();
  await t.serve();
  const browser = await t.launch();
  const page = await browser.newPage();
  await page.setViewport(lib.DESKTOP);
  const nav = () => page.$$eval('header nav a', (as) => as.map((a) => `${a.textContent} ${a.getAttribute('href')}`));
  const signedIn = () => page.$eval('#signed-in', (e) => e.textContent).catch(() => '');

  // --- the clinician's header, and the pharmacy refused with the header kept
  t.step = 'clinician';
  await t.login(page, 'dr.a');
  check(page.url() === `${base}/clinic/`, 'signed in to the clinic');
  check(JSON.stringify(await nav()) === JSON.stringify(['Clinic /clinic/', 'Outcomes /reports/outcomes']), `the header links Clinic and the outcome report only (${await nav()})`);
  check((await signedIn()) === 'dr.a (clinician)', 'the header names the user and the role');
  await t.look(page, 'clinician-header');
  let resp = await page.goto(`${base}/pharmacy/`, { waitUntil: 'load' });
  check(resp.status() === 403, 'a clinician opening the pharmacy gets 403');
  check(resp.headers()['referrer-policy'] === 'no-referrer', 'the refusal carries Referrer-Policy: no-referrer');
  let body = await t.text(page);
  check(body.includes('This page is for pharmacists. You are signed in as dr.a, a clinician, so it is not open to you.'),
    'the refusal says the page is the other role\'s');
  check(JSON.stringify(await nav()) === JSON.stringify(['Clinic /clinic/', 'Outcomes /reports/outcomes']), 'the refusal keeps the clinician\'s header');
  check((await page.$('header button[type=submit]')) !== null, 'the refusal keeps "Log out"');
  await t.look(page, 'clinician-refused');
  await t.submitAndWait(page, '#home');
  check(page.url() === `${base}/clinic/`, '"Back to the clinic" leads home');
  await t.submitAndWait(page, 'header button[type=submit]');
  check(page.url() === `${base}/login`, 'logged out');

  // --- the pharmacist's header, and the clinic refused
  t.step = 'pharmacist';
  await t.login(page, 'ph.b');
  check(page.url() === `${base}/pharmacy/`, 'signed in to the pharmacy');
  check(JSON.stringify(await nav()) === JSON.stringify(['Pharmacy /pharmacy/', 'Outcomes /reports/outcomes']), `the header links Pharmacy and the outcome report only (${await nav()})`);
  await t.look(page, 'pharmacist-header');
  resp = await page.goto(`${base}/clinic/patients/P1`, { waitUntil: 'load' });
  check(resp.status() === 403, 'a pharmacist opening a clinic page gets 403');
  body = await t.text(page);
  check(body.includes('This page is for clinicians.'), 'the refusal says the page is the other role\'s');
  check(body.includes('Back to the review queue'), 'a way back to the review queue');
  await t.look(page, 'pharmacist-refused');
  await t.submitAndWait(page, '#home');
  check(page.url() === `${base}/pharmacy/`, '"Back to the review queue" leads home');
  await t.submitAndWait(page, 'header button[type=submit]');

  // --- failed sign-ins: three free, then the client waits (429), the account does not lock.
  // t.look changes the viewport, which makes chromium reload the page and so post the form again;
  // a POST's answer is screenshot on pages opened at their size instead (lookAsIs).
  t.step = 'slowed';
  const lookAsIs = async (p, name) => {
    const file = path.join(t.shotDir, `${name}.png`);
    await p.screenshot({ path: file, fullPage: true });
    console.log(`screenshot ${file}`);
    await t.axe(p, name);
  };
  const phone = await browser.newPage();
  await phone.setViewport(lib.PHONE);
  const failOnce = async (p) => {
    await p.goto(`${base}/login`, { waitUntil: 'load' });
    await p.type('#user', 'ph.b');
    await p.type('#password', 'not the password');
    return t.submitAndWait(p, 'button[type=submit]');
  };
  for (let i = 1; i <= 4; i += 1) {
    resp = await failOnce(phone);
    check(resp.status() === (i < 4 ? 403 : 429), `failure ${i} answers ${i < 4 ? 403 : 429}`);
  }
  check(resp.headers()['retry-after'] === '1', 'Retry-After: 1');
  check((await t.text(phone)).includes('Wrong user name or password. Try again in 1 second.'), 'the page says how long to wait');
  await lookAsIs(phone, 'login-slowed-phone');
  // Again from the same client: during the wait it is refused unchecked ("Too many failed
  // sign-ins from here"); if the second is already over it is a fifth failure (2 s). Either way
  // 429 and the time to wait.
  resp = await failOnce(page);
  check(resp.status() === 429, 'the next attempt answers 429');
  check(/Try again in [12] seconds?\./.test(await t.text(page)), 'and says how long to wait');
  await lookAsIs(page, 'login-slowed-desktop');
  const wait = Number(resp.headers()['retry-after']);
  await new Promise((r) => setTimeout(r, wait * 1000 + 100)); // the server's clock: wait it out
  await t.login(page, 'ph.b');
  check(page.url() === `${base}/pharmacy/`, 'after the wait the owner signs in: nothing locked');

  // --- an unknown link
  t.step = 'unknown link';
  resp = await page.goto(`${base}/p/0123456789abcdef0123456789abcdef`, { waitUntil: 'load' });
  check(resp.status() === 404, 'an unknown link is 404');
  await t.look(page, 'unknown-link');
}));

// Real-browser test of the clinician's whole job without the CLI (issue 15 item 1): add a patient,
// update the profile, invite (the link shown once), invite again (the old link is now 404), draft,
// read and submit a plan, log a score, import a diary CSV, assess and apply, read the audit, and
// download every export. Every page is looked at on a phone and a desktop (screenshots in
// build/screenshots/clinic/) and checked by axe-core (tests/browser/lib.js).
//
// usage: node clinic_test.js TITRATE_BINARY SOURCE_DIR SCREENSHOT_DIR
'use strict';

const fs = require('fs');
const path = require('path');
const lib = require('./lib');

lib.world(process.argv, 'clinic').then((t) => lib.run(t, async () => {
  const { base, check, text, submitAndWait } = t;
  t.addStaff();
  // The store exists before serve starts (an empty clinic).
  t.titrate(['patient', 'list']);
  await t.serve();
  const browser = await t.launch();
  const staff = await browser.newPage();
  await staff.setViewport(lib.DESKTOP);
  await t.login(staff, 'dr.a');
  check(staff.url() === `${base}/clinic/`, 'signed in to the clinic');
  await t.look(staff, 'home-empty');

  // --- add a patient: first a bad weight (400, nothing stored), then the right one
  t.step = 'add';
  await submitAndWait(staff, 'a[href="/clinic/new-patient"]');
  await t.look(staff, 'add-form');
  await staff.type('#id', 'P7');
  await staff.type('#birth-date', '1968-03-02'); // a date input takes the digits in the page's order
  await staff.$eval('#birth-date', (e) => { e.value = '1968-03-02'; });
  await staff.select('#sex', 'male');
  await staff.type('#weight-kg', '80 kg');
  await staff.type('#creatinine-mg-dl', '0.9');
  await staff.type('#baseline-pain', '6');
  let resp = await submitAndWait(staff, '#add');
  check(resp.status() === 400, 'a weight of "80 kg" is refused with 400');
  check((await text(staff)).includes('weight-kg: "80 kg" is not a number; expected kg'), 'the message names the field and the value');
  await t.look(staff, 'add-error');
  check(!t.titrate(['patient', 'list']).includes('P7'), 'nothing was stored');
  await staff.goBack({ waitUntil: 'load' });
  await staff.$eval('#weight-kg', (e) => { e.value = ''; });
  await staff.type('#weight-kg', '80');
  resp = await submitAndWait(staff, '#add');
  check(staff.url() === `${base}/clinic/patients/P7`, 'added: the patient page');
  check((await text(staff)).includes('Profile (version 1)'), 'profile version 1');
  await t.look(staff, 'patient-added');

  // --- update it
  t.step = 'update';
  await submitAndWait(staff, 'a[href="/clinic/patients/P7/profile"]');
  await t.look(staff, 'update-form');
  await staff.$eval('#weight-kg', (e) => { e.value = '78.5'; });
  await submitAndWait(staff, '#save');
  const updated = await text(staff);
  check(updated.includes('Profile (version 2)') && updated.includes('78.5 kg'), 'profile version 2 with the new weight');

  // --- invite, then invite again: the first link stops working
  t.step = 'invite';
  await submitAndWait(staff, '#invite');
  // Looked at first: changing to the phone viewport reloads the page, which posts the form again
  // (a new link that revokes the one shown before); the link read afterwards is the live one.
  await t.look(staff, 'invite');
  const first = await staff.$eval('#patient-link', (e) => e.value);
  check(/\/p\/[0-9a-f]{32}$/.test(first), `the link is shown (${first.replace(/[0-9a-f]{32}$/, '<token>')})`);
  check((await text(staff)).includes('It is shown once'), 'the page says it is shown once');
  const phone = await browser.newPage();
  await phone.setViewport(lib.PHONE);
  const opened = await phone.goto(first, { waitUntil: 'load' });
  check(opened.status() === 200, `the first link opens the patient page (${opened.status()})`);
  await staff.goto(`${base}/clinic/patients/P7`, { waitUntil: 'load' });
  await submitAndWait(staff, '#invite');
  const second = await staff.$eval('#patient-link', (e) => e.value);
  check((await text(staff)).includes('1 earlier link no longer opens anything.'), 'the page says the old link is revoked');
  check((await phone.goto(first, { waitUntil: 'load' })).status() === 404, 'the first link is now 404');
  check((await phone.goto(second, { waitUntil: 'load' })).status() === 200, 'the second link opens');

  // --- draft, read, submit
  t.step = 'draft';
  await staff.goto(`${base}/clinic/patients/P7`, { waitUntil: 'load' });
  await staff.select('#pathway', 'cipn-esmo');
  await submitAndWait(staff, '#draft');
  check((await text(staff)).includes('Draft plan version 1 (not submitted)'), 'the draft is shown, not submitted');
  await submitAndWait(staff, '#submit-draft');
  check((await text(staff)).includes('Plan version 1 is submitted for pharmacist review.'), 'submitted');
  t.titrate(['--user', 'ph.b', '--role', 'pharmacist', 'review', 'approve', 'P7']);

  // --- log a score, then import a diary
  t.step = 'scores';
  await staff.goto(`${base}/clinic/patients/P7`, { waitUntil: 'load' });
  await staff.type('#score', '5');
  await staff.type('#note', 'by phone');
  await submitAndWait(staff, '#log');
  check((await text(staff)).includes('by phone'), 'the score is in the scores table');
  const diary = path.join(t.tmp, 'diary.csv');
  fs.writeFileSync(diary, 'at,score,note\n2026-11-28,6,\n2026-11-29T08:00,6,woke with pain\n');
  const input = await staff.$('#diary-file');
  await input.uploadFile(diary);
  await submitAndWait(staff, '#import');
  check((await text(staff)).includes('Imported 2 scores from diary.csv; skipped 0 duplicates already stored.'), 'the diary is imported');
  await t.look(staff, 'diary-imported');

  // --- assess and apply
  t.step = 'assess';
  await staff.goto(`${base}/clinic/patients/P7/assess`, { waitUntil: 'load' });
  const a = await text(staff);
  check(a.includes('Assessment for patient P7 on 2026-12-01') && a.includes('Baseline pain: 6 of 10'), 'the numbers are shown');
  await t.look(staff, 'assess');
  // The clinician's own decision without a reason is refused in the form's words (no CLI flag).
  await staff.select('#decision', 'stop');
  await submitAndWait(staff, '#apply');
  const refused = await text(staff);
  check(refused.includes('reason: missing; expected why the clinician decides stop') && !refused.includes('--reason'),
        'a decision of my own without a reason is refused in the form\'s words');
  await t.look(staff, 'assess-refused');
  await staff.goto(`${base}/clinic/patients/P7/assess`, { waitUntil: 'load' });
  await submitAndWait(staff, '#apply');
  check(staff.url().startsWith(`${base}/clinic/patients/P7`), 'back to the patient page');
  check((await text(staff)).includes('2026-12-01 duloxetine:'), 'the decision is recorded');
  await t.look(staff, 'patient-applied');

  // --- the audit
  t.step = 'audit';
  await submitAndWait(staff, 'a[href="/clinic/patients/P7/audit"]');
  const audit = await text(staff);
  for (const action of ['patient.add', 'patient.update', 'patient.invite', 'scores.import']) {
    check(audit.includes(action), `the audit lists ${action}`);
  }
  await t.look(staff, 'audit');

  // --- every export downloads (with the session cookie, as the browser sends it)
  t.step = 'exports';
  await staff.goto(`${base}/clinic/patients/P7`, { waitUntil: 'load' });
  const links = await staff.$$eval('#exports a', (as) => as.map((x) => x.getAttribute('href')));
  check(links.length >= 7, `${links.length} export links`);
  const cookie = (await staff.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  for (const href of links) {
    const r = await fetch(base + href, { headers: { Cookie: cookie } });
    const body = Buffer.from(await r.arrayBuffer());
    check(r.status === 200 && body.length > 0 && /attachment; filename="titrate-P7-v/.test(r.headers.get('content-disposition')),
      `${href} downloads (${r.headers.get('content-type')}, ${body.length} bytes)`);
  }
  // The printed handout: a PDF with a new link (the form posted as the browser would post it).
  const csrf = await staff.$eval('form[action$="/handout"] input[name=csrf]', (e) => e.value);
  const h = await fetch(`${base}/clinic/patients/P7/handout`, {
    method: 'POST',
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, paper: 'letter', 'clinic-name': 'Pain clinic' }).toString(),
  });
  const pdf = Buffer.from(await h.arrayBuffer());
  check(h.status === 200 && h.headers.get('content-type') === 'application/pdf' && pdf.subarray(0, 4).toString() === '%PDF',
    `the handout downloads (${h.headers.get('content-disposition')}, ${pdf.length} bytes)`);
  check((await phone.goto(second, { waitUntil: 'load' })).status() === 404, 'the handout\'s new link revoked the second one');
  await t.look(staff, 'patient-tools');
  // A new version the pharmacist rejects leads the clinic home, with the reason.
  t.step = 'home';
  await staff.select('#pathway', 'cipn-esmo');
  await submitAndWait(staff, '#draft');
  await submitAndWait(staff, '#submit-draft');
  t.titrate(['--user', 'ph.b', '--role', 'pharmacist', 'review', 'reject', 'P7', '--reason', 'keep the running plan']);
  await staff.goto(`${base}/clinic/`, { waitUntil: 'load' });
  const home = await text(staff);
  check(home.includes('P7: plan version 2 rejected by ph.b') && home.includes(': keep the running plan'),
    'the rejected plan and the reason are on the clinic home');
  check(home.indexOf('Plans the pharmacist rejected') < home.indexOf('Due by'), 'above the due list');
  await t.look(staff, 'home');
  await submitAndWait(staff, 'a[href="/clinic/audit"]');
  check((await text(staff)).includes('patient.invite'), 'the clinic audit lists the invites');
  await t.look(staff, 'clinic-audit');
}));

// Real-browser test of the patient's page (issue 15 item 3) on a phone: the next days with what
// changes tomorrow marked, the chart readable (every label at least 12 CSS px at 390 px wide, no
// two labels overlapping), a double tap stored once, a mistaken pain score withdrawn through the
// page's form with a reason (gone from the list and the chart, and from the clinic's scores export
// read with the CLI on the same database), a 300-character Cyrillic side effect, the last report
// withdrawn, a friendly error page with a way back, the calendar file, and, after the plan's last
// day, what to do and whom to call. Screenshots in build/screenshots/patient/.
//
// usage: node patient_test.js TITRATE_BINARY SOURCE_DIR SCREENSHOT_DIR
'use strict';

const http = require('http');
const lib = require('./lib');

function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    }).on('error', reject);
  });
}

const CLINIC = ['--clinic-name', 'Hope Pain Clinic', '--clinic-phone', '020 7946 0000'];

lib.world(process.argv, 'patient', { today: '2026-12-07' }).then((t) => lib.run(t, async () => {
  const { base, check, text, submitAndWait } = t;
  t.addP1();
  t.titrate(['--user', 'dr.a', '--role', 'clinician', 'plan', 'P1', '--start', '2026-12-01', '--pathway', 'cipn-esmo',
    '--backdate', '--submit']);
  t.titrate(['--user', 'ph.b', '--role', 'pharmacist', 'review', 'approve', 'P1']);
  const url = t.titrate(['patient', 'invite', 'P1', '--base-url', base]).trim();
  await t.serve(CLINIC);
  const browser = await t.launch();
  const phone = await browser.newPage();
  await phone.setViewport(lib.PHONE);

  // --- 2026-12-07: the 30 mg week ends today, 60 mg from tomorrow
  t.step = 'days';
  await phone.goto(url, { waitUntil: 'load' });
  let p = await text(phone);
  check(p.includes('Today (2026-12-07)\nIn the morning: DULoxetine 30 mg, take 1 capsule of 30 mg'), 'today\'s dose');
  check(p.includes('From tomorrow (2026-12-08) through 2026-12-21\nChanged: In the morning: DULoxetine 60 mg, take 1 capsule of 60 mg'),
    'tomorrow\'s change is marked');
  await t.look(phone, 'patient-days', { phoneLast: true });

  // --- the chart on a phone: text at least 12 CSS px, labels apart
  t.step = 'chart';
  const labels = await phone.$$eval('.chart svg text', (els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    const m = e.getScreenCTM(); // a rotated label scales by the length of its x axis
    const px = parseFloat(getComputedStyle(e).fontSize) * Math.hypot(m.a, m.b);
    return { text: e.textContent, px, l: r.left, r: r.right, t: r.top, b: r.bottom };
  }));
  check(labels.length > 5, `the chart has labels (${labels.length})`);
  const smallest = Math.min(...labels.map((l) => l.px));
  const small = labels.filter((l) => !(l.px >= 12)).map((l) => `"${l.text}" ${l.px}`);
  check(smallest >= 12, `every chart label is at least 12 CSS px at 390 px wide (smallest ${smallest.toFixed(1)}${small.length ? ': ' + small.join(', ') : ''})`);
  const overlaps = [];
  for (let i = 0; i < labels.length; i += 1) {
    for (let j = i + 1; j < labels.length; j += 1) {
      const a = labels[i];
      const b = labels[j];
      if (a.l < b.r - 1 && b.l < a.r - 1 && a.t < b.b - 1 && b.t < a.b - 1) overlaps.push(`"${a.text}" / "${b.text}"`);
    }
  }
  check(overlaps.length === 0, `no two chart labels overlap${overlaps.length ? ': ' + overlaps.join(', ') : ''}`);

  // --- a double tap on "Save my pain score": stored once
  t.step = 'double tap';
  await phone.click('form[action$="/scores"] input[name=score][value="5"] + span');
  const code = await phone.$eval('form[action$="/scores"] input[name=form]', (e) => e.value);
  await submitAndWait(phone, 'form[action$="/scores"] button');
  check((await text(phone)).includes('Your pain score is saved'), 'the first tap saves');
  await phone.goBack({ waitUntil: 'load' }).catch(() => null);
  // The same form (same one-time code) posted again, as a second tap or a resend would.
  await phone.goto(url, { waitUntil: 'load' });
  await phone.click('form[action$="/scores"] input[name=score][value="5"] + span');
  await phone.$eval('form[action$="/scores"] input[name=form]', (e, c) => { e.value = c; }, code);
  await submitAndWait(phone, 'form[action$="/scores"] button');
  check((await text(phone)).includes('This form was already saved, so it was not saved a second time.'),
    'the second post of the same form is answered "already saved"');
  const csv = t.titrate(['export', 'P1', '--format', 'scores-csv']);
  check(csv.trim().split('\n').length === 2, `one score stored (${csv.trim().split('\n').length - 1})`);
  check(/\d\d:\d\d today\t5/.test(await text(phone)), 'the score\'s time reads "HH:MM today"');

  // --- a second score saved by mistake, withdrawn through the page's own form
  t.step = 'withdraw score';
  const dotsBefore = await phone.$$eval('.chart svg circle', (c) => c.length);
  await phone.click('form[action$="/scores"] input[name=score][value="9"] + span');
  await phone.type('#note', 'tapped the wrong number');
  await submitAndWait(phone, 'form[action$="/scores"] button');
  p = await text(phone);
  check(p.includes('Your pain score is saved') && p.includes('tapped the wrong number'), 'the mistaken 9 is saved and listed');
  check((await phone.$$eval('.chart svg circle', (c) => c.length)) === dotsBefore + 1, 'the 9 is a new dot in the chart');
  const rowsWithNine = () => phone.$$eval('table tbody tr', (trs) => trs
    .map((tr) => [...tr.cells].map((td) => td.textContent))
    .filter((c) => c[1] === '9' || c[2].includes('tapped the wrong number')).length);
  check((await rowsWithNine()) === 1, 'the 9 is a row of "Your last scores"');
  check(t.titrate(['export', 'P1', '--format', 'scores-csv']).includes('tapped the wrong number'),
    'the clinic\'s scores export counts the 9');
  const summary = await phone.$eval('#withdraw-score summary', (e) => e.textContent);
  check(/^Withdraw your last pain score \(9, \d\d:\d\d today\)$/.test(summary), `the withdraw form names the 9 (${summary})`);
  await phone.$eval('#withdraw-score summary', (e) => e.click());
  check(await phone.$eval('#withdraw-score', (e) => e.open), 'the withdraw form opens');
  check(await phone.$eval('#score-reason', (e) => e.required && e.validity.valueMissing), 'the form asks why (a required reason)');
  await phone.type('#score-reason', 'I pressed 9 by mistake');
  // The open form, as the patient sees it before sending it (the phone viewport is current).
  await phone.$eval('#withdraw-score', (e) => e.scrollIntoView());
  await phone.screenshot({ path: `${t.shotDir}/patient-withdraw-score-form-phone.png` });
  console.log(`screenshot ${t.shotDir}/patient-withdraw-score-form-phone.png`);
  await submitAndWait(phone, '#withdraw-score button[type=submit]');
  p = await text(phone);
  check(p.includes('Your pain score is withdrawn. It no longer counts and is no longer listed here; your clinic keeps a record of it and of your reason.'),
    'the page says the score is withdrawn');
  check((await rowsWithNine()) === 0 && !p.includes('tapped the wrong number'), 'the 9 is gone from "Your last scores"');
  check(/\d\d:\d\d today\t5/.test(p), 'the 5 is still listed');
  check((await phone.$$eval('.chart svg circle', (c) => c.length)) === dotsBefore, 'the 9\'s dot is gone from the chart');
  check((await phone.$eval('#withdraw-score summary', (e) => e.textContent)).startsWith('Withdraw your last pain score (5, '),
    'the last score offered for withdrawal is now the 5');
  // The clinician's side, through the CLI on the same database: the export counts the 5 only.
  const after = t.titrate(['export', 'P1', '--format', 'scores-csv']).trim().split('\n');
  check(after.length === 2 && after[1].split(',')[2] === '5' && !after.join('\n').includes('tapped the wrong number'),
    `the clinic's scores export no longer counts the 9 (${after.length - 1} row: ${after[1]})`);
  check(/score\.retract\s+P1\s.*I pressed 9 by mistake/.test(t.titrate(['audit', 'P1'])), 'the withdrawal is audited with its reason');
  await t.look(phone, 'patient-score-withdrawn', { phoneLast: true });

  // --- 300 Cyrillic characters, then withdrawn
  t.step = 'side effect';
  const cyr = 'ж'.repeat(300);
  await phone.$eval('#description', (e, v) => { e.value = v; }, cyr);
  await phone.select('#severity', 'mild');
  await submitAndWait(phone, 'form[action$="/adverse-effects"] button');
  p = await text(phone);
  check(p.includes('Your side effect (mild) is saved.') && p.includes(cyr), '300 Cyrillic characters are saved');
  // (t.look reloads the page when it switches between phone and desktop: fill the form after it.)
  await t.look(phone, 'patient-side-effect', { phoneLast: true });
  await phone.$eval('#withdraw summary', (e) => e.click());
  check(await phone.$eval('#withdraw', (e) => e.open), 'the withdraw form opens');
  await phone.$eval('#reason', (e) => { e.value = 'I reported it by mistake'; });
  await submitAndWait(phone, 'form[action$="/withdraw"] button');
  p = await text(phone);
  check(p.includes('Your side effect report is withdrawn.') && !p.includes(cyr), 'the last report is withdrawn');

  // --- a refused form: a friendly page and a way back
  t.step = 'error';
  await phone.$eval('#severity', (e) => e.removeAttribute('required'));
  await phone.type('#description', 'rash');
  const resp = await submitAndWait(phone, 'form[action$="/adverse-effects"] button');
  p = await text(phone);
  check(resp.status() === 400 && p.includes('Nothing was saved') && p.includes('severity: missing'), 'the error says what');
  check(!p.includes('--'), 'no command-line wording');
  await t.look(phone, 'patient-error', { phoneLast: true });
  await submitAndWait(phone, 'a[href^="/p/"]');
  check(phone.url() === url, 'Back to your page leads back');

  // --- the calendar
  t.step = 'calendar';
  const ics = await get(`${url}/calendar.ics`);
  check(ics.status === 200 && ics.headers['content-type'].startsWith('text/calendar') &&
    ics.body.includes('BEGIN:VCALENDAR'), 'the calendar file downloads');

  // --- 2026-12-23: the trial's planned days are over
  t.step = 'after the plan';
  t.server.kill('SIGTERM');
  await new Promise((r) => t.server.on('exit', r));
  t.env.TITRATE_TODAY = '2026-12-23';
  await t.serve(CLINIC);
  await phone.goto(url, { waitUntil: 'load' });
  p = await text(phone);
  check(p.includes('Do not stop taking DULoxetine suddenly'), 'not to stop suddenly');
  check(p.includes('Call your clinic: Hope Pain Clinic') && p.includes('Telephone: 020 7946 0000'), 'whom to call');
  await t.look(phone, 'patient-after-plan', { phoneLast: true });
}));

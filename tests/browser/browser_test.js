// Real-browser test of `titrate serve`: headless Chromium (Debian's /usr/bin/chromium) driven by
// puppeteer-core. A clinician drafts a plan, the author's approval is refused, a pharmacist
// approves it, and the patient opens the link, logs a score and a side effect and sees them in the
// chart. Every page is looked at on a phone and a desktop (screenshots in
// build/screenshots/browser/) and checked by axe-core (tests/browser/lib.js). At 390 px the
// clinician's patient page and the pharmacist's version page, of P1 and of P2 (many eligibility
// reasons), scroll sideways nowhere but in the chart (t.fitsPhone).
//
// usage: node browser_test.js TITRATE_BINARY SOURCE_DIR SCREENSHOT_DIR
'use strict';

const lib = require('./lib');

lib.world(process.argv, 'browser').then((t) => lib.run(t, async () => {
  const { base, check, text, submitAndWait, login } = t;
  t.addP1();
  t.addStaff();
  const url = t.titrate(['patient', 'invite', 'P1', '--base-url', base]).trim();
  // P2: many eligibility reasons (age 82, CrCl 26, mild hepatic impairment, arrhythmia, falls,
  // sertraline and tramadol), a submitted plan and a side effect: the long tables on a phone.
  t.titrate(['patient', 'add', 'P2', '--birth-date', '1944-02-01', '--sex', 'female', '--weight-kg', '65',
    '--creatinine-mg-dl', '1.7', '--hepatic', 'mild', '--condition', 'arrhythmia', '--condition', 'falls-history',
    '--medication', 'sertraline', '--medication', 'tramadol', '--baseline-pain', '7']);
  t.titrate(['--user', 'dr.a', '--role', 'clinician', 'plan', 'P2', '--start', '2026-12-01', '--submit']);
  t.titrate(['log', 'P2', '--adverse-effect', 'dizziness when standing up from a chair', '--severity', 'moderate']);
  check(/^http:\/\/127\.0\.0\.1:\d+\/p\/[0-9a-f]{32}$/.test(url), `invite printed a link (${url})`);
  await t.serve();
  const browser = await t.launch();
  {
    // --- the clinician drafts a plan
    t.step = 'clinician';
    const staff = await browser.newPage();
    await staff.setViewport({ width: 1200, height: 900 });
    await staff.goto(`${base}/clinic/`, { waitUntil: 'load' });
    check(staff.url() === `${base}/login`, 'no session redirects to /login');
    await t.look(staff, 'login');
    await login(staff, 'dr.a');
    check(staff.url() === `${base}/clinic/`, 'signed in to the clinic');
    await t.look(staff, 'clinic-due');
    await submitAndWait(staff, 'a[href="/clinic/patients/P1"]');
    check((await text(staff)).includes('Eligibility on 2026-12-01'), 'patient summary shows the verdicts');
    await staff.select('#pathway', 'cipn-esmo');
    await submitAndWait(staff, '#draft');
    const drafted = await text(staff);
    check(drafted.includes('Drafted plan version 1; read it below'), 'plan drafted, not submitted');
    check(drafted.includes('Draft plan version 1 (not submitted)'), 'the drafted plan is shown');
    await t.look(staff, 'clinic-patient');
    await submitAndWait(staff, '#submit-draft');
    check((await text(staff)).includes('Plan version 1 is submitted for pharmacist review.'), 'submitted after reading it');
    await t.look(staff, 'clinic-submitted');

    // --- on a phone: the patient page's tables fit the screen, reasons and all
    t.step = 'clinician on a phone';
    await t.fitsPhone(staff, 'the clinic page of P1');
    await staff.goto(`${base}/clinic/patients/P2`, { waitUntil: 'load' });
    check((await staff.$$eval('#eligibility li', (l) => l.length)) >= 10, 'P2\'s eligibility table lists its reasons');
    await t.fitsPhone(staff, 'the clinic page of P2');
    await t.look(staff, 'clinic-patient-reasons', { phoneLast: true });
    await staff.setViewport({ width: 1200, height: 900 });
    await staff.goto(`${base}/clinic/patients/P1`, { waitUntil: 'load' });

    // --- the author tries to approve their own plan: refused
    t.step = 'author';
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
    await t.look(staff, 'author-refused');
    await staff.goto(`${base}/clinic/`, { waitUntil: 'load' });
    await submitAndWait(staff, 'header button[type=submit]');
    check(staff.url() === `${base}/login`, 'logged out');

    // --- the pharmacist approves
    t.step = 'pharmacist';
    await login(staff, 'ph.b');
    check(staff.url() === `${base}/pharmacy/`, 'signed in to the pharmacy');
    await t.look(staff, 'pharmacy-queue');
    await submitAndWait(staff, 'a[href="/pharmacy/patients/P1/versions/1"]');
    const review = await text(staff);
    check(review.includes('Lint findings') && review.includes('Drafted by dr.a'),
      'version page shows lint findings and the author');
    check(review.includes('55 years (born 1971-06-15)') && !review.includes('patient: 55 years') && review.includes('Side effects reported') &&
      review.includes('Why this version: web: drafted from 2026-12-01'), 'version page shows the patient and why');
    await t.fitsPhone(staff, 'the version page of P1');
    await t.look(staff, 'pharmacy-review');
    await submitAndWait(staff, '#approve');
    check((await staff.$eval('#status', (e) => e.textContent)) === 'approved', 'approved');
    await t.look(staff, 'pharmacy-approved');
    await staff.goto(`${base}/pharmacy/patients/P2/versions/1`, { waitUntil: 'load' });
    check((await text(staff)).includes('age 65 or over with a history of falls'), 'P2\'s version page lists the reasons');
    await t.fitsPhone(staff, 'the version page of P2');
    await t.look(staff, 'pharmacy-review-reasons', { phoneLast: true });
    // A second version that changes drug: the pharmacist reads the change in short first.
    t.titrate(['--user', 'dr.a', '--role', 'clinician', 'plan', 'P1', '--start', '2026-12-01', '--prefer', 'gabapentin',
      '--reason', 'the patient asks for gabapentin', '--submit']);
    await staff.goto(`${base}/pharmacy/patients/P1/versions/2`, { waitUntil: 'load' });
    const changed = await text(staff);
    check(changed.includes('Changes against approved version 1') && changed.includes('In short:') &&
      changed.includes('Gabapentin trial added: starts on 2026-12-01 at 300 mg a day') &&
      changed.includes('DULoxetine trial removed (was from 2026-12-01 through 2026-12-21)') &&
      changed.indexOf('In short:') < changed.indexOf('In detail:'), 'version 2 says in short what changed, before the detail');
    await t.look(staff, 'pharmacy-changes');
    await staff.goto(`${base}/reports/outcomes`, { waitUntil: 'load' });
    const report = await text(staff);
    check(report.includes('Line 1, DULoxetine') && report.includes('started: 1'),
      'the outcome report counts the approved plan as a first-line duloxetine trial');
    await t.look(staff, 'report-outcomes');

    // --- the patient, on a phone
    t.step = 'patient';
    const phone = await browser.newPage();
    await phone.setViewport(lib.PHONE);
    await phone.goto(url, { waitUntil: 'load' });
    const p = await text(phone);
    check(p.includes('In the morning: DULoxetine 30 mg, take 1 capsule of 30 mg'), 'today\'s dose is shown');
    check(p.includes('Next assessment: 2026-12-22'), 'next assessment date is shown');
    const before = await phone.$$eval('.chart svg circle', (c) => c.length);
    await t.look(phone, 'patient', { phoneLast: true });
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
    await t.look(phone, 'patient-after', { phoneLast: true });

    await phone.type('#description', 'cannot sleep');
    await phone.select('#severity', 'intolerable');
    await submitAndWait(phone, 'form[action$="/adverse-effects"] button');
    check((await text(phone)).includes('Because it is intolerable, please call your clinic today'),
      'an intolerable side effect asks the patient to call');
    await t.look(phone, 'patient-intolerable', { phoneLast: true });

    // --- the clinic home leads with it
    t.step = 'clinic side effects';
    await submitAndWait(staff, 'header button[type=submit]'); // the pharmacist logs out
    await login(staff, 'dr.a');
    await staff.setViewport({ width: 1280, height: 900 });
    const home = await text(staff);
    check(home.includes('cannot sleep') && home.indexOf('cannot sleep') < home.indexOf('Due by'),
      'the clinic home lists the intolerable side effect above the due list');
    await t.look(staff, 'clinic-side-effects');

    const wrong = await phone.goto(`${base}/p/0123456789abcdef0123456789abcdef`, { waitUntil: 'load' });
    check(wrong.status() === 404, 'a wrong link is 404');
  }
}));

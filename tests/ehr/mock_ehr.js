// A mock EHR against a real `titrate serve`: it registers as a CDS client (an ES384
// and an RS384 key in a JWK Set file, as docs/ehr.md tells a clinic), then walks discovery ->
// patient-view -> order-select -> order-sign (accepting the suggestion) -> feedback, and checks the
// refusals (bad signature, wrong aud, expired, replayed jti, alg none, HMAC, unknown iss, no
// token). Every request it sends and every answer is checked against the JSON Schemas written
// from the CDS Hooks 2.0.1 text (tests/ehr/schemas, ajv), every FHIR resource titrate returns by
// the npm `fhir` validator, and the expected cards were worked out by hand from clinical.md and
// the patients set up below (not copied from titrate's output). One server start.
//
// usage: node mock_ehr.js TITRATE_BINARY SOURCE_DIR
// Needs .ci/install-ehr (ajv, ajv-formats, jose) and .ci/install-export-validators (fhir); a
// missing package FAILS (exit 1) naming the script, never a skip.
'use strict';

const { spawn, spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const [binary, sourceDir] = process.argv.slice(2);
function fail(msg) {
  console.error('FAIL: ' + msg);
  process.exit(1);
}
if (!binary || !sourceDir) fail('usage: node mock_ehr.js TITRATE_BINARY SOURCE_DIR');

function need(pkg, root, script) {
  const p = path.join(root, 'node_modules', pkg);
  try {
    return require(p);
  } catch (e) {
    fail(`npm package ${pkg} not found in ${p}; run ${script}`);
  }
}
const ehrRoot = process.env.TITRATE_EHR_NODE || '/opt/titrate-ehr';
const Ajv = need('ajv', ehrRoot, '.ci/install-ehr');
const addFormats = need('ajv-formats', ehrRoot, '.ci/install-ehr');
const jose = need('jose', ehrRoot, '.ci/install-ehr');
const { Fhir } = need('fhir', process.env.TITRATE_VALIDATORS || '/opt/titrate-validators',
  '.ci/install-export-validators');

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const schemaDir = path.join(sourceDir, 'tests/ehr/schemas');
const schemas = {};
for (const f of fs.readdirSync(schemaDir)) {
  schemas[f.replace('.schema.json', '')] = ajv.compile(JSON.parse(fs.readFileSync(path.join(schemaDir, f))));
}
const fhir = new Fhir();

let step = 'setup';
let failures = 0;
function check(cond, what) {
  if (!cond) {
    console.error(`not ok - ${step}: ${what}`);
    failures++;
  } else {
    console.log(`ok - ${step}: ${what}`);
  }
}
function valid(schema, doc, what) {
  const ok = schemas[schema](doc);
  check(ok, `${what} matches ${schema}` + (ok ? '' : ': ' + ajv.errorsText(schemas[schema].errors)));
}
function validFhir(resource, what) {
  const r = fhir.validate(resource, { errorOnUnexpected: true });
  const errors = r.messages.filter((m) => m.severity === 'error' || m.severity === 'fatal');
  check(r.valid && errors.length === 0, `${what} is valid FHIR R4` +
    (errors.length ? ': ' + JSON.stringify(errors.slice(0, 3)) : ''));
}

// ---- the clinic's data: patients set up through the CLI ----
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'titrate-ehr-'));
const TODAY = '2026-11-30';
const env = { ...process.env, TITRATE_DB: path.join(tmp, 'titrate.db'), TITRATE_TODAY: TODAY };
function titrate(args, who = ['--user', 'dr-a', '--role', 'clinician']) {
  const r = spawnSync(binary, [...who, ...args], { env, encoding: 'utf8', cwd: sourceDir });
  if (r.status !== 0) fail(`titrate ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}
const pharmacist = ['--user', 'ph-b', '--role', 'pharmacist'];

// P1 and P2: duloxetine from 2026-11-01 (30 mg for 7 days, 60 mg from 11-08: decision date
// 2026-11-22 = 11-08 + 14, clinical.md A6), so on 2026-11-30 the assessment is 8 days overdue.
for (const id of ['P1', 'P2']) {
  titrate(['patient', 'add', id, '--birth-date', '1960-03-01', '--sex', 'female', '--weight-kg', '70',
    '--creatinine-mg-dl', '0.9', '--baseline-pain', '7']);
  titrate(['plan', id, '--start', '2026-11-01', '--prefer', 'duloxetine', '--reason', 'first line (ESMO)', '--submit']);
  titrate(['review', 'approve', id, '--version', '1'], pharmacist);
}
// P1: scores on 2 of the 7 window days (11-15..11-21; 4 needed), a severe side effect, and a new
// plan version awaiting review.
fs.writeFileSync(path.join(tmp, 'scores.csv'), 'patient_id,at,score\n' +
  'P1,2026-11-16,6\nP1,2026-11-18,6\n' +
  ['15', '16', '17', '18', '19', '20', '21'].map((d) => `P2,2026-11-${d},4`).join('\n') + '\n');
titrate(['import', 'scores', path.join(tmp, 'scores.csv')]);
titrate(['log', 'P1', '--adverse-effect', 'nausea and vomiting', '--severity', 'severe', '--at', '2026-11-20']);
titrate(['plan', 'P1', '--start', '2026-12-01', '--prefer', 'duloxetine', '--reason', 'first line (ESMO)', '--submit']);
// P2: window mean 4 against baseline 7: (7 - 4) / 7 = 42.9 % >= 30 % -> response (continue);
// an intolerable side effect on 11-25.
titrate(['log', 'P2', '--adverse-effect', 'dizziness, fell twice', '--severity', 'intolerable', '--at', '2026-11-25']);
// demo: imported from the EHR's Bundle (Patient.id "demo", so the EHR's id is titrate's id),
// duloxetine from 2026-11-20: 30 mg to 11-26, 60 mg from 11-27 (the step on 2026-11-30).
titrate(['patient', 'import', 'demo', '--fhir', path.join(sourceDir, 'tests/ehr/fhir/demo-bundle.json')]);
titrate(['patient', 'update', 'demo', '--baseline-pain', '7']);
titrate(['plan', 'demo', '--start', '2026-11-20', '--prefer', 'duloxetine', '--reason', 'first line (ESMO)', '--submit']);
titrate(['review', 'approve', 'demo', '--version', '1'], pharmacist);

// ---- the EHR registers with the clinic: its public keys in a JWK Set file ----
const ISS = 'https://ehr.mock.test';
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

async function main() {
  const es = await jose.generateKeyPair('ES384');
  const rs = await jose.generateKeyPair('RS384', { modulusLength: 2048 });
  const stranger = await jose.generateKeyPair('ES384');
  const jwks = { keys: [
    { ...(await jose.exportJWK(es.publicKey)), kid: 'es384-1', alg: 'ES384', use: 'sig' },
    { ...(await jose.exportJWK(rs.publicKey)), kid: 'rs384-1', alg: 'RS384', use: 'sig' },
  ] };
  fs.writeFileSync(path.join(tmp, 'ehr-jwks.json'), JSON.stringify(jwks));
  fs.writeFileSync(path.join(tmp, 'cds-clients.json'),
    JSON.stringify({ clients: [{ iss: ISS, jwks_file: 'ehr-jwks.json' }] }));

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // `titrate serve` on `port` with the trusted clients, answering as `publicUrl`; resolves once
  // it says it is listening (or after 30 s), with the process and its output so far.
  const serve = async (onPort, publicUrl, clients = 'cds-clients.json') => {
    const proc = spawn(binary, ['serve', '--listen', `127.0.0.1:${onPort}`, '--cds-clients',
      path.join(tmp, clients), '--public-url', publicUrl + '/'], { env, cwd: sourceDir });
    const s = { proc, out: '', exit: null };
    proc.stdout.on('data', (d) => { s.out += d; });
    proc.stderr.on('data', (d) => { s.out += d; });
    proc.on('exit', (code) => { s.exit = code; });
    for (let i = 0; i < 600 && !s.out.includes('CDS Hooks at') && s.exit === null; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    return s;
  };
  const first = await serve(port, base);
  const server = first.proc;
  let serverOut = '';
  try {
    if (!first.out.includes('CDS Hooks at')) fail('titrate serve did not start: ' + first.out);
    await walk(base, { es, rs, stranger });
    // A second instance on the same database behind the same public URL (a load balancer's
    // pair): a token used on one is refused by the other (the used ids are in the database).
    step = 'replay on another instance';
    const port2 = await freePort();
    const second = await serve(port2, base);
    const server2 = second.proc;
    try {
      check(second.out.includes('CDS Hooks at'), 'the second instance started');
      const token = await sign(es.privateKey, { kid: 'es384-1', alg: 'ES384', aud: base + '/cds-services' });
      let r = await call(base, '/cds-services', { method: 'GET', token });
      check(r.status === 200, `the token is accepted by the first instance (got ${r.status})`);
      r = await call(`http://127.0.0.1:${port2}`, '/cds-services', { method: 'GET', token });
      check(r.status === 401 && /already used/.test(r.text), `the second instance refuses it as a replay (got ${r.status}: ${r.text.slice(0, 200)})`);
      const fresh = await sign(es.privateKey, { kid: 'es384-1', alg: 'ES384', aud: base + '/cds-services' });
      r = await call(`http://127.0.0.1:${port2}`, '/cds-services', { method: 'GET', token: fresh });
      check(r.status === 200, `a fresh token is accepted by the second instance (got ${r.status})`);
      r = await call(base, '/cds-services', { method: 'GET', token: fresh });
      check(r.status === 401 && /already used/.test(r.text), `and refused by the first after it (got ${r.status})`);
    } finally {
      server2.kill('SIGTERM');
      await new Promise((r) => server2.on('exit', r));
      serverOut += second.out;
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.on('exit', r));
    serverOut += first.out;
  }
  serverOut += await jwksByUrl(serve, es);
  // The EHR's FHIR access token is never stored or logged.
  step = 'fhirAuthorization';
  const db = fs.readFileSync(path.join(tmp, 'titrate.db')).toString('latin1');
  const wal = fs.existsSync(path.join(tmp, 'titrate.db-wal'))
    ? fs.readFileSync(path.join(tmp, 'titrate.db-wal')).toString('latin1') : '';
  check(SECRETS.every((t) => !db.includes(t) && !wal.includes(t) && !serverOut.includes(t)),
    'no access token appears in the database or the server output');
  // Feedback and refusals are in the audit.
  step = 'audit';
  const audit = JSON.parse(titrate(['--json', 'audit']));
  const fb = audit.entries.filter((e) => e.action === 'cds.feedback');
  check(fb.length === 5, `five feedback entries: the walk's two and the specification's three (got ${fb.length})`);
  check(fb.some((e) => e.patient === null && /d7ecf885/.test(e.detail) && /A comment entered by the clinician/.test(e.detail)),
    'feedback on a card titrate did not issue is stored without a patient');
  check(fb.some((e) => e.patient === 'demo' && /accepted suggestion/.test(e.detail)),
    'the accepted suggestion is stored with the patient');
  check(fb.some((e) => /overridden; reason does-not-align-preferences/.test(e.detail) &&
    /comment "patient prefers to stay on sertraline"/.test(e.detail)), 'the override reason and comment are stored');
  const refused = audit.entries.filter((e) => e.action === 'cds.refused');
  check(refused.length >= 10, `every refusal is audited, both instances' (got ${refused.length})`);
  check(SECRETS.every((t) => !JSON.stringify(audit).includes(t)), 'the audit holds no access token');
  fs.rmSync(tmp, { recursive: true, force: true });
  if (failures) fail(`${failures} check(s) failed`);
  console.log('mock EHR: all checks passed');
}

const SECRET = 'secret-fhir-access-token-' + crypto.randomUUID();
const SECRETS = [SECRET, 'some-opaque-fhir-access-token']; // every access token sent

async function sign(key, { kid, alg, aud, iss = ISS, exp = 300, iat = 0, jti = crypto.randomUUID(), jku }) {
  const now = Math.floor(Date.now() / 1000);
  return new jose.SignJWT({ jti })
    .setProtectedHeader(jku ? { alg, typ: 'JWT', kid, jku } : { alg, typ: 'JWT', kid })
    .setIssuer(iss).setAudience(aud).setIssuedAt(now + iat).setExpirationTime(now + exp)
    .sign(key);
}

async function call(base, pathName, { body, token, method = 'POST' } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(base + pathName, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch (e) { /* checked by the caller */ }
  if (process.env.TITRATE_EHR_DUMP) { // the examples of docs/ehr.md come from here
    fs.appendFileSync(process.env.TITRATE_EHR_DUMP, JSON.stringify({ step, path: pathName, status: res.status,
      request: body || null, response: json }) + '\n');
  }
  return { status: res.status, json, text };
}

function mr(id, rxcui, display, mg, unit, perDay, patient) {
  return {
    resourceType: 'MedicationRequest', id, status: 'draft', intent: 'order',
    medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: rxcui, display }] },
    subject: { reference: `Patient/${patient}` },
    dosageInstruction: [{ timing: { repeat: { frequency: perDay, period: 1, periodUnit: 'd' } },
      doseAndRate: [{ doseQuantity: { value: mg, unit, system: 'http://unitsofmeasure.org', code: unit } }] }],
  };
}
function bundle(resources, type = 'searchset') {
  return { resourceType: 'Bundle', type, entry: resources.map((r) => ({ resource: r })) };
}
function obs(id, loinc, value, unit, when) {
  return { resourceType: 'Observation', id, status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
    effectiveDateTime: when, valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit } };
}
// The prefetch an EHR sends for demo: the same facts as tests/ehr/fhir/demo-bundle.json.
const demoBundle = JSON.parse(fs.readFileSync(path.join(sourceDir, 'tests/ehr/fhir/demo-bundle.json')));
const of = (type) => demoBundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
const demoPrefetch = {
  patient: of('Patient')[0],
  creatinine: bundle([of('Observation').find((o) => o.id === 'cr-2026-11-02')]),
  weight: bundle([of('Observation').find((o) => o.id === 'weight-2026-11-20')]),
  medications: bundle([]),
  medicationStatements: bundle(of('MedicationStatement')),
  conditions: bundle(of('Condition')),
  allergies: bundle(of('AllergyIntolerance')),
};
const kinds = (r) => (r.json && r.json.cards ? r.json.cards.map((c) => c.kind || c.source.topic.code).sort() : []);

// The schemas themselves: the specification's own examples pass (CDS Hooks 2.0.1,
// "Discovery Example" and "CDS Service Response" > "Example"), and documents that break a rule
// of the text fail, so a schema that accepts anything would be caught.
function checkSchemas() {
  step = 'schemas';
  const rejects = (schema, doc, what) => check(!schemas[schema](doc), `${schema} rejects ${what}`);
  valid('discovery-response', { services: [
    { hook: 'patient-view', title: 'Static CDS Service Example', description: 'An example of a CDS Service that returns a static set of cards',
      id: 'static-patient-greeter', prefetch: { patientToGreet: 'Patient/{{context.patientId}}' } },
    { hook: 'order-select', title: 'Order Echo CDS Service', description: 'An example of a CDS Service that simply echoes the order(s) being placed',
      id: 'order-echo', prefetch: { patient: 'Patient/{{context.patientId}}', medications: 'MedicationRequest?patient={{context.patientId}}' } },
    { hook: 'order-sign', title: 'Pharmacogenomics CDS Service', description: 'An example of a more advanced, precision medicine CDS Service',
      id: 'pgx-on-order-sign', usageRequirements: 'Note: functionality of this CDS Service is degraded without access to a FHIR Restful API as part of CDS recommendation generation.' },
  ] }, 'the specification\'s discovery example');
  const example = { cards: [
    { uuid: '4e0a3a1e-3283-4575-ab82-028d55fe2719', summary: 'Example Card', indicator: 'info', detail: 'This is an example card.',
      source: { label: 'Static CDS Service Example', url: 'https://example.com', icon: 'https://example.com/img/icon-100px.png' },
      links: [{ label: 'Google', url: 'https://google.com', type: 'absolute' }, { label: 'Github', url: 'https://github.com', type: 'absolute' },
        { label: 'SMART Example App', url: 'https://smart.example.com/launch', type: 'smart', appContext: '{"session":3456356,"settings":{"module":4235}}' }] },
    { summary: 'Another card', indicator: 'warning', source: { label: 'Static CDS Service Example' },
      overrideReasons: [{ code: 'reason-code-provided-by-service', system: 'http://example.org/cds-services/fhir/CodeSystem/override-reasons', display: 'Patient refused' },
        { code: '12354', system: 'http://example.org/cds-services/fhir/CodeSystem/override-reasons', display: 'Contraindicated' }] },
  ] };
  valid('service-response', example, 'the specification\'s example response');
  const card = (extra) => ({ cards: [{ summary: 'x', indicator: 'info', source: { label: 'l' }, ...extra }] });
  rejects('service-response', card({ summary: 'x'.repeat(140) }), 'a 140-character summary');
  rejects('service-response', card({ indicator: 'hint' }), 'an indicator outside info, warning, critical');
  rejects('service-response', card({ source: {} }), 'a source without label');
  rejects('service-response', card({ suggestions: [{ label: 's' }] }), 'suggestions without selectionBehavior');
  rejects('service-response', card({ overrideReasons: [{ code: 'c', system: 's' }] }), 'an override reason without display');
  rejects('service-response', card({ links: [{ label: 'l', url: 'https://x.test', type: 'absolute', appContext: 'a' }] }), 'appContext on an absolute link');
  rejects('discovery-response', { services: [{ hook: 'patient-view', id: 'x' }] }, 'a service without description');
  rejects('feedback-request', { feedback: [{ card: 'c', outcome: 'accepted', outcomeTimestamp: '2021-12-11T10:05:31Z' }] },
    'an accepted outcome without acceptedSuggestions');
  rejects('feedback-request', { feedback: [{ card: 'c', outcome: 'overridden', outcomeTimestamp: '2021-12-11T10:05:31+01:00' }] },
    'a time that is not UTC');
  rejects('hook-request', { hook: 'order-select', hookInstance: 'h', context: { userId: 'u', patientId: 'p', draftOrders: { resourceType: 'Bundle' } } },
    'an order-select request without selections');
  rejects('hook-request', { hook: 'patient-view', hookInstance: 'h', context: { userId: 'u', patientId: 'p' },
    fhirAuthorization: { access_token: 'a', token_type: 'Bearer', expires_in: 1, scope: 's', subject: 's' } }, 'fhirAuthorization without fhirServer');
}

async function walk(base, keys) {
  checkSchemas();
  const es = (aud, extra = {}) => sign(keys.es.privateKey, { kid: 'es384-1', alg: 'ES384', aud: base + aud, ...extra });
  const rs = (aud, extra = {}) => sign(keys.rs.privateKey, { kid: 'rs384-1', alg: 'RS384', aud: base + aud, ...extra });

  // 1. discovery
  step = 'discovery';
  let r = await call(base, '/cds-services', { method: 'GET', token: await es('/cds-services') });
  check(r.status === 200, `GET /cds-services is 200 (got ${r.status}: ${r.text.slice(0, 200)})`);
  valid('discovery-response', r.json, 'the discovery response');
  const services = Object.fromEntries((r.json.services || []).map((s) => [s.hook, s]));
  check(services['patient-view'] && services['order-select'] && services['order-sign'],
    'patient-view, order-select and order-sign are offered');
  check(services['order-sign'] && services['order-sign'].prefetch.creatinine.includes('2160-0') &&
    services['order-sign'].prefetch.creatinine.includes('14682-9'), 'order-sign prefetches creatinine by both LOINC codes');

  // 2. patient-view (RS384 this time)
  step = 'patient-view';
  const pv = (patientId) => ({ hook: 'patient-view', hookInstance: crypto.randomUUID(),
    context: { userId: 'Practitioner/dr-a', patientId } });
  const svc = (id) => '/cds-services/' + id;
  let req = pv('P1');
  valid('hook-request', req, 'the patient-view request');
  r = await call(base, svc(services['patient-view'].id), { body: req, token: await rs(svc(services['patient-view'].id)) });
  check(r.status === 200, `patient-view P1 is 200 (got ${r.status}: ${r.text.slice(0, 300)})`);
  valid('service-response', r.json, 'the P1 cards');
  const k1 = kinds(r);
  check(JSON.stringify(k1) === JSON.stringify(['assessment.overdue', 'plan.awaiting-review', 'side-effect.severe', 'window.short']),
    `P1: overdue, window short, severe side effect, awaiting review (got ${k1})`);
  const byKind = (res, k) => res.json.cards.find((c) => c.source.topic.code === k) || {};
  check(/overdue by 8 days \(due 2026-11-22\)/.test(byKind(r, 'assessment.overdue').summary || ''),
    'the overdue card says 8 days and the decision date 2026-11-22');
  check(byKind(r, 'assessment.overdue').indicator === 'warning', 'an overdue assessment is a warning');
  check(/Only 2 of 7 days/.test(byKind(r, 'window.short').summary || ''), 'the window card says 2 of 7 days');
  check((byKind(r, 'assessment.overdue').links || [])[0].url === base + '/clinic/patients/P1',
    'each card links to the patient\'s clinic page');
  check(r.json.cards.every((c) => c.summary.length < 140), 'every summary is under 140 characters');
  check(r.json.cards.every((c) => /Source: /.test(c.detail)), 'every card names its source');

  req = pv('P2');
  r = await call(base, svc(services['patient-view'].id), { body: req, token: await es(svc(services['patient-view'].id)) });
  valid('service-response', r.json, 'the P2 cards');
  const k2 = kinds(r);
  check(JSON.stringify(k2) === JSON.stringify(['assessment.overdue', 'response', 'side-effect.intolerable']),
    `P2: overdue, response, intolerable side effect (got ${k2})`);
  check(/pain 7 to 4 \(42.9 % less\)/.test(byKind(r, 'response').summary || ''),
    `the response card gives 7 to 4, 42.9 % (${byKind(r, 'response').summary})`);
  check(byKind(r, 'side-effect.intolerable').indicator === 'critical', 'an intolerable side effect is critical');

  req = pv('not-a-titrate-patient');
  r = await call(base, svc(services['patient-view'].id), { body: req, token: await es(svc(services['patient-view'].id)) });
  check(r.status === 200 && r.json.cards.length === 0, 'a patient titrate does not know gets no card');

  // 3. order-select: demo orders duloxetine 60 mg capsules, 2 a day (120 mg a day).
  step = 'order-select';
  const selectId = services['order-select'].id;
  const draft = mr('draft-1', '596934', 'duloxetine 60 MG Delayed Release Oral Capsule', 2, '{capsule}', 1, 'demo');
  req = { hook: 'order-select', hookInstance: crypto.randomUUID(), fhirServer: 'https://ehr.mock.test/fhir',
    fhirAuthorization: { access_token: SECRET, token_type: 'Bearer', expires_in: 300, scope: 'user/Observation.read', subject: 'titrate' },
    context: { userId: 'Practitioner/dr-a', patientId: 'demo', selections: ['MedicationRequest/draft-1'],
      draftOrders: bundle([draft], 'collection') }, prefetch: demoPrefetch };
  valid('hook-request', req, 'the order-select request');
  r = await call(base, svc(selectId), { body: req, token: await es(svc(selectId)) });
  check(r.status === 200, `order-select is 200 (got ${r.status}: ${r.text.slice(0, 300)})`);
  valid('service-response', r.json, 'the order-select cards');
  const k3 = kinds(r);
  // sertraline (serotonergic, RxNorm 36437) -> duloxetine caution (clinical.md A5); 120 mg a day
  // is above duloxetine's 60 mg cap (A3); the plan has 60 mg a day on 2026-11-30.
  check(JSON.stringify(k3) === JSON.stringify(['order.above-cap', 'order.caution', 'order.off-plan']),
    `caution, above cap, off plan (got ${k3})`);
  check(/120 mg a day is above this patient's cap of 60 mg a day/.test(byKind(r, 'order.above-cap').summary || ''),
    'the cap card gives 120 and 60 mg a day');
  check(/serotonin/i.test(byKind(r, 'order.caution').summary + byKind(r, 'order.caution').detail),
    'the caution names the serotonergic interaction');
  const offPlan = byKind(r, 'order.off-plan');
  check(offPlan.selectionBehavior === 'at-most-one' && offPlan.suggestions && offPlan.suggestions.length === 1,
    'the off-plan card carries one suggestion with selectionBehavior');
  const action = offPlan.suggestions[0].actions[0];
  check(action.type === 'update' && action.resource.id === 'draft-1', 'the suggestion updates the draft order');
  validFhir(action.resource, 'the suggested MedicationRequest');
  const dose0 = action.resource.dosageInstruction[0];
  check(dose0.doseAndRate[0].doseQuantity.value === 60 && dose0.timing.repeat.boundsPeriod.start === '2026-11-27',
    'the suggestion is 60 mg a day from 2026-11-27 (the plan\'s current step)');
  const cautionCard = byKind(r, 'order.caution');

  // 4. order-sign: the EHR applied the suggestion; the signed order matches the plan.
  step = 'order-sign';
  const signId = services['order-sign'].id;
  req = { hook: 'order-sign', hookInstance: crypto.randomUUID(),
    context: { userId: 'Practitioner/dr-a', patientId: 'demo', draftOrders: bundle([action.resource], 'collection') },
    prefetch: demoPrefetch };
  valid('hook-request', req, 'the order-sign request');
  r = await call(base, svc(signId), { body: req, token: await rs(svc(signId)) });
  check(r.status === 200, `order-sign is 200 (got ${r.status}: ${r.text.slice(0, 300)})`);
  valid('service-response', r.json, 'the order-sign cards');
  check(JSON.stringify(kinds(r)) === JSON.stringify(['order.caution']),
    `after the suggestion only the interaction caution is left (got ${kinds(r)})`);

  // 5. feedback: the suggestion accepted, the caution overridden with a reason.
  step = 'feedback';
  const fbBody = { feedback: [
    { card: offPlan.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: offPlan.suggestions[0].uuid }],
      outcomeTimestamp: '2026-11-30T10:05:31Z' },
    { card: cautionCard.uuid, outcome: 'overridden', outcomeTimestamp: '2026-11-30T10:06:00Z',
      overrideReason: { reason: cautionCard.overrideReasons.find((o) => o.code === 'does-not-align-preferences'),
        userComment: 'patient prefers to stay on sertraline' } },
  ] };
  valid('feedback-request', fbBody, 'the feedback request');
  r = await call(base, svc(selectId) + '/feedback', { body: fbBody, token: await es(svc(selectId) + '/feedback') });
  check(r.status === 200, `feedback is 200 (got ${r.status}: ${r.text.slice(0, 300)})`);
  r = await call(base, svc(selectId) + '/feedback', { token: await es(svc(selectId) + '/feedback'),
    body: { feedback: [{ card: 'x', outcome: 'accepted', outcomeTimestamp: '2026-11-30T10:05:31Z' }] } });
  check(r.status === 400 && /acceptedSuggestions/.test(r.text), 'accepted without acceptedSuggestions is 400, nothing stored');

  // 6. a frail patient titrate does not know: critical, stale lab, and the missing-data answers.
  step = 'order-select frail';
  const frail = { resourceType: 'Patient', id: 'frail-3', gender: 'female', birthDate: '1946-01-15' };
  // CrCl = (140 - 80) x 50 / (72 x 3) x 0.85 = 11.8 mL/min < 30 -> duloxetine avoid (A2).
  const frailPrefetch = { patient: frail,
    creatinine: bundle([obs('cr-old', '2160-0', 3, 'mg/dL', '2026-06-01')]),
    weight: bundle([obs('w', '29463-7', 50, 'kg', '2026-11-25')]),
    medications: bundle([]), conditions: bundle([]) };
  const frailDraft = mr('d-frail', '72625', 'duloxetine', 30, 'mg', 1, 'frail-3');
  req = { hook: 'order-select', hookInstance: crypto.randomUUID(),
    context: { userId: 'Practitioner/dr-a', patientId: 'frail-3', selections: ['MedicationRequest/d-frail'],
      draftOrders: bundle([frailDraft], 'collection') }, prefetch: frailPrefetch };
  r = await call(base, svc(selectId), { body: req, token: await es(svc(selectId)) });
  valid('service-response', r.json, 'the frail patient\'s cards');
  check(JSON.stringify(kinds(r)) === JSON.stringify(['lab.stale', 'order.avoid']), `avoid and stale lab (got ${kinds(r)})`);
  check(byKind(r, 'order.avoid').indicator === 'critical', 'avoid is critical');
  check(/182 days ago/.test(byKind(r, 'lab.stale').detail || ''), 'the stale creatinine is 182 days old (2026-06-01 to 2026-11-30)');
  check(!byKind(r, 'order.avoid').links, 'no titrate link for a patient titrate does not know');

  req.prefetch = { ...frailPrefetch, creatinine: bundle([]) };
  req.hookInstance = crypto.randomUUID();
  r = await call(base, svc(selectId), { body: req, token: await es(svc(selectId)) });
  check(JSON.stringify(kinds(r)) === JSON.stringify(['order.not-checked']) && /could not check DULoxetine: no serum creatinine on record/.test(r.text),
    'no creatinine on record: a warning that nothing was checked, no guess');
  const noPrefetch = { ...req, hookInstance: crypto.randomUUID() };
  delete noPrefetch.prefetch;
  r = await call(base, svc(selectId), { body: noPrefetch, token: await es(svc(selectId)) });
  check(r.status === 412, `no prefetch: 412 Precondition Failed (got ${r.status})`);
  valid('operation-outcome', r.json, 'the 412 answer');
  validFhir(r.json, 'the 412 OperationOutcome');
  check(/patient, creatinine, weight, medications, conditions/.test(r.text), 'the 412 names the missing prefetch keys');

  // 6b. no prefetch, but the EHR's FHIR server named (CDS Hooks 2.0 "FHIR Resource Access"): titrate
  // reads what it needs from it with the request's access token, and answers as with the prefetch.
  step = 'fhirServer';
  const FHIR_TOKEN = 'fhir-server-token-' + crypto.randomUUID();
  SECRETS.push(FHIR_TOKEN);
  const seen = [];
  let answers = {
    '/fhir/Patient/frail-3': frail,
    '/fhir/Observation?patient=frail-3&code=http://loinc.org|2160-0,http://loinc.org|14682-9&_sort=-date&_count=1': frailPrefetch.creatinine,
    '/fhir/Observation?patient=frail-3&code=http://loinc.org|29463-7&_sort=-date&_count=1': frailPrefetch.weight,
    '/fhir/MedicationRequest?patient=frail-3&status=active': frailPrefetch.medications,
    '/fhir/Condition?patient=frail-3&clinical-status=active': frailPrefetch.conditions,
  };
  const fhirServer = http.createServer((q, a) => {
    const url = decodeURIComponent(q.url);
    seen.push({ url, auth: q.headers.authorization, accept: q.headers.accept });
    const found = answers[url];
    a.writeHead(found ? 200 : 404, { 'Content-Type': 'application/fhir+json' });
    a.end(JSON.stringify(found || { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] }));
  });
  await new Promise((res) => fhirServer.listen(0, '127.0.0.1', res));
  const fhirBase = `http://127.0.0.1:${fhirServer.address().port}/fhir`;
  try {
    const viaServer = { ...noPrefetch, hookInstance: crypto.randomUUID(), fhirServer: fhirBase,
      fhirAuthorization: { access_token: FHIR_TOKEN, token_type: 'Bearer', expires_in: 300,
        scope: 'user/Patient.read user/Observation.read', subject: 'titrate' } };
    valid('hook-request', viaServer, 'the order-select request with fhirServer and no prefetch');
    r = await call(base, svc(selectId), { body: viaServer, token: await es(svc(selectId)) });
    check(r.status === 200, `no prefetch, fhirServer given: 200 (got ${r.status}: ${r.text.slice(0, 300)})`);
    valid('service-response', r.json, 'the cards from the FHIR server\'s answers');
    check(JSON.stringify(kinds(r)) === JSON.stringify(['lab.stale', 'order.avoid']),
      `the same cards as with the prefetch: avoid and stale lab (got ${kinds(r)})`);
    check(/182 days ago/.test(byKind(r, 'lab.stale').detail || ''), 'the stale creatinine read from the server is 182 days old');
    check(seen.length === 7, `one read per prefetch template (7; got ${seen.length}: ${seen.map((x) => x.url).join(' ')})`);
    check(seen.every((x) => x.auth === `Bearer ${FHIR_TOKEN}`), 'every read carries the access token as a Bearer token');
    check(seen.every((x) => /application\/fhir\+json/.test(x.accept || '')), 'every read asks for application/fhir+json');
    check(seen.some((x) => x.url === '/fhir/Patient/frail-3'), 'the Patient is read by id');
    // The server lacks the creatinine: 412 naming the key and the server's answer.
    delete answers['/fhir/Observation?patient=frail-3&code=http://loinc.org|2160-0,http://loinc.org|14682-9&_sort=-date&_count=1'];
    r = await call(base, svc(selectId), { body: { ...viaServer, hookInstance: crypto.randomUUID() }, token: await es(svc(selectId)) });
    check(r.status === 412 && /the prefetch creatinine is missing, and the EHR's FHIR server did not give it \(creatinine: HTTP 404\)/.test(r.text),
      `the server without a creatinine: 412 naming it (got ${r.status}: ${r.text.slice(0, 300)})`);
    valid('operation-outcome', r.json, 'the 412 answer after reading the server');
    // Plain http to a host that is not loopback is never called (the token would travel in clear).
    r = await call(base, svc(selectId), { body: { ...viaServer, hookInstance: crypto.randomUUID(), fhirServer: 'http://ehr.mock.test/fhir' },
      token: await es(svc(selectId)) });
    check(r.status === 412 && /titrate reads only over https/.test(r.text), `http:// off loopback: 412, not called (got ${r.status}: ${r.text.slice(0, 200)})`);
    // A patient id that is not a FHIR id is not put in a query.
    const seenBefore = seen.length;
    r = await call(base, svc(selectId), { body: { ...viaServer, hookInstance: crypto.randomUUID(),
      context: { ...viaServer.context, patientId: 'frail-3&_include=*' } }, token: await es(svc(selectId)) });
    check(r.status === 412 && seen.length === seenBefore, `a patientId that is not a FHIR id: 412 and no read (got ${r.status})`);
  } finally {
    fhirServer.close();
  }

  // 7. the specification's own example requests (CDS Hooks 2.0.1, input/pagecontent/index.md:
  // "Calling a CDS Service" > "Example", and the three examples of "Feedback"), replayed.
  step = 'specification examples';
  const specCall = { hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea', fhirServer: 'http://hooks.smarthealthit.org:9080',
    hook: 'patient-view',
    fhirAuthorization: { access_token: 'some-opaque-fhir-access-token', token_type: 'Bearer', expires_in: 300,
      scope: 'user/Patient.read user/Observation.read', subject: 'cds-service4' },
    context: { userId: 'Practitioner/example', patientId: '1288992', encounterId: '89284' },
    prefetch: { patientToGreet: { resourceType: 'Patient', gender: 'male', birthDate: '1925-12-23', id: '1288992', active: true } } };
  valid('hook-request', specCall, 'the specification\'s patient-view example');
  r = await call(base, svc(services['patient-view'].id), { body: specCall, token: await es(svc(services['patient-view'].id)) });
  check(r.status === 200 && r.json.cards.length === 0, 'the example (a patient titrate does not know) gets 200 and no card');
  valid('service-response', r.json, 'the answer to the example');
  const specFeedback = [
    { feedback: [{ card: '4e0a3a1e-3283-4575-ab82-028d55fe2719', outcome: 'accepted',
      acceptedSuggestions: [{ id: 'e56e1945-20b3-4393-8503-a1a20fd73152' }], outcomeTimestamp: '2021-12-11T10:05:31Z' }] },
    { feedback: [{ card: 'f6b95768-b1c8-40dc-8385-bf3504b82ffb', outcome: 'overridden', outcomeTimestamp: '2020-12-11T00:00:00Z' }] },
    { feedback: [{ card: '9368d37b-283f-44a0-93ea-547cebab93ed', outcome: 'overridden',
      overrideReason: { reason: { code: 'd7ecf885', system: 'https://example.com/cds-hooks/override-reason-system' },
        userComment: 'A comment entered by the clinician.' }, outcomeTimestamp: '2020-12-11T00:00:00Z' }] },
  ];
  for (const [i, fbExample] of specFeedback.entries()) {
    valid('feedback-request', fbExample, `the specification's feedback example ${i + 1}`);
    const fbPath = svc(services['patient-view'].id) + '/feedback';
    r = await call(base, fbPath, { body: fbExample, token: await es(fbPath) });
    check(r.status === 200 && r.json.stored === 1, `feedback example ${i + 1} is stored (got ${r.status})`);
  }

  // 8. refusals: each 401, nothing answered.
  step = 'refusals';
  const disc = '/cds-services';
  const refusedWith = async (token, what, pattern) => {
    const res = await call(base, disc, { method: 'GET', token });
    check(res.status === 401 && pattern.test(res.text), `${what}: 401 (${res.status}: ${res.json ? res.json.issue[0].details.text : res.text})`);
  };
  await refusedWith(await sign(keys.stranger.privateKey, { kid: 'es384-1', alg: 'ES384', aud: base + disc }), 'bad signature', /bad signature/);
  await refusedWith(await es('/cds-services/elsewhere'), 'wrong aud', /aud is not/);
  await refusedWith(await es(disc, { exp: -10, iat: -300 }), 'expired', /expired/);
  const once = await es(disc);
  r = await call(base, disc, { method: 'GET', token: once });
  check(r.status === 200, 'a fresh token is accepted once');
  await refusedWith(once, 'replayed jti', /already used/);
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: ISS, aud: base + disc, iat: now, exp: now + 300, jti: crypto.randomUUID() };
  await refusedWith(`${b64({ alg: 'none', typ: 'JWT', kid: 'es384-1' })}.${b64(claims)}.`, 'alg none', /unsigned JWTs are refused/);
  const hs = await new jose.SignJWT({ jti: crypto.randomUUID() }).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'es384-1' })
    .setIssuer(ISS).setAudience(base + disc).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode('a shared secret of 32 bytes!!!!'));
  await refusedWith(hs, 'HMAC', /HMAC is refused/);
  await refusedWith(await es(disc, { iss: 'https://other.test' }), 'unknown iss', /not a trusted CDS client/);
  r = await call(base, disc, { method: 'GET' });
  check(r.status === 401, 'no token: 401 (the local test mode is off)');
}

// The EHR publishes its keys at a URL the clinic names in the clients file (jwks_url; CDS Hooks
// 2.0 "Trusting CDS Clients": the allowlist of iss and jku): titrate fetches the set at start,
// again for a kid it lacks (a rotated key), and never fetches another jku. Returns the output.
async function jwksByUrl(serve, es) {
  step = 'jwks_url';
  let published = { keys: [{ ...(await jose.exportJWK(es.publicKey)), kid: 'es384-1', alg: 'ES384', use: 'sig' }] };
  const asked = [];
  const keyServer = http.createServer((q, a) => {
    asked.push(q.url);
    a.writeHead(q.url === '/jwks' ? 200 : 404, { 'Content-Type': 'application/jwk-set+json' });
    a.end(q.url === '/jwks' ? JSON.stringify(published) : '{}');
  });
  await new Promise((res) => keyServer.listen(0, '127.0.0.1', res));
  const jwksUrl = `http://127.0.0.1:${keyServer.address().port}/jwks`;
  fs.writeFileSync(path.join(tmp, 'cds-clients-url.json'), JSON.stringify({ clients: [{ iss: ISS, jwks_url: jwksUrl }] }));
  fs.writeFileSync(path.join(tmp, 'cds-clients-down.json'),
    JSON.stringify({ clients: [{ iss: ISS, jwks_url: `http://127.0.0.1:${keyServer.address().port}/gone` }] }));
  let out = '';
  try {
    // A URL that does not answer with a set: serve refuses to start, naming it.
    const down = await serve(await freePort(), 'http://127.0.0.1:1', 'cds-clients-down.json');
    out += down.out;
    asked.length = 0;
    check(down.exit === 2 && /cannot fetch the JWK Set of https:\/\/ehr\.mock\.test from http:\/\/127\.0\.0\.1:\d+\/gone: HTTP 404/.test(down.out),
      `an unreachable jwks_url: serve exits 2 naming it (got ${down.exit}: ${down.out.slice(0, 300)})`);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const s = await serve(port, base, 'cds-clients-url.json');
    try {
      check(s.out.includes('CDS Hooks at'), 'serve starts with a jwks_url client: ' + s.out.slice(0, 300));
      check(asked.length === 1 && asked[0] === '/jwks', `the set is fetched once at start (${asked.join(' ')})`);
      const disc = '/cds-services';
      let r = await call(base, disc, { method: 'GET', token: await sign(es.privateKey, { kid: 'es384-1', alg: 'ES384', aud: base + disc, jku: jwksUrl }) });
      check(r.status === 200, `a token signed with a key of the fetched set, its jku the configured URL: 200 (got ${r.status}: ${r.text.slice(0, 200)})`);
      check(asked.length === 1, 'a known kid: no fetch');
      // The EHR rotates: a new key, published at the same URL.
      const next = await jose.generateKeyPair('ES384');
      published = { keys: [...published.keys, { ...(await jose.exportJWK(next.publicKey)), kid: 'es384-2', alg: 'ES384', use: 'sig' }] };
      r = await call(base, disc, { method: 'GET', token: await sign(next.privateKey, { kid: 'es384-2', alg: 'ES384', aud: base + disc }) });
      check(r.status === 200, `a token with the new key: fetched again, then 200 (got ${r.status}: ${r.text.slice(0, 200)})`);
      check(asked.length === 2, `the new kid made one fetch (${asked.length})`);
      // A jku elsewhere is refused without being fetched.
      r = await call(base, disc, { method: 'GET', token: await sign(es.privateKey, { kid: 'es384-1', alg: 'ES384', aud: base + disc, jku: 'https://keys.attacker.test/jwks' }) });
      check(r.status === 401 && /is not the JWK Set URL configured for/.test(r.text), `a foreign jku: 401 (got ${r.status}: ${r.text.slice(0, 200)})`);
      check(asked.length === 2, 'the foreign jku was not fetched');
    } finally {
      s.proc.kill('SIGTERM');
      await new Promise((r) => (s.exit !== null ? r() : s.proc.on('exit', r)));
      out += s.out;
    }
  } finally {
    keyServer.close();
  }
  return out;
}

main().catch((e) => fail(e.stack || String(e)));

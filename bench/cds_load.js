// Load program for the CDS Hooks service: C concurrent EHR clients (default 50), each
// sending N order-sign calls (default 100) one after another over loopback with keep-alive, every
// call with its own signed JWT (ES384 by default, or RS384: the two algorithms CDS Hooks 2.0
// recommends). The tokens are signed and the request bodies written before the clock starts, and
// each client first opens its connection with a discovery call (GET /cds-services, as an EHR
// does), so the figures are the server's: JWT check, prefetch reading, eligibility, the plan's
// step, the cards. With `cold` the connections are opened by the timed calls themselves. Prints
// the latency percentiles, throughput, errors, the server's CPU time per call (from /proc), and
// the load average before and after: a benchmark, never a timed test (docs/performance.md).
// With `raw` as the sixth argument each client writes its prepared HTTP/1.1 request bytes to a
// plain socket and reads the answer by its Content-Length, as wrk does, instead of going through
// Node's http module: the load program then takes less of the two CPUs it shares with the server.
//
// usage: node bench/cds_load.js path/to/titrate [clients=50] [calls-per-client=100] [ES384|RS384] [open|cold] [http|raw]
// Needs node and the npm package jose (.ci/install-ehr).
'use strict';

const { spawn, spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const [binary, clientsArg, callsArg, algArg, connArg, clientArg] = process.argv.slice(2);
if (!binary) {
  console.error('usage: node bench/cds_load.js path/to/titrate [clients=50] [calls-per-client=100] [ES384|RS384] [open|cold] [http|raw]');
  process.exit(2);
}
const RAW = clientArg === 'raw';
if (clientArg && clientArg !== 'http' && !RAW) {
  console.error(`cds_load: client ${clientArg}: expected http or raw`);
  process.exit(2);
}
const COLD = connArg === 'cold';
if (connArg && connArg !== 'open' && !COLD) {
  console.error(`cds_load: connections ${connArg}: expected open or cold`);
  process.exit(2);
}
const CLIENTS = Number(clientsArg || 50);
const CALLS = Number(callsArg || 100);
const ALG = algArg || 'ES384';
if (ALG !== 'ES384' && ALG !== 'RS384') {
  console.error(`cds_load: algorithm ${ALG}: expected ES384 or RS384`);
  process.exit(2);
}
const root = path.dirname(__dirname);
let jose;
try {
  jose = require(path.join(process.env.TITRATE_EHR_NODE || '/opt/titrate-ehr', 'node_modules', 'jose'));
} catch (e) {
  console.error('jose not found; run .ci/install-ehr');
  process.exit(1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'titrate-cds-load-'));
const env = { ...process.env, TITRATE_DB: path.join(tmp, 'titrate.db'), TITRATE_TODAY: '2026-11-30' };
function titrate(args, who = ['--user', 'dr-a', '--role', 'clinician']) {
  const r = spawnSync(binary, [...who, ...args], { env, encoding: 'utf8', cwd: root });
  if (r.status !== 0) throw new Error(`titrate ${args.join(' ')}: ${r.stderr}`);
}
titrate(['patient', 'import', 'demo', '--fhir', path.join(root, 'tests/ehr/fhir/demo-bundle.json')]);
titrate(['plan', 'demo', '--start', '2026-11-20', '--prefer', 'duloxetine', '--reason', 'load test', '--submit']);
titrate(['review', 'approve', 'demo', '--version', '1'], ['--user', 'ph-b', '--role', 'pharmacist']);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

const bundle = JSON.parse(fs.readFileSync(path.join(root, 'tests/ehr/fhir/demo-bundle.json')));
const of = (type) => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
const sb = (rs) => ({ resourceType: 'Bundle', type: 'searchset', entry: rs.map((r) => ({ resource: r })) });
const prefetch = {
  patient: of('Patient')[0],
  creatinine: sb([of('Observation').find((o) => o.id === 'cr-2026-11-02')]),
  weight: sb([of('Observation').find((o) => o.id === 'weight-2026-11-20')]),
  medications: sb([]), medicationStatements: sb(of('MedicationStatement')),
  conditions: sb(of('Condition')), allergies: sb(of('AllergyIntolerance')),
};
const draft = {
  resourceType: 'MedicationRequest', id: 'draft-1', status: 'draft', intent: 'order',
  medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '596934' }] },
  subject: { reference: 'Patient/demo' },
  dosageInstruction: [{ timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
    doseAndRate: [{ doseQuantity: { value: 2, unit: '{capsule}', system: 'http://unitsofmeasure.org', code: '{capsule}' } }] }],
};

function call(agent, port, token, data, method = 'POST', where = '/cds-services/titrate-order-sign') {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const headers = { Authorization: 'Bearer ' + token };
    if (data) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': data.length });
    const req = http.request({ host: '127.0.0.1', port, path: where, method, agent, headers },
    (res) => {
      let n = 0;
      res.on('data', (c) => { n += c.length; });
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes: n }));
    });
    req.on('error', () => resolve({ status: 0, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    req.end(data);
  });
}

// The raw client: one socket per client, a whole prepared request written at once, the answer
// read up to its Content-Length (titrate's answers carry one; never chunked).
function rawRequest(port, token, data, method, where) {
  const head = `${method} ${where} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n` +
    (data ? `Content-Type: application/json\r\nContent-Length: ${data.length}\r\n` : '') + '\r\n';
  return data ? Buffer.concat([Buffer.from(head), data]) : Buffer.from(head);
}
class RawClient {
  constructor(port) { this.port = port; this.socket = null; }
  open() {
    return new Promise((resolve, reject) => {
      this.socket = net.connect(this.port, '127.0.0.1', () => resolve());
      this.socket.setNoDelay(true);
      this.socket.once('error', reject);
    });
  }
  async call(bytes) {
    const t0 = process.hrtime.bigint();
    const done = (status) => ({ status, ms: Number(process.hrtime.bigint() - t0) / 1e6 });
    try {
      if (!this.socket) await this.open();
    } catch (e) {
      return done(0);
    }
    return new Promise((resolve) => {
      let buf = Buffer.alloc(0);
      let need = -1, status = 0, bodyAt = 0;
      const finish = (s) => {
        this.socket.off('data', onData); this.socket.off('error', onError); this.socket.off('close', onError);
        resolve(done(s));
      };
      const onError = () => finish(0); // an error or the server closing the connection mid-answer
      const onData = (chunk) => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        if (need < 0) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buf.subarray(0, end).toString('latin1');
          status = Number(head.slice(9, 12));
          const m = /\r\ncontent-length: *(\d+)/i.exec(head);
          if (!m) return finish(0);
          need = Number(m[1]);
          bodyAt = end + 4;
        }
        if (buf.length - bodyAt >= need) finish(status);
      };
      this.socket.on('data', onData);
      this.socket.on('error', onError);
      this.socket.on('close', onError);
      this.socket.write(bytes);
    });
  }
  close() { if (this.socket) this.socket.destroy(); }
}

// The server's CPU time so far (user + system, fields 14 and 15 of /proc/PID/stat), in seconds.
const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
function cpuSeconds(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / ticks;
}

async function main() {
  const es = await jose.generateKeyPair(ALG, ALG === 'RS384' ? { modulusLength: 2048 } : {});
  fs.writeFileSync(path.join(tmp, 'jwks.json'), JSON.stringify({ keys: [
    { ...(await jose.exportJWK(es.publicKey)), kid: 'k1', alg: ALG, use: 'sig' }] }));
  fs.writeFileSync(path.join(tmp, 'clients.json'), JSON.stringify({ clients: [{ iss: 'https://ehr.load.test', jwks_file: 'jwks.json' }] }));
  const port = await freePort();
  const aud = `http://127.0.0.1:${port}/cds-services/titrate-order-sign`;
  const sign = (audience) => new jose.SignJWT({ jti: crypto.randomUUID() }).setProtectedHeader({ alg: ALG, typ: 'JWT', kid: 'k1' })
    .setIssuer('https://ehr.load.test').setAudience(audience).setIssuedAt().setExpirationTime('10m').sign(es.privateKey);
  const tokens = [];
  const bodies = [];
  const sign_path = '/cds-services/titrate-order-sign';
  for (let i = 0; i < CLIENTS * CALLS; i++) {
    tokens.push(await sign(aud));
    bodies.push(Buffer.from(JSON.stringify({ hook: 'order-sign', hookInstance: crypto.randomUUID(),
      context: { userId: 'Practitioner/load', patientId: 'demo', draftOrders: sb([draft]) }, prefetch })));
    if (RAW) bodies[i] = rawRequest(port, tokens[i], bodies[i], 'POST', sign_path);
  }
  const discoveryTokens = [];
  for (let i = 0; i < CLIENTS && !COLD; i++) discoveryTokens.push(await sign(`http://127.0.0.1:${port}/cds-services`));
  const server = spawn(binary, ['serve', '--listen', `127.0.0.1:${port}`, '--cds-clients', path.join(tmp, 'clients.json')],
    { env, cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  server.stdout.on('data', (d) => { out += d; });
  for (let i = 0; i < 600 && !out.includes('CDS Hooks at'); i++) await new Promise((r) => setTimeout(r, 50));

  let errors = 0;
  const agents = Array.from({ length: CLIENTS }, () => (RAW ? new RawClient(port) : new http.Agent({ keepAlive: true, maxSockets: 1 })));
  const send = (agent, token, data, method = 'POST', where = sign_path) =>
    RAW ? agent.call(data || rawRequest(port, token, null, method, where)) : call(agent, port, token, data, method, where);
  if (!COLD) {
    const opened = await Promise.all(agents.map((agent, i) => send(agent, discoveryTokens[i], null, 'GET', '/cds-services')));
    errors += opened.filter((r) => r.status !== 200).length;
  }
  const before = os.loadavg();
  const cpu0 = cpuSeconds(server.pid);
  const own0 = process.cpuUsage();
  const latencies = [];
  let next = 0;
  const t0 = Date.now();
  await Promise.all(agents.map(async (agent) => {
    for (let i = 0; i < CALLS; i++) {
      const n = next++;
      const r = await send(agent, tokens[n], bodies[n]);
      if (r.status !== 200) errors++;
      latencies.push(r.ms);
    }
    if (RAW) agent.close();
    else agent.destroy();
  }));
  const seconds = (Date.now() - t0) / 1000;
  const cpu = cpuSeconds(server.pid) - cpu0;
  const own = process.cpuUsage(own0);
  const after = os.loadavg();
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  fs.rmSync(tmp, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
  console.log(`cds_load: ${ALG}, ${CLIENTS} concurrent clients x ${CALLS} order-sign calls = ${latencies.length} calls in ${seconds.toFixed(1)} s ` +
    `(${(latencies.length / seconds).toFixed(0)} calls/s), ${errors} errors; connections ${COLD ? 'opened by the timed calls' : 'open before the clock'}; ` +
    `client ${RAW ? 'raw sockets' : "Node's http"}`);
  console.log(`server CPU: ${cpu.toFixed(2)} s, ${(1000 * cpu / latencies.length).toFixed(2)} ms per call (user + system, in ticks of ${1000 / ticks} ms); ` +
    `this load program: ${((own.user + own.system) / 1e6).toFixed(2)} s`);
  console.log(`latency ms: p50 ${pct(50).toFixed(1)}  p90 ${pct(90).toFixed(1)}  p99 ${pct(99).toFixed(1)}  max ${latencies[latencies.length - 1].toFixed(1)}`);
  console.log(`load average (1/5/15 min): before ${before.map((x) => x.toFixed(2)).join(' ')}, after ${after.map((x) => x.toFixed(2)).join(' ')}; ` +
    `${os.cpus().length} CPUs; binary ${binary}`);
  process.exit(errors ? 1 : 0);
}
main().catch((e) => { console.error(e); process.exit(1); });

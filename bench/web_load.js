// Load program for `titrate serve` (issues 8 and 9): N concurrent clients (default 50), spread over
// a few patients ($WEB_LOAD_PATIENTS, default 5) by their links, log pain scores through
// POST /api/patients/{id}/scores for D seconds (default 30) over loopback with keep-alive. Reports
// errors, lost rows (201 responses vs rows in pain_scores), throughput and p50/p99 latency.
//
// usage: node bench/web_load.js path/to/titrate [clients=50] [seconds=30] [--instances N]
//                                [--pg ADMIN_URL]
//   --instances N   start N `titrate serve` processes on the same database; client i talks to
//                   instance i mod N (round robin, as a load balancer without sticky sessions)
//   --pg ADMIN_URL  run on PostgreSQL: a new database titrate_load_<pid> is created through
//                   ADMIN_URL (e.g. postgresql://me@/postgres?host=/tmp/pgdir, see tests/pg/cluster)
//                   and dropped afterwards; without it, a new SQLite file in a temporary folder.
// Each instance's store connections: $TITRATE_DB_CONNECTIONS as `titrate serve` reads it (on
// PostgreSQL; default 2 per CPU). Needs node, and sqlite3 or psql (Debian packages).
'use strict';

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const positional = [];
let INSTANCES = 1;
let PG_ADMIN = '';
for (let i = 2; i < process.argv.length; ++i) {
  const a = process.argv[i];
  if (a === '--instances') INSTANCES = Number(process.argv[++i]);
  else if (a === '--pg') PG_ADMIN = process.argv[++i] || '';
  else positional.push(a);
}
const [binary, clientsArg, secondsArg] = positional;
if (!binary || !(INSTANCES >= 1) || (process.argv.includes('--pg') && !PG_ADMIN)) {
  console.error('usage: node bench/web_load.js path/to/titrate [clients=50] [seconds=30] ' +
    '[--instances N] [--pg ADMIN_URL]');
  process.exit(2);
}
const CLIENTS = Number(clientsArg || 50);
const SECONDS = Number(secondsArg || 30);
// Clients share a few patients (each with its own link): setting up 50 patients through the CLI
// would dominate the run on a debug build, and the server path is the same.
const PATIENTS = Math.min(CLIENTS, Number(process.env.WEB_LOAD_PATIENTS || 5));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'titrate-load-'));

// `url` with its database (the path after the host) replaced by `name` (as tests/pg/pg_test.hpp).
function pgUrlFor(url, name) {
  const host = url.indexOf('://');
  const slash = url.indexOf('/', host < 0 ? 0 : host + 3);
  if (slash < 0) return `${url}/${name}`;
  const q = url.indexOf('?', slash);
  return url.slice(0, slash + 1) + name + (q < 0 ? '' : url.slice(q));
}

function psql(url, sql) {
  const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr}`);
  return r.stdout.trim();
}

const pgName = `titrate_load_${process.pid}`;
let db = path.join(tmp, 'titrate.db');
if (PG_ADMIN) {
  psql(PG_ADMIN, `DROP DATABASE IF EXISTS ${pgName}`);
  psql(PG_ADMIN, `CREATE DATABASE ${pgName}`);
  db = pgUrlFor(PG_ADMIN, pgName);
}
const env = { ...process.env, TITRATE_DB: db, TITRATE_TODAY: '2026-12-01', TITRATE_USER: 'bench',
  TITRATE_ROLE: 'clinician' };

function titrate(args) {
  const r = spawnSync(binary, args, { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`titrate ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

function post(agent, port, id, token, body) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, agent, method: 'POST', path: `/api/patients/${id}/scores`,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`,
        'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    });
    req.on('error', (e) => resolve({ status: 0, error: e.message, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    req.end(body);
  });
}

async function main() {
  const links = [];
  for (let i = 1; i <= PATIENTS; ++i) {
    const id = `L${String(i).padStart(3, '0')}`;
    titrate(['patient', 'add', id, '--birth-date', '1960-01-01', '--sex', 'female', '--weight-kg', '70',
      '--creatinine-mg-dl', '1']);
    const url = titrate(['patient', 'invite', id]);
    links.push({ id, token: url.slice(url.lastIndexOf('/') + 1) });
  }
  const tokens = Array.from({ length: CLIENTS }, (_, i) => links[i % PATIENTS]);
  const servers = [];
  const ports = [];
  for (let k = 0; k < INSTANCES; ++k) {
    const port = await freePort();
    const server = spawn(binary, ['serve', '--listen', `127.0.0.1:${port}`], { env });
    let said = '';
    server.stderr.on('data', (d) => { said += d; });
    await new Promise((resolve, reject) => {
      server.stdout.on('data', (d) => { if (String(d).includes('serving')) resolve(); });
      server.on('exit', (c) => reject(new Error(`serve exited ${c}: ${said}`)));
    });
    servers.push(server);
    ports.push(port);
  }

  const latencies = [];
  let ok = 0;
  const errors = {};
  const end = Date.now() + SECONDS * 1000;
  const t0 = Date.now();
  await Promise.all(tokens.map(async ({ id, token }, i) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let n = 0;
    while (Date.now() < end) {
      const body = JSON.stringify({ score: (i + n) % 11, note: `load ${i}-${n}` });
      const r = await post(agent, ports[i % INSTANCES], id, token, body);
      latencies.push(r.ms);
      if (r.status === 201) ++ok;
      else errors[r.status || r.error] = (errors[r.status || r.error] || 0) + 1;
      ++n;
    }
    agent.destroy();
  }));
  const elapsed = (Date.now() - t0) / 1000;
  for (const server of servers) {
    server.kill('SIGTERM');
    await new Promise((r) => server.on('exit', r));
  }

  const countSql = "SELECT count(*) FROM pain_scores WHERE note LIKE 'load %'";
  const rows = Number(PG_ADMIN ? psql(db, countSql)
    : spawnSync('sqlite3', [db, countSql], { encoding: 'utf8' }).stdout.trim());
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
  const result = {
    backend: PG_ADMIN ? 'postgresql' : 'sqlite', instances: INSTANCES,
    db_connections: process.env.TITRATE_DB_CONNECTIONS || 'default',
    load_average: os.loadavg().map((l) => Number(l.toFixed(2))), clients: CLIENTS, seconds: elapsed, requests: latencies.length, created: ok, errors: errorCount,
    error_kinds: errors, rows_stored: rows, lost_rows: ok - rows,
    throughput_per_s: Number((latencies.length / elapsed).toFixed(1)),
    p50_ms: Number(q(0.5).toFixed(2)), p99_ms: Number(q(0.99).toFixed(2)), max_ms: Number(latencies[latencies.length - 1].toFixed(2)),
  };
  console.log(JSON.stringify(result, null, 2));
  fs.rmSync(tmp, { recursive: true, force: true });
  if (PG_ADMIN) psql(PG_ADMIN, `DROP DATABASE IF EXISTS ${pgName}`);
  process.exit(errorCount === 0 && result.lost_rows === 0 ? 0 : 1);
}

main().catch((e) => { console.error(e); process.exit(1); });

#!/usr/bin/env node
// Validates one FHIR R4 JSON file with the npm `fhir` package (FHIR.js, lantanagroup): its
// validator walks the resource, and every contained Bundle entry, against the R4 (4.0.1)
// StructureDefinitions it ships: property names (errorOnUnexpected: an unknown property is an
// error), types and primitive formats (date, dateTime, instant, id, code, integer, decimal),
// cardinality (required elements, arrays) and codes of required value-set bindings.
// Looks for the package in $TITRATE_VALIDATORS/node_modules when that is set, else in
// /opt/titrate-validators/node_modules; then in node's own search path. Exit 0 valid, 1 invalid, 3 when the package is not installed.
'use strict';
const fs = require('fs');
const path = require('path');

function loadFhir() {
  const places = [];
  places.push(path.join(process.env.TITRATE_VALIDATORS || '/opt/titrate-validators', 'node_modules', 'fhir'));
  places.push('fhir');
  for (const p of places) {
    try {
      return require(p);
    } catch (e) {
      if (e.code !== 'MODULE_NOT_FOUND') throw e;
    }
  }
  console.log('VALIDATOR MISSING: the npm package `fhir` is not installed (looked in ' +
              places.join(', ') + '); install it with .ci/install-export-validators');
  process.exit(3);
}

const { Fhir } = loadFhir();
const file = process.argv[2];
const resource = JSON.parse(fs.readFileSync(file, 'utf8'));
const result = new Fhir().validate(resource, { errorOnUnexpected: true });
const problems = result.messages.filter(m => m.severity === 'error' || m.severity === 'fatal');
console.log(JSON.stringify({ valid: result.valid, messages: result.messages }, null, 1));
process.exit(result.valid && problems.length === 0 ? 0 : 1);

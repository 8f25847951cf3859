#!/usr/bin/env node
'use strict';
// The CLI is the engine bundle itself (the same code the extension forks); build it with `npm run build`.
const path = require('path');
const fs = require('fs');
const engine = path.join(__dirname, '..', 'dist', 'engine.js');
if (!fs.existsSync(engine)) {
  process.stderr.write('collapse-lens: dist/engine.js is missing; run `npm run build` first\n');
  process.exit(1);
}
require(engine);

#!/usr/bin/env node
// The core (src/core) must run without VS Code, a DOM or a native runtime: the engine, the CLI and the
// unit tests all load it alone. This check fails the build when an import crosses that line.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const FORBIDDEN = [
  [/from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)/, 'imports vscode'],
  [/from\s+['"]onnxruntime-node['"]|require\(\s*['"]onnxruntime-node['"]\s*\)/, 'imports onnxruntime-node (runtimes live in src/engine/backends)'],
  [/from\s+['"](\.\.\/)+(extension|engine|protocol)\b/, 'imports the engine, extension or protocol (the core depends on nothing above it)'],
  [/\bdocument\.|\bwindow\./, 'touches the DOM'],
];

const problems = [];
for (const file of readdirSync('src/core', { recursive: true }).filter((f) => f.endsWith('.ts'))) {
  const path = join('src/core', file);
  const text = readFileSync(path, 'utf8');
  for (const [re, why] of FORBIDDEN) if (re.test(text)) problems.push(`${path} ${why}`);
}
if (problems.length) {
  console.error('src/core must stay independent:\n  ' + problems.join('\n  '));
  process.exit(1);
}
console.log('src/core is independent of vscode, the DOM, native runtimes and the layers above it');

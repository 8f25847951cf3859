#!/usr/bin/env node
// Fails when a command contributed in package.json is not registered in the extension's source, or a
// menu names a command that is not contributed: both show up to a user as a dead menu item.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const contributed = new Set(pkg.contributes.commands.map((c) => c.command));

const files = readdirSync('src/extension', { recursive: true }).filter((f) => f.endsWith('.ts'));
const source = files.map((f) => readFileSync(join('src/extension', f), 'utf8')).join('\n');
const registered = new Set([...source.matchAll(/registerCommand\(\s*['"]([\w.]+)['"]/g)].map((m) => m[1]));

const problems = [];
for (const id of contributed) if (!registered.has(id)) problems.push(`contributed but never registered: ${id}`);
for (const id of registered) if (id.startsWith('collapseLens.') && !contributed.has(id)) problems.push(`registered but not contributed: ${id}`);
for (const [menu, items] of Object.entries(pkg.contributes.menus ?? {}))
  for (const item of items) if (!contributed.has(item.command)) problems.push(`menu ${menu} names unknown command ${item.command}`);

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`${contributed.size} contributed commands, all registered`);

import { resolve } from 'node:path';
import { UserError, messageOf } from '../errors';
import { analyzeCommand } from './commands/analyze';
import { layersCommand } from './commands/layers';
import { metricsCommand } from './commands/metrics';
import { compareCommand } from './commands/compare';
import { trajectoryCommand } from './commands/trajectory';
import { TOOL_VERSION } from '../version';
import { writeFileAtomicSync } from '../../core/atomicWrite';

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: CliCommand[] = [analyzeCommand, layersCommand, metricsCommand, compareCommand, trajectoryCommand];

function topHelp(): string {
  return [
    `collapse-lens ${TOOL_VERSION}: layer-by-layer neural collapse of a trained classifier`,
    '',
    'Usage: collapse-lens <command> [options]   (collapse-lens <command> --help for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'The result JSON (schema collapse-lens/result@1) is written to --out, or to stdout without it.',
  ].join('\n');
}

/** Returns the exit code: 0 done, 1 failed, 2 bad usage. Errors are one line on stderr. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topHelp() + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`collapse-lens: unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    process.stderr.write(`collapse-lens ${name}: ${messageOf(err)}\n`);
    if (process.env.COLLAPSE_LENS_DEBUG && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    return err instanceof UserError ? 2 : 1;
  }
}

/** Writes JSON to a file (atomically: a crash mid-write must not leave a torn result) or to stdout. */
export function emitJson(value: unknown, out: string | undefined): void {
  const text = JSON.stringify(value, null, 2) + '\n';
  if (!out) {
    process.stdout.write(text);
    return;
  }
  writeFileAtomicSync(resolve(out), text);
}

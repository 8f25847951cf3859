import { UsageError, messageOf } from '../errors';
import { analyzeCommand } from './commands/analyze';
import { layersCommand } from './commands/layers';
import { metricsCommand } from './commands/metrics';
import { compareCommand } from './commands/compare';
import { trajectoryCommand } from './commands/trajectory';
import { classifierCommand } from './commands/classifier';
import { watchCommand } from './commands/watch';
import { mergeCommand } from './commands/merge';
import { TOOL_VERSION } from '../version';
import { closeNames } from '../../core/closeNames';

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: CliCommand[] = [analyzeCommand, mergeCommand, layersCommand, metricsCommand, compareCommand, trajectoryCommand, watchCommand, classifierCommand];

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

/**
 * Returns the exit code: 0 done; 2 the command line is wrong (unknown command or option, a bad flag
 * value, a missing argument: nothing was read); 1 anything else failed (a missing or unreadable file,
 * bad data, an analysis that cannot fit, --out that cannot be written). Errors are one line on stderr.
 */
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
    const close = closeNames(name, COMMANDS.map((c) => c.name), 1);
    process.stderr.write(`collapse-lens: unknown command ${name}${close.length ? ` (did you mean ${close[0]}?)` : ''} (commands: ${COMMANDS.map((c) => c.name).join(', ')})\n`);
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
    return err instanceof UsageError ? 2 : 1;
  }
}

/**
 * The engine: one Node process that reads models and data, runs inference and reduces features to
 * metrics. The extension forks it with `--ipc` so that a native crash or an out-of-memory in
 * onnxruntime takes down only this process; run from a shell it is the `collapse-lens` CLI.
 */
import { runCli } from './cli/cli';
import { serveIpc } from './ipc/server';
import { messageOf } from './errors';

if (process.argv.includes('--ipc') && typeof process.send === 'function') {
  serveIpc();
} else {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`collapse-lens: ${messageOf(err)}\n`);
      process.exitCode = 1;
    },
  );
}

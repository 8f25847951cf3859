/**
 * The one error type of the TF.js model reader. It always names the file (model.json or a weight shard)
 * so the user knows what to fix; the engine turns it into a one-line message.
 */
export class TfjsModelError extends Error {
  /** The file the problem is in (model.json, a shard), absolute or as given. */
  readonly file: string;

  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'TfjsModelError';
    this.file = file;
  }
}

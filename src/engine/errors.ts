/** An error the user caused and can fix (bad path, bad flag): printed as one line, no stack. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/**
 * The command line itself is wrong (unknown option, bad flag value, missing argument): nothing was read
 * yet. The CLI exits 2 for these and 1 for every other failure, so a script can tell "called wrongly"
 * from "the input or the analysis failed".
 */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Raised when the caller cancelled; the pipeline checks between batches. */
export class CancelledError extends Error {
  constructor() {
    super('analysis cancelled');
    this.name = 'CancelledError';
  }
}

export { messageOf } from '../core/messageOf';

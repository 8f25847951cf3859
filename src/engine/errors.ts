/** An error the user caused and can fix (bad path, bad flag): printed as one line, no stack. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
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

import assert from 'node:assert/strict';

/** The message of the Error that `run` rejects with; fails the test when it resolves or throws a non-Error. */
export async function rejection(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    assert.ok(err instanceof Error, `threw a non-Error: ${String(err)}`);
    return err.message;
  }
  return assert.fail('expected a refusal');
}

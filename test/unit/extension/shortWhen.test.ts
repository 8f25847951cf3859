import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shortWhen } from '../../../src/extension/views/shortWhen';

test("a run's time in the Runs view: the time today, day and time this year, the date before", () => {
  const now = new Date(2026, 10, 23, 18, 5);
  assert.equal(shortWhen(new Date(2026, 10, 23, 9, 7, 59), now, 'en-GB'), '09:07');
  assert.equal(shortWhen(new Date(2026, 10, 22, 23, 30), now, 'en-GB'), '22 Nov 23:30');
  assert.equal(shortWhen(new Date(2026, 0, 2, 8, 0), now, 'en-US'), 'Jan 2 08:00 AM');
  assert.equal(shortWhen(new Date(2025, 11, 31, 12, 0), now, 'en-US'), 'Dec 31, 2025');
});

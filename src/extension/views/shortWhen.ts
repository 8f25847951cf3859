/**
 * When a run was made, short enough to sit beside its name in the side bar: the time for today's runs,
 * the day and time within the year, the date before that. The full date and time go in the tooltip.
 * (The full locale string, "11/23/2026, 5:38:12 PM", left no room at the default width.)
 */
export function shortWhen(at: Date, now: Date, locale?: string): string {
  const time = at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  if (at.toDateString() === now.toDateString()) return time;
  if (at.getFullYear() === now.getFullYear()) return `${at.toLocaleDateString(locale, { month: 'short', day: 'numeric' })} ${time}`;
  return at.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

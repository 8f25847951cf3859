/** Narrowing helpers for the parsed model.json, which arrives as `unknown`. */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function recordAt(obj: JsonRecord, key: string): JsonRecord | undefined {
  const v = obj[key];
  return isRecord(v) ? v : undefined;
}

export function arrayAt(obj: JsonRecord, key: string): unknown[] | undefined {
  const v = obj[key];
  return Array.isArray(v) ? v : undefined;
}

export function stringAt(obj: JsonRecord, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' ? v : undefined;
}

export function numberAt(obj: JsonRecord, key: string): number | undefined {
  const v = obj[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function booleanAt(obj: JsonRecord, key: string): boolean | undefined {
  const v = obj[key];
  return typeof v === 'boolean' ? v : undefined;
}

/** A shape list such as [null, 28, 28, 1]; non-numbers become null. Undefined when not an array. */
export function shapeAt(obj: JsonRecord, key: string): (number | null)[] | undefined {
  const v = obj[key];
  if (!Array.isArray(v)) return undefined;
  return v.map((d) => (typeof d === 'number' && Number.isFinite(d) && d >= 0 ? d : null));
}

/**
 * The one full check of a result JSON (collapse-lens/result@1) against docs/result-schema.md, run on
 * every result read from disk (the CLI's compare, the extension's run store, compare panel, reopened
 * panels) and on every result the store writes. A reader that trusts a file this passes never meets
 * a missing key or a wrong type where the schema promises one; a file it refuses is named, with the
 * JSON path of the first wrong field (`layers[0].metrics is missing`), instead of crashing a view
 * later with "Cannot read properties of undefined".
 *
 * Optional keys stay optional and unknown keys are allowed: additions to the schema are backward
 * compatible, so a newer writer's extra fields must not make an older reader refuse the file.
 * No Node import: the webviews may use it too.
 */
import { RESULT_SCHEMA, type AnalysisResult, type CheckpointFormat, type PackedMatrix } from './result';
import { PackedMatrixProblem, packedValues } from './packedMatrix';
import { REDUCTIONS } from './model/reduction';

/** A result file that breaks the schema: `field` is the JSON path of the first wrong value ('' = the whole file). */
export class InvalidResultError extends Error {
  constructor(
    readonly source: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${source}: not a valid Collapse Lens result: ${field ? `${field} ` : ''}${problem}`);
    this.name = 'InvalidResultError';
  }
}

/** Thrown inside the walk; turned into an InvalidResultError naming the file at the top. */
class FieldProblem {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {}
}

type Json = Record<string, unknown>;
type Check = (value: unknown, at: string) => void;

// Exhaustive by construction: a format added to CheckpointFormat fails to compile until it is listed here.
const CHECKPOINT_FORMATS: Record<CheckpointFormat, true> = { onnx: true, 'tfjs-layers': true, 'tfjs-graph': true, 'features-npz': true };

const fail = (at: string, problem: string): never => {
  throw new FieldProblem(at, problem);
};

/** How a wrong value reads in a message: short, and never the whole of a big array. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `${value} (results hold no NaN or Infinity)`;
  return typeof value === 'object' ? 'an object' : String(value);
}

const key = (at: string, name: string): string => (at ? `${at}.${name}` : name);

function object(value: unknown, at: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(at, `is ${describe(value)}, expected an object`);
  return value as Json;
}

/** A key that must be present (undefined is how JSON.stringify drops it, so it reads as missing). */
function required(o: Json, name: string, at: string, check: Check): void {
  const where = key(at, name);
  if (o[name] === undefined) fail(where, 'is missing');
  check(o[name], where);
}

function optional(o: Json, name: string, at: string, check: Check): void {
  if (o[name] !== undefined) check(o[name], key(at, name));
}

const string: Check = (v, at) => {
  if (typeof v !== 'string') fail(at, `is ${describe(v)}, expected a string`);
};
const number: Check = (v, at) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(at, `is ${describe(v)}, expected a number`);
};
const count: Check = (v, at) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(at, `is ${describe(v)}, expected a whole number >= 0`);
};
const fraction: Check = (v, at) => {
  number(v, at);
  if ((v as number) < 0 || (v as number) > 1) fail(at, `is ${describe(v)}, expected a fraction between 0 and 1`);
};
const orNull =
  (check: Check): Check =>
  (v, at) => {
    if (v !== null) check(v, at);
  };
const oneOf =
  (allowed: readonly string[]): Check =>
  (v, at) => {
    if (typeof v !== 'string' || !allowed.includes(v)) fail(at, `is ${describe(v)}, expected one of ${allowed.join(', ')}`);
  };

/** An array of `length` items (any length when undefined), each checked; `what` names its items and why that many. */
const arrayOf =
  (item: Check, length?: number, what = { items: 'entries', why: '' }): Check =>
  (v, at) => {
    if (!Array.isArray(v)) fail(at, `is ${describe(v)}, expected an array`);
    const items = v as unknown[];
    if (length !== undefined && items.length !== length) fail(at, `has ${items.length} ${what.items}, expected ${length}${what.why}`);
    items.forEach((x, i) => item(x, `${at}[${i}]`));
  };
/** Per-class arrays are as long as classes.count says. */
const PER_CLASS = { items: 'entries', why: ' (classes.count)' };

const stringMap: Check = (v, at) => {
  for (const [name, value] of Object.entries(object(v, at))) string(value, key(at, name));
};

/**
 * K numbers or nulls. The per-class arrays are most of a result (four K x K matrices per layer and
 * split: millions of cells at K = 1000), so cells are tested without building each one's path; the
 * path is built for the first bad cell only.
 */
const cells =
  (K: number): Check =>
  (v, at) => {
    if (!Array.isArray(v) || v.length !== K) return arrayOf(orNull(number), K, PER_CLASS)(v, at);
    for (let i = 0; i < K; i++) {
      const x: unknown = v[i];
      if (x !== null && (typeof x !== 'number' || !Number.isFinite(x))) orNull(number)(x, `${at}[${i}]`);
    }
  };
const PACKED_ENCODINGS: readonly PackedMatrix['encoding'][] = ['float64-upper-base64', 'float64-base64'];

/**
 * A packed K x K matrix (packedMatrix.ts): its encoding, k, diagonal and data are checked, and the data
 * decoded (strict base64, the exact byte count, no infinity), so a damaged matrix is refused here, naming
 * the field, rather than drawn as shifted numbers.
 */
const packedMatrix =
  (K: number): Check =>
  (v, at) => {
    const o = object(v, at);
    required(o, 'encoding', at, oneOf(PACKED_ENCODINGS));
    required(o, 'k', at, count);
    if (o.k !== K) fail(key(at, 'k'), `is ${describe(o.k)}, expected ${K} (classes.count)`);
    if (o.encoding === 'float64-upper-base64') required(o, 'diagonal', at, cells(K));
    // The whole form's diagonal is in its data: a second one could disagree, and one of them would be ignored.
    else if (o.diagonal !== undefined) fail(key(at, 'diagonal'), `is present, but ${o.encoding as string} holds the diagonal in its data`);
    required(o, 'data', at, string);
    try {
      packedValues(o as unknown as PackedMatrix);
    } catch (error) {
      if (error instanceof PackedMatrixProblem) fail(key(at, error.field), error.problem);
      throw error;
    }
  };

/** K x K of numbers or nulls (undefined pairs), as rows or packed, or null when not computed. */
const squareMatrix =
  (K: number): Check =>
  (v, at) => {
    if (v === null) return;
    if (typeof v === 'object' && !Array.isArray(v)) return packedMatrix(K)(v, at);
    arrayOf(cells(K), K, { items: 'rows', why: ' (classes.count)' })(v, at);
  };
const perClass = (K: number): Check => orNull(cells(K));

const classIndex =
  (K: number): Check =>
  (v, at) => {
    count(v, at);
    if ((v as number) >= K) fail(at, `is ${describe(v)}, expected a class index below classes.count (${K})`);
  };

function checkSplitLayerMetrics(v: unknown, at: string, K: number): void {
  const m = object(v, at);
  for (const name of ['nc1', 'equinorm', 'equiangularity', 'maxAngle', 'etfDistance', 'cdnv'] as const) required(m, name, at, orNull(number));
  required(m, 'nc1Rank', at, orNull(count));
  required(m, 'nccAccuracy', at, orNull(fraction));
  required(m, 'cdnvMatrix', at, squareMatrix(K));
  required(m, 'meanCosines', at, squareMatrix(K));
  required(m, 'classVariability', at, perClass(K));
  required(m, 'meanNorms', at, perClass(K));
  optional(
    m,
    'projection',
    at,
    orNull((p, pat) => {
      const projection = object(p, pat);
      required(projection, 'means', pat, arrayOf(arrayOf(number, 2), K, PER_CLASS));
      optional(
        projection,
        'points',
        pat,
        arrayOf((point, ptAt) => {
          const o = object(point, ptAt);
          required(o, 'x', ptAt, number);
          required(o, 'y', ptAt, number);
          required(o, 'label', ptAt, classIndex(K));
        }),
      );
    }),
  );
  optional(m, 'unavailable', at, stringMap);
}

function checkLayers(v: unknown, at: string, K: number): void {
  arrayOf(() => undefined)(v, at);
  const seen = new Set<string>();
  (v as unknown[]).forEach((item, i) => {
    const where = `${at}[${i}]`;
    const layer = object(item, where);
    required(layer, 'name', where, string);
    // Compare aligns layers by name: two layers of one name would pair the wrong numbers.
    if (seen.has(layer.name as string)) fail(key(where, 'name'), `${describe(layer.name)} repeats an earlier layer's name`);
    seen.add(layer.name as string);
    required(layer, 'op', where, string);
    required(layer, 'shape', where, arrayOf(count));
    required(layer, 'dim', where, count);
    required(layer, 'depth', where, count);
    optional(layer, 'reduction', where, oneOf(REDUCTIONS));
    optional(layer, 'tensorShape', where, arrayOf(count));
    required(layer, 'metrics', where, (metrics, mat) => {
      const o = object(metrics, mat);
      required(o, 'train', mat, (s, sat) => checkSplitLayerMetrics(s, sat, K));
      optional(o, 'test', mat, (s, sat) => checkSplitLayerMetrics(s, sat, K));
    });
  });
}

const etfNumbers: Check = (v, at) => {
  const o = object(v, at);
  for (const name of ['equinorm', 'equiangularity', 'maxAngle', 'etfDistance']) required(o, name, at, orNull(number));
};

const biasSpread: Check = (v, at) => {
  const o = object(v, at);
  for (const name of ['mean', 'std', 'min', 'max']) required(o, name, at, number);
};

/** The classifier block; its per-class fields (rowNorms, cosines) have K entries. */
const classifier = (K: number): Check => (v, at) => {
  const c = object(v, at);
  required(c, 'input', at, string);
  optional(c, 'output', at, string);
  required(c, 'nc3', at, orNull(number));
  required(c, 'nc4', at, (n, nat) => {
    const o = object(n, nat);
    required(o, 'train', nat, orNull(fraction));
    optional(o, 'test', nat, orNull(fraction));
  });
  required(c, 'weights', at, etfNumbers);
  optional(c, 'rowNorms', at, arrayOf(number, K, PER_CLASS));
  optional(c, 'bias', at, orNull(biasSpread));
  optional(c, 'cosines', at, squareMatrix(K));
  optional(c, 'unavailable', at, stringMap);
};

const datasetSource: Check = (v, at) => {
  const d = object(v, at);
  required(d, 'source', at, string);
  required(d, 'format', at, string);
  optional(d, 'available', at, count);
  optional(d, 'fingerprint', at, string);
  optional(d, 'skipped', at, (s, sat) => {
    const o = object(s, sat);
    required(o, 'count', sat, count);
    required(o, 'examples', sat, arrayOf(string));
  });
};

const preprocessing: Check = (v, at) => {
  const p = object(v, at);
  optional(p, 'scale', at, number);
  optional(p, 'mean', at, arrayOf(number));
  optional(p, 'std', at, arrayOf(number));
  optional(p, 'channelOrder', at, string);
  optional(p, 'layout', at, string);
  optional(p, 'resize', at, orNull(arrayOf(count, 2)));
  optional(p, 'grayscale', at, orNull(string));
  optional(p, 'perClass', at, orNull(count));
  optional(p, 'seed', at, number);
  optional(p, 'origin', at, stringMap);
};

const splitInfo = (K: number): Check => (v, at) => {
  const s = object(v, at);
  required(s, 'samples', at, count);
  required(s, 'accuracy', at, orNull(fraction));
  optional(s, 'classCounts', at, arrayOf(count, K, PER_CLASS));
};

function checkResult(value: unknown): AnalysisResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('', `the file holds ${describe(value)}, not a JSON object`);
  const r = value as Json;
  if (typeof r.schema !== 'string' || !r.schema.startsWith('collapse-lens/result@')) fail('', `no "schema": "${RESULT_SCHEMA}" (is this a result file?)`);
  if (r.schema !== RESULT_SCHEMA) fail('schema', `${r.schema as string} is not supported by this version (expects ${RESULT_SCHEMA})`);
  required(r, 'createdAt', '', string);
  required(r, 'tool', '', (t, at) => {
    const o = object(t, at);
    required(o, 'name', at, string);
    required(o, 'version', at, string);
  });
  required(r, 'checkpoint', '', (c, at) => {
    const o = object(c, at);
    required(o, 'path', at, string);
    required(o, 'format', at, oneOf(Object.keys(CHECKPOINT_FORMATS)));
    required(o, 'sha256', at, string);
  });
  required(r, 'provider', '', string);
  optional(r, 'runtime', '', (rt, at) => {
    const o = object(rt, at);
    required(o, 'name', at, string);
    required(o, 'version', at, string);
    optional(o, 'threads', at, count);
    optional(o, 'note', at, string);
    optional(o, 'metricsKernel', at, oneOf(['webassembly-simd', 'javascript']));
    optional(o, 'metricsKernelNote', at, string);
    optional(o, 'imageDecoder', at, oneOf(['sharp', 'javascript']));
    optional(o, 'imageDecoderNote', at, string);
    optional(o, 'reductionPath', at, oneOf(['javascript-float64', 'in-graph-float64']));
    optional(o, 'reductionPathNote', at, string);
    optional(o, 'pass2', at, oneOf(['replayed', 'partly replayed', 'inferred']));
    optional(o, 'pass2CachedBytes', at, count);
    optional(o, 'pass2Note', at, string);
  });
  // K sizes every per-class array below, so it is checked first.
  required(r, 'classes', '', (c, at) => {
    const o = object(c, at);
    required(o, 'count', at, count);
    if ((o.count as number) < 1) fail(key(at, 'count'), 'is 0, expected at least one class');
    required(o, 'names', at, arrayOf(string, o.count as number, PER_CLASS));
  });
  const K = (r.classes as { count: number }).count;
  required(r, 'dataset', '', (d, at) => {
    const o = object(d, at);
    required(o, 'train', at, datasetSource);
    optional(o, 'test', at, datasetSource);
    required(o, 'preprocessing', at, preprocessing);
  });
  required(r, 'splits', '', (s, at) => {
    const o = object(s, at);
    required(o, 'train', at, splitInfo(K));
    optional(o, 'test', at, splitInfo(K));
  });
  required(r, 'layers', '', (l, at) => checkLayers(l, at, K));
  required(r, 'classifier', '', orNull(classifier(K)));
  optional(r, 'classifierUnavailable', '', string);
  required(r, 'effectiveDepth', '', (e, at) => {
    const o = object(e, at);
    required(o, 'epsilon', at, number);
    required(o, 'layer', at, orNull(string));
    required(o, 'depth', at, orNull(count));
  });
  required(r, 'conventions', '', arrayOf(string));
  required(r, 'timing', '', (t, at) => {
    const o = object(t, at);
    required(o, 'totalSeconds', at, number);
    for (const [stage, seconds] of Object.entries(o)) number(seconds, key(at, stage));
  });
  optional(r, 'settings', '', (s, at) => {
    const o = object(s, at);
    required(o, 'layers', at, string);
    required(o, 'perClass', at, orNull(count));
    required(o, 'batchSize', at, count);
    required(o, 'seed', at, number);
    required(o, 'epsilon', at, number);
    optional(o, 'reduction', at, string);
  });
  optional(r, 'warnings', '', arrayOf(string));
  optional(r, 'shards', '', (s, at) => {
    const o = object(s, at);
    required(o, 'passOne', at, count);
    required(o, 'passTwo', at, count);
    required(o, 'means', at, string);
  });
  return value as AnalysisResult;
}

/**
 * The value as a result, or an InvalidResultError naming `source` (a file path, or what the value is)
 * and the JSON path of the first field that breaks docs/result-schema.md.
 */
export function validateResult(value: unknown, source: string): AnalysisResult {
  try {
    return checkResult(value);
  } catch (error) {
    if (error instanceof FieldProblem) throw new InvalidResultError(source, error.field, error.problem);
    throw error;
  }
}

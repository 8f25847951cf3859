/**
 * The files a sharded analysis passes between its steps, each `{ schema, sha256, body }` in JSON:
 * `schema` names the kind and its version, `sha256` is the checksum of the body's JSON text, checked on
 * every read (a truncated copy or an edited file is refused, never merged). Float arrays are stored as
 * base64 of their little-endian bytes, so a float64 total comes back to the last bit.
 */
import { readFile } from 'node:fs/promises';
import { sha256Text } from '../../core/checksum';
import { describeFsError } from '../../core/dataset/fileAccess';
import { writeFileAtomically } from '../cli/outputFile';
import { UserError } from '../errors';

export const PASS_ONE_SCHEMA = 'collapse-lens/shard-pass1@1';
export const MEANS_SCHEMA = 'collapse-lens/shard-means@1';
export const PASS_TWO_SCHEMA = 'collapse-lens/shard-pass2@1';
export type ShardSchema = typeof PASS_ONE_SCHEMA | typeof MEANS_SCHEMA | typeof PASS_TWO_SCHEMA;

const KINDS: Record<ShardSchema, string> = {
  [PASS_ONE_SCHEMA]: 'a phase-1 shard file (analyze --phase 1)',
  [MEANS_SCHEMA]: 'a class-means file (merge of phase-1 files)',
  [PASS_TWO_SCHEMA]: 'a phase-2 shard file (analyze --phase 2)',
};

/** What a file of this schema is, in words, for messages. */
export const kindOf = (schema: ShardSchema): string => KINDS[schema];

export interface ShardFile<B> {
  path: string;
  schema: ShardSchema;
  /** The body's checksum: also the identity of a means file, which phase-2 files record. */
  sha256: string;
  body: B;
}

export async function writeShardFile(path: string, schema: ShardSchema, body: unknown): Promise<string> {
  const text = JSON.stringify(body);
  const sha256 = sha256Text(text);
  // The body's text is spliced in as it was hashed.
  await writeFileAtomically(path, `{"schema":${JSON.stringify(schema)},"sha256":"${sha256}","body":${text}}\n`);
  return sha256;
}

/** Reads a shard file and checks its schema and checksum; the message names the file. */
export async function readShardFile(path: string): Promise<ShardFile<unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw describeFsError(path, err);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path}: not a shard file of collapse-lens (not JSON: ${(err as Error).message}; a copy cut short?)`);
  }
  const file = parsed as { schema?: unknown; sha256?: unknown; body?: unknown };
  if (typeof file !== 'object' || file === null || typeof file.schema !== 'string') throw new UserError(`${path}: not a shard file of collapse-lens (no "schema")`);
  if (!(file.schema in KINDS)) {
    const version = Object.keys(KINDS).find((known) => known.split('@')[0] === (file.schema as string).split('@')[0]);
    throw new UserError(
      version
        ? `${path}: ${file.schema} is another version of the shard format than this collapse-lens reads (${version}); run every step with the same version`
        : `${path}: not a shard file of collapse-lens (schema "${file.schema}")`,
    );
  }
  if (typeof file.sha256 !== 'string' || typeof file.body !== 'object' || file.body === null) throw new UserError(`${path}: ${file.schema} file without its checksum or body`);
  const actual = sha256Text(JSON.stringify(file.body));
  if (actual !== file.sha256) throw new UserError(`${path}: checksum mismatch (the body hashes to ${actual.slice(0, 12)}…, the file says ${file.sha256.slice(0, 12)}…): the file was changed or damaged after it was written`);
  return { path, schema: file.schema as ShardSchema, sha256: file.sha256, body: file.body };
}

/** Refuses a file of another kind than `schema`, saying what it is. */
export function expectSchema<B>(file: ShardFile<unknown>, schema: ShardSchema, why: string): ShardFile<B> {
  if (file.schema !== schema) throw new UserError(`${file.path}: is ${kindOf(file.schema)}, not ${kindOf(schema)}; ${why}`);
  return file as ShardFile<B>;
}

const bytesOf = (values: Float64Array | Int32Array): Buffer => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

export const encodeFloat64 = (values: Float64Array): string => bytesOf(values).toString('base64');
export const encodeInt32 = (values: Int32Array): string => bytesOf(values).toString('base64');

export function decodeFloat64(text: string, length: number, what: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength !== length * 8) throw new Error(`${what}: ${bytes.byteLength / 8} values stored, ${length} expected`);
  const out = new Float64Array(length);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export function decodeInt32(text: string, what: string): Int32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % 4 !== 0) throw new Error(`${what}: ${bytes.byteLength} bytes is not a whole number of int32 values`);
  const out = new Int32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

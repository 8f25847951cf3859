/**
 * A cheap content check for ONNX: walks the top-level fields of the protobuf ModelProto (reading only
 * tags and lengths, skipping the bodies), so a multi-gigabyte model is recognised without decoding it.
 * The full decode happens once, in loadOnnxGraph.
 */
import type { FileHandle } from 'node:fs/promises';

/** ModelProto's field numbers and their wire types (0 = varint, 2 = length-delimited). */
const MODEL_FIELDS: Record<number, number> = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2 };
/** GraphProto's fields, to check that the graph body starts like one. */
const GRAPH_FIELDS: Record<number, number> = { 1: 2, 2: 2, 5: 2, 10: 2, 11: 2, 12: 2, 13: 2, 14: 2, 15: 2 };
const GRAPH_FIELD = 7;
const OPSET_IMPORT_FIELD = 8;

/**
 * `opsetImport`: the model lists its operator sets (field 8). Serialisers write fields in number order, so
 * a file cut right after its graph lacks it: the checkpoint watcher uses that to tell a half-written file.
 */
export type OnnxCheck = { onnx: true; opsetImport: boolean } | { onnx: false; reason: string };

function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } | null {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    value += (bytes[i] & 0x7f) * scale;
    scale *= 128;
    if ((bytes[i] & 0x80) === 0) return { value, next: i + 1 };
  }
  return null;
}

export async function checkOnnxOutline(handle: FileHandle, size: number): Promise<OnnxCheck> {
  const notOnnx = (why: string): OnnxCheck => ({ onnx: false, reason: `not an ONNX model: ${why}` });
  const head = new Uint8Array(32);
  let position = 0;
  let sawGraph = false;
  let sawOpsetImport = false;
  while (position < size) {
    const { bytesRead } = await handle.read(head, 0, head.length, position);
    const bytes = head.subarray(0, bytesRead);
    const tag = readVarint(bytes, 0);
    if (!tag) return notOnnx(`unreadable protobuf tag at byte ${position}`);
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    const expected = MODEL_FIELDS[field];
    if (field === 0 || (expected !== undefined && expected !== wire) || ![0, 1, 2, 5].includes(wire)) {
      return notOnnx(`byte ${position} is not a field of an ONNX ModelProto`);
    }
    let next: number;
    if (wire === 0) {
      const v = readVarint(bytes, tag.next);
      if (!v) return notOnnx(`unreadable number at byte ${position}`);
      next = position + v.next;
    } else if (wire === 2) {
      const length = readVarint(bytes, tag.next);
      if (!length) return notOnnx(`unreadable length at byte ${position}`);
      const bodyAt = position + length.next;
      next = bodyAt + length.value;
      if (next > size) {
        return { onnx: false, reason: `truncated: field ${field} at byte ${position} needs ${next - size} more bytes than the file has` };
      }
      if (field === GRAPH_FIELD) {
        const body = head.subarray(length.next, bytesRead);
        const graphTag = readVarint(body, 0);
        const graphWire = graphTag ? GRAPH_FIELDS[Math.floor(graphTag.value / 8)] : undefined;
        if (length.value > 0 && (!graphTag || graphWire !== graphTag.value % 8)) {
          return notOnnx('its graph field does not hold an ONNX graph');
        }
        sawGraph = length.value > 0;
      }
      if (field === OPSET_IMPORT_FIELD) sawOpsetImport = true;
    } else {
      next = position + tag.next + (wire === 1 ? 8 : 4);
    }
    if (next > size) return { onnx: false, reason: `truncated at byte ${position}` };
    position = next;
  }
  return sawGraph ? { onnx: true, opsetImport: sawOpsetImport } : notOnnx('no graph inside');
}

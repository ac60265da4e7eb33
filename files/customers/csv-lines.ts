import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { CR, LF } from './source.js';

// Line numbers in CSV files: every line break (LF, CRLF, lone CR) counted as the file's author sees it.

/** Whether a lone CR ends a line in this file; unknown until the first line break. */
export interface LineEnds {
  loneCr?: boolean;
}

/**
 * Turns CRLF into LF before csv-parse sees the bytes, and a lone CR too when the file ends its lines
 * that way (old Mac Excel); in an LF or CRLF file a lone CR inside a value stays, as data.
 * csv-parse counts a CRLF inside a quoted value as two lines, which would shift every later line
 * number; after this, its `info.lines` counts lines as an editor does (LF, CRLF and a lone CR each end
 * one). Line breaks inside quoted values therefore come out as "\n".
 */
export class LineBreaksToLf extends Transform {
  #pendingCr = false;

  /** `lineEnds` is shared by the passes over one file: the first line break of the file decides. */
  constructor(private readonly lineEnds: LineEnds) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.#pendingCr && !chunk.includes(CR)) {
      if (this.lineEnds.loneCr === undefined && chunk.includes(LF)) this.lineEnds.loneCr = false;
      callback(null, chunk);
      return;
    }
    const out = Buffer.allocUnsafe(chunk.length + 1);
    let length = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.#pendingCr) {
        this.#pendingCr = false;
        if (byte === LF) {
          out[length++] = LF;
          this.lineEnds.loneCr ??= false;
          continue;
        }
        out[length++] = this.#loneCr();
      }
      if (byte === CR) this.#pendingCr = true;
      else {
        if (byte === LF) this.lineEnds.loneCr ??= false;
        out[length++] = byte as number;
      }
    }
    callback(null, out.subarray(0, length));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.#pendingCr ? Buffer.from([this.#loneCr()]) : null);
  }

  #loneCr(): number {
    this.lineEnds.loneCr ??= true;
    return this.lineEnds.loneCr ? LF : CR;
  }
}

/** Byte offset where physical line `target` starts, scanning on from a known line start; undefined past the end. */
export async function offsetOfLine(
  file: string,
  from: { line: number; offset: number },
  target: number,
): Promise<number | undefined> {
  let line = from.line;
  let offset = from.offset;
  let pendingCr = false;
  if (line === target) return offset;
  for await (const chunk of createReadStream(file, { start: from.offset }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (pendingCr) {
        pendingCr = false;
        if (byte !== LF && ++line === target) return offset + i;
      }
      if (byte === CR) pendingCr = true;
      else if (byte === LF && ++line === target) return offset + i + 1;
    }
    offset += chunk.length;
  }
  return undefined;
}

/**
 * Lines a record's raw text covers before its last one, counted as csv-parse counts them (every LF and
 * every CR left by LineBreaksToLf), leaving out the empty lines it skipped before the record and the
 * line break that ends it.
 */
export function linesBeforeLast(raw: string): number {
  let start = 0;
  while (raw.charCodeAt(start) === LF) start++;
  const last = raw.charCodeAt(raw.length - 1);
  const end = last === LF || last === CR ? raw.length - 1 : raw.length;
  let count = 0;
  for (let i = start; i < end; i++) {
    const code = raw.charCodeAt(i);
    if (code === LF || code === CR) count++;
  }
  return count;
}

/** The line a record's raw text starts on, counting the empty lines csv-parse skipped before it. */
export function rawStartLine(lineBase: number, lines: number, raw: string): number {
  const last = raw.charCodeAt(raw.length - 1);
  const end = last === LF || last === CR ? raw.length - 1 : raw.length;
  let count = 0;
  for (let i = 0; i < end; i++) {
    const code = raw.charCodeAt(i);
    if (code === LF || code === CR) count++;
  }
  return lineBase + lines - count;
}

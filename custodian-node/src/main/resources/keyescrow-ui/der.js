// A small, strict DER reader: just enough ASN.1 to open an encrypted PKCS#8 key file.
//
// Every element is a TLV: one tag byte (multi-byte tags are refused: none occur here), a
// length in definite form, minimally encoded (short form below 128, long form with no
// leading zero byte and at most 4 length bytes), then the content. Reading never goes past
// the enclosing element, and the caller refuses trailing bytes, so a file has exactly one
// reading.

export class DerError extends Error {}

export const TAG = Object.freeze({
  INTEGER: 0x02, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, SEQUENCE: 0x30,
  CONTEXT_0: 0xa0, CONTEXT_1_PRIMITIVE: 0x81, CONTEXT_1: 0xa1,
});

/** Reads one element of `bytes` at `pos`, inside [pos, limit): {tag, start, end} (content is bytes[start, end)). */
export function readElement(bytes, pos, limit = bytes.length) {
  if (pos + 2 > limit) {
    throw new DerError('truncated element');
  }
  const tag = bytes[pos];
  if ((tag & 0x1f) === 0x1f) {
    throw new DerError('multi-byte tags are not used in key files');
  }
  let length = bytes[pos + 1];
  let start = pos + 2;
  if (length === 0x80) {
    throw new DerError('indefinite length is not DER');
  }
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 4 || start + count > limit) {
      throw new DerError('length field too long');
    }
    if (bytes[start] === 0) {
      throw new DerError('length with a leading zero is not DER');
    }
    length = 0;
    for (let i = 0; i < count; i++) {
      length = length * 256 + bytes[start + i];
    }
    if (length < 0x80) {
      throw new DerError('short length in long form is not DER');
    }
    start += count;
  }
  const end = start + length;
  if (end > limit) {
    throw new DerError('element runs past its container');
  }
  return { tag, start, end };
}

/** Reads an element and checks its tag. */
export function expect(bytes, pos, limit, tag, what) {
  const e = readElement(bytes, pos, limit);
  if (e.tag !== tag) {
    throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, found 0x${e.tag.toString(16)}`);
  }
  return e;
}

/** The elements directly inside a constructed element, in order. */
export function children(bytes, parent) {
  const out = [];
  let pos = parent.start;
  while (pos < parent.end) {
    const e = readElement(bytes, pos, parent.end);
    out.push(e);
    pos = e.end;
  }
  return out;
}

/** Content bytes of an element (a copy). */
export function content(bytes, e) {
  return bytes.slice(e.start, e.end);
}

/** An OBJECT IDENTIFIER as dotted text. */
export function oid(bytes, e) {
  if (e.tag !== TAG.OID || e.end === e.start) {
    throw new DerError('expected an object identifier');
  }
  const arcs = [];
  let value = 0;
  for (let i = e.start; i < e.end; i++) {
    if (value === 0 && bytes[i] === 0x80) {
      throw new DerError('object identifier arc with a leading zero');
    }
    value = value * 128 + (bytes[i] & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER) {
      throw new DerError('object identifier arc too large');
    }
    if ((bytes[i] & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    } else if (i === e.end - 1) {
      throw new DerError('truncated object identifier');
    }
  }
  const first = arcs[0] < 80 ? Math.floor(arcs[0] / 40) : 2;
  return [first, arcs[0] - first * 40, ...arcs.slice(1)].join('.');
}

/** A non-negative INTEGER that fits a JavaScript safe integer. */
export function smallInteger(bytes, e) {
  if (e.tag !== TAG.INTEGER || e.end === e.start) {
    throw new DerError('expected an integer');
  }
  if (bytes[e.start] & 0x80) {
    throw new DerError('negative integer');
  }
  if (e.end - e.start > 1 && bytes[e.start] === 0 && (bytes[e.start + 1] & 0x80) === 0) {
    throw new DerError('integer with a redundant leading zero is not DER');
  }
  let value = 0;
  for (let i = e.start; i < e.end; i++) {
    value = value * 256 + bytes[i];
    if (value > Number.MAX_SAFE_INTEGER) {
      throw new DerError('integer too large');
    }
  }
  return value;
}

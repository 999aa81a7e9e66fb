/**
 * One-shot, unkeyed BLAKE2b (RFC 7693) on 32-bit limbs, tuned for short inputs such as storage
 * keys. 64-bit words are stored as (lo, hi) pairs at indices (2i, 2i + 1) of Uint32Arrays.
 */

// BLAKE2b IV as (lo, hi) pairs.
const IV = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

// Message schedule, pre-multiplied by 2 (word index -> limb index); rounds 10 and 11 repeat 0 and 1.
const SIGMA = new Uint8Array(
  [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  ]
    .flat()
    .map((x) => x * 2),
);

const h = new Uint32Array(16);
const v = new Uint32Array(32);
const m = new Uint32Array(32);
const TWO32 = 4294967296;
const block = new Uint8Array(128);

/** The G mixing function on limb indices a, b, c, d with message limb indices x, y. */
function g(a: number, b: number, c: number, d: number, x: number, y: number): void {
  // a = a + b + m[x] (the low-word sum is below 3 * 2^32; its quotient is the carry)
  let lo = v[a]! + v[b]! + m[x]!;
  let hi = v[a + 1]! + v[b + 1]! + m[x + 1]! + ((lo / TWO32) | 0);
  let alo = lo >>> 0;
  let ahi = hi >>> 0;
  // d = rotr(d ^ a, 32)
  let dlo = v[d + 1]! ^ ahi;
  let dhi = v[d]! ^ alo;
  // c = c + d
  lo = v[c]! + (dlo >>> 0);
  let clo = lo >>> 0;
  let chi = (v[c + 1]! + (dhi >>> 0) + (lo >= TWO32 ? 1 : 0)) >>> 0;
  // b = rotr(b ^ c, 24)
  let xlo = v[b]! ^ clo;
  let xhi = v[b + 1]! ^ chi;
  let blo = (xlo >>> 24) | (xhi << 8);
  let bhi = (xhi >>> 24) | (xlo << 8);
  // a = a + b + m[y]
  lo = alo + (blo >>> 0) + m[y]!;
  hi = ahi + (bhi >>> 0) + m[y + 1]! + ((lo / TWO32) | 0);
  alo = lo >>> 0;
  ahi = hi >>> 0;
  // d = rotr(d ^ a, 16)
  xlo = dlo ^ alo;
  xhi = dhi ^ ahi;
  dlo = (xlo >>> 16) | (xhi << 16);
  dhi = (xhi >>> 16) | (xlo << 16);
  // c = c + d
  lo = clo + (dlo >>> 0);
  chi = (chi + (dhi >>> 0) + (lo >= TWO32 ? 1 : 0)) >>> 0;
  clo = lo >>> 0;
  // b = rotr(b ^ c, 63) = rotl(b ^ c, 1)
  xlo = blo ^ clo;
  xhi = bhi ^ chi;
  blo = (xlo << 1) | (xhi >>> 31);
  bhi = (xhi << 1) | (xlo >>> 31);
  v[a] = alo;
  v[a + 1] = ahi;
  v[b] = blo;
  v[b + 1] = bhi;
  v[c] = clo;
  v[c + 1] = chi;
  v[d] = dlo;
  v[d + 1] = dhi;
}

function compress(src: Uint8Array, at: number, counter: number, last: boolean): void {
  for (let i = 0, j = at; i < 32; i++, j += 4) {
    m[i] = src[j]! | (src[j + 1]! << 8) | (src[j + 2]! << 16) | (src[j + 3]! << 24);
  }
  for (let i = 0; i < 16; i++) {
    v[i] = h[i]!;
    v[i + 16] = IV[i]!;
  }
  v[24] = v[24]! ^ (counter >>> 0);
  v[25] = v[25]! ^ Math.floor(counter / TWO32);
  if (last) {
    v[28] = ~v[28]!;
    v[29] = ~v[29]!;
  }
  for (let r = 0; r < 192; r += 16) {
    g(0, 8, 16, 24, SIGMA[r]!, SIGMA[r + 1]!);
    g(2, 10, 18, 26, SIGMA[r + 2]!, SIGMA[r + 3]!);
    g(4, 12, 20, 28, SIGMA[r + 4]!, SIGMA[r + 5]!);
    g(6, 14, 22, 30, SIGMA[r + 6]!, SIGMA[r + 7]!);
    g(0, 10, 20, 30, SIGMA[r + 8]!, SIGMA[r + 9]!);
    g(2, 12, 22, 24, SIGMA[r + 10]!, SIGMA[r + 11]!);
    g(4, 14, 16, 26, SIGMA[r + 12]!, SIGMA[r + 13]!);
    g(6, 8, 18, 28, SIGMA[r + 14]!, SIGMA[r + 15]!);
  }
  for (let i = 0; i < 16; i++) h[i] = h[i]! ^ v[i]! ^ v[i + 16]!;
}

/**
 * Unkeyed BLAKE2b of `data` with an `outLen`-byte digest (1..64), written into `out` at `offset`.
 * The caller validates arguments.
 */
export function blake2bInto(
  data: Uint8Array,
  outLen: number,
  out: Uint8Array,
  offset: number,
): void {
  h.set(IV);
  h[0] = h[0]! ^ 0x01010000 ^ outLen;
  const len = data.length;
  let at = 0;
  // Every full block except the last one.
  while (len - at > 128) {
    compress(data, at, at + 128, false);
    at += 128;
  }
  block.fill(0);
  block.set(data.subarray(at), 0);
  compress(block, 0, len, true);
  for (let i = 0; i < outLen; i++) {
    out[offset + i] = h[i >> 2]! >>> ((i & 3) * 8);
  }
}

/** Unkeyed BLAKE2b of `data` with an `outLen`-byte digest, as a new array. */
export function blake2b(data: Uint8Array, outLen: number): Uint8Array {
  const out = new Uint8Array(outLen);
  blake2bInto(data, outLen, out, 0);
  return out;
}

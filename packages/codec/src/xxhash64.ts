/**
 * xxHash64 over 32-bit limbs (no bigint on the hot path). Values are (hi, lo) pairs of unsigned
 * 32-bit numbers; the helpers return their result through the module-level `R` registers.
 */

// PRIME64_1..5 split into high and low 32-bit halves.
const P1H = 0x9e3779b1;
const P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d;
const P2L = 0x27d4eb4f;
const P3H = 0x165667b1;
const P3L = 0x9e3779f9;
const P4H = 0x85ebca77;
const P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f;
const P5L = 0x165667c5;
const TWO32 = 4294967296;

// Result registers. A typed array keeps the values unboxed (module-level `let`s holding numbers
// above 2^30 would allocate a heap number on every write).
const R = new Uint32Array(2);

/** (ah,al) * (bh,bl) mod 2^64 -> R[0]!,R[1]!. */
function mul(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const p00 = a0 * b0;
  const mid1 = a1 * b0 + (p00 >>> 16);
  const mid2 = a0 * b1 + (mid1 & 0xffff);
  R[1] = ((mid2 & 0xffff) << 16) | (p00 & 0xffff);
  R[0] = (a1 * b1 + (mid1 >>> 16) + (mid2 >>> 16) + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

/** round(acc, input) = rotl(acc + input * P2, 31) * P1 -> R[0]!,R[1]!. */
function round(acch: number, accl: number, inh: number, inl: number): void {
  mul(inh, inl, P2H, P2L);
  const s = accl + R[1]!;
  const lo = s >>> 0;
  const hi = (acch + R[0]! + (s >= TWO32 ? 1 : 0)) >>> 0;
  // rotl 31
  const rh = ((hi << 31) | (lo >>> 1)) >>> 0;
  const rl = ((lo << 31) | (hi >>> 1)) >>> 0;
  mul(rh, rl, P1H, P1L);
}

/** x * P1 + P4 after x = (h ^ val) -> R[0]!,R[1]! (the tail of mergeRound and the 8-byte step). */
function mulP1AddP4(h: number, l: number): void {
  mul(h, l, P1H, P1L);
  const s = R[1]! + P4L;
  R[1] = s;
  R[0] = R[0]! + P4H + (s >= TWO32 ? 1 : 0);
}

function readU32(data: Uint8Array, i: number): number {
  return (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
}

/**
 * xxHash64 of `data` with a 32-bit `seed`, written little-endian as 8 bytes into `out` at `offset`.
 */
export function xxhash64Into(
  data: Uint8Array,
  seed: number,
  out: Uint8Array,
  offset: number,
): void {
  const len = data.length;
  let p = 0;
  let hh: number;
  let hl: number;
  if (len >= 32) {
    // v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1 (mod 2^64)
    // P1 + P2 = 0x60ea27eeadc0b5d6 (mod 2^64)
    let s = seed + 0xadc0b5d6;
    let v1l = s >>> 0;
    let v1h = (0x60ea27ee + (s >= TWO32 ? 1 : 0)) >>> 0;
    s = seed + P2L;
    let v2l = s >>> 0;
    let v2h = (P2H + (s >= TWO32 ? 1 : 0)) >>> 0;
    let v3l = seed >>> 0;
    let v3h = 0;
    // -P1 = 0x61c8864e7a143579
    s = seed + 0x7a143579;
    let v4l = s >>> 0;
    let v4h = (0x61c8864e + (s >= TWO32 ? 1 : 0)) >>> 0;
    const limit = len - 32;
    while (p <= limit) {
      round(v1h, v1l, readU32(data, p + 4), readU32(data, p));
      v1h = R[0]!;
      v1l = R[1]!;
      round(v2h, v2l, readU32(data, p + 12), readU32(data, p + 8));
      v2h = R[0]!;
      v2l = R[1]!;
      round(v3h, v3l, readU32(data, p + 20), readU32(data, p + 16));
      v3h = R[0]!;
      v3l = R[1]!;
      round(v4h, v4l, readU32(data, p + 28), readU32(data, p + 24));
      v4h = R[0]!;
      v4l = R[1]!;
      p += 32;
    }
    // h = rotl(v1,1) + rotl(v2,7) + rotl(v3,12) + rotl(v4,18)
    let ah = ((v1h << 1) | (v1l >>> 31)) >>> 0;
    let al = ((v1l << 1) | (v1h >>> 31)) >>> 0;
    let bh = ((v2h << 7) | (v2l >>> 25)) >>> 0;
    let bl = ((v2l << 7) | (v2h >>> 25)) >>> 0;
    s = al + bl;
    al = s >>> 0;
    ah = (ah + bh + (s >= TWO32 ? 1 : 0)) >>> 0;
    bh = ((v3h << 12) | (v3l >>> 20)) >>> 0;
    bl = ((v3l << 12) | (v3h >>> 20)) >>> 0;
    s = al + bl;
    al = s >>> 0;
    ah = (ah + bh + (s >= TWO32 ? 1 : 0)) >>> 0;
    bh = ((v4h << 18) | (v4l >>> 14)) >>> 0;
    bl = ((v4l << 18) | (v4h >>> 14)) >>> 0;
    s = al + bl;
    hl = s >>> 0;
    hh = (ah + bh + (s >= TWO32 ? 1 : 0)) >>> 0;
    // mergeRound(h, v) = (h ^ round(0, v)) * P1 + P4
    round(0, 0, v1h, v1l);
    mulP1AddP4((hh ^ R[0]!) >>> 0, (hl ^ R[1]!) >>> 0);
    hh = R[0]!;
    hl = R[1]!;
    round(0, 0, v2h, v2l);
    mulP1AddP4((hh ^ R[0]!) >>> 0, (hl ^ R[1]!) >>> 0);
    hh = R[0]!;
    hl = R[1]!;
    round(0, 0, v3h, v3l);
    mulP1AddP4((hh ^ R[0]!) >>> 0, (hl ^ R[1]!) >>> 0);
    hh = R[0]!;
    hl = R[1]!;
    round(0, 0, v4h, v4l);
    mulP1AddP4((hh ^ R[0]!) >>> 0, (hl ^ R[1]!) >>> 0);
    hh = R[0]!;
    hl = R[1]!;
  } else {
    const s = seed + P5L;
    hl = s >>> 0;
    hh = (P5H + (s >= TWO32 ? 1 : 0)) >>> 0;
  }
  // h += len (len < 2^53, split into hi/lo)
  {
    const lenLo = len >>> 0;
    const lenHi = Math.floor(len / TWO32) >>> 0;
    const s = hl + lenLo;
    hl = s >>> 0;
    hh = (hh + lenHi + (s >= TWO32 ? 1 : 0)) >>> 0;
  }
  while (p + 8 <= len) {
    round(0, 0, readU32(data, p + 4), readU32(data, p));
    hh = (hh ^ R[0]!) >>> 0;
    hl = (hl ^ R[1]!) >>> 0;
    // rotl 27
    const rh = ((hh << 27) | (hl >>> 5)) >>> 0;
    const rl = ((hl << 27) | (hh >>> 5)) >>> 0;
    mulP1AddP4(rh, rl);
    hh = R[0]!;
    hl = R[1]!;
    p += 8;
  }
  if (p + 4 <= len) {
    mul(0, readU32(data, p), P1H, P1L);
    hh = (hh ^ R[0]!) >>> 0;
    hl = (hl ^ R[1]!) >>> 0;
    // rotl 23, * P2 + P3
    const rh = ((hh << 23) | (hl >>> 9)) >>> 0;
    const rl = ((hl << 23) | (hh >>> 9)) >>> 0;
    mul(rh, rl, P2H, P2L);
    const s = R[1]! + P3L;
    hl = s >>> 0;
    hh = (R[0]! + P3H + (s >= TWO32 ? 1 : 0)) >>> 0;
    p += 4;
  }
  while (p < len) {
    mul(0, data[p]!, P5H, P5L);
    hh = (hh ^ R[0]!) >>> 0;
    hl = (hl ^ R[1]!) >>> 0;
    // rotl 11, * P1
    const rh = ((hh << 11) | (hl >>> 21)) >>> 0;
    const rl = ((hl << 11) | (hh >>> 21)) >>> 0;
    mul(rh, rl, P1H, P1L);
    hh = R[0]!;
    hl = R[1]!;
    p++;
  }
  // avalanche
  hl = (hl ^ (hh >>> 1)) >>> 0; // h ^= h >> 33
  mul(hh, hl, P2H, P2L);
  hh = R[0]!;
  hl = R[1]!;
  hl = (hl ^ ((hl >>> 29) | (hh << 3))) >>> 0; // h ^= h >> 29 (low word gets bits 29..60)
  hh = (hh ^ (hh >>> 29)) >>> 0;
  mul(hh, hl, P3H, P3L);
  hh = R[0]!;
  hl = R[1]!;
  hl = (hl ^ hh) >>> 0; // h ^= h >> 32
  out[offset] = hl & 0xff;
  out[offset + 1] = (hl >>> 8) & 0xff;
  out[offset + 2] = (hl >>> 16) & 0xff;
  out[offset + 3] = hl >>> 24;
  out[offset + 4] = hh & 0xff;
  out[offset + 5] = (hh >>> 8) & 0xff;
  out[offset + 6] = (hh >>> 16) & 0xff;
  out[offset + 7] = hh >>> 24;
}

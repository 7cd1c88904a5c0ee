import { Buffer } from 'node:buffer';
import { ALIGNMENT, aligns, alignedView, allocate, type DType, type Storage } from '../dtype.js';

// Where op outputs get their memory. A training step allocates dozens of arrays; V8's own
// `new Float32Array(n)` costs ~0.6 us for anything past 64 bytes (an off-heap backing store
// each) and zero-fills large ones at ~6 GB/s. Both costs are avoidable:
//  - up to 64 bytes V8 keeps the array on its heap: cheap, left as it is;
//  - up to SLAB_CUTOFF bytes, arrays are views into a shared zeroed slab (the policy of
//    Node's own Buffer pool): ~30 ns. A live view keeps its whole slab alive, so the slab is
//    small enough that the worst case (one long-lived small tensor per slab) stays modest;
//  - past ZERO_FILL_WORTH_SKIPPING bytes, a kernel that overwrites every element gets
//    uninitialised memory.

const ON_HEAP_BYTES = 64;
const SLAB_BYTES = 32 * 1024;
const SLAB_CUTOFF = 4096;
const ZERO_FILL_WORTH_SKIPPING = 4096;

let slab = new ArrayBuffer(0);
let slabOffset = 0;

/** `bytes` (8-aligned, so Float64Array views are legal) of zeros carved from the slab. */
function fromSlab(dtype: DType, n: number, bytes: number): Storage {
  if (slabOffset + bytes > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabOffset = 0;
  }
  // Each slab region is handed out once, so it still holds the slab's initial zeros.
  const data = dtype === 'float64' ? new Float64Array(slab, slabOffset, n) : new Float32Array(slab, slabOffset, n);
  slabOffset += (bytes + 7) & ~7;
  return data;
}

/** Zero-filled storage of `n` elements (what `allocate` gives, sooner for small arrays). */
export function allocateZeroed(dtype: DType, n: number): Storage {
  const bytes = n * (dtype === 'float64' ? 8 : 4);
  if (bytes <= ON_HEAP_BYTES || bytes > SLAB_CUTOFF) return allocate(dtype, n);
  return fromSlab(dtype, n, bytes);
}

/**
 * Storage of `n` elements whose contents may be garbage: only for a kernel that overwrites
 * every element. Zero-filling a large typed array costs as much as a small kernel (~60 us
 * for 1.6 MB), and a training step allocates megabytes of outputs and gradients.
 */
export function allocateUninitialized(dtype: DType, n: number): Storage {
  const bytes = n * (dtype === 'float64' ? 8 : 4);
  if (bytes < ZERO_FILL_WORTH_SKIPPING) return allocateZeroed(dtype, n);
  // allocUnsafeSlow: a fresh ArrayBuffer (never the shared pool), with room to start the
  // array on a 64-byte boundary.
  const buffer = Buffer.allocUnsafeSlow(aligns(bytes) ? bytes + ALIGNMENT : bytes).buffer;
  return alignedView(dtype, buffer, n);
}

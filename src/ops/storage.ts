import { Buffer } from 'node:buffer';
import { ALIGNMENT, aligns, alignedView, allocate, dtypeOf, type DType, type Storage } from '../dtype.js';

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
  if (pooledBytes > 0) {
    const spare = pool.get(poolKey(dtype, n));
    if (spare !== undefined && spare.length > 0) {
      pooledBytes -= bytes;
      return spare.pop()!;
    }
  }
  // allocUnsafeSlow: a fresh ArrayBuffer (never the shared pool), with room to start the
  // array on a 64-byte boundary.
  const buffer = Buffer.allocUnsafeSlow(aligns(bytes) ? bytes + ALIGNMENT : bytes).buffer;
  return alignedView(dtype, buffer, n);
}

// ---------------------------------------------------------------- gradient storage reuse
//
// PyTorch's allocator hands a freed block to the next allocation of its size, still warm in
// the caches; a weight gradient written into last step's block is cheaper than one written
// into cold memory (the 784-64-10 step at batch 32 ran ~5 % faster with dW reused). JavaScript
// cannot tell when a typed array dies, but the library can know that it alone has held one:
// a gradient the engine stored in a leaf's `.grad`, straight from an op that allocated it
// for that leaf, that no caller has read since (the `grad` getter disowns it). zeroGrad
// hands such storage back here, and the next uninitialised allocation of its size takes it.

/** Gradient storage the library alone holds, by the leaf whose `.grad` it is. */
const gradOwners = new WeakMap<Storage, object>();
/** Spare storage by dtype and length (float64 keys negative), newest last. */
const pool = new Map<number, Storage[]>();
let pooledBytes = 0;
/** Spares kept at most: a model's worth of gradients for all but huge models. */
const POOL_BYTES = 64 * 1024 * 1024;

function poolKey(dtype: DType, n: number): number {
  return dtype === 'float64' ? -n : n;
}

/** Records that `data` is `owner`'s gradient and nothing outside the library has seen it. */
export function markOwnedGrad(data: Storage, owner: object): void {
  gradOwners.set(data, owner);
}

/** `data` has been handed to a caller: it is never reused. */
export function disownGrad(data: Storage): void {
  gradOwners.delete(data);
}

/** `owner` drops its gradient `data`: when the library alone held it, it becomes spare. */
export function releaseOwnedGrad(data: Storage, owner: object): void {
  if (gradOwners.get(data) !== owner) return;
  gradOwners.delete(data);
  recycleStorage(data);
}

/** The library alone held `data` and is done with it: a later allocation of its size may take it. */
export function recycleStorage(data: Storage): void {
  const bytes = data.byteLength;
  if (bytes < ZERO_FILL_WORTH_SKIPPING || bytes > POOL_BYTES) return;
  // Past the cap the spares are dropped: sizes that stopped recurring (a discarded model's)
  // must not pin memory.
  if (pooledBytes + bytes > POOL_BYTES) {
    pool.clear();
    pooledBytes = 0;
  }
  const key = poolKey(dtypeOf(data), data.length);
  let spare = pool.get(key);
  if (spare === undefined) pool.set(key, (spare = []));
  spare.push(data);
  pooledBytes += bytes;
}

/** Bytes held as spares (for tests). */
export function spareBytes(): number {
  return pooledBytes;
}

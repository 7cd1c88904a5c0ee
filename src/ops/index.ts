import { buildRegistry } from './registry.js';
import { elementwiseOps } from './elementwise.js';
import { reduceOps } from './reduce.js';
import { shapeOps } from './shape.js';
import { indexingOps } from './indexing.js';
import { matmulOps } from './matmul.js';
import { activationOps } from './activation.js';
import { fusedOps } from './fused.js';
import { softmaxOps } from './softmax.js';
import { linalgOps } from './linalg.js';

export * from './elementwise.js';
export * from './reduce.js';
export * from './shape.js';
export * from './indexing.js';
export * from './matmul.js';
export * from './inplace.js';
export { softmax, logSoftmax } from './softmax.js';
export { sumToShape, expandTo } from './broadcast.js';

/** Every op, from one explicit list; a name registered twice throws here. */
export const registry = buildRegistry([...elementwiseOps, ...reduceOps, ...shapeOps, ...indexingOps, ...matmulOps, ...activationOps, ...fusedOps, ...softmaxOps, ...linalgOps]);

export { grad } from './engine.js';
export type { GradOptions, BackwardOptions } from './engine.js';

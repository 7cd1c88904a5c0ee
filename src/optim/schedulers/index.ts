export { LRScheduler } from './scheduler.js';
export { StepLR, ExponentialLR } from './decay.js';
export { CosineAnnealingLR } from './cosine.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './plateau.js';

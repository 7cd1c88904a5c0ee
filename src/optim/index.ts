export { Optimizer, ParamGroup, type ParamsInput, type ParamState, type OptimizerStateDict, type AnyOptimizer } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { Adadelta, type AdadeltaOptions } from './adadelta.js';
export { clipGradNorm } from './clip.js';
export * as lrScheduler from './schedulers/index.js';

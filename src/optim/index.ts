export { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';

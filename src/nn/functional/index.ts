export { linear } from './linear.js';
export { relu, sigmoid, tanh, logSoftmax, softmax, type DimOptions } from './activations.js';
export { crossEntropy, nllLoss, mseLoss, type LossOptions, type Reduction, type ClassTarget } from './losses.js';

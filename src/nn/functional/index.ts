export { linear, linearWithActivation } from './linear.js';
export {
  relu, sigmoid, tanh, leakyRelu, elu, selu, gelu, silu, softplus, softsign, mish, hardtanh, logSigmoid, step, sinc,
  prelu, rrelu, logSoftmax, softmax, type DimOptions, type RReLUOptions,
} from './activations.js';
export { dropout } from './dropout.js';
export type { LossOptions, Reduction } from './reduction.js';
export { mseLoss, huberLoss, binaryCrossEntropy, bceWithLogits, type BCEWithLogitsOptions } from './losses.js';
export { crossEntropy, nllLoss, classIndices, type ClassTarget, type CrossEntropyOptions } from './classification.js';
export { cosineSimilarity, cosineEmbeddingLoss } from './similarity.js';

export { Module } from './module.js';
export { Parameter } from './parameter.js';
export { Linear, type LinearOptions } from './linear.js';
export { Sequential } from './sequential.js';
export {
  ReLU, LeakyReLU, ELU, SELU, GELU, Sigmoid, Tanh, SiLU, Softplus, Softsign, Mish, Hardtanh, LogSigmoid, Softmax,
  LogSoftmax, Step, Sinc, Identity, PReLU, RReLU,
} from './activations.js';
export { Maxout } from './maxout.js';
export { Dropout } from './dropout.js';
export {
  MSELoss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss, HuberLoss, CosineEmbeddingLoss,
} from './losses.js';
export * as functional from './functional/index.js';
export * as init from './init.js';

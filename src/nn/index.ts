export { Module } from './module.js';
export { Parameter } from './parameter.js';
export { Linear, type LinearOptions } from './linear.js';
export { Sequential } from './sequential.js';
export { ReLU, Sigmoid, Tanh, Identity } from './activations.js';
export { CrossEntropyLoss, MSELoss } from './losses.js';
export * as functional from './functional/index.js';
export * as init from './init.js';

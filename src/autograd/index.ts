export { grad } from './engine.js';
export type { GradOptions, BackwardOptions } from './engine.js';
export { jvp } from './forward.js';
export { vjp, jacobian, hessian, hvp } from './functional.js';
export { Function, FunctionCtx } from './function.js';
export { numericalGrad, gradcheck, gradgradcheck } from './gradcheck.js';
export type { GradcheckOptions, NumericalGradOptions, NumericalMethod } from './gradcheck.js';

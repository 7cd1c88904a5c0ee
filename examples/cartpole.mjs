// @ts-check
// CartPole (Barto, Sutton & Anderson, 1983) with the constants and Euler integration of
// Gymnasium's CartPole-v1: push the cart left or right to keep the pole upright. JavaScript
// with type annotations checked by TypeScript (`// @ts-check`), so plain Node runs it.

/** @typedef {[x: number, xDot: number, theta: number, thetaDot: number]} CartPoleState */

export const GRAVITY = 9.8;
export const CART_MASS = 1.0;
export const POLE_MASS = 0.1;
/** Half the pole's length (m). */
export const POLE_HALF_LENGTH = 0.5;
export const FORCE = 10.0;
/** Seconds per step. */
export const TAU = 0.02;
/** The episode fails when the cart leaves ±2.4 m or the pole tilts past ±12°. */
export const X_LIMIT = 2.4;
export const THETA_LIMIT = (12 * 2 * Math.PI) / 360;

/**
 * The next state after pushing with `action` (0: left, 1: right) for one step of TAU seconds.
 * @param {CartPoleState} s
 * @param {number} action
 * @returns {CartPoleState}
 */
export function cartPoleStep([x, xDot, theta, thetaDot], action) {
  const force = action === 1 ? FORCE : -FORCE;
  const cos = Math.cos(theta), sin = Math.sin(theta);
  const totalMass = CART_MASS + POLE_MASS, poleMoment = POLE_MASS * POLE_HALF_LENGTH;
  const temp = (force + poleMoment * thetaDot * thetaDot * sin) / totalMass;
  const thetaAcc = (GRAVITY * sin - cos * temp) / (POLE_HALF_LENGTH * (4 / 3 - (POLE_MASS * cos * cos) / totalMass));
  const xAcc = temp - (poleMoment * thetaAcc * cos) / totalMass;
  return [x + TAU * xDot, xDot + TAU * xAcc, theta + TAU * thetaDot, thetaDot + TAU * thetaAcc];
}

/** An episode of CartPole: reward 1 per step survived, at most `maxSteps` steps. */
export class CartPole {
  /** @type {CartPoleState} */
  state = [0, 0, 0, 0];
  steps = 0;

  /**
   * @param {() => number} uniform a random source in [0, 1) for the initial state
   * @param {number} maxSteps
   */
  constructor(uniform, maxSteps = 500) {
    this.uniform = uniform;
    this.maxSteps = maxSteps;
  }

  /** Starts an episode near upright: every component uniform in ±0.05. @returns {CartPoleState} */
  reset() {
    this.state = /** @type {CartPoleState} */ (this.state.map(() => 0.1 * this.uniform() - 0.05));
    this.steps = 0;
    return this.state;
  }

  /**
   * @param {number} action 0 (left) or 1 (right)
   * @returns {{ state: CartPoleState, reward: number, done: boolean, failed: boolean }}
   */
  step(action) {
    if (action !== 0 && action !== 1) throw new Error(`CartPole.step: action must be 0 or 1, got ${action}`);
    this.state = cartPoleStep(this.state, action);
    this.steps++;
    const [x, , theta] = this.state;
    const failed = Math.abs(x) > X_LIMIT || Math.abs(theta) > THETA_LIMIT;
    return { state: this.state, reward: 1, done: failed || this.steps >= this.maxSteps, failed };
  }
}

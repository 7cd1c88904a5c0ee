import { expect, it } from 'vitest';
import { describeBackends } from './helpers.js';

const quiet = () => {};

/** An example script's exports; each has `main(options)` resolving to its figures. The
 * scripts import 'myelin', which vitest.config.ts points at the sources. */
async function example(name: string): Promise<{ main: (opts: Record<string, unknown>) => Promise<any> }> {
  return import(`../examples/${name}.mjs`);
}

describeBackends('examples', () => {
  it('xor: logistic regression stays at ln 2, the MLP solves it', async () => {
    const { main } = await example('xor');
    const { logistic, mlp } = await main({ epochs: 300, log: quiet });
    expect(logistic.loss).toBeGreaterThan(0.69);
    expect(logistic.accuracy).toBeLessThanOrEqual(0.75);
    expect(mlp.accuracy).toBe(1);
    expect(mlp.loss).toBeLessThan(0.05);
  });

  it('linear regression: gradient descent reaches the normal-equation solution', async () => {
    const r = await (await example('linear-regression')).main({ n: 50, steps: 400, log: quiet });
    expect(r.exact[0]).toBeCloseTo(2, 1);
    expect(r.exact[1]).toBeCloseTo(-3, 1);
    expect(r.maxDifference).toBeLessThan(1e-6);
    expect(r.gdLoss).toBeCloseTo(r.exactLoss, 10);
    expect(r.losses[0]).toBeGreaterThan(10 * r.gdLoss);
  });

  it('perceptron: converges on separable data within Novikoff\'s bound', async () => {
    const r = await (await example('perceptron')).main({ n: 40, log: quiet });
    expect(r.converged).toBe(true);
    expect(r.accuracy).toBe(1);
    expect(r.updates).toBeGreaterThan(0);
    expect(r.updates).toBeLessThanOrEqual(r.bound);
  });

  it('universal approximation: the error falls as the hidden layer widens', async () => {
    const { errors } = await (await example('universal-approximation')).main({ widths: [1, 4, 16], steps: 600, svg: '', log: quiet });
    expect(errors[0]).toBeGreaterThan(0.5); // one ReLU: at best a bent line through a sine
    expect(errors[1]).toBeLessThan(errors[0] / 2);
    expect(errors[2]).toBeLessThan(errors[1] / 2);
  });

  it('MAML: the second-order meta-gradient matches finite differences, the first-order one does not', async () => {
    const r = await (await example('maml')).main({ hidden: 16, metaSteps: 150, log: quiet });
    expect(r.secondOrderError).toBeLessThan(1e-7);
    expect(r.firstOrderError).toBeGreaterThan(1e3 * r.secondOrderError);
    expect(r.after).toBeLessThan(r.before);
  });

  it('Gabor: gradient descent lands in different minima by start; SGD escapes a poor one', async () => {
    const { results } = await (await example('gabor')).main({ starts: [[0, 4], [2, 7], [1, 14]], log: quiet });
    const gd = results.map((r: any) => r.gd.loss);
    // Three starts, three minima of clearly different depth.
    expect(gd[0]).toBeGreaterThan(0.1);
    expect(gd[1]).toBeGreaterThan(0.03);
    expect(gd[1]).toBeLessThan(0.1);
    expect(gd[2]).toBeLessThan(0.01);
    // From (0, 4) SGD's noisy steps leave the poor valley and reach the best one.
    expect(results[0].sgd.loss).toBeLessThan(0.01);
    expect(results[2].sgd.loss).toBeLessThan(0.01);
  });

  it('Fashion-MNIST: the 784-512-256-10 MLP learns in one small epoch (the full run reaches >= 88.5 %)', async () => {
    const r = await (await example('fashion-mnist')).main({ epochs: 1, trainSize: 2000, testSize: 500, batchSize: 32, svg: '', progress: false, log: quiet });
    expect(r.history.epochs).toBe(1);
    expect(r.testAccuracy).toBeGreaterThan(0.65); // chance is 10 %
    expect(r.history.loss[0]).toBeLessThan(Math.log(10));
  });

  it('spirals: softmax regression gets about half, the MLP separates the arms', async () => {
    const r = await (await example('spirals')).main({ n: 150, epochs: 150, hidden: 32, svg: '', log: quiet });
    expect(r.linear.finalAccuracy).toBeLessThan(0.65);
    expect(r.mlp.finalAccuracy).toBeGreaterThan(0.95);
  });

  it('optimizers: every optimizer lowers the loss; adaptive and momentum methods beat plain SGD', async () => {
    const { curves } = await (await example('optimizers')).main({ n: 200, epochs: 30, svg: '', log: quiet });
    expect(Object.keys(curves)).toEqual(['SGD', 'SGD + momentum', 'Adagrad', 'Adadelta', 'RMSprop', 'Adam']);
    for (const losses of Object.values(curves) as number[][]) expect(losses.at(-1)!).toBeLessThan(losses[0] / 2);
    for (const name of ['SGD + momentum', 'RMSprop', 'Adam']) expect(curves[name].at(-1)).toBeLessThan(curves.SGD.at(-1) / 2);
  });

  it('overfitting: validation loss climbs without help; dropout keeps it lower; early stopping restores the best', async () => {
    const { plain, dropout, earlyStopping } = await (await example('overfitting')).main({ hidden: 64, epochs: 120, nValidation: 300, svg: '', log: quiet });
    expect(plain.history.loss.at(-1)).toBeLessThan(0.1);
    expect(plain.final.loss).toBeGreaterThan(2 * plain.bestValLoss);
    expect(dropout.final.loss).toBeLessThan(plain.final.loss);
    expect(earlyStopping.history.stopped).toBe('earlyStopping');
    expect(earlyStopping.history.epochs).toBeLessThan(120);
    expect(earlyStopping.final.loss).toBeCloseTo(earlyStopping.bestValLoss, 4);
  });

  it('CartPole: one step of the dynamics matches the equations of motion worked by hand', async () => {
    const { cartPoleStep, CartPole } = await import('../examples/cartpole.mjs' as string);
    // From rest, pushing right: temp = F/(M+m) = 10/1.1; θ'' = -temp / (l (4/3 - m/(M+m)));
    // x'' = temp - m l θ'' / (M+m); Euler moves only the velocities in the first step.
    const temp = 10 / 1.1, thetaAcc = -temp / (0.5 * (4 / 3 - 0.1 / 1.1)), xAcc = temp - (0.05 * thetaAcc) / 1.1;
    const next = cartPoleStep([0, 0, 0, 0], 1);
    [0, 0.02 * xAcc, 0, 0.02 * thetaAcc].forEach((v, i) => expect(next[i]).toBeCloseTo(v, 12));
    expect(next[1]).toBeCloseTo(0.195122, 6);
    const env = new CartPole(() => 0.5, 3);
    env.reset();
    env.state = [0, 0, 0.2, 1];
    expect(env.step(0)).toMatchObject({ reward: 1, done: true, failed: true });
    expect(() => env.step(2)).toThrow(/action must be 0 or 1, got 2/);
  });

  it('Q-learning: a short DQN run already balances far longer than a random policy', async () => {
    const r = await (await example('q-learning')).main({ episodes: 80, evalEpisodes: 10, log: quiet });
    expect(r.randomReturn).toBeLessThan(40);
    expect(r.greedyReturn).toBeGreaterThan(3 * r.randomReturn);
  });
});

// Q-learning with a neural Q-function (DQN: Mnih et al., 2015) on CartPole. The network
// maps a state to the value of each action; it learns from minibatches of remembered
// transitions toward r + γ max_a' Q_target(s', a'), with a target network refreshed every
// few hundred steps and ε-greedy exploration decaying from 1 to 0.05; the greedy policy is
// scored every few episodes and the best one kept.
// Target: an average return of at least 195 over 20 greedy episodes capped at 200 steps
// (the classic "solved" level of CartPole-v0; a random policy averages about 22).
// Run: npm run build:ts && node examples/q-learning.mjs
import * as my from 'myelin';
import { CartPole } from './cartpole.mjs';
import { isMain } from './lib/run.mjs';

/** Transitions in ring buffers; sampling draws indices from the library's seeded stream. */
class ReplayBuffer {
  constructor(capacity) {
    this.capacity = capacity;
    this.states = new Float32Array(capacity * 4);
    this.next = new Float32Array(capacity * 4);
    this.actions = new Float32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.failed = new Float32Array(capacity);
    this.size = 0;
    this.cursor = 0;
  }

  push(state, action, reward, next, failed) {
    const i = this.cursor;
    this.states.set(state, 4 * i);
    this.next.set(next, 4 * i);
    this.actions[i] = action;
    this.rewards[i] = reward;
    this.failed[i] = failed ? 1 : 0;
    this.cursor = (i + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  sample(n) {
    const rows = Array.from(my.rand([n]).data, (u) => Math.floor(u * this.size));
    const pick = (src, width) => {
      const out = new Float32Array(n * width);
      rows.forEach((r, j) => out.set(src.subarray(width * r, width * r + width), width * j));
      return my.tensor(out, { shape: width === 1 ? [n] : [n, width] });
    };
    return { s: pick(this.states, 4), a: pick(this.actions, 1), r: pick(this.rewards, 1), s2: pick(this.next, 4), failed: pick(this.failed, 1) };
  }
}

const qNetwork = (hidden) => new my.nn.Sequential(new my.nn.Linear(4, hidden), new my.nn.ReLU(), new my.nn.Linear(hidden, hidden), new my.nn.ReLU(), new my.nn.Linear(hidden, 2));

/** The greedy action of `q` in `state`. */
function greedy(q, state) {
  const values = my.noGrad(() => q.forward(my.tensor([state]))).data;
  return values[1] > values[0] ? 1 : 0;
}

/** The mean return of the greedy policy over `episodes` episodes. */
function evaluatePolicy(q, episodes, maxSteps) {
  const env = new CartPole(() => my.rand([1]).item(), maxSteps);
  let total = 0;
  for (let e = 0; e < episodes; e++) {
    let state = env.reset(), done = false;
    while (!done) {
      const step = env.step(greedy(q, state));
      state = step.state;
      done = step.done;
      total += step.reward;
    }
  }
  return total / episodes;
}

/** A copy of the weights (a state dict shares storage with the model). */
function snapshot(model) {
  return Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, t.clone()]));
}

/** One gradient step on a minibatch toward the bootstrapped targets; returns the loss. */
function learn(online, target, optimizer, batch, gamma) {
  const { s, a, r, s2, failed } = batch;
  // Failure ends the return; hitting the step cap does not (the pole was still up).
  const y = my.noGrad(() => r.add(target.forward(s2).max(1).mul(failed.neg().add(1)).mul(gamma)));
  optimizer.zeroGrad();
  const chosen = online.forward(s).gather(1, a.unsqueeze(1)).squeeze(1);
  const loss = my.nn.functional.huberLoss(chosen, y);
  loss.backward();
  optimizer.step();
  return loss.item();
}

export async function main({ episodes = 300, maxSteps = 200, hidden = 64, batchSize = 64, gamma = 0.99, lr = 5e-4, targetEvery = 500,
  epsilonSteps = 5000, checkEvery = 20, evalEpisodes = 20, seed = 0, log = console.log } = {}) {
  my.manualSeed(seed);
  const online = qNetwork(hidden), target = qNetwork(hidden);
  target.loadStateDict(online.stateDict());
  const optimizer = new my.optim.Adam(online.parameters(), { lr });
  const memory = new ReplayBuffer(20000);
  const env = new CartPole(() => my.rand([1]).item(), maxSteps);
  const returns = [];
  let steps = 0, bestScore = -Infinity, best = snapshot(online);
  for (let episode = 0; episode < episodes; episode++) {
    let state = env.reset(), done = false, episodeReturn = 0;
    while (!done) {
      const epsilon = Math.max(0.05, 1 - steps / epsilonSteps);
      const action = my.rand([1]).item() < epsilon ? (my.rand([1]).item() < 0.5 ? 0 : 1) : greedy(online, state);
      const step = env.step(action);
      memory.push(state, action, step.reward, step.state, step.failed);
      state = step.state;
      done = step.done;
      episodeReturn += step.reward;
      steps++;
      if (memory.size >= batchSize) learn(online, target, optimizer, memory.sample(batchSize), gamma);
      if (steps % targetEvery === 0) target.loadStateDict(online.stateDict());
    }
    returns.push(episodeReturn);
    if ((episode + 1) % checkEvery === 0) {
      // DQN's greedy policy can get worse with more training; keep the best one seen.
      const score = evaluatePolicy(online, 10, maxSteps);
      if (score >= bestScore) [bestScore, best] = [score, snapshot(online)];
      const recent = returns.slice(-checkEvery).reduce((a, b) => a + b, 0) / checkEvery;
      log(`episode ${episode + 1}: mean training return ${recent.toFixed(1)}, greedy ${score.toFixed(1)} (${steps} steps)`);
    }
    // Wait for the event loop between episodes, as fit does between batches.
    await new Promise(setImmediate);
  }
  online.loadStateDict(best);
  const greedyReturn = evaluatePolicy(online, evalEpisodes, maxSteps);
  const randomReturn = evaluatePolicy({ forward: () => my.rand([1, 2]) }, evalEpisodes, maxSteps);
  log(`greedy policy: mean return ${greedyReturn.toFixed(1)} over ${evalEpisodes} episodes (random policy ${randomReturn.toFixed(1)}; target 195 of ${maxSteps})`);
  return { returns, greedyReturn, randomReturn, steps };
}

if (isMain(import.meta.url)) await main();

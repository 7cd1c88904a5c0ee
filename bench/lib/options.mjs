// Command-line options of bench/run.mjs.

export const USAGE = `npm run bench -- [options]   (node bench/run.mjs [options])
  --quick            1 run each, 1 short epoch, few GEMM shapes: a smoke test, not figures
  --full             10 epochs of the big MLP (accuracy at 10 beside PyTorch's), 8 of the small
  --only LIST        sections among gemm,ops,mlp (mlp includes the step profile); default all
  --runs N           runs per figure (default 3; medians)
  --epochs N         epochs of 784-512-256-10 per run (default 2; --full 10)
  --small-epochs N   epochs of 784-64-10 per run (default 2; --full 8: V8 optimises the
                     step's once-per-batch functions over its first ~3000 batches, 1.6 epochs)
  --samples N        train myelin on the first N samples only (PyTorch still on all)
  --synthetic        synthetic data of Fashion-MNIST's shape even when the set is installed
  --max-seconds S    cut each of myelin's nets after S s of training per run (default 60; 0 = never; --full 0)
  --quiet-wait S     wait at most S s for a quiet box before each run (default 5)
  --no-peers         skip PyTorch, OpenBLAS, TF.js and the FMA peak
  --no-profile       skip the step profile (section 5)
  --out DIR          where the JSON and summary.md go (default bench/results)
  --readme           put the summary into README.md's "## Speed" section`;

const SECTIONS = ['gemm', 'ops', 'mlp'];

/** Parses argv into the options object; unknown options throw with the usage text. */
export function parseOptions(argv) {
  const o = { quick: false, full: false, only: SECTIONS, runs: 3, epochs: null, smallEpochs: null, samples: Infinity, synthetic: false,
    maxSeconds: null, quietWait: 5, peers: true, profile: true, out: null, readme: false, help: false, argv };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    const int = (min) => {
      const x = Number(v);
      if (!Number.isInteger(x) || x < min) throw new Error(`bench/run.mjs: ${a} needs an integer >= ${min}, got '${v ?? ''}'\n${USAGE}`);
      i++;
      return x;
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--full') o.full = true;
    else if (a === '--only') {
      o.only = String(v ?? '').split(',').filter(Boolean);
      const bad = o.only.find((s) => !SECTIONS.includes(s));
      if (bad || !o.only.length) throw new Error(`bench/run.mjs: --only takes ${SECTIONS.join(',')}, got '${v ?? ''}'`);
      i++;
    } else if (a === '--runs') o.runs = int(1);
    else if (a === '--epochs') o.epochs = int(1);
    else if (a === '--small-epochs') o.smallEpochs = int(1);
    else if (a === '--samples') o.samples = int(1);
    else if (a === '--max-seconds') o.maxSeconds = int(0);
    else if (a === '--quiet-wait') o.quietWait = int(0);
    else if (a === '--out') o.out = v, i++;
    else if (a === '--synthetic') o.synthetic = true;
    else if (a === '--no-peers') o.peers = false;
    else if (a === '--no-profile') o.profile = false;
    else if (a === '--readme') o.readme = true;
    else if (a === '--help' || a === '-h') o.help = true;
    else throw new Error(`bench/run.mjs: unknown option '${a}'\n${USAGE}`);
  }
  if (o.quick) o.runs = argv.includes('--runs') ? o.runs : 1;
  o.epochs ??= o.full ? 10 : o.quick ? 1 : 2;
  o.smallEpochs ??= o.full ? 8 : o.quick ? 1 : 2;
  o.maxSeconds ??= o.full ? 0 : 60;
  if (o.maxSeconds === 0) o.maxSeconds = Infinity;
  return o;
}

export { TensorDataset, Subset, type Dataset, type Labels } from './dataset.js';
export { DataLoader, type DataLoaderOptions } from './loader.js';
export { randomSplit } from './split.js';
export { readIdx, readIdxArray, type IdxArray } from './idx.js';
export { loadFashionMnist, FASHION_MNIST_DIR, type LabeledImages } from './fashion.js';
export { digits } from './digits.js';
export { spirals, moons, xor, type Points } from './synthetic.js';

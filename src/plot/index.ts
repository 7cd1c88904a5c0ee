export { lines, type LinesOptions } from './lines.js';
export { history } from './history.js';
export { decisionBoundary, type DecisionBoundaryOptions } from './decision-boundary.js';
export type { Series, ChartOptions } from './chart.js';

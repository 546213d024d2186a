export { parseSimulatorOptions, USAGE, type ParsedOptions, type SimulatorOptions } from './options.js';
export { runSimulator, type SimulatorDeps, type SimulatorSummary } from './run-simulator.js';
export { jsonlFiles } from './jsonl-sink.js';

export { main, COMMANDS } from './main.js';
export type { Command } from './command.js';
export { createBacktest, type Backtest, type BacktestConfigResult, type BacktestResult, type BacktestRun } from './backtest/backtest.js';
export { lastOfPartition, readJsonlDir, type LastOfPartition } from './backtest/jsonl-source.js';

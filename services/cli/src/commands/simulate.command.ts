import { processIo, type Command } from '../command.js';
import { runServiceProcess } from '../service-process.js';

/**
 * `valuepulse simulate [options]`: runs the simulator (services/simulator)
 * in the foreground with the given options — a labelled scenario to Kafka or
 * to JSON Lines files, plus the labels file. `valuepulse simulate --help`
 * lists the options. Exits with the simulator's exit code (2 on bad options).
 */
export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'labelled scenario generator: simulated accounts → Kafka (or JSON Lines files) + a labels file; --help for options',
  usage: 'simulate [--accounts N] [--days N] [--seed N] [--out DIR] …',
  handlesHelp: true,
  run(args, io = processIo()) {
    return runServiceProcess('simulator', args, io);
  },
};

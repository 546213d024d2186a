/** One `valuepulse` sub-command. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

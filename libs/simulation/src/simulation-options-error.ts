/**
 * A simulation option is out of range or malformed. `option` names it as in
 * {@link SimulationOptions} (`accounts`, `days`, `endsAt`, `mix`, …), so a
 * command line can translate it to its own flag.
 */
export class SimulationOptionsError extends RangeError {
  override readonly name = 'SimulationOptionsError';

  constructor(
    readonly option: string,
    readonly problem: string,
  ) {
    super(`${option}: ${problem}`);
  }
}

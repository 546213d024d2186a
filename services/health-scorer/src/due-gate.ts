/**
 * Event clock: keeps an account's due evaluation from seeing events applied
 * after it was claimed.
 *
 * The race it closes: a due evaluation of account A at time T (claimed from
 * the due index, which leases the entry to T + lease) runs while another
 * partition of this instance — or the ticker's claim — has A in its next
 * day's records. That partition's own claim does not see A (leased), so it
 * went on to apply its records, stamped after T, and the evaluation at T read
 * them: alerts came half a day early (burst replay with
 * partitionsConsumedConcurrently > 1, or the ticker racing a batch).
 * Filtering the state read at T to events <= T is not sound (the store keeps
 * latest values — NPS, integrations, stakeholders, the last activity — and
 * day buckets, not every event), so the two are serialised instead: every due
 * evaluation marks its accounts before it claims them, and an apply first
 * waits until no due evaluation marked earlier holds any of its accounts.
 *
 * Applies never wait for applies and due evaluations never wait here, so
 * there is no cycle. The marks live in this process: instances that share a
 * group would need a mark in Redis for the same guarantee across instances.
 */
export interface DueGate {
  /**
   * Marks `accountIds` (undefined: every account, for a claimer that learns
   * which ones only from the claim) as having a due evaluation starting;
   * call before claiming. `narrow` keeps only the accounts claimed, `done`
   * clears what is left.
   */
  enter(accountIds?: readonly string[]): DueMark;
  /** Resolves once no due evaluation marked before this call holds any of `accountIds`. */
  clear(accountIds: readonly string[]): Promise<void>;
}

export interface DueMark {
  narrow(claimed: readonly string[]): void;
  done(): void;
}

interface Mark {
  accounts: Set<string> | 'all';
  /** Resolves at the mark's next narrow or done. */
  changed: Promise<void>;
}

/** The gate of one scorer process. */
export function createDueGate(): DueGate {
  const marks = new Set<Mark>();
  const holds = (m: Mark, accountIds: readonly string[]) => marks.has(m) && (m.accounts === 'all' || accountIds.some((id) => (m.accounts as Set<string>).has(id)));
  return {
    enter(accountIds) {
      let signal!: () => void;
      const next = () => new Promise<void>((resolve) => (signal = resolve));
      const mark: Mark = { accounts: accountIds ? new Set(accountIds) : 'all', changed: next() };
      marks.add(mark);
      const done = () => {
        marks.delete(mark);
        signal();
      };
      return {
        narrow(claimed) {
          if (claimed.length === 0) return done();
          mark.accounts = new Set(claimed);
          const previous = signal;
          mark.changed = next();
          previous();
        },
        done,
      };
    },
    async clear(accountIds) {
      if (marks.size === 0) return;
      // only marks made before this call (the caller claimed its own due accounts already); waiting for later ones could starve it
      let pending = [...marks].filter((m) => holds(m, accountIds));
      while (pending.length > 0) {
        await Promise.race(pending.map((m) => m.changed));
        pending = pending.filter((m) => holds(m, accountIds));
      }
    },
  };
}

/** A gate that never waits (wall clock: every evaluation is at the wall clock's now). */
export const OPEN_DUE_GATE: DueGate = {
  enter: () => ({ narrow: () => undefined, done: () => undefined }),
  clear: async () => undefined,
};

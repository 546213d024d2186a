/** Accounts by due time, earliest first (ties by account id): a binary heap whose stale entries are skipped when popped. */
export interface DueQueue {
  push(due: number, accountId: string): void;
  /**
   * Removes and returns every entry due up to `until` that `current` still
   * accepts (an account whose due time moved since it was pushed is not),
   * each account at most once, earliest first, ties by account id.
   */
  popUpTo(until: number, current: (accountId: string, due: number) => boolean): [string, number][];
}

/** An empty {@link DueQueue}. */
export function createDueQueue(): DueQueue {
  const dues: number[] = [];
  const ids: string[] = [];
  const before = (i: number, j: number) => (dues[i] as number) < (dues[j] as number) || (dues[i] === dues[j] && (ids[i] as string) < (ids[j] as string));
  const swap = (i: number, j: number) => {
    [dues[i], dues[j]] = [dues[j] as number, dues[i] as number];
    [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
  };
  return {
    push(due, accountId) {
      dues.push(due);
      ids.push(accountId);
      for (let i = dues.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!before(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    },
    popUpTo(until, current) {
      const out: [string, number][] = [];
      const taken = new Set<string>();
      while (dues.length > 0 && (dues[0] as number) <= until) {
        const due = dues[0] as number;
        const id = ids[0] as string;
        const lastDue = dues.pop() as number;
        const lastId = ids.pop() as string;
        if (dues.length > 0) {
          dues[0] = lastDue;
          ids[0] = lastId;
          for (let i = 0; ; ) {
            const l = 2 * i + 1;
            const r = l + 1;
            let m = i;
            if (l < dues.length && before(l, m)) m = l;
            if (r < dues.length && before(r, m)) m = r;
            if (m === i) break;
            swap(i, m);
            i = m;
          }
        }
        if (!taken.has(id) && current(id, due)) {
          taken.add(id);
          out.push([id, due]);
        }
      }
      return out;
    },
  };
}

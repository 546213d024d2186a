/**
 * Every ```sql block of the analyst guide (docs/analysts.md), by the name in
 * the `<!-- query: name -->` marker right before it, trimmed.
 *
 * @throws Error when a name appears twice.
 */
export function guideQueries(markdown: string): Map<string, string> {
  const queries = new Map<string, string>();
  for (const match of markdown.matchAll(/<!-- query: ([a-z0-9-]+) -->\s*```sql\n([\s\S]*?)```/g)) {
    const [, name = '', sql = ''] = match;
    if (queries.has(name)) throw new Error(`query ${name} appears twice in the analyst guide`);
    queries.set(name, sql.trim());
  }
  return queries;
}

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SEGMENT_SYMBOLS, STAKEHOLDER_ROLE_SYMBOLS, SUPPORT_EVENT_TYPE_SYMBOLS, USAGE_EVENT_TYPE_SYMBOLS } from '@valuepulse/contracts';

const known = <T extends readonly string[]>(symbols: T) => z.enum(symbols.filter((s) => s !== 'UNKNOWN') as unknown as [T[number], ...T[number][]]);

/** A dot path into a message, e.g. `context.traits.role`; a list means the first path that holds a non-empty value. */
const pathSchema = z.string().regex(/^[^.\s][^.]*(\.[^.\s][^.]*)*$/, 'a dot path such as context.groupId');
const fromSchema = z.union([pathSchema, z.array(pathSchema).min(1)]).transform((p) => (Array.isArray(p) ? p : [p]));
/** A path (or paths), or `{ "value": "…" }` for a constant. */
const valueSchema = z.union([fromSchema, z.strictObject({ value: z.string().min(1) })]);

/** A value read at `from`, translated through `values` (keys compared case-insensitively). */
const translateSchema = <T extends z.ZodType>(target: T) =>
  z.strictObject({
    from: fromSchema,
    values: z.record(z.string(), target).transform((v) => Object.fromEntries(Object.entries(v).map(([k, t]) => [k.toLowerCase(), t]))),
  });

const usageTypeSchema = known(USAGE_EVENT_TYPE_SYMBOLS);
const roleSchema = known(STAKEHOLDER_ROLE_SYMBOLS);
const supportTypeSchema = known(SUPPORT_EVENT_TYPE_SYMBOLS);

const NEEDS: Partial<Record<z.output<typeof usageTypeSchema>, 'feature' | 'workflow' | 'integration'>> = {
  FEATURE_USED: 'feature',
  WORKFLOW_RUN: 'workflow',
  INTEGRATION_CONNECTED: 'integration',
  INTEGRATION_DISCONNECTED: 'integration',
};

const trackSchema = z
  .strictObject({
    type: usageTypeSchema,
    feature: valueSchema.optional(),
    workflow: valueSchema.optional(),
    integration: valueSchema.optional(),
    quantity: fromSchema.optional(),
  })
  .superRefine((t, ctx) => {
    const needed = NEEDS[t.type];
    if (needed && t[needed] === undefined) ctx.addIssue({ code: 'custom', path: [needed], message: `is required for ${t.type}` });
  });

const segmentSchema = z.strictObject({
  /** Where the account id is; the first non-empty path wins. */
  account: fromSchema.default(['context.groupId', 'properties.account_id', 'context.traits.account_id', 'traits.account_id']),
  user: fromSchema.default(['userId', 'anonymousId']),
  team: fromSchema.optional(),
  role: translateSchema(roleSchema).optional(),
  productLine: valueSchema.optional(),
  /** Paths copied (as strings) into the event's `properties`, named by their last segment. */
  properties: z.array(pathSchema).default([]),
  /** track event name (exact) → usage event. */
  events: z.record(z.string().min(1), trackSchema).default({}),
  /** identify with a mapped role → STAKEHOLDER_ASSIGNED. */
  identify: z.strictObject({ role: translateSchema(roleSchema) }).optional(),
  /** group → SEATS_CHANGED (seats) and SEGMENT_CHANGED (segment). */
  group: z
    .strictObject({
      seats: fromSchema.optional(),
      segment: translateSchema(known(SEGMENT_SYMBOLS)).optional(),
    })
    .optional(),
});

const DEFAULT_TICKET_EVENTS = {
  'ticket.created': 'TICKET_OPENED',
  'ticket.reopened': 'TICKET_REOPENED',
  'ticket.escalated': 'TICKET_ESCALATED',
  'ticket.solved': 'TICKET_RESOLVED',
  'ticket.closed': 'TICKET_CLOSED',
  'satisfaction.rated': 'CSAT_SUBMITTED',
} as const;
const DEFAULT_TICKET_STATUSES = { new: 'TICKET_OPENED', solved: 'TICKET_RESOLVED', closed: 'TICKET_CLOSED' } as const;

const helpdeskSchema = z.strictObject({
  /** organization id (as text) → account id. */
  organizations: z.record(z.string(), z.string().trim().min(1)).default({}),
  /** When an organization is not in `organizations`, use its `external_id` as the account id. */
  useExternalId: z.boolean().default(false),
  /** The body's `event` → support event type; checked before `statuses`. */
  events: z.record(z.string(), supportTypeSchema).default({ ...DEFAULT_TICKET_EVENTS }),
  /** `ticket.status` → support event type, when the body names no mapped event. */
  statuses: z.record(z.string(), supportTypeSchema).default({ ...DEFAULT_TICKET_STATUSES }),
  /** A tag `<prefix><feature>` names the feature the ticket is about. */
  featureTagPrefix: z.string().default('feature_'),
  /** A tag `<prefix><category>` gives the category. */
  categoryTagPrefix: z.string().default('category_'),
});

/** The mapping file: how Segment calls and help-desk tickets become valuepulse events (docs/gateway.md). */
export const mappingSchema = z.strictObject({
  segment: segmentSchema.optional(),
  helpdesk: helpdeskSchema.optional(),
});

export type Mapping = z.output<typeof mappingSchema>;
export type SegmentMapping = z.output<typeof segmentSchema>;
export type HelpdeskMapping = z.output<typeof helpdeskSchema>;
/** Paths to try in order, or a constant. */
export type ValueSpec = z.output<typeof valueSchema>;

/**
 * Parses a mapping (already read as JSON).
 * @returns the mapping with defaults filled in, or every problem as `path: message`.
 */
export function parseMapping(input: unknown): { ok: true; mapping: Mapping } | { ok: false; problems: string[] } {
  const parsed = mappingSchema.safeParse(input);
  if (parsed.success) return { ok: true, mapping: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.code === 'unrecognized_keys' ? `unknown key(s) ${i.keys.join(', ')}` : i.message}`) };
}

/** Reads and parses the JSON mapping file at `path`; never throws. */
export function readMappingFile(path: string): { ok: true; mapping: Mapping } | { ok: false; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, problems: [`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [`not JSON: ${(err as Error).message}`] };
  }
  return parseMapping(json);
}

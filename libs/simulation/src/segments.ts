import type { Segment } from '@valuepulse/contracts';

/** The segments accounts are drawn from. */
export type SimSegment = Exclude<Segment, 'UNKNOWN'>;

/** An inclusive integer or number range. */
export type Range = readonly [number, number];

/** What accounts of one segment look like. */
export interface SegmentProfile {
  /** Share of accounts. */
  share: number;
  /** Everyone who uses the product, stakeholders included. */
  users: Range;
  champions: Range;
  teams: Range;
  features: Range;
  workflows: Range;
  integrations: Range;
  /** Tickets opened per week in normal times. */
  ticketsPerWeek: Range;
  /** Tickets on one feature in a support flood: above every segment's flood threshold of the default model. */
  floodTickets: Range;
  /** ARR per contracted seat. */
  arrPerSeat: Range;
}

/**
 * Segment profiles. Sizes are chosen so every healthy account clears the
 * default model's adoption targets with room to spare (features, workflows,
 * integrations, teams per segment) and its login baseline is large enough to
 * be judged (enterprise ≥ 50, mid-market ≥ 10, SMB ≥ 5 a week).
 */
export const SEGMENT_PROFILES: Readonly<Record<SimSegment, SegmentProfile>> = {
  ENTERPRISE: {
    share: 20,
    users: [30, 90],
    champions: [2, 2],
    teams: [7, 9],
    features: [17, 22],
    workflows: [9, 12],
    integrations: [6, 8],
    ticketsPerWeek: [1.5, 3.5],
    floodTickets: [10, 13],
    arrPerSeat: [1500, 3200],
  },
  MID_MARKET: {
    share: 45,
    users: [12, 36],
    champions: [1, 2],
    teams: [4, 5],
    features: [12, 16],
    workflows: [6, 8],
    integrations: [4, 5],
    ticketsPerWeek: [0.5, 1.2],
    floodTickets: [6, 8],
    arrPerSeat: [700, 1500],
  },
  SMB: {
    share: 35,
    users: [7, 14],
    champions: [1, 1],
    teams: [1, 2],
    features: [8, 10],
    workflows: [4, 5],
    integrations: [3, 3],
    ticketsPerWeek: [0.1, 0.3],
    floodTickets: [5, 6],
    arrPerSeat: [300, 700],
  },
};

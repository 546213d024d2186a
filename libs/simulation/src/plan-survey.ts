import type { AccountEvent } from '@valuepulse/contracts';
import type { UserPlan } from './account-plan.js';
import type { Archetype } from './archetypes.js';
import { atLocalHour, dayIndexOf, type ScenarioCalendar } from './calendar.js';
import { accountEvent } from './event-factory.js';
import { activityFactor } from './presence.js';
import type { Prng } from './prng.js';

/** What {@link planSurveyAnswers} needs to know about the account. */
export interface SurveyInput {
  accountId: string;
  archetype: Archetype;
  onsetDay: number | null;
  utcOffset: number;
  users: readonly UserPlan[];
  calendar: ScenarioCalendar;
  /** The account's NPS_RESPONSE events (one per survey wave): the other answers of a wave come in before it. */
  waveAnswers: readonly AccountEvent[];
}

// Named stakeholders of a healthy account like it; its daily users are a realistic mix, about one in
// five a detractor (B2B surveys commonly find NPS 20–40). Model v1.7's nps_detractor judges named
// stakeholders one by one and the rest only by detractors beyond chance; v1.6 judged the latest answer of
// anyone and alerted 27 of 79 healthy accounts of seed 1 on a mix with one user in ten a detractor.
const HAPPY_NPS = [[7, 8], [8, 27], [9, 33], [10, 32]] as const;
const USER_NPS = [[2, 2], [4, 3], [5, 6], [6, 9], [7, 16], [8, 22], [9, 22], [10, 20]] as const;
const UNHAPPY_NPS = [[3, 10], [4, 15], [5, 20], [6, 25], [7, 20], [8, 10]] as const;
// after the onset, whose answers sour: the daily users of an account that lost its champion or
// drowns in tickets (its leaders do not feel it), everyone's when usage decays, the leaders' when the sponsor left
const USERS_SOUR: readonly Archetype[] = ['champion_leaves', 'support_flood', 'slow_decay', 'sudden_drop'];
const LEADERS_SOUR: readonly Archetype[] = ['slow_decay', 'sudden_drop', 'sponsor_leaves'];
const NAMED_ANSWER_P = 0.5;
const USER_ANSWER_P = 0.3;
const MAX_USER_ANSWERS = 8;

/**
 * The other answers of each survey wave: the wave's first answer (the
 * champion's, or another named stakeholder's: `waveAnswers`) is the one the
 * scenario always had; besides it, each other named stakeholder present
 * answers with probability 1/2 and each daily user present with 3/10 (at
 * most eight), one to three days before it, so once a wave is over the
 * account's latest answer is the one the scenario always had; before that it
 * is one of these. Named stakeholders answer 7 or more unless the archetype
 * soured them (after its onset); daily users are a realistic mix with about
 * one detractor in five, more once soured. Daily users'
 * answers name their role (`stakeholder_role`), named stakeholders' do not
 * (the store's stakeholder map knows them). Drawn from a PRNG of their own,
 * so every other event of the scenario stays as it was.
 */
export function planSurveyAnswers(input: SurveyInput, prng: Prng): AccountEvent[] {
  const { accountId, archetype, onsetDay, utcOffset, users, calendar } = input;
  const out: AccountEvent[] = [];
  for (const wave of input.waveAnswers) {
    const waveDay = dayIndexOf(calendar, wave.occurred_at);
    const present = (u: UserPlan, day: number) => u.userId !== wave.stakeholder_user_id && u.fromDay <= day && activityFactor(u, day) > 0;
    let userAnswers = 0;
    for (const u of users) {
      const day = waveDay - prng.int(1, 3);
      const named = u.role !== 'DAILY_USER';
      const p = named ? NAMED_ANSWER_P : USER_ANSWER_P;
      if (!prng.chance(p) || day < 0 || !present(u, day)) continue;
      if (!named && (userAnswers += 1) > MAX_USER_ANSWERS) continue;
      const sour = onsetDay !== null && day >= onsetDay && (named ? LEADERS_SOUR : USERS_SOUR).includes(archetype);
      const score = prng.weighted(sour ? UNHAPPY_NPS : named ? HAPPY_NPS : USER_NPS);
      out.push(
        accountEvent({
          account_id: accountId,
          occurred_at: atLocalHour(calendar, day, prng.between(8, 18), utcOffset),
          event_type: 'NPS_RESPONSE',
          nps_score: score,
          stakeholder_user_id: u.userId,
          stakeholder_role: named ? null : 'DAILY_USER',
          properties: { ...wave.properties },
        }),
      );
    }
  }
  return out.filter((e) => e.occurred_at < calendar.endsAt);
}

import type { DataSource } from 'typeorm';
import { insertInChunks } from '../../database/insertInChunks';
import { withBlockingKeys } from '../../schema/agencyPerson';
import { StoredRecord } from '../../schema/custodianRelease';
import {
  ageOn,
  daysBefore,
  isoDate,
  agencyIdentity,
  REFERENCE_DATE,
  SyntheticFamily,
} from '../../synthetic/population';
import { Random } from '../../synthetic/random';
import { stableUuid } from '../../synthetic/stableUuid';
import { EpisodeKind, SocialCareEpisode, SocialCarePerson } from './entities';

/** Social care often has the NHS number from health partners, not always. */
const SOCIAL_CARE_HABITS = { nhsNumberKnown: 0.6, error: 0.1, oldAddress: 0.3 };
const CP_CATEGORY = {
  DOMESTIC_ABUSE: 'Emotional abuse',
  NEGLECT: 'Neglect',
  PARENTAL_MENTAL_HEALTH: 'Emotional abuse',
  SUBSTANCE_MISUSE: 'Neglect',
  NONE: 'Neglect',
} as const;

/**
 * Custodian release: a child protection plan's category and conference outcome can identify a
 * child's disclosure still under joint investigation, and a looked-after episode's arrangements are
 * kept from a parent; social care's own MASH member releases them case by case.
 */
const RELEASED_BY_SOCIAL_CARE: ReadonlySet<EpisodeKind> = new Set([
  EpisodeKind.CHILD_PROTECTION_PLAN,
  EpisodeKind.LOOKED_AFTER,
]);

export async function seedSocialCare(
  dataSource: DataSource,
  population: SyntheticFamily[],
): Promise<void> {
  const people: SocialCarePerson[] = [];
  const episodes: StoredRecord<SocialCareEpisode>[] = [];
  for (const family of population) {
    if (family.newToArea) continue;
    const random = new Random('social-care', family.familyKey);
    if (!random.chance(family.concern === 'NONE' ? 0.1 : 0.6)) continue;
    const children = family.members.filter((m) => ageOn(m.dateOfBirth) < 18);
    const referredOn = daysBefore(REFERENCE_DATE, random.int(200, 1500));
    const escalation = random.int(0, 3); // how far the family's past involvement went
    for (const child of children) {
      if (ageOn(child.dateOfBirth, referredOn) < 0) continue; // not yet born at the time
      const identity = agencyIdentity(child, random, SOCIAL_CARE_HABITS);
      const personId = stableUuid('social-care', child.personKey);
      people.push({ id: personId, ...withBlockingKeys(identity) });
      const episode = (
        kind: EpisodeKind,
        startDay: number,
        lengthDays: number | null,
        outcome: string,
        category: string | null = null,
      ) =>
        episodes.push({
          personId,
          kind,
          startDate: isoDate(new Date(referredOn.getTime() + startDay * 86_400_000)),
          endDate:
            lengthDays === null
              ? null
              : isoDate(new Date(referredOn.getTime() + (startDay + lengthDays) * 86_400_000)),
          category,
          outcome,
          requiresCustodianRelease: RELEASED_BY_SOCIAL_CARE.has(kind),
        });
      episode(
        EpisodeKind.REFERRAL,
        0,
        1,
        escalation === 0 ? 'No further action; advice given.' : 'Progressed to assessment.',
      );
      if (escalation >= 1)
        episode(EpisodeKind.CHILD_AND_FAMILY_ASSESSMENT, 1, 40, 'Needs identified; plan agreed.');
      if (escalation === 2)
        episode(EpisodeKind.CHILD_IN_NEED_PLAN, 45, random.int(90, 300), 'Plan ended: needs met.');
      if (escalation === 3) {
        episode(
          EpisodeKind.CHILD_PROTECTION_PLAN,
          60,
          random.int(180, 420),
          'Stepped down to child in need.',
          CP_CATEGORY[family.concern],
        );
        if (random.chance(0.2))
          episode(
            EpisodeKind.LOOKED_AFTER,
            100,
            random.chance(0.5) ? null : 200,
            'Section 20 accommodation.',
          );
      }
    }
  }
  await insertInChunks(dataSource, SocialCarePerson, people);
  await insertInChunks(dataSource, SocialCareEpisode, episodes as SocialCareEpisode[]);
}

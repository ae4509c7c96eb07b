import { withBlockingKeys } from '../../schema/agencyPerson';
import { StoredRecord } from '../../schema/custodianRelease';
import type { DataSource } from 'typeorm';
import { insertInChunks } from '../../database/insertInChunks';
import {
  agencyIdentity,
  daysBefore,
  isoDate,
  REFERENCE_DATE,
  SyntheticFamily,
  SyntheticPerson,
  daysAfter,
} from '../../synthetic/population';
import { Random } from '../../synthetic/random';
import { stableUuid } from '../../synthetic/stableUuid';
import { EarlyHelpEpisode, EarlyHelpOutcome, EarlyHelpPerson } from './entities';

/** Early help works from school and health-visitor referrals: NHS numbers sometimes, nicknames often. */
const EARLY_HELP_HABITS = { nhsNumberKnown: 0.3, error: 0.15, oldAddress: 0.2 };

const NEEDS = {
  DOMESTIC_ABUSE: 'Parental conflict; children’s behaviour at school; mother’s isolation.',
  NEGLECT: 'Home conditions, routines and school attendance; financial hardship.',
  PARENTAL_MENTAL_HEALTH: 'Parent’s low mood; young carer responsibilities; attendance.',
  SUBSTANCE_MISUSE: 'Parental alcohol use; supervision of the children; debt.',
  NONE: 'Parenting support after a family breakdown; attendance.',
} as const;
const LEAD_PROFESSIONALS = [
  'Family support worker, early help locality team',
  'Designated safeguarding lead, the child’s school',
  'Health visitor, 0–19 service',
  'School nurse, 0–19 service',
];

export async function seedEarlyHelp(
  dataSource: DataSource,
  population: SyntheticFamily[],
): Promise<void> {
  const people: EarlyHelpPerson[] = [];
  const episodes: StoredRecord<EarlyHelpEpisode>[] = [];
  for (const family of population) {
    if (family.newToArea) continue;
    const random = new Random('early-help', family.familyKey);
    const hardship = family.caseStudy?.kind === 'FINANCIAL_HARDSHIP';
    const known = random.chance(family.concern === 'NONE' ? 0.15 : 0.5);
    if (!known && !hardship) continue;
    const familyId = stableUuid('early-help', 'family', family.familyKey);
    for (const member of family.members) familyMember(people, member, familyId, random);
    for (let n = !known ? 0 : random.chance(0.3) ? 2 : 1; n > 0; n--) {
      const openedOn = daysBefore(REFERENCE_DATE, random.int(20, 1000));
      const assessed = random.chance(0.9);
      const planned = assessed && random.chance(0.8);
      const outcome = random.pick(Object.values(EarlyHelpOutcome));
      const closedOn =
        outcome === EarlyHelpOutcome.OPEN ? null : daysAfter(openedOn, random.int(40, 300));
      episodes.push({
        familyId,
        openedOn: isoDate(openedOn),
        assessedOn: assessed ? isoDate(daysAfter(openedOn, random.int(3, 20))) : null,
        needsIdentified: assessed ? NEEDS[family.concern] : null,
        planAgreedOn: planned ? isoDate(daysAfter(openedOn, random.int(21, 35))) : null,
        planReviewedOn:
          planned && random.chance(0.6) ? isoDate(daysAfter(openedOn, random.int(60, 90))) : null,
        leadProfessional: planned ? random.pick(LEAD_PROFESSIONALS) : null,
        closedOn: closedOn && closedOn < REFERENCE_DATE ? isoDate(closedOn) : null,
        outcome: closedOn && closedOn >= REFERENCE_DATE ? EarlyHelpOutcome.OPEN : outcome,
        // Needs a family told its lead professional in confidence about abuse at home: early
        // help's own MASH member releases them case by case, so the family's trust is not lost.
        requiresCustodianRelease: assessed && family.concern === 'DOMESTIC_ABUSE',
      });
    }
    if (hardship) {
      // The financial-hardship case study: the health visitor's worry, opened in the last weeks.
      const openedOn = daysBefore(REFERENCE_DATE, random.int(10, 40));
      episodes.push({
        familyId,
        openedOn: isoDate(openedOn),
        assessedOn: isoDate(daysAfter(openedOn, random.int(3, 9))),
        needsIdentified:
          'Financial hardship: rent arrears, food poverty and a cold home; raised by the health visitor.',
        requiresCustodianRelease: false,
        planAgreedOn: null,
        planReviewedOn: null,
        leadProfessional: 'Health visitor, 0–19 service',
        closedOn: null,
        outcome: EarlyHelpOutcome.OPEN,
      });
    }
  }
  await insertInChunks(dataSource, EarlyHelpPerson, people);
  await insertInChunks(dataSource, EarlyHelpEpisode, episodes as EarlyHelpEpisode[]);
}

/** The person row: the one place a person joins early help's index, as the service records people. */
function familyMember(
  people: EarlyHelpPerson[],
  person: SyntheticPerson,
  familyId: string,
  random: Random,
): void {
  people.push({
    id: stableUuid('early-help', person.personKey),
    ...withBlockingKeys(agencyIdentity(person, random, EARLY_HELP_HABITS)),
    familyId,
  });
}

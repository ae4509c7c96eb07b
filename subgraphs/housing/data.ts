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
import {
  AntisocialBehaviourCase,
  AntisocialBehaviourStage,
  HomelessnessApplication,
  HomelessnessDecision,
  HousingPerson,
  HousingTenancy,
  PossessionStage,
  TemporaryAccommodationKind,
  TemporaryAccommodationPlacement,
  Tenure,
} from './entities';

/** Housing holds no NHS numbers; a household's members are often listed from the lead tenant. */
const HOUSING_HABITS = { nhsNumberKnown: 0, error: 0.1, oldAddress: 0.3 };

/** How likely the council's housing service is to know the household, by its concern. */
const KNOWN = {
  DOMESTIC_ABUSE: 0.75,
  NEGLECT: 0.7,
  SUBSTANCE_MISUSE: 0.6,
  PARENTAL_MENTAL_HEALTH: 0.5,
  NONE: 0.3,
} as const;

const HOMELESS_REASON = {
  DOMESTIC_ABUSE: 'Fleeing domestic abuse; cannot return to the family home.',
  NEGLECT: 'Eviction from the private rented sector after rent arrears.',
  SUBSTANCE_MISUSE: 'Asked to leave by family or friends.',
  PARENTAL_MENTAL_HEALTH: 'End of an assured shorthold tenancy (section 21 notice).',
  NONE: 'End of an assured shorthold tenancy (section 21 notice).',
} as const;

export async function seedHousing(
  dataSource: DataSource,
  population: SyntheticFamily[],
): Promise<void> {
  const people: HousingPerson[] = [];
  const tenancies: Omit<HousingTenancy, 'id' | 'updatedAt'>[] = [];
  const applications: StoredRecord<HomelessnessApplication>[] = [];
  const placements: Omit<TemporaryAccommodationPlacement, 'id' | 'updatedAt'>[] = [];
  const antisocial: Omit<AntisocialBehaviourCase, 'id' | 'updatedAt'>[] = [];
  for (const family of population) {
    if (family.newToArea) continue;
    const random = new Random('housing', family.familyKey);
    // The financial-hardship case study's family is in arrears with the council's knowledge.
    const hardship = family.caseStudy?.kind === 'FINANCIAL_HARDSHIP';
    if (!random.chance(KNOWN[family.concern]) && !hardship) continue;
    const householdId = stableUuid('housing', 'household', family.familyKey);
    for (const member of family.members) householdMember(people, member, householdId, random);

    // The present tenancy, and for some an earlier one.
    const startedOn = daysBefore(REFERENCE_DATE, random.int(120, 2500));
    const bedrooms = random.int(1, 4);
    const bedroomsNeeded = Math.ceil(family.members.length / 2);
    const arrears = family.concern === 'NEGLECT' || random.chance(0.2) || hardship;
    const possessionStage = arrears
      ? random.pick([
          PossessionStage.NONE,
          PossessionStage.NOTICE_SERVED,
          PossessionStage.CLAIM_ISSUED,
          PossessionStage.ORDER_GRANTED,
          PossessionStage.EVICTION_SCHEDULED,
        ])
      : PossessionStage.NONE;
    tenancies.push({
      householdId,
      tenure: random.pick(Object.values(Tenure)),
      startedOn: isoDate(startedOn),
      endedOn: null,
      bedrooms,
      overcrowded: bedrooms < bedroomsNeeded,
      rentArrears: arrears ? random.int(200, 4500) : 0,
      possessionStage,
      possessionStageOn:
        possessionStage === PossessionStage.NONE
          ? null
          : isoDate(daysBefore(REFERENCE_DATE, random.int(5, 90))),
    });
    if (random.chance(0.4)) {
      const earlier = daysAfter(startedOn, -random.int(400, 1500));
      const evicted = random.chance(0.3);
      tenancies.push({
        householdId,
        tenure: Tenure.PRIVATE_RENTED,
        startedOn: isoDate(earlier),
        endedOn: isoDate(daysAfter(startedOn, -random.int(1, 60))),
        bedrooms: random.int(1, 3),
        overcrowded: random.chance(0.3),
        rentArrears: evicted ? random.int(500, 3000) : 0,
        possessionStage: evicted ? PossessionStage.EVICTED : PossessionStage.NONE,
        possessionStageOn: evicted ? isoDate(daysAfter(startedOn, -random.int(1, 60))) : null,
      });
    }

    // Homelessness: a household fleeing abuse, or one evicted, applies to the council.
    if (random.chance(family.concern === 'DOMESTIC_ABUSE' ? 0.6 : 0.15)) {
      const appliedOn = daysBefore(REFERENCE_DATE, random.int(20, 600));
      const decision = random.pick(Object.values(HomelessnessDecision));
      applications.push({
        householdId,
        appliedOn: isoDate(appliedOn),
        decision,
        decidedOn:
          decision === HomelessnessDecision.PENDING
            ? null
            : isoDate(daysAfter(appliedOn, random.int(10, 56))),
        reason: HOMELESS_REASON[family.concern],
        // A household fleeing violence: its application says from whom and why, and where it
        // was placed follows from it; housing's own MASH member releases it case by case.
        requiresCustodianRelease: family.concern === 'DOMESTIC_ABUSE',
      });
      if (
        decision === HomelessnessDecision.RELIEF_DUTY ||
        decision === HomelessnessDecision.MAIN_DUTY_ACCEPTED
      ) {
        const placedOn = daysAfter(appliedOn, random.int(0, 14));
        placements.push({
          householdId,
          kind: random.pick(Object.values(TemporaryAccommodationKind)),
          placedOn: isoDate(placedOn),
          endedOn: random.chance(0.5) ? isoDate(daysAfter(placedOn, random.int(30, 300))) : null,
          outOfArea: random.chance(0.4),
        });
      }
    }

    if (random.chance(family.concern === 'SUBSTANCE_MISUSE' ? 0.4 : 0.05)) {
      const openedOn = daysBefore(REFERENCE_DATE, random.int(30, 700));
      antisocial.push({
        householdId,
        openedOn: isoDate(openedOn),
        closedOn: random.chance(0.5) ? isoDate(daysAfter(openedOn, random.int(30, 200))) : null,
        stage: random.pick(Object.values(AntisocialBehaviourStage)),
        complaint: random.pick([
          'Repeated late-night noise and visitors reported by neighbours.',
          'Suspected drug dealing from the property reported by neighbours.',
          'Verbal abuse of a neighbour in a communal area.',
        ]),
      });
    }
  }
  await insertInChunks(dataSource, HousingPerson, people);
  await insertInChunks(dataSource, HousingTenancy, tenancies as HousingTenancy[]);
  await insertInChunks(
    dataSource,
    HomelessnessApplication,
    applications as HomelessnessApplication[],
  );
  await insertInChunks(
    dataSource,
    TemporaryAccommodationPlacement,
    placements as TemporaryAccommodationPlacement[],
  );
  await insertInChunks(
    dataSource,
    AntisocialBehaviourCase,
    antisocial as AntisocialBehaviourCase[],
  );
}

/** The person row: the one place a person joins housing's index, as housing records people. */
function householdMember(
  people: HousingPerson[],
  person: SyntheticPerson,
  householdId: string,
  random: Random,
): void {
  people.push({
    id: stableUuid('housing', person.personKey),
    ...withBlockingKeys(agencyIdentity(person, random, HOUSING_HABITS)),
    householdId,
  });
}

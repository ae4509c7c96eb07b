import { withBlockingKeys } from '../../schema/agencyPerson';
import { StoredRecord } from '../../schema/custodianRelease';
import type { DataSource } from 'typeorm';
import { insertInChunks } from '../../database/insertInChunks';
import {
  ageOn,
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
  AdultSocialCarePerson,
  CareAndSupportNeed,
  CarerRecord,
  PrimarySupportReason,
  SafeguardingAbuseType,
  SafeguardingAdultsConcern,
  SafeguardingOutcome,
} from './entities';

/** The council's adult records often hold the NHS number (shared care records with the NHS). */
const ADULT_SOCIAL_CARE_HABITS = { nhsNumberKnown: 0.7, error: 0.1, oldAddress: 0.2 };

const SUPPORT = {
  [PrimarySupportReason.PHYSICAL_SUPPORT]: 'Home care twice a day; equipment provided.',
  [PrimarySupportReason.LEARNING_DISABILITY_SUPPORT]: 'Supported living hours; day opportunities.',
  [PrimarySupportReason.MENTAL_HEALTH_SUPPORT]: 'Community support worker weekly; direct payment.',
  [PrimarySupportReason.SUBSTANCE_MISUSE_SUPPORT]: 'Referred to the drug and alcohol service.',
  [PrimarySupportReason.MEMORY_AND_COGNITION]: 'Day centre three days a week; carer’s break.',
  [PrimarySupportReason.SOCIAL_SUPPORT]: 'Befriending service; information and advice.',
};

export async function seedAdultSocialCare(
  dataSource: DataSource,
  population: SyntheticFamily[],
): Promise<void> {
  const people: AdultSocialCarePerson[] = [];
  const needs: Omit<CareAndSupportNeed, 'id' | 'updatedAt'>[] = [];
  const concerns: StoredRecord<SafeguardingAdultsConcern>[] = [];
  const carers: Omit<CarerRecord, 'id' | 'updatedAt'>[] = [];
  for (const family of population) {
    if (family.newToArea) continue;
    const random = new Random('adult-social-care', family.familyKey);
    const ids = new Map<SyntheticPerson, string>();
    const personId = (person: SyntheticPerson) => {
      if (!ids.has(person)) ids.set(person, personRow(people, person, random));
      return ids.get(person)!;
    };
    const adults = family.members.filter((m) => ageOn(m.dateOfBirth) >= 18);
    for (const adult of adults) {
      const reason =
        family.concern === 'PARENTAL_MENTAL_HEALTH' && random.chance(0.4)
          ? PrimarySupportReason.MENTAL_HEALTH_SUPPORT
          : family.concern === 'SUBSTANCE_MISUSE' && random.chance(0.3)
            ? PrimarySupportReason.SUBSTANCE_MISUSE_SUPPORT
            : adult.role === 'CARER' && random.chance(0.5)
              ? random.pick([
                  PrimarySupportReason.PHYSICAL_SUPPORT,
                  PrimarySupportReason.MEMORY_AND_COGNITION,
                ])
              : random.chance(0.04)
                ? random.pick(Object.values(PrimarySupportReason))
                : null;
      if (reason) {
        const assessedOn = daysBefore(REFERENCE_DATE, random.int(30, 900));
        needs.push({
          personId: personId(adult),
          assessedOn: isoDate(assessedOn),
          primarySupportReason: reason,
          supportInPlace: SUPPORT[reason],
          reviewDueOn: random.chance(0.8) ? isoDate(daysAfter(assessedOn, 365)) : null,
        });
      }
      // A victim of domestic abuse is an adult at risk: a safeguarding adults concern.
      const victim = family.concern === 'DOMESTIC_ABUSE' && adult.sex === 'FEMALE';
      if (random.chance(victim ? 0.4 : reason ? 0.15 : 0.01)) {
        const raisedOn = daysBefore(REFERENCE_DATE, random.int(10, 700));
        const enquiry = random.chance(0.6);
        const outcome = enquiry
          ? random.pick([
              SafeguardingOutcome.ONGOING,
              SafeguardingOutcome.RISK_REMOVED,
              SafeguardingOutcome.RISK_REDUCED,
              SafeguardingOutcome.RISK_REMAINS,
            ])
          : SafeguardingOutcome.NO_FURTHER_ACTION;
        const concludedOn = daysAfter(raisedOn, random.int(14, 120));
        concerns.push({
          personId: personId(adult),
          raisedOn: isoDate(raisedOn),
          abuseType: victim
            ? SafeguardingAbuseType.DOMESTIC_ABUSE
            : random.pick(Object.values(SafeguardingAbuseType)),
          section42EnquiryOn: enquiry ? isoDate(daysAfter(raisedOn, random.int(1, 10))) : null,
          concludedOn:
            outcome === SafeguardingOutcome.ONGOING || concludedOn >= REFERENCE_DATE
              ? null
              : isoDate(concludedOn),
          outcome: concludedOn >= REFERENCE_DATE && enquiry ? SafeguardingOutcome.ONGOING : outcome,
          // A section 42 enquiry (Care Act 2014) may be running beside a police investigation,
          // and its findings name the person alleged to cause harm: adult social care's own
          // MASH member releases it case by case.
          requiresCustodianRelease: enquiry,
        });
      }
    }
    // Carers: an adult or an older child caring for a parent with mental-health or care needs.
    if (
      family.concern === 'PARENTAL_MENTAL_HEALTH' ||
      family.members.some((m) => m.role === 'CARER')
    ) {
      const carer = family.members.find(
        (m) => m.role === 'CARER' || (m.role !== 'PARENT' && ageOn(m.dateOfBirth) >= 14),
      );
      if (carer && random.chance(0.5)) {
        carers.push({
          personId: personId(carer),
          assessedOn: isoDate(daysBefore(REFERENCE_DATE, random.int(20, 600))),
          caresFor:
            carer.role === 'CARER' ? 'their adult daughter and grandchildren' : 'their mother',
          youngCarer: ageOn(carer.dateOfBirth) < 18,
        });
      }
    }
  }
  await insertInChunks(dataSource, AdultSocialCarePerson, people);
  await insertInChunks(dataSource, CareAndSupportNeed, needs as CareAndSupportNeed[]);
  await insertInChunks(
    dataSource,
    SafeguardingAdultsConcern,
    concerns as SafeguardingAdultsConcern[],
  );
  await insertInChunks(dataSource, CarerRecord, carers as CarerRecord[]);
}

/** The person row: the one place a person joins adult social care's index, as it records people. */
function personRow(
  people: AdultSocialCarePerson[],
  person: SyntheticPerson,
  random: Random,
): string {
  const id = stableUuid('adult-social-care', person.personKey);
  people.push({
    id,
    ...withBlockingKeys(agencyIdentity(person, random, ADULT_SOCIAL_CARE_HABITS)),
  });
  return id;
}

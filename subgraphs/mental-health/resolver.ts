import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { DataSource } from 'typeorm';
import { AgencyCheckResult } from '../../schema/agencyCheck';
import { agencyEventsResolver } from '../../schema/agencyEvents';
import { recordsOfPeople } from '../../schema/recordsOfPeople';
import { createAgencyCheckLoader, groupByPerson } from '../../schema/agencyCheckLoader';
import { CustodianReleases, withheldUntilReleased } from '../../schema/custodianRelease';
import { ForwardedAccess } from '../../schema/forwardedAccess';
import { SUBJECT_DEMOGRAPHICS_FIELDS } from '../../schema/subject';
import {
  MentalHealthAdmission,
  MentalHealthCheck,
  MentalHealthCrisisContact,
  MentalHealthEpisode,
  MentalHealthPatient,
  MentalHealthRecords,
  Subject,
} from './entities';
import { mentalHealthPolicy } from './policy';

/**
 * A flagged crisis contact or detention stays with the trust, beyond its headline, until its member
 * releases it.
 */
const WITHHELD = {
  crisisContacts: withheldUntilReleased(mentalHealthPolicy.fieldTiers.MentalHealthCrisisContact),
  admissions: withheldUntilReleased(mentalHealthPolicy.fieldTiers.MentalHealthAdmission),
};

export function createMentalHealthContext(dataSource: DataSource, forwarded: ForwardedAccess) {
  const custodianReleases = new CustodianReleases('mental-health', dataSource, forwarded);
  return {
    forwarded,
    custodianReleases,
    mentalHealthCheck: createAgencyCheckLoader<MentalHealthPatient, MentalHealthRecords>({
      agency: 'mental-health',
      people: dataSource.getRepository(MentalHealthPatient),
      noRecords: { episodes: [], crisisContacts: [], admissions: [] },
      async loadRecords(patients) {
        const patientIds = patients.map((p) => p.id);
        const [episodes, crisisContacts, admissions] = await Promise.all([
          recordsOfPeople(
            dataSource.getRepository(MentalHealthEpisode),
            { person: 'patientId', newestFirst: 'openedOn' },
            patientIds,
          ),
          recordsOfPeople(
            dataSource.getRepository(MentalHealthCrisisContact),
            { person: 'patientId', newestFirst: 'occurredOn' },
            patientIds,
          ),
          recordsOfPeople(
            dataSource.getRepository(MentalHealthAdmission),
            { person: 'patientId', newestFirst: 'admittedOn' },
            patientIds,
          ),
        ]);
        const awaiting = await custodianReleases.awaiting([...crisisContacts, ...admissions]);
        const [e, c, a] = [
          groupByPerson(episodes, (r) => r.patientId),
          groupByPerson(
            crisisContacts.map((r) =>
              custodianReleases.shown(r, r.id, awaiting, WITHHELD.crisisContacts),
            ),
            (r) => r.patientId,
          ),
          groupByPerson(
            admissions.map((r) => custodianReleases.shown(r, r.id, awaiting, WITHHELD.admissions)),
            (r) => r.patientId,
          ),
        ];
        return new Map(
          patients.map((p) => [
            p.id,
            {
              episodes: e.get(p.id) ?? [],
              crisisContacts: c.get(p.id) ?? [],
              admissions: a.get(p.id) ?? [],
            },
          ]),
        );
      },
    }),
  };
}

type MentalHealthContext = ReturnType<typeof createMentalHealthContext>;

/** This agency's events for the hub's chronology, as its policy declares them (`schema/agencyEvents.ts`). */
export const MentalHealthEventsResolver = agencyEventsResolver<MentalHealthContext>({
  agency: 'mental-health',
  Subject,
  policy: mentalHealthPolicy,
  check: (ctx) => ctx.mentalHealthCheck,
  forwarded: (ctx) => ctx.forwarded,
});

@Resolver(() => Subject)
export class MentalHealthCheckResolver {
  @FieldResolver(() => MentalHealthCheck, {
    nullable: true,
    description: 'NHS mental health trust check on this subject.',
  })
  @Directive(`@requires(fields: "${SUBJECT_DEMOGRAPHICS_FIELDS}")`)
  mentalHealth(
    @Root() subject: Subject,
    @Ctx() ctx: MentalHealthContext,
  ): Promise<AgencyCheckResult<MentalHealthRecords>> {
    return ctx.mentalHealthCheck.load(subject);
  }
}

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
  HealthCheck,
  HealthContact,
  HealthPatient,
  HealthRecords,
  HealthReferral,
  Subject,
} from './entities';
import { healthPolicy } from './policy';

/** A flagged contact's clinical summary stays with health until its member releases it. */
const WITHHELD = withheldUntilReleased(healthPolicy.fieldTiers.HealthContact);

export function createHealthContext(dataSource: DataSource, forwarded: ForwardedAccess) {
  const custodianReleases = new CustodianReleases('health', dataSource, forwarded);
  return {
    forwarded,
    custodianReleases,
    healthCheck: createAgencyCheckLoader<HealthPatient, HealthRecords>({
      agency: 'health',
      people: dataSource.getRepository(HealthPatient),
      noRecords: { gpPractice: null, registeredSince: null, contacts: [], referrals: [] },
      async loadRecords(patients) {
        const patientIds = patients.map((p) => p.id);
        const [contacts, referrals] = await Promise.all([
          recordsOfPeople(
            dataSource.getRepository(HealthContact),
            { person: 'patientId', newestFirst: 'occurredAt' },
            patientIds,
          ),
          recordsOfPeople(
            dataSource.getRepository(HealthReferral),
            { person: 'patientId', newestFirst: 'referredOn' },
            patientIds,
          ),
        ]);
        const awaiting = await custodianReleases.awaiting(contacts);
        const contactsByPatient = groupByPerson(
          contacts.map((c) => custodianReleases.shown(c, c.id, awaiting, WITHHELD)),
          (c) => c.patientId,
        );
        const referralsByPatient = groupByPerson(referrals, (r) => r.patientId);
        return new Map(
          patients.map((p) => [
            p.id,
            {
              gpPractice: p.gpPractice,
              registeredSince: p.registeredSince,
              contacts: contactsByPatient.get(p.id) ?? [],
              referrals: referralsByPatient.get(p.id) ?? [],
            },
          ]),
        );
      },
    }),
  };
}

type HealthContext = ReturnType<typeof createHealthContext>;

/** This agency's events for the hub's chronology, as its policy declares them (`schema/agencyEvents.ts`). */
export const HealthEventsResolver = agencyEventsResolver<HealthContext>({
  agency: 'health',
  Subject,
  policy: healthPolicy,
  check: (ctx) => ctx.healthCheck,
  forwarded: (ctx) => ctx.forwarded,
});

@Resolver(() => Subject)
export class HealthCheckResolver {
  @FieldResolver(() => HealthCheck, {
    nullable: true,
    description: 'Health check on this subject.',
  })
  @Directive(`@requires(fields: "${SUBJECT_DEMOGRAPHICS_FIELDS}")`)
  health(
    @Root() subject: Subject,
    @Ctx() ctx: HealthContext,
  ): Promise<AgencyCheckResult<HealthRecords>> {
    return ctx.healthCheck.load(subject);
  }
}

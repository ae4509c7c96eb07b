import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { DataSource, In } from 'typeorm';
import { AgencyCheckResult } from '../../schema/agencyCheck';
import { agencyEventsResolver } from '../../schema/agencyEvents';
import { createAgencyCheckLoader, groupByPerson } from '../../schema/agencyCheckLoader';
import { CustodianReleases, withheldUntilReleased } from '../../schema/custodianRelease';
import { ForwardedAccess } from '../../schema/forwardedAccess';
import { SUBJECT_DEMOGRAPHICS_FIELDS } from '../../schema/subject';
import {
  DomesticAbuseCheck,
  DomesticAbuseClient,
  DomesticAbuseInvolvement,
  DomesticAbuseRecords,
  Subject,
} from './entities';
import { domesticAbusePolicy } from './policy';

/**
 * A flagged case's risk grade and safety measures stay with the IDVA service until its member
 * releases them.
 */
const WITHHELD = withheldUntilReleased(domesticAbusePolicy.fieldTiers.DomesticAbuseCaseRecord);

export function createDomesticAbuseContext(dataSource: DataSource, forwarded: ForwardedAccess) {
  const custodianReleases = new CustodianReleases('domestic-abuse', dataSource, forwarded);
  return {
    forwarded,
    custodianReleases,
    domesticAbuseCheck: createAgencyCheckLoader<DomesticAbuseClient, DomesticAbuseRecords>({
      agency: 'domestic-abuse',
      people: dataSource.getRepository(DomesticAbuseClient),
      noRecords: { cases: [] },
      async loadRecords(people) {
        const involvements = await dataSource.getRepository(DomesticAbuseInvolvement).find({
          where: { personId: In(people.map((p) => p.id)) },
          relations: { case: true },
          order: { case: { referredOn: 'DESC' } },
        });
        const awaiting = await custodianReleases.awaiting(involvements.map((i) => i.case));
        const byPerson = groupByPerson(involvements, (i) => i.personId);
        return new Map(
          people.map((p) => [
            p.id,
            {
              cases: (byPerson.get(p.id) ?? []).map(({ role, case: c }) =>
                custodianReleases.shown(
                  {
                    role,
                    referredOn: c.referredOn,
                    dashRiskLevel: c.dashRiskLevel,
                    dashAssessedOn: c.dashAssessedOn,
                    maracReferredOn: c.maracReferredOn,
                    maracMeetingOn: c.maracMeetingOn,
                    safetyPlanAgreedOn: c.safetyPlanAgreedOn,
                    safetyPlanReviewedOn: c.safetyPlanReviewedOn,
                    safetyMeasures: c.safetyMeasures,
                    closedOn: c.closedOn,
                    updatedAt: c.updatedAt,
                  },
                  c.id,
                  awaiting,
                  WITHHELD,
                ),
              ),
            },
          ]),
        );
      },
    }),
  };
}

type DomesticAbuseContext = ReturnType<typeof createDomesticAbuseContext>;

/** domestic-abuse's events for the hub's chronology, as its policy declares them (`schema/agencyEvents.ts`). */
export const DomesticAbuseEventsResolver = agencyEventsResolver<DomesticAbuseContext>({
  agency: 'domestic-abuse',
  Subject,
  policy: domesticAbusePolicy,
  check: (ctx) => ctx.domesticAbuseCheck,
  forwarded: (ctx) => ctx.forwarded,
});

@Resolver(() => Subject)
export class DomesticAbuseCheckResolver {
  @FieldResolver(() => DomesticAbuseCheck, {
    nullable: true,
    description: 'Domestic abuse service (IDVA, MARAC) check on this subject.',
  })
  @Directive(`@requires(fields: "${SUBJECT_DEMOGRAPHICS_FIELDS}")`)
  domesticAbuse(
    @Root() subject: Subject,
    @Ctx() ctx: DomesticAbuseContext,
  ): Promise<AgencyCheckResult<DomesticAbuseRecords>> {
    return ctx.domesticAbuseCheck.load(subject);
  }
}

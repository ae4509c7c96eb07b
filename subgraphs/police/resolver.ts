import { GraphQLError } from 'graphql';
import { Arg, Ctx, Directive, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { DataSource, In } from 'typeorm';
import { awaitsCustodianRelease, custodianReleaseDenial } from '../../policies/custodianRelease';
import { Role } from '../../policies/roles';
import { AgencyCheckResult } from '../../schema/agencyCheck';
import { agencyEventsResolver } from '../../schema/agencyEvents';
import { createAgencyCheckLoader, groupByPerson } from '../../schema/agencyCheckLoader';
import { denialError } from '../../schema/denialError';
import { callerOf, caseOf, ForwardedAccess } from '../../schema/forwardedAccess';
import { SUBJECT_DEMOGRAPHICS_FIELDS } from '../../schema/subject';
import {
  CustodianRelease,
  DomesticAbuseRisk,
  FlaggedRecordDisclosure,
  IncidentRecord,
  PoliceArrest,
  PoliceCheck,
  PoliceIncident,
  PoliceInvolvement,
  PolicePerson,
  PoliceRecords,
  Subject,
} from './entities';
import { policePolicy } from './policy';

export function createPoliceContext(dataSource: DataSource, forwarded: ForwardedAccess) {
  const caseReference = caseOf(forwarded)?.reference ?? null;
  return {
    dataSource,
    forwarded,
    caseReference,
    policeCheck: createAgencyCheckLoader<PolicePerson, PoliceRecords>({
      agency: 'police',
      people: dataSource.getRepository(PolicePerson),
      noRecords: { incidents: [], arrests: [] },
      async loadRecords(people) {
        const personId = In(people.map((p) => p.id));
        const [involvements, arrests, releases] = await Promise.all([
          dataSource.getRepository(PoliceInvolvement).find({
            where: { personId },
            relations: { incident: true },
            order: { incident: { occurredAt: 'DESC' } },
          }),
          dataSource
            .getRepository(PoliceArrest)
            .find({ where: { personId }, order: { arrestedAt: 'DESC' } }),
          caseReference ? dataSource.getRepository(CustodianRelease).findBy({ caseReference }) : [],
        ]);
        const released = new Set(releases.map((r) => r.recordId));
        const incidentsByPerson = groupByPerson(involvements, (i) => i.personId);
        const arrestsByPerson = groupByPerson(arrests, (a) => a.personId);
        if (caseReference) {
          await recordDisclosures(
            dataSource,
            caseReference,
            involvements.map((i) => i.incident).filter((i) => awaitsCustodianRelease(i, released)),
          );
        }
        return new Map(
          people.map((p) => [
            p.id,
            {
              incidents: (incidentsByPerson.get(p.id) ?? []).map(({ incident, role }) => ({
                recordId: incident.id,
                awaitingRelease: awaitsCustodianRelease(incident, released),
                occurredAt: incident.occurredAt,
                type: incident.type,
                role,
                summary: incident.summary,
                domesticAbuseRisk: incident.domesticAbuseRisk,
                updatedAt: incident.updatedAt,
              })),
              arrests: arrestsByPerson.get(p.id) ?? [],
            },
          ]),
        );
      },
    }),
  };
}

type PoliceContext = ReturnType<typeof createPoliceContext>;

/** This agency's events for the hub's chronology, as its policy declares them (`schema/agencyEvents.ts`). */
export const PoliceEventsResolver = agencyEventsResolver<PoliceContext>({
  agency: 'police',
  Subject,
  policy: policePolicy,
  check: (ctx) => ctx.policeCheck,
  forwarded: (ctx) => ctx.forwarded,
});

/** The police's record references are UUIDs; anything else names no record (and never reaches SQL). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Remembers, for the case the check ran under, each flagged record it reported as awaiting release:
 * the police's member may release those for this case and no others. Flagged records are rare, so
 * this is usually no write at all; a repeat check writes nothing new.
 */
async function recordDisclosures(
  dataSource: DataSource,
  caseReference: string,
  flagged: PoliceIncident[],
): Promise<void> {
  const recordIds = [...new Set(flagged.map((i) => i.id))];
  if (recordIds.length === 0) return;
  const disclosedAt = new Date();
  await dataSource
    .createQueryBuilder()
    .insert()
    .into(FlaggedRecordDisclosure)
    .values(recordIds.map((recordId) => ({ caseReference, recordId, disclosedAt })))
    .orIgnore()
    .execute();
}

@Resolver(() => Subject)
export class PoliceCheckResolver {
  @FieldResolver(() => PoliceCheck, {
    nullable: true,
    description: 'Police check on this subject.',
  })
  @Directive(`@requires(fields: "${SUBJECT_DEMOGRAPHICS_FIELDS}")`)
  police(
    @Root() subject: Subject,
    @Ctx() ctx: PoliceContext,
  ): Promise<AgencyCheckResult<PoliceRecords>> {
    return ctx.policeCheck.load(subject);
  }
}

/** The detail of a flagged incident stays with the police until their member releases it. */
@Resolver(() => IncidentRecord)
export class IncidentRecordResolver {
  @FieldResolver(() => String, { nullable: true })
  summary(@Root() record: IncidentRecord): string {
    if (record.awaitingRelease) throw denialError(custodianReleaseDenial('police'));
    return record.summary;
  }

  @FieldResolver(() => DomesticAbuseRisk, { nullable: true })
  domesticAbuseRisk(@Root() record: IncidentRecord): DomesticAbuseRisk | null {
    if (record.awaitingRelease) throw denialError(custodianReleaseDenial('police'));
    return record.domesticAbuseRisk;
  }
}

@Resolver()
export class CustodianReleaseResolver {
  @Mutation(() => CustodianRelease, {
    nullable: true,
    description:
      "Release a flagged police record for the request's case (the police's own MASH member only).",
  })
  async releasePoliceRecord(
    @Arg('recordId', () => ID) recordId: string,
    @Arg('reason', { description: 'Why sharing it for this case is now safe and necessary.' })
    reason: string,
    @Ctx() ctx: PoliceContext,
  ): Promise<CustodianRelease> {
    // The gateway has decided; the custodian still checks who is releasing (defence in depth).
    const caller = callerOf(ctx.forwarded);
    if (
      caller?.role !== Role.AGENCY_RESEARCHER ||
      caller.agency !== 'police' ||
      !ctx.caseReference
    ) {
      throw new GraphQLError(
        "Only the police's own MASH member may release police records, for a declared case.",
        {
          extensions: { code: 'FORBIDDEN' },
        },
      );
    }
    if (reason.trim().length < 10) {
      throw new GraphQLError('Record why the release is safe (reason, 10 characters or more).', {
        extensions: { code: 'BAD_USER_INPUT', argument: 'reason' },
      });
    }
    // Only a record the check disclosed, awaiting release, for a subject of this very case: not
    // another case's or household's flagged record, whatever its id.
    const disclosed =
      UUID.test(recordId) &&
      (await ctx.dataSource
        .getRepository(FlaggedRecordDisclosure)
        .existsBy({ caseReference: ctx.caseReference, recordId }));
    if (!disclosed) {
      throw new GraphQLError(
        "There is no flagged record of this case's subjects with that reference.",
        { extensions: { code: 'NOT_FOUND', argument: 'recordId' } },
      );
    }
    const releases = ctx.dataSource.getRepository(CustodianRelease);
    await releases.upsert(
      {
        caseReference: ctx.caseReference,
        recordId,
        releasedBy: caller.userId,
        releasedAt: new Date(),
        reason: reason.trim(),
      },
      ['caseReference', 'recordId'],
    );
    return releases.findOneByOrFail({ caseReference: ctx.caseReference, recordId });
  }
}

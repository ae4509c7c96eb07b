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
  AdultSocialCareCheck,
  AdultSocialCarePerson,
  AdultSocialCareRecords,
  CareAndSupportNeed,
  CarerRecord,
  SafeguardingAdultsConcern,
  Subject,
} from './entities';
import { adultSocialCarePolicy } from './policy';

/**
 * A flagged concern's abuse type and outcome stay with adult social care until its member releases
 * them.
 */
const WITHHELD = withheldUntilReleased(adultSocialCarePolicy.fieldTiers.SafeguardingAdultsConcern);

export function createAdultSocialCareContext(dataSource: DataSource, forwarded: ForwardedAccess) {
  const custodianReleases = new CustodianReleases('adult-social-care', dataSource, forwarded);
  return {
    forwarded,
    custodianReleases,
    adultSocialCareCheck: createAgencyCheckLoader<AdultSocialCarePerson, AdultSocialCareRecords>({
      agency: 'adult-social-care',
      people: dataSource.getRepository(AdultSocialCarePerson),
      noRecords: { careAndSupportNeeds: [], safeguardingConcerns: [], carerRecords: [] },
      async loadRecords(people) {
        const personIds = people.map((p) => p.id);
        const [needs, concerns, carers] = await Promise.all([
          recordsOfPeople(
            dataSource.getRepository(CareAndSupportNeed),
            { person: 'personId', newestFirst: 'assessedOn' },
            personIds,
          ),
          recordsOfPeople(
            dataSource.getRepository(SafeguardingAdultsConcern),
            { person: 'personId', newestFirst: 'raisedOn' },
            personIds,
          ),
          recordsOfPeople(
            dataSource.getRepository(CarerRecord),
            { person: 'personId', newestFirst: 'assessedOn' },
            personIds,
          ),
        ]);
        const awaiting = await custodianReleases.awaiting(concerns);
        const [n, c, r] = [
          groupByPerson(needs, (x) => x.personId),
          groupByPerson(
            concerns.map((x) => custodianReleases.shown(x, x.id, awaiting, WITHHELD)),
            (x) => x.personId,
          ),
          groupByPerson(carers, (x) => x.personId),
        ];
        return new Map(
          people.map((p) => [
            p.id,
            {
              careAndSupportNeeds: n.get(p.id) ?? [],
              safeguardingConcerns: c.get(p.id) ?? [],
              carerRecords: r.get(p.id) ?? [],
            },
          ]),
        );
      },
    }),
  };
}

type AdultSocialCareContext = ReturnType<typeof createAdultSocialCareContext>;

/** adult-social-care's events for the hub's chronology, as its policy declares them (`schema/agencyEvents.ts`). */
export const AdultSocialCareEventsResolver = agencyEventsResolver<AdultSocialCareContext>({
  agency: 'adult-social-care',
  Subject,
  policy: adultSocialCarePolicy,
  check: (ctx) => ctx.adultSocialCareCheck,
  forwarded: (ctx) => ctx.forwarded,
});

@Resolver(() => Subject)
export class AdultSocialCareCheckResolver {
  @FieldResolver(() => AdultSocialCareCheck, {
    nullable: true,
    description: 'Adult social care check on this subject.',
  })
  @Directive(`@requires(fields: "${SUBJECT_DEMOGRAPHICS_FIELDS}")`)
  adultSocialCare(
    @Root() subject: Subject,
    @Ctx() ctx: AdultSocialCareContext,
  ): Promise<AgencyCheckResult<AdultSocialCareRecords>> {
    return ctx.adultSocialCareCheck.load(subject);
  }
}

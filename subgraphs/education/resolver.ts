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
  EducationCheck,
  EducationRecords,
  Exclusion,
  Pupil,
  SchoolSafeguardingConcern,
  Subject,
  TermAttendance,
} from './entities';
import { educationPolicy } from './policy';

/** A flagged exclusion's reason stays with education until its member releases it. */
const WITHHELD = withheldUntilReleased(educationPolicy.fieldTiers.Exclusion);

export function createEducationContext(dataSource: DataSource, forwarded: ForwardedAccess) {
  const custodianReleases = new CustodianReleases('education', dataSource, forwarded);
  return {
    forwarded,
    custodianReleases,
    educationCheck: createAgencyCheckLoader<Pupil, EducationRecords>({
      agency: 'education',
      people: dataSource.getRepository(Pupil),
      noRecords: {
        school: null,
        senStatus: null,
        electiveHomeEducationSince: null,
        missingEducationSince: null,
        attendance: [],
        exclusions: [],
        safeguardingConcerns: [],
      },
      async loadRecords(pupils) {
        const pupilIds = pupils.map((p) => p.id);
        const [attendance, exclusions, concerns] = await Promise.all([
          recordsOfPeople(
            dataSource.getRepository(TermAttendance),
            { person: 'pupilId', newestFirst: 'termEnded' },
            pupilIds,
          ),
          recordsOfPeople(
            dataSource.getRepository(Exclusion),
            { person: 'pupilId', newestFirst: 'startDate' },
            pupilIds,
          ),
          recordsOfPeople(
            dataSource.getRepository(SchoolSafeguardingConcern),
            { person: 'pupilId', newestFirst: 'loggedOn' },
            pupilIds,
          ),
        ]);
        const attendanceByPupil = groupByPerson(attendance, (a) => a.pupilId);
        const awaiting = await custodianReleases.awaiting(exclusions);
        const exclusionsByPupil = groupByPerson(
          exclusions.map((e) => custodianReleases.shown(e, e.id, awaiting, WITHHELD)),
          (e) => e.pupilId,
        );
        const concernsByPupil = groupByPerson(concerns, (c) => c.pupilId);
        return new Map(
          pupils.map((p) => [
            p.id,
            {
              school: p.school,
              senStatus: p.senStatus,
              electiveHomeEducationSince: p.electiveHomeEducationSince,
              missingEducationSince: p.missingEducationSince,
              attendance: attendanceByPupil.get(p.id) ?? [],
              exclusions: exclusionsByPupil.get(p.id) ?? [],
              safeguardingConcerns: concernsByPupil.get(p.id) ?? [],
            },
          ]),
        );
      },
    }),
  };
}

type EducationContext = ReturnType<typeof createEducationContext>;

/** This agency's events for the hub's chronology, as its policy declares them (`schema/agencyEvents.ts`). */
export const EducationEventsResolver = agencyEventsResolver<EducationContext>({
  agency: 'education',
  Subject,
  policy: educationPolicy,
  check: (ctx) => ctx.educationCheck,
  forwarded: (ctx) => ctx.forwarded,
});

@Resolver(() => Subject)
export class EducationCheckResolver {
  @FieldResolver(() => EducationCheck, {
    nullable: true,
    description: 'Education check on this subject.',
  })
  @Directive(`@requires(fields: "${SUBJECT_DEMOGRAPHICS_FIELDS}")`)
  education(
    @Root() subject: Subject,
    @Ctx() ctx: EducationContext,
  ): Promise<AgencyCheckResult<EducationRecords>> {
    return ctx.educationCheck.load(subject);
  }
}

import { GraphQLError } from 'graphql';
import { Arg, Ctx, Directive, Field, ID, Mutation, ObjectType, Resolver } from 'type-graphql';
import { Column, DataSource, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import {
  awaitsCustodianRelease,
  custodianReleaseDenial,
  releaseMutation,
} from '../policies/custodianRelease';
import { Role } from '../policies/roles';
import { Tier } from '../policies/tier';
import { WithheldField } from './denialError';
import { callerOf, caseOf, ForwardedAccess } from './forwardedAccess';

/**
 * Custodian release, in every agency (the federation contract's part of `policies/custodianRelease.ts`):
 * an agency flags the records that need its own MASH member's release (`requiresCustodianRelease`
 * on the record), its check reports each as `awaitingRelease` with its detail withheld
 * (CUSTODIAN_RELEASE_REQUIRED), and its member releases one for one case by the agency's own
 * mutation (`releasePoliceRecord`, `releaseHealthRecord`, …). The flags, what the check reported
 * and the releases all stay in the agency's own database.
 */

/** A flagged record released by its custodian's own MASH member for one case. */
// Every agency's subgraph serves this type (its own release mutation returns it).
@Directive('@shareable')
@ObjectType({
  description: 'A flagged record released for one case by its agency, by whom and why.',
})
@Entity()
@Index(['caseReference', 'recordId'], { unique: true })
export class CustodianRelease {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column()
  caseReference: string;

  @Field(() => ID)
  @Column('uuid')
  recordId: string;

  @Field()
  @Column()
  releasedBy: string;

  @Field()
  @Column({ type: 'timestamptz' })
  releasedAt: Date;

  @Field()
  @Column({ type: 'text' })
  reason: string;
}

/**
 * A flagged record the agency's check reported, as awaiting release, for a subject of one case:
 * what the agency's member may release for that case, and nothing else. Kept by the custodian, so
 * no demographics or hub ids travel to decide a release.
 */
@Entity()
@Index(['caseReference', 'recordId'], { unique: true })
export class FlaggedRecordDisclosure {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  caseReference: string;

  @Column('uuid')
  recordId: string;

  /** When the check first reported it for this case. */
  @Column({ type: 'timestamptz' })
  disclosedAt: Date;
}

/** The tables custodian release keeps in every agency's database (its `entities`). */
export const CUSTODIAN_RELEASE_ENTITIES = [CustodianRelease, FlaggedRecordDisclosure];

/** A record its agency can flag: the column every flaggable record type has. */
export interface FlaggableRecord {
  id: string;
  requiresCustodianRelease: boolean;
}

/** What the check adds to each record of a flaggable type. */
export interface ReleaseState {
  recordId: string;
  awaitingRelease: boolean;
}

/** The descriptions of the two fields every flaggable record type serves. */
export const RECORD_ID_DESCRIPTION =
  "The agency's own reference for the record: what its MASH member names to release it.";
export const AWAITING_RELEASE_DESCRIPTION =
  "Flagged by the agency and not yet released for this case: its detail is withheld until the agency's own MASH member releases it.";

/**
 * The fields of a flaggable record type withheld while it awaits release: everything above the
 * headline (`SUMMARY`) in the agency's own tiers, so a detail field added later is withheld too.
 */
export function withheldUntilReleased(fieldTiers: Record<string, Tier>): string[] {
  return Object.entries(fieldTiers)
    .filter(([, tier]) => tier > Tier.SUMMARY)
    .map(([field]) => field);
}

/** The agency's references are UUIDs; anything else names no record (and never reaches SQL). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One request's custodian release in one agency: what the check shares of its flagged records for
 * the request's case, and the release of one of them by the agency's member. Each agency's context
 * carries one (`custodianReleases`), so its release mutation and its check read the same case.
 */
export class CustodianReleases {
  readonly caseReference: string | null;

  constructor(
    readonly agency: string,
    private readonly dataSource: DataSource,
    private readonly forwarded: ForwardedAccess,
  ) {
    this.caseReference = caseOf(forwarded)?.reference ?? null;
  }

  /**
   * The ids among these records that await release for this case, remembered (per case) as what
   * the check reported: the agency's member may release those for this case and no others. One
   * statement whenever a case is declared, flagged records or none, so what a check costs never
   * depends on what it finds (test/agencyCheck.test.ts); a repeat check writes nothing new.
   */
  async awaiting(records: FlaggableRecord[]): Promise<ReadonlySet<string>> {
    const flagged = [
      ...new Set(records.filter((r) => r.requiresCustodianRelease).map((r) => r.id)),
    ];
    if (!this.caseReference) return new Set(flagged);
    const rows: { recordId: string }[] = await this.dataSource.query(
      `WITH flagged AS (
         SELECT DISTINCT value::uuid AS "recordId" FROM jsonb_array_elements_text($2::jsonb)
       ), released AS (
         SELECT r."recordId" FROM ${this.table(CustodianRelease)} r
         JOIN flagged f ON f."recordId" = r."recordId" WHERE r."caseReference" = $1
       ), disclosed AS (
         INSERT INTO ${this.table(FlaggedRecordDisclosure)} ("caseReference", "recordId", "disclosedAt")
         SELECT $1, f."recordId", now() FROM flagged f
         WHERE f."recordId" NOT IN (SELECT "recordId" FROM released)
         ON CONFLICT ("caseReference", "recordId") DO NOTHING
       )
       SELECT "recordId" FROM released`,
      [this.caseReference, JSON.stringify(flagged)],
    );
    const released = new Set(rows.map((r) => r.recordId));
    return new Set(records.filter((r) => awaitsCustodianRelease(r, released)).map((r) => r.id));
  }

  /** A table of this agency's database as raw SQL names it (schema-qualified when embedded). */
  private table(entity: typeof CustodianRelease | typeof FlaggedRecordDisclosure): string {
    return this.dataSource
      .getMetadata(entity)
      .tablePath.split('.')
      .map((part) => `"${part}"`)
      .join('.');
  }

  /**
   * A record as the check shares it: its reference, whether it awaits release, and while it does
   * each withheld field a getter that throws the denial, so the field comes back null with
   * CUSTODIAN_RELEASE_REQUIRED at its own path (the default resolver reads it) and the record's
   * headline is still shared. Non-enumerable, so nothing that copies or logs the record trips.
   */
  shown<T extends object>(
    record: T,
    recordId: string,
    awaiting: ReadonlySet<string>,
    withheld: readonly string[],
  ): T & ReleaseState {
    const awaitingRelease = awaiting.has(recordId);
    const shown = { ...record, recordId, awaitingRelease };
    if (!awaitingRelease) return shown;
    for (const field of withheld) {
      Object.defineProperty(shown, field, {
        enumerable: false,
        get: () => {
          throw new WithheldField(custodianReleaseDenial(this.agency));
        },
      });
    }
    return shown;
  }

  /**
   * The agency's member releases a record the check reported awaiting release for a subject of the
   * request's own case, saying why. The gateway has decided (`is-custodian-member`); the custodian
   * still checks who is releasing (defence in depth).
   */
  async release(recordId: string, reason: string): Promise<CustodianRelease> {
    const caller = callerOf(this.forwarded);
    const caseReference = this.caseReference;
    if (
      caller?.role !== Role.AGENCY_RESEARCHER ||
      caller.agency !== this.agency ||
      !caseReference
    ) {
      throw new GraphQLError(
        `Only the ${this.agency}'s own MASH member may release ${this.agency} records, for a declared case.`,
        { extensions: { code: 'FORBIDDEN' } },
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
      (await this.dataSource
        .getRepository(FlaggedRecordDisclosure)
        .existsBy({ caseReference, recordId }));
    if (!disclosed) {
      throw new GraphQLError(
        "There is no flagged record of this case's subjects with that reference.",
        { extensions: { code: 'NOT_FOUND', argument: 'recordId' } },
      );
    }
    const releases = this.dataSource.getRepository(CustodianRelease);
    await releases.upsert(
      {
        caseReference,
        recordId,
        releasedBy: caller.userId,
        releasedAt: new Date(),
        reason: reason.trim(),
      },
      ['caseReference', 'recordId'],
    );
    return releases.findOneByOrFail({ caseReference, recordId });
  }
}

/** What an agency's context carries for custodian release. */
export interface CustodianReleaseContext {
  custodianReleases: CustodianReleases;
}

/**
 * The agency's release mutation (`releaseMutation(agency)`: `releaseHealthRecord`). A class per
 * agency: type-graphql keeps resolvers in global metadata, and each subgraph lists only its own.
 */
export function custodianReleaseResolver(agency: string) {
  @Resolver()
  class AgencyCustodianReleaseResolver {
    @Mutation(() => CustodianRelease, {
      name: releaseMutation(agency),
      nullable: true,
      description: `Release a flagged ${agency} record for the request's case (the ${agency}'s own MASH member only).`,
    })
    release(
      @Arg('recordId', () => ID) recordId: string,
      @Arg('reason', { description: 'Why sharing it for this case is now safe and necessary.' })
      reason: string,
      @Ctx() ctx: CustodianReleaseContext,
    ): Promise<CustodianRelease> {
      return ctx.custodianReleases.release(recordId, reason);
    }
  }
  return AgencyCustodianReleaseResolver;
}

/** A flaggable record as its agency stores (and seeds) it: no id yet, nothing the check adds. */
export type StoredRecord<T> = Omit<T, 'id' | 'updatedAt' | keyof ReleaseState>;

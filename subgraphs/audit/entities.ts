import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One request to the gateway, as information governance needs to see it. Field names follow FHIR
 * AuditEvent / IHE ATNA: who (agent), what (entity: case, subjects, fields), when (recorded),
 * why (purposeOfUse, basis) and the outcome. Append-only and hash-chained: each record carries the
 * hash of the one before it, so a change, deletion, insertion or reordering is detected.
 */
@Entity()
export class AuditRecord {
  @PrimaryColumn('uuid')
  id: string;

  /** 1, 2, 3…: the chain's order. */
  @Index({ unique: true })
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  sequence: number;

  @Index()
  @Column({ type: 'timestamptz' })
  recorded: Date;

  @Index()
  @Column({ type: 'varchar', nullable: true })
  agentUserId: string | null;

  @Column({ type: 'varchar', nullable: true })
  agentRole: string | null;

  @Column({ type: 'varchar', nullable: true })
  agentAgency: string | null;

  @Column({ type: 'varchar', nullable: true })
  client: string | null;

  @Column({ type: 'varchar', nullable: true })
  purposeOfUse: string | null;

  @Index()
  @Column({ type: 'varchar', nullable: true })
  caseReference: string | null;

  /** CONSENT, the recorded ground shared under, or NONE. */
  @Column({ type: 'varchar' })
  basis: string;

  @Column({ type: 'varchar', nullable: true })
  groundAuthorisedBy: string | null;

  /** Why the recorded ground was judged to apply, as whoever authorised it wrote it. */
  @Column({ type: 'text', nullable: true })
  groundReason: string | null;

  /**
   * The gateway's id for the request: every subgraph read made for it carries the same id. Null
   * only on records written before it was recorded.
   */
  @Index()
  @Column({ type: 'uuid', nullable: true })
  requestId: string | null;

  @Column({ type: 'varchar', nullable: true })
  operationName: string | null;

  /** The agencies (custodians) whose records the request asked for. */
  @Column({ type: 'varchar', array: true })
  custodians: string[];

  @Column({ type: 'varchar', array: true })
  subjectIds: string[];

  /** Type.field of every field the policies allowed. */
  @Column({ type: 'varchar', array: true })
  granted: string[];

  /**
   * Every field withheld, where and why: JSON of { path, code, rule, custodian, release, count,
   * internal }, one entry per path pattern (list positions as *) and reason, so an answer that
   * withholds a field of a thousand records is one entry with its count.
   */
  @Column({ type: 'jsonb' })
  denied: DeniedField[];

  /**
   * SUCCESS (all asked for was shared), PARTIAL (something withheld), DENIED (nothing shared),
   * REFUSED (the request itself was refused: no or bad token, bad input, malformed, too deep),
   * ERROR (the system failed to answer).
   */
  @Index()
  @Column({ type: 'varchar' })
  outcome: string;

  @Column({ type: 'int' })
  latencyMs: number;

  @Column({ type: 'varchar' })
  previousHash: string;

  @Column({ type: 'varchar' })
  hash: string;
}

@ObjectType({
  description: 'A field withheld from a request: where, and the rule that withheld it.',
})
export class DeniedField {
  @Field()
  path: string;

  @Field()
  code: string;

  @Field()
  rule: string;

  @Field(() => String, { nullable: true, description: 'The agency whose record it was.' })
  custodian: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'What would lawfully release it, and who can do that.',
  })
  release?: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'How many fields of the answer were withheld at this path (list positions shown as *). Absent on records written before it was counted.',
  })
  count?: number;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Withheld from an agency's matching (a field its check requires), not from the client, which did not ask for it.",
  })
  internal?: boolean;
}

@ObjectType({ description: 'One request, as the audit trail holds it.' })
export class AuditEntry {
  @Field(() => ID)
  id: string;
  @Field(() => Int)
  sequence: number;
  @Field()
  recorded: Date;
  @Field(() => String, { nullable: true })
  agentUserId: string | null;
  @Field(() => String, { nullable: true })
  agentRole: string | null;
  @Field(() => String, { nullable: true })
  agentAgency: string | null;
  @Field(() => String, { nullable: true })
  client: string | null;
  @Field(() => String, { nullable: true })
  purposeOfUse: string | null;
  @Field(() => String, { nullable: true })
  caseReference: string | null;
  @Field()
  basis: string;
  @Field(() => String, { nullable: true })
  groundAuthorisedBy: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Why the recorded ground applies, as whoever authorised it wrote it.',
  })
  groundReason: string | null;
  @Field(() => ID, {
    nullable: true,
    description:
      "The gateway's id for the request; each subgraph's read log names the same id. Null on records written before it was kept.",
  })
  requestId: string | null;
  @Field(() => [String])
  custodians: string[];
  @Field(() => [String])
  subjectIds: string[];
  @Field(() => [String])
  granted: string[];
  @Field(() => [DeniedField])
  denied: DeniedField[];
  @Field()
  outcome: string;
  @Field(() => Int)
  latencyMs: number;
}

@ObjectType()
export class AuditEntryPage {
  @Field(() => [AuditEntry])
  entries: AuditEntry[];

  @Field(() => String, {
    nullable: true,
    description: 'Pass as `after` for the next page; null on the last.',
  })
  nextCursor: string | null;
}

@ObjectType({ description: 'Whether the audit chain is whole, and where it first breaks.' })
export class ChainVerification {
  @Field()
  valid: boolean;

  @Field(() => Int)
  recordsChecked: number;

  @Field(() => ID, { nullable: true })
  firstBrokenRecordId: string | null;

  @Field(() => Int, { nullable: true })
  firstBrokenSequence: number | null;

  @Field(() => String, { nullable: true })
  problem: string | null;
}

@ObjectType()
export class CountBy {
  @Field()
  key: string;

  @Field(() => Int)
  count: number;
}

@ObjectType({
  description:
    'Who reached how many different subjects: a user reading many unrelated people stands out.',
})
export class UserReach {
  @Field()
  userId: string;

  @Field(() => Int)
  accesses: number;

  @Field(() => Int)
  distinctSubjects: number;

  @Field(() => Int)
  distinctCases: number;
}

@ObjectType({ description: 'Counts over a period, for information governance.' })
export class AuditSummary {
  @Field(() => Int)
  accesses: number;

  @Field(() => [CountBy])
  byOutcome: CountBy[];

  @Field(() => [CountBy], { description: 'Fields withheld, by the rule that withheld them.' })
  denialsByRule: CountBy[];

  @Field(() => [CountBy], {
    description: 'Requests by the basis they shared under (consent, a ground, none).',
  })
  byBasis: CountBy[];

  @Field(() => [UserReach], {
    description: 'The users who reached the most distinct subjects, most first.',
  })
  widestReach: UserReach[];
}

export enum AuditExportFormat {
  /** FHIR R4: a Bundle (type collection) of AuditEvent resources. */
  FHIR_BUNDLE = 'FHIR_BUNDLE',
  /** One JSON object per line, one line per record, for a SIEM. */
  JSON_LINES = 'JSON_LINES',
}
registerEnumType(AuditExportFormat, {
  name: 'AuditExportFormat',
  valuesConfig: {
    FHIR_BUNDLE: { description: 'FHIR R4: a Bundle (type collection) of AuditEvent resources.' },
    JSON_LINES: { description: 'One JSON object per line, one line per record, for a SIEM.' },
  },
});

@ObjectType({
  description:
    "A page of the audit trail in chain order, in a format for IG tools, with each record's sequence, previous hash and hash so the chain can be checked outside the system.",
})
export class AuditExportPage {
  @Field(() => AuditExportFormat)
  format: AuditExportFormat;

  @Field({
    description:
      "The page: a FHIR Bundle as JSON, or JSON lines. Pages join into one export: the Bundles' entries in order, or the lines one after another.",
  })
  content: string;

  @Field(() => Int)
  records: number;

  @Field(() => Int, { nullable: true })
  firstSequence: number | null;

  @Field(() => Int, { nullable: true })
  lastSequence: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Pass as `after` for the next page; null on the last.',
  })
  nextCursor: string | null;
}

import { createHash } from 'node:crypto';
import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  isAbstractType,
  isListType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
} from 'graphql';
import { collectFields, collectSubfields } from 'graphql/execution/collectFields';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values';
import { ConsentState, MAX_TIER, SharingBasis, SharingGround } from '../policies/consent';
import { ROLE_TIER_CAP } from '../policies/needToKnow';
import { PROTECTED_ADDRESS_POLICY } from '../policies/protectedAddress';
import { PURPOSE_NEEDS_STAGE } from '../policies/purposeStage';
import { Purpose, PURPOSES_BY_ROLE, Role } from '../policies/roles';
import { EARLIER_CASES_POLICY } from '../policies/permissions';
import { CHECK_SHAPE, custodianOf, FIELD_TIERS, Tier, TIER_NAMES } from '../policies/tiers';
import { withheldUntilReleased } from '../schema/custodianRelease';
import { AGENCIES } from '../subgraphs/agencies';
import type { SyntheticFamily } from '../synthetic/population';

/**
 * The oracle of the differential leak test: what the policy tables and the seeded data say a
 * request may see, computed from the tables (`policies/`) and from the hub's and agencies' own
 * records — never by calling the gateway's enforcement — and a walk of each response that finds
 * every value the oracle denies, whatever alias, fragment or directive brought it.
 *
 * It is sound rather than complete: where a fact cannot be known exactly (which incident a record
 * is when the client did not ask for its id) it assumes the stricter case. A request the gateway
 * refuses more than the policy asks is not a leak, so over-denial is counted, not failed.
 */

/** Who asks: the token's identity and the case reference their request declares. */
export interface OracleCaller {
  name: string;
  role: Role;
  agency: string | null;
  team: string | null;
  /** How this caller names the case in `x-mash-case` (a case system: its own reference). */
  declares: 'hub reference' | 'external reference';
}

/** A case as the hub records it, read from the hub's own database. */
export interface CaseFixture {
  id: string;
  reference: string;
  externalReference: string | null;
  /** Whose system the external reference belongs to (a case system of that agency may use it). */
  externalSystem: string | null;
  status: string;
  teams: string[];
  consent: ConsentState;
  grounds: SharingGround[];
  threshold: string | null;
  /** The subjects in the order the hub lists them (date of birth, then id). */
  subjects: SubjectFixture[];
}

export interface SubjectFixture {
  id: string;
  addressLine: string | null;
  postcode: string | null;
  /** Whether the subject is at an address protected in the seeded population. */
  atProtectedAddress: boolean;
  /** Per agency check field (`police`, …): whether its match needs a person to verify it. */
  unverified: Record<string, boolean>;
  /** Per agency check field: whether the agency found the subject when asked plainly. */
  found: Record<string, boolean>;
  /**
   * The records of a type its agency can flag listed for the subject (police incidents, health
   * contacts, …), each list in order, and whether each awaits its custodian's release.
   */
  records: FlaggableRecordFixture[];
  /** Every record the agencies' own stores flag (none is released in the leak test). */
  flaggedRecordIds: ReadonlySet<string>;
}

export interface FlaggableRecordFixture {
  typeName: string;
  recordId: string;
  awaitingRelease: boolean;
}

/**
 * The fields each agency withholds while a record of a type it flags awaits its member's release:
 * above the headline in its own tiers (`schema/custodianRelease.ts`), by GraphQL type.
 */
export const WITHHELD_UNTIL_RELEASED: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  AGENCIES.flatMap((agency) =>
    Object.entries(agency.policy.fieldTiers)
      .filter(([, fields]) => fields.awaitingRelease !== undefined)
      .map(([typeName, fields]): [string, ReadonlySet<string>] => [
        typeName,
        new Set(withheldUntilReleased(fields)),
      ]),
  ),
);

// --- The policy, from the tables.

/**
 * The levels of the continuum of need, written out here rather than taken from the workflow, so
 * the stage a purpose needs (`PURPOSE_NEEDS_STAGE`, the policy's table) is read independently.
 * The leak test's cases are never decided, so a decision's stage (`STAGE_OF_DECISION`) never applies.
 */
const THRESHOLD_LEVEL: Record<string, number> = {
  UNIVERSAL: 1,
  EARLY_HELP: 2,
  COMPLEX: 3,
  CHILD_PROTECTION: 4,
};

/** Consent, else the recorded ground that lets this purpose see the most, else none. */
export function oracleBasis(
  consent: ConsentState,
  grounds: SharingGround[],
  purpose: Purpose,
): SharingBasis {
  if (consent === ConsentState.GIVEN) return 'CONSENT';
  let best: SharingBasis = 'NONE';
  for (const ground of grounds) {
    if ((MAX_TIER[purpose][ground] ?? -1) > (MAX_TIER[purpose][best] ?? -1)) best = ground;
  }
  return best;
}

/** Why the oracle denies something: the class of rule, for the failure message. */
export type DenialClass =
  | 'wrong purpose'
  | 'purpose not justified by stage'
  | 'no legitimate relationship'
  | 'names another case'
  | 'no consent or ground'
  | 'tier beyond purpose and basis'
  | 'tier beyond role need to know'
  | 'no tier (deny by default)'
  | 'protected address'
  | 'unverified match: identity only'
  | 'awaiting custodian release'
  | 'ancestor withheld'
  | 'role may not read it';

export interface RequestFacts {
  caller: OracleCaller;
  purpose: Purpose;
  fixture: CaseFixture;
  basis: SharingBasis;
}

/** The request-level rules: role and purpose, the case's stage, the legitimate relationship. */
export function requestDenial(facts: RequestFacts): DenialClass | null {
  const { caller, purpose, fixture } = facts;
  if (!PURPOSES_BY_ROLE[caller.role].includes(purpose)) return 'wrong purpose';
  if (fixture.status !== 'OPEN') return 'no legitimate relationship';
  const assigned =
    caller.role === Role.CASE_SYSTEM
      ? caller.declares === 'external reference' &&
        fixture.externalReference !== null &&
        fixture.externalSystem === caller.agency
      : caller.declares === 'hub reference' &&
        caller.team !== null &&
        fixture.teams.includes(caller.team);
  if (!assigned) return 'no legitimate relationship';
  const needed = PURPOSE_NEEDS_STAGE[purpose];
  if (needed !== null && (THRESHOLD_LEVEL[fixture.threshold ?? ''] ?? 0) < THRESHOLD_LEVEL[needed])
    return 'purpose not justified by stage';
  return null;
}

/** The tier rules for one field: consent or ground, purpose × basis, the role's need to know. */
export function tierDenial(
  facts: RequestFacts,
  typeName: string,
  fieldName: string,
): DenialClass | null {
  const tier = FIELD_TIERS[typeName]?.fields[fieldName];
  if (tier === undefined) return 'no tier (deny by default)';
  if (
    typeName === 'Subject' &&
    fieldName === 'earlierMashCases' &&
    !(EARLIER_CASES_POLICY.read as readonly Role[]).includes(facts.caller.role)
  )
    return 'role may not read it';
  if (tier > Tier.IDENTITY && facts.basis === 'NONE') return 'no consent or ground';
  const max = MAX_TIER[facts.purpose][facts.basis];
  if (max === null || tier > max) return 'tier beyond purpose and basis';
  const custodian = custodianOf(typeName, fieldName);
  const own = custodian === null || custodian === 'mash' || custodian === facts.caller.agency;
  const cap = own
    ? ROLE_TIER_CAP[facts.caller.role].ownAgency
    : ROLE_TIER_CAP[facts.caller.role].otherAgencies;
  if (cap === null || tier > cap) return 'tier beyond role need to know';
  return null;
}

export function tierName(typeName: string, fieldName: string): string {
  const tier = FIELD_TIERS[typeName]?.fields[fieldName];
  return tier === undefined ? 'untiered' : TIER_NAMES[tier];
}

// --- Protected addresses, from the seeded population.

export interface ProtectedAddressIndex {
  /** Normalised address lines and their streets ("5 moss lane"), and postcodes ("NS94KN"). */
  lines: Set<string>;
  streets: Set<string>;
  postcodes: Set<string>;
  /** Truncations that narrow a protected postcode: its district ("NS9") and sector ("NS94"). */
  narrowings: Set<string>;
}

export const normaliseLine = (line: string) =>
  line
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
export const normalisePostcode = (postcode: string) =>
  postcode.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Every address of a person the seeded referrals mark `addressConfidential`, in every form. */
export function protectedAddresses(population: SyntheticFamily[]): ProtectedAddressIndex {
  const index: ProtectedAddressIndex = {
    lines: new Set(),
    streets: new Set(),
    postcodes: new Set(),
    narrowings: new Set(),
  };
  for (const family of population) {
    const confidential = family.referral?.subjects.filter((s) => s.addressConfidential) ?? [];
    if (confidential.length === 0) continue;
    const keys = new Set(confidential.map((s) => s.personKey));
    const addresses = [
      ...confidential.map((s) => ({ line: s.addressLine, postcode: s.postcode })),
      // Where the person really lives, however the referrer wrote it.
      ...family.members
        .filter((m) => keys.has(m.personKey))
        .map((m) => ({ line: m.addressLine, postcode: m.postcode })),
    ];
    for (const { line, postcode } of addresses) {
      if (line) {
        index.lines.add(normaliseLine(line));
        index.streets.add(normaliseLine(line.split(',')[0]));
      }
      if (postcode) {
        const normalised = normalisePostcode(postcode);
        index.postcodes.add(normalised);
        const outward = postcode.trim().toUpperCase().split(/\s+/)[0];
        index.narrowings.add(normalisePostcode(outward));
        index.narrowings.add(normalised.slice(0, -2)); // the sector: district + inward digit
      }
    }
  }
  return index;
}

export function isProtectedAddress(
  index: ProtectedAddressIndex,
  addressLine: string | null,
  postcode: string | null,
): boolean {
  return (
    (addressLine !== null && index.lines.has(normaliseLine(addressLine))) ||
    (postcode !== null && index.postcodes.has(normalisePostcode(postcode)))
  );
}

/** Where in a string a protected address (or its street, or its postcode) appears, if anywhere. */
export function protectedValueIn(index: ProtectedAddressIndex, text: string): string | null {
  const line = normaliseLine(text);
  const compact = normalisePostcode(text);
  for (const street of index.streets) if (street && line.includes(street)) return 'street';
  for (const postcode of index.postcodes) if (compact.includes(postcode)) return 'postcode';
  return null;
}

/** A value as a failure message may show it: its class, length and a hash, never the value. */
export function valueClass(value: unknown): string {
  if (Array.isArray(value)) return `list(${value.length})`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'string') {
    const hash = createHash('sha256').update(value).digest('hex').slice(0, 8);
    return `string(len ${value.length}, sha256 ${hash})`;
  }
  return typeof value;
}

// --- Walking a response with its operation, as execution collects fields.

/** One response key of one object: the field it answers and where. */
export interface ObservedField {
  path: (string | number)[];
  parentType: string;
  fieldName: string;
  value: unknown;
  /** Where the field stands: the subject and the agency check (and police incident) it is under. */
  subjectIndex: number | null;
  subjectId: string | null;
  checkField: string | null;
  /** Under a record of a type its agency can flag: its position in its list, and its reference. */
  recordIndex: number | null;
  recordId: string | null;
}

/**
 * Every response key of `data`, mapped back to its field by collecting the operation's fields for
 * each object's runtime type with the operation's coerced variables (defaults included): aliases,
 * fragments, inline fragments and `@skip`/`@include` resolve exactly as execution resolves them.
 * A key the operation did not ask for is reported with `fieldName` null.
 */
export function walkResponse(
  schema: GraphQLSchema,
  document: DocumentNode,
  rawVariables: Record<string, unknown>,
  data: Record<string, unknown>,
  visit: (field: ObservedField | { unrequestedKey: (string | number)[] }) => void,
): void {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
  // Variables that do not coerce fail the request before execution: no data to walk.
  if (coerced.errors) return;
  const variables = coerced.coerced;
  const queryType = schema.getQueryType()!;
  type Where = Omit<ObservedField, 'path' | 'parentType' | 'fieldName' | 'value'>;
  const nowhere: Where = {
    subjectIndex: null,
    subjectId: null,
    checkField: null,
    recordIndex: null,
    recordId: null,
  };

  const walkObject = (
    object: Record<string, unknown>,
    type: GraphQLObjectType,
    fields: Map<string, ReadonlyArray<FieldNode>>,
    path: (string | number)[],
    where: Where,
  ) => {
    for (const key of Object.keys(object)) {
      if (!fields.has(key)) visit({ unrequestedKey: [...path, key] });
    }
    // The subject's and incident's own ids, when asked, name them better than their position.
    const idOf = (name: string) => {
      for (const [key, nodes] of fields)
        if (nodes[0].name.value === name && typeof object[key] === 'string')
          return object[key] as string;
      return null;
    };
    const here: Where = { ...where };
    if (type.name === 'Subject') here.subjectId = idOf('id');
    if (WITHHELD_UNTIL_RELEASED.has(type.name)) here.recordId = idOf('recordId');
    for (const [key, nodes] of fields) {
      const fieldName = nodes[0].name.value;
      if (!(key in object)) continue;
      const value = object[key];
      const fieldPath = [...path, key];
      visit({ path: fieldPath, parentType: type.name, fieldName, value, ...here });
      if (fieldName === '__typename') continue;
      const definition = type.getFields()[fieldName];
      if (!definition) continue;
      walkValue(value, definition.type, nodes, fieldPath, {
        ...here,
        checkField: type.name === 'Subject' && fieldName !== 'id' ? fieldName : here.checkField,
      });
    }
  };

  const walkValue = (
    value: unknown,
    type: GraphQLOutputType,
    nodes: ReadonlyArray<FieldNode>,
    path: (string | number)[],
    where: Where,
  ) => {
    if (value === null || value === undefined) return;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      if (!Array.isArray(value)) return;
      value.forEach((item, i) => {
        const named = getNamedType(nullable);
        walkValue(item, nullable.ofType, nodes, [...path, i], {
          ...where,
          subjectIndex: named.name === 'Subject' ? i : where.subjectIndex,
          recordIndex: WITHHELD_UNTIL_RELEASED.has(named.name) ? i : where.recordIndex,
        });
      });
      return;
    }
    const named = getNamedType(nullable);
    if (typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    let runtime: GraphQLObjectType | null = isObjectType(named) ? named : null;
    if (isAbstractType(named) && typeof object.__typename === 'string') {
      const candidate = schema.getType(object.__typename);
      runtime = isObjectType(candidate) ? candidate : null;
    }
    if (!runtime) return;
    walkObject(
      object,
      runtime,
      collectSubfields(schema, fragments, variables, runtime, nodes),
      path,
      where,
    );
  };

  walkObject(
    data,
    queryType,
    collectFields(schema, fragments, variables, queryType, operation.selectionSet),
    [],
    nowhere,
  );
}

/** The arguments a root field was given, coerced as execution coerces them. */
export function rootArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  rawVariables: Record<string, unknown>,
): { key: string; fieldName: string; args: Record<string, unknown> }[] {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
  if (coerced.errors) return [];
  const queryType = schema.getQueryType()!;
  const fields = collectFields(
    schema,
    fragments,
    coerced.coerced,
    queryType,
    operation.selectionSet,
  );
  return [...fields].map(([key, nodes]) => {
    const definition = queryType.getFields()[nodes[0].name.value];
    let args: Record<string, unknown> = {};
    try {
      args = definition ? getArgumentValues(definition, nodes[0], coerced.coerced) : {};
    } catch {
      // An argument that does not coerce (an explicit null for a required one) names no case.
    }
    return { key, fieldName: nodes[0].name.value, args };
  });
}

// --- Judging one response.

/** The fields every agency check shares (the `AgencyCheck` interface): no records among them. */
const CHECK_SHAPE_FIELDS = new Set([
  '__typename',
  'agency',
  'status',
  'match',
  'checkedAt',
  'reason',
]);
/** Every agency's check type: the type its policy tiers with the shared check shape. */
const AGENCY_CHECK_TYPES = new Set(
  AGENCIES.flatMap((agency) =>
    Object.entries(agency.policy.fieldTiers)
      .filter(([, fields]) => Object.keys(CHECK_SHAPE).every((f) => f in fields))
      .map(([typeName]) => typeName),
  ),
);
/** What a withheld agency check may still say: which agency, that it is withheld, and why. */
const WITHHELD_CHECK_SAYS = new Set(['__typename', 'agency', 'reason']);

export interface Finding {
  /** The class of leak, e.g. "denied value returned"; grouped on in the report. */
  kind: string;
  /** `Type.field` (or the place in the body for a value found by scanning). */
  field: string;
  /** The rule that denies it, and the field where that denial begins (itself or an ancestor). */
  cause: DenialClass | '-';
  deniedAt: string;
  path: string;
  detail: string;
}

export interface Judgement {
  findings: Finding[];
  /** Non-null leaves the oracle allowed and the gateway returned. */
  allowedLeaves: number;
  /** Non-null leaves checked in all. */
  leaves: number;
  /** Fields the oracle allows that came back null with an error (stricter than the policy). */
  overDenied: number;
  /** Agency checks answered UNAVAILABLE (should be none: the test system is not under fault). */
  unavailableChecks: number;
}

export interface ResponseToJudge {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables: Record<string, unknown>;
  facts: RequestFacts;
  protectedIndex: ProtectedAddressIndex;
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: {
      message: string;
      path?: (string | number)[];
      extensions?: Record<string, unknown>;
    }[];
  };
}

export function judgeResponse(response: ResponseToJudge): Judgement {
  const { schema, document, variables, facts, protectedIndex, status, body } = response;
  const findings: Finding[] = [];
  const judgement: Judgement = {
    findings,
    allowedLeaves: 0,
    leaves: 0,
    overDenied: 0,
    unavailableChecks: 0,
  };
  if (status >= 500)
    findings.push({
      kind: 'server error (5xx)',
      field: '-',
      cause: '-',
      deniedAt: '-',
      path: '-',
      detail: `HTTP ${status}`,
    });

  // A protected address, by value, anywhere in the body: data, error messages, extensions.
  scanStrings(body, [], (text, where) => {
    const found = protectedValueIn(protectedIndex, text);
    if (found)
      findings.push({
        kind: `protected address by value (${found})`,
        field: '-',
        cause: 'protected address',
        deniedAt: '-',
        path: where.join('.'),
        detail: valueClass(text),
      });
  });

  const errorPaths = new Set(
    (body.errors ?? []).filter((e) => e.path).map((e) => JSON.stringify(e.path)),
  );
  const errorAtOrAbove = (path: (string | number)[]) => {
    for (let n = path.length; n >= 1; n--)
      if (errorPaths.has(JSON.stringify(path.slice(0, n)))) return true;
    return false;
  };
  // Past the gateway's bound on denial errors, one TOO_MANY_DENIALS error counts the rest: a
  // withheld field without its own error is then right only while the count covers it.
  const summarised = (body.errors ?? []).find((e) => e.extensions?.code === 'TOO_MANY_DENIALS');
  const summaryCount = Number(summarised?.extensions?.count ?? 0);
  const withoutOwnError: Finding[] = [];

  const roots = new Map(rootArguments(schema, document, variables).map((r) => [r.key, r]));
  const rootDenial = (key: string): DenialClass | null => {
    const denial = requestDenial(facts);
    if (denial) return denial;
    const root = roots.get(key);
    const named = root?.args.reference ?? root?.args.id;
    return named === facts.fixture.reference || named === facts.fixture.id
      ? null
      : 'names another case';
  };

  /** Decisions taken on the way down, by path, so a descendant knows its ancestors' fate. */
  const decided = new Map<
    string,
    { denial: DenialClass | null; deniedAt: string; checkWithheld: boolean }
  >();
  const nearestDecision = (path: (string | number)[]) => {
    for (let n = path.length - 1; n >= 1; n--) {
      const found = decided.get(JSON.stringify(path.slice(0, n)));
      if (found) return { ...found, depth: n };
    }
    return null;
  };

  if (!body.data) return judgement;
  walkResponse(schema, document, variables, body.data, (observed) => {
    if ('unrequestedKey' in observed) {
      findings.push({
        kind: 'key the operation did not ask for',
        field: '-',
        cause: '-',
        deniedAt: '-',
        path: observed.unrequestedKey.join('.'),
        detail: '',
      });
      return;
    }
    const { path, parentType, fieldName, value } = observed;
    const field = `${parentType}.${fieldName}`;
    const subject =
      observed.subjectIndex === null
        ? null
        : ((observed.subjectId
            ? facts.fixture.subjects.find((s) => s.id === observed.subjectId)
            : null) ??
          facts.fixture.subjects[observed.subjectIndex] ??
          null);

    const parent = nearestDecision(path);
    let own: DenialClass | null = null;
    if (parentType === 'Query') own = rootDenial(String(path[0]));
    else if (fieldName !== '__typename') {
      own =
        tierDenial(facts, parentType, fieldName) ??
        dataDenial(observed, subject, facts.caller.role);
    }
    const inherited = parent?.denial ? 'ancestor withheld' : null;
    // A descendant of a denied field is denied by the same rule, from the same place.
    const denial: DenialClass | null = parent?.denial ?? own;
    const deniedAt = parent?.denial ? parent.deniedAt : field;
    const isCheck =
      parentType === 'Subject' && AGENCY_CHECK_TYPES.has(typeNameOf(schema, parentType, fieldName));
    // No other field of a check has the value WITHHELD, so any key holding it is the status (and
    // it only relaxes the need for an error at each child's path).
    const checkStatus =
      isCheck && value !== null && typeof value === 'object'
        ? Object.values(value as Record<string, unknown>)
        : [];
    const checkWithheld = checkStatus.includes('WITHHELD');
    // An agency that did not answer says so and its records are null: nothing leaks, but every
    // agency of the test system is up, so an UNAVAILABLE is a wrong answer some shape caused.
    if (checkStatus.includes('UNAVAILABLE')) {
      judgement.unavailableChecks += 1;
      findings.push({
        kind: 'agency check UNAVAILABLE with every agency up',
        field,
        cause: '-',
        deniedAt: '-',
        path: path.join('.'),
        detail: field,
      });
    }
    // "None found" where the agency, asked plainly, found the subject: a wrong answer.
    if (
      isCheck &&
      checkStatus.includes('NONE_FOUND') &&
      subject?.found[fieldName] &&
      observed.checkField === fieldName
    )
      findings.push({
        kind: 'NONE_FOUND where the agency finds the subject',
        field,
        cause: '-',
        deniedAt: '-',
        path: path.join('.'),
        detail: field,
      });
    decided.set(JSON.stringify(path), {
      denial,
      deniedAt,
      checkWithheld:
        checkWithheld || checkStatus.includes('UNAVAILABLE') || (parent?.checkWithheld ?? false),
    });

    const leaf = value !== null && typeof value !== 'object';
    if (leaf || (Array.isArray(value) && value.length === 0)) judgement.leaves += 1;
    if (typeof value === 'string') checkNarrowing(protectedIndex, field, path, value, findings);

    if (denial === null) {
      if (leaf) judgement.allowedLeaves += 1;
      if (value === null && errorPaths.has(JSON.stringify(path))) judgement.overDenied += 1;
      return;
    }
    // A withheld agency check is answered as an object that says so: only these may be non-null.
    const withheldCheckChild =
      parent?.denial &&
      parent.depth === path.length - 1 &&
      parent.checkWithheld &&
      isCheckType(parentType);
    if (
      withheldCheckChild &&
      (WITHHELD_CHECK_SAYS.has(fieldName) || (fieldName === 'status' && value === 'WITHHELD'))
    )
      return;
    if (isCheck && !inherited && value !== null && typeof value === 'object') {
      // The check itself denied: an object is right only if it says WITHHELD or carries an error.
      if (!checkWithheld && !errorAtOrAbove(path))
        findings.push({
          kind: 'withheld check neither WITHHELD nor with an error',
          field,
          cause: denial,
          deniedAt,
          path: path.join('.'),
          detail: denial,
        });
      return;
    }
    if (value !== null) {
      if (Array.isArray(value) && value.length > 0) return; // its items are judged one by one
      if (typeof value === 'object' && !Array.isArray(value)) return; // judged by its leaves
      // Another field's value under this field's key (a response-key collision) is wrong data
      // rather than the denied value; it is still not what the oracle allows, so it fails.
      const collided =
        typeof value === 'string' && subject !== null && value === subject.id && fieldName !== 'id';
      findings.push({
        kind: collided
          ? "response key collision: the subject's id under a denied field's alias"
          : !inherited && Array.isArray(value)
            ? 'withheld reads as none ([])'
            : fieldName === 'status' && value === 'NONE_FOUND'
              ? 'withheld reads as none (NONE_FOUND)'
              : 'denied value returned',
        field,
        cause: denial,
        deniedAt,
        path: path.join('.'),
        detail: `${field} (tier ${tierName(parentType, fieldName)}) = ${valueClass(value)}`,
      });
      return;
    }
    if (inherited) return; // the ancestor's error or WITHHELD already says why
    const errorRequired =
      own === 'protected address'
        ? subject !== null &&
          (fieldName === 'addressLine' ? subject.addressLine : subject.postcode) !== null
        : own === 'unverified match: identity only'
          ? isListField(schema, parentType, fieldName)
          : true;
    if (errorRequired && !errorAtOrAbove(path) && !(parent?.checkWithheld ?? false))
      withoutOwnError.push({
        kind: 'denied without an error at its path',
        field,
        cause: denial,
        deniedAt,
        path: path.join('.'),
        detail: field,
      });
  });
  if (withoutOwnError.length > summaryCount) findings.push(...withoutOwnError);
  return judgement;
}

/** The data-level rules: protected addresses, unverified matches, records awaiting their custodian's release. */
function dataDenial(
  observed: ObservedField,
  subject: SubjectFixture | null,
  role: Role,
): DenialClass | null {
  const { parentType, fieldName } = observed;
  if (parentType === 'Subject' && (fieldName === 'addressLine' || fieldName === 'postcode')) {
    // An unknown subject could be anyone's household: sound is to treat it as protected.
    const mayLearn = PROTECTED_ADDRESS_POLICY.rolesAllowed.includes(role);
    if (!mayLearn && (!subject || subject.atProtectedAddress)) return 'protected address';
  }
  if (AGENCY_CHECK_TYPES.has(parentType) && !CHECK_SHAPE_FIELDS.has(fieldName)) {
    const check = observed.checkField;
    if (!subject || !check || subject.unverified[check] !== false)
      return 'unverified match: identity only';
  }
  if (WITHHELD_UNTIL_RELEASED.get(parentType)?.has(fieldName)) {
    if (!subject) return 'awaiting custodian release';
    // The record's own reference, when asked, says it from the agency's store; else its place in
    // its list as the baseline saw it; not known which record: awaiting if any of the type is.
    if (observed.recordId !== null) {
      if (subject.flaggedRecordIds.has(observed.recordId)) return 'awaiting custodian release';
    } else {
      const ofType = subject.records.filter((r) => r.typeName === parentType);
      const record = ofType[observed.recordIndex ?? -1];
      const awaiting = record ? record.awaitingRelease : ofType.some((r) => r.awaitingRelease);
      if (awaiting) return 'awaiting custodian release';
    }
  }
  return null;
}

function checkNarrowing(
  index: ProtectedAddressIndex,
  field: string,
  path: (string | number)[],
  value: string,
  findings: Finding[],
) {
  // A truncated postcode in an address field, or a protected district named in a match's differences.
  const narrows =
    field === 'Subject.postcode'
      ? index.narrowings.has(normalisePostcode(value))
      : field === 'IdentityMatch.differences' &&
        value
          .toUpperCase()
          .split(/[^A-Z0-9]+/)
          .some((token) => token.length >= 2 && /\d/.test(token) && index.narrowings.has(token));
  if (narrows)
    findings.push({
      kind: 'narrows a protected postcode',
      field,
      cause: 'protected address',
      deniedAt: field,
      path: path.join('.'),
      detail: valueClass(value),
    });
}

function typeNameOf(schema: GraphQLSchema, parentType: string, fieldName: string): string {
  const type = schema.getType(parentType);
  if (!isObjectType(type)) return '';
  const field = type.getFields()[fieldName];
  return field ? getNamedType(field.type).name : '';
}

function isListField(schema: GraphQLSchema, parentType: string, fieldName: string): boolean {
  const type = schema.getType(parentType);
  if (!isObjectType(type)) return false;
  const field = type.getFields()[fieldName];
  return field ? isListType(getNullableType(field.type)) : false;
}

function isCheckType(typeName: string): boolean {
  return AGENCY_CHECK_TYPES.has(typeName);
}

function scanStrings(
  value: unknown,
  path: (string | number)[],
  found: (text: string, where: (string | number)[]) => void,
) {
  if (typeof value === 'string') found(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => scanStrings(v, [...path, i], found));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) scanStrings(v, [...path, k], found);
}

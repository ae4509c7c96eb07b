import { Column, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { QueryRunner } from 'typeorm';
import {
  BLOCKING_RULES,
  BlockableIdentity,
  BlockingKeys,
  blockingKeysOf,
} from '../identity/blocking';
import type { Identity } from '../identity/matchIdentity';

/**
 * An agency's own index of the people it holds records on. Every agency has one (each in its own
 * database); the MASH's subject ids are never stored here. The agency check searches only the
 * blocking-key columns (identity/blocking.ts), one indexed `= ANY(...)` per rule, so a check never
 * scans the table and the candidates per subject stay flat as the agency grows.
 */
export abstract class AgencyPerson implements Identity, BlockingKeys {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  givenName: string;

  @Column()
  familyName: string;

  @Index()
  @Column({ type: 'date', nullable: true })
  dateOfBirth: string | null;

  @Column({ type: 'varchar', nullable: true })
  sex: string | null;

  @Index()
  @Column({ type: 'varchar', nullable: true })
  postcode: string | null;

  @Index()
  @Column({ type: 'varchar', nullable: true })
  nhsNumber: string | null;

  @Index()
  @Column({ type: 'varchar', nullable: true })
  nhsNumberKey: string | null;

  @Index()
  @Column({ type: 'varchar', nullable: true })
  birthFamilyKey: string | null;

  @Index()
  @Column({ type: 'varchar', nullable: true })
  birthGivenKey: string | null;

  @Index()
  @Column({ type: 'varchar', nullable: true })
  postcodeGivenKey: string | null;

  @Index()
  @Column({ type: 'varchar', nullable: true })
  yearNamesKey: string | null;

  @Index()
  @Column({ type: 'varchar', nullable: true })
  birthdayNamesKey: string | null;

  @Index()
  @Column({ type: 'varchar', nullable: true })
  namesKey: string | null;
}

/**
 * A person row with its blocking keys. Every place that writes person rows builds them with this
 * (the seeds bulk-insert, which skips entity listeners), so no row is ever unsearchable.
 */
export function withBlockingKeys<T extends BlockableIdentity>(identity: T): T & BlockingKeys {
  return { ...identity, ...blockingKeysOf(identity) };
}

/**
 * Fills the blocking keys of every existing row of an agency's person table, in pages by id (the
 * keys come from name sounds no SQL function computes). For the migration that adds the keys, and
 * for any later one that changes how they are computed.
 */
export async function backfillBlockingKeys(
  queryRunner: QueryRunner,
  table: string,
  pageSize = 1000,
): Promise<number> {
  let after = '00000000-0000-0000-0000-000000000000';
  let filled = 0;
  for (;;) {
    // The date as text: node-postgres would turn a DATE into a local-time Date.
    const rows: (BlockableIdentity & { id: string })[] = await queryRunner.query(
      `SELECT "id", "givenName", "familyName", to_char("dateOfBirth", 'YYYY-MM-DD') AS "dateOfBirth", "postcode", "nhsNumber"
       FROM "${table}" WHERE "id" > $1 ORDER BY "id" LIMIT ${pageSize}`,
      [after],
    );
    if (rows.length === 0) return filled;
    const values: (string | null)[] = [];
    const tuples = rows.map((row) => {
      const keys = blockingKeysOf(row);
      values.push(row.id, ...BLOCKING_RULES.map((rule) => keys[rule]));
      const base = values.length - BLOCKING_RULES.length - 1;
      const params = [`$${base + 1}::uuid`];
      for (let i = 0; i < BLOCKING_RULES.length; i++) params.push(`$${base + 2 + i}::varchar`);
      return `(${params.join(', ')})`;
    });
    await queryRunner.query(
      `UPDATE "${table}" AS p SET ${BLOCKING_RULES.map((rule) => `"${rule}" = k."${rule}"`).join(', ')}
       FROM (VALUES ${tuples.join(', ')}) AS k("id", ${BLOCKING_RULES.map((rule) => `"${rule}"`).join(', ')})
       WHERE p."id" = k."id"`,
      values,
    );
    filled += rows.length;
    after = rows[rows.length - 1].id;
  }
}

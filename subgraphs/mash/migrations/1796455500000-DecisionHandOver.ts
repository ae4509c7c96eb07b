import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hand-over after the decision: the receiving service and the actions per agency, and the
 * indexes by which a new referral finds a person's earlier cases (NHS number, date of birth).
 * Generated from the entities by TypeORM's schema builder (against the embedded PostgreSQL).
 */
export class DecisionHandOver1796455500000 implements MigrationInterface {
  name = 'DecisionHandOver1796455500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "decision" ADD "receivingService" character varying');
    await queryRunner.query(
      'ALTER TABLE "decision" ADD "agencyActions" jsonb NOT NULL DEFAULT \'[]\'',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_88047281971766322a3076acba" ON "subject"  ("dateOfBirth") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_8372eefa6f850ef834efc97c2b" ON "subject"  ("nhsNumber") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_8372eefa6f850ef834efc97c2b"');
    await queryRunner.query('DROP INDEX "public"."IDX_88047281971766322a3076acba"');
    await queryRunner.query('ALTER TABLE "decision" DROP COLUMN "agencyActions"');
    await queryRunner.query('ALTER TABLE "decision" DROP COLUMN "receivingService"');
  }
}

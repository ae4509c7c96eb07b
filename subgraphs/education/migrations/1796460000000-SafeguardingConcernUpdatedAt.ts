import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Written by hand, as `npm run db:generate-migration` would: when each event record was last written (the chronology's change feed). */
export class SafeguardingConcernUpdatedAt1796460000000 implements MigrationInterface {
  name = 'SafeguardingConcernUpdatedAt1796460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "school_safeguarding_concern" ADD "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "school_safeguarding_concern" DROP COLUMN "updatedAt"');
  }
}

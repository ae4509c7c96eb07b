import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Written by hand, as `npm run db:generate-migration` would: when each event record was last written (the chronology's change feed). */
export class EventUpdatedAt1796460000000 implements MigrationInterface {
  name = 'EventUpdatedAt1796460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "care_and_support_need" ADD "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()',
    );
    await queryRunner.query(
      'ALTER TABLE "safeguarding_adults_concern" ADD "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()',
    );
    await queryRunner.query(
      'ALTER TABLE "carer_record" ADD "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "carer_record" DROP COLUMN "updatedAt"');
    await queryRunner.query('ALTER TABLE "safeguarding_adults_concern" DROP COLUMN "updatedAt"');
    await queryRunner.query('ALTER TABLE "care_and_support_need" DROP COLUMN "updatedAt"');
  }
}

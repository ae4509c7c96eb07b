import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Written by hand, as `npm run db:generate-migration` would: when each event record was last written (the chronology's change feed). */
export class EventUpdatedAt1796460000000 implements MigrationInterface {
  name = 'EventUpdatedAt1796460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "probation_supervision" ADD "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()',
    );
    await queryRunner.query(
      'ALTER TABLE "probation_licence_condition" ADD "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "probation_licence_condition" DROP COLUMN "updatedAt"');
    await queryRunner.query('ALTER TABLE "probation_supervision" DROP COLUMN "updatedAt"');
  }
}

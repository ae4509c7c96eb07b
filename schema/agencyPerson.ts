import { Column, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Identity } from '../identity/matchIdentity';

/**
 * An agency's own index of the people it holds records on. Every agency has one (each in its own
 * database); the MASH's subject ids are never stored here. The indexed columns are the blocking keys
 * the agency check searches by, so a check never scans the table.
 */
export abstract class AgencyPerson implements Identity {
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
}

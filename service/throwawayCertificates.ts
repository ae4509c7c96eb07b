import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A CA made for this run and a certificate it signed for this machine (localhost, 127.0.0.1), in a
 * temporary folder: for trying TLS between the gateway and the subgraphs (`start:distributed --tls`,
 * the TLS test). Never for production, where the council's own CA issues them.
 */
export function throwawayCertificates(
  caName: string,
  days: number,
): {
  dir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mash-tls-'));
  const openssl = (...args: string[]) => {
    const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (result.error || result.status !== 0)
      throw new Error(`--tls needs the openssl CLI: openssl ${args[0]} failed.`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    String(days),
    '-subj',
    `/CN=${caName}`,
  );
  openssl(
    'req',
    ...ec,
    '-keyout',
    'subgraph.key',
    '-out',
    'subgraph.csr',
    '-subj',
    '/CN=localhost',
  );
  writeFileSync(path.join(dir, 'san.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'subgraph.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'subgraph.pem',
    '-days',
    String(days),
    '-extfile',
    'san.cnf',
  );
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    certFile: path.join(dir, 'subgraph.pem'),
    keyFile: path.join(dir, 'subgraph.key'),
  };
}

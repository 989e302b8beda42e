/**
 * A Consul served over https with a certificate from a private CA (what users of a TLS Consul
 * have): the CA file is read once, before anything is touched, and a server whose certificate
 * does not verify is refused with what to do, never used without verification.
 */
import { readFile } from 'node:fs/promises';
import { UserError, errorMessage } from '../errors.js';

/** The CA that signed the user's Consul servers' certificates: its file (for messages) and its PEM text. */
export interface ConsulTrust {
  caFile: string;
  ca: string;
}

/** Where the user can give the CA file; every message that asks for it names all three. */
export const CA_OPTION_HINT = '--consul-ca FILE (or DISCOVERY_TRAY_CONSUL_CA, or the setting consulCaFile)';

export async function readConsulCa(caFile: string): Promise<ConsulTrust> {
  let ca: string;
  try {
    ca = await readFile(caFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? errorMessage(error);
    throw new UserError(
      `The Consul CA file ${caFile} cannot be read (${code}): give the path of the PEM file of the CA ` +
        `that signed your Consul servers' certificates with ${CA_OPTION_HINT}, then start again; nothing was changed.`,
      'bad-consul-ca',
    );
  }
  if (!ca.includes('-----BEGIN CERTIFICATE-----'))
    throw new UserError(
      `The Consul CA file ${caFile} holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" line): ` +
        `give the CA certificate itself (not a key, not DER) with ${CA_OPTION_HINT}; nothing was changed.`,
      'bad-consul-ca',
    );
  return { caFile, ca };
}

/** Node's codes for a server certificate that did not verify (tls.checkServerIdentity and OpenSSL). */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function isCertificateProblem(code: string | undefined): boolean {
  return code !== undefined && CERTIFICATE_CODES.has(code);
}

/** What to do about a certificate that did not verify, by what went wrong. */
export function certificateAdvice(code: string, host: string, trust: ConsulTrust | undefined): string {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `its certificate does not name ${host}: give an address its certificate names (or a certificate with that name)`;
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return 'its certificate is outside its validity dates: renew it (or check the clock)';
  return trust
    ? `it was not signed by the CA in ${trust.caFile}: give the CA that signed your Consul servers' certificates with ${CA_OPTION_HINT}`
    : `it was signed by a CA this machine does not trust: give that CA (a PEM file) with ${CA_OPTION_HINT}`;
}

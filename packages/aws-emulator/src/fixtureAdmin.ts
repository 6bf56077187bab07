/**
 * The organization-administration part of an emulator fixture, for `contact-audit doctor`:
 * service control policies, CloudTrail trails, the root ID, and IAM denies that stand in for a
 * caller's missing permissions. Every field is optional; a fixture without them behaves as before
 * (no SCPs, no trails, every action allowed).
 *
 * ```json
 * "organization": { …, "rootId": "r-ab12" },
 * "policies": [{ "id": "p-abcd1234", "name": "lock-contacts", "type": "SERVICE_CONTROL_POLICY",
 *                "content": { "Version": "2012-10-17", "Statement": [ … ] }, "targets": ["r-ab12"] }],
 * "trails": [{ "name": "org-trail", "isOrganizationTrail": true, "s3BucketName": "trail-bucket" }],
 * "iamDenies": { "222222222222": ["organizations:ListAccounts"] }
 * ```
 */

/** A policy of the organization; `content` is the policy document (an object, or its JSON text). */
export interface FixturePolicy {
  id: string;
  name: string;
  type: string;
  description: string;
  /** The policy document as JSON text, as DescribePolicy returns it. */
  content: string;
  /** Root, OU or account IDs the policy is attached to. */
  targets: string[];
}

interface FixtureTrail {
  name: string;
  isOrganizationTrail: boolean;
  isMultiRegionTrail: boolean;
  homeRegion: string;
  s3BucketName: string;
  /** The account that owns the trail; default the management account. */
  ownerAccountId?: string;
}

export interface FixtureAdmin {
  rootId?: string;
  policies?: FixturePolicy[];
  trails?: FixtureTrail[];
  /** Caller account → IAM actions (`service:Operation`) its credentials are denied. */
  iamDenies?: Record<string, string[]>;
}

/** A bad administration field; the message names it. */
export class FixtureAdminError extends Error {
  override name = 'FixtureAdminError';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new FixtureAdminError(`${field}: expected a non-empty string`);
  return v;
}

function strings(v: unknown, field: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new FixtureAdminError(`${field}: expected an array of strings`);
  return v as string[];
}

/** The administration fields of an untyped fixture; throws FixtureAdminError naming the first bad field. */
export function parseFixtureAdmin(json: Record<string, unknown>): FixtureAdmin {
  const out: FixtureAdmin = {};
  const org = isRecord(json.organization) ? json.organization : {};
  if (org.rootId !== undefined) {
    const rootId = text(org.rootId, 'organization.rootId');
    if (!/^r-[0-9a-z]{4,32}$/.test(rootId)) throw new FixtureAdminError(`organization.rootId: expected "r-" and 4 to 32 letters or digits, got "${rootId}"`);
    out.rootId = rootId;
  }
  if (json.policies !== undefined) {
    if (!Array.isArray(json.policies)) throw new FixtureAdminError('policies: expected an array');
    out.policies = json.policies.map((p: unknown, i: number) => {
      const at = `policies[${i}]`;
      if (!isRecord(p)) throw new FixtureAdminError(`${at}: expected an object`);
      const content = typeof p.content === 'string' ? p.content : isRecord(p.content) ? JSON.stringify(p.content) : undefined;
      if (content === undefined) throw new FixtureAdminError(`${at}.content: expected a policy document (object or JSON text)`);
      return {
        id: text(p.id, `${at}.id`),
        name: text(p.name, `${at}.name`),
        type: p.type === undefined ? 'SERVICE_CONTROL_POLICY' : text(p.type, `${at}.type`),
        description: typeof p.description === 'string' ? p.description : '',
        content,
        targets: strings(p.targets, `${at}.targets`),
      };
    });
  }
  if (json.trails !== undefined) {
    if (!Array.isArray(json.trails)) throw new FixtureAdminError('trails: expected an array');
    out.trails = json.trails.map((t: unknown, i: number) => {
      const at = `trails[${i}]`;
      if (!isRecord(t)) throw new FixtureAdminError(`${at}: expected an object`);
      return {
        name: text(t.name, `${at}.name`),
        isOrganizationTrail: t.isOrganizationTrail === true,
        isMultiRegionTrail: t.isMultiRegionTrail !== false,
        homeRegion: typeof t.homeRegion === 'string' ? t.homeRegion : 'us-east-1',
        s3BucketName: typeof t.s3BucketName === 'string' ? t.s3BucketName : 'cloudtrail-logs',
        ...(typeof t.ownerAccountId === 'string' ? { ownerAccountId: t.ownerAccountId } : {}),
      };
    });
  }
  if (json.iamDenies !== undefined) {
    if (!isRecord(json.iamDenies)) throw new FixtureAdminError('iamDenies: expected an object of account ID → actions');
    out.iamDenies = {};
    for (const [account, actions] of Object.entries(json.iamDenies)) {
      if (!/^\d{12}$/.test(account)) throw new FixtureAdminError(`iamDenies.${account}: expected a 12-digit account ID`);
      out.iamDenies[account] = strings(actions, `iamDenies.${account}`);
    }
  }
  return out;
}

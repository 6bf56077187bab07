/**
 * Deterministic synthetic Resource Directories for the demo, tests and benchmarks: a few folders
 * (some nested), mostly compliant members of `example.com`, contacts bound at the directory, at
 * folders and at members, and every kind of finding docs/alibaba.md names planted among them.
 */
import { mulberry32 } from '../prng.ts';
import type { AlibabaContact, AlibabaFixture, AlibabaFolder, AlibabaMember } from './fixture.ts';

export interface AlibabaGenerateOptions {
  members: number;
  seed: number;
}

/** What the generator plants, in the order it hands them out. */
const ALIBABA_VIOLATION_KINDS = ['missing', 'verifying', 'gmail', 'bad-phone', 'phone-prefix', 'no-secure-phone', 'deleting-member'] as const;

const TEAMS = ['payments', 'search', 'identity', 'data', 'ml', 'web', 'mobile', 'logistics', 'platform', 'analytics'];

/** Builds a directory of `members` members (at least 2: the management account and a delegated admin). */
export function generateAlibabaDirectory(opts: AlibabaGenerateOptions): AlibabaFixture {
  const total = Math.max(2, Math.floor(opts.members));
  const rand = mulberry32(opts.seed);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const token = (n: number) => Array.from({ length: n }, () => 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'[int(56)]).join('');
  const phone = () => `86-139${String(int(100_000_000)).padStart(8, '0')}`;

  const rdId = `rd-${token(6)}`;
  const root = `r-${token(6)}`;
  const folders: AlibabaFolder[] = [];
  for (const name of ['prod', 'staging', 'sandbox']) folders.push({ id: `fd-${token(10)}`, name, parentId: root, failures: {} });
  for (const name of ['payments', 'data']) folders.push({ id: `fd-${token(10)}`, name, parentId: folders[0]!.id, failures: {} });

  const ids = new Set<string>();
  const newId = () => {
    for (;;) {
      const id = `1${String(int(1_000_000_000)).padStart(9, '0')}${String(int(1_000_000)).padStart(6, '0')}`;
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  };
  const contacts: AlibabaContact[] = [];
  const contact = (messageTypes: string[], members: string[], email: string, extra: Partial<AlibabaContact> = {}): void => {
    contacts.push({ id: `c-${token(12)}`, name: pick(['Li Juan', 'Wang Xiulan', 'Zhang Wei', 'Chen Jing']), title: 'Operations', emailAddress: email, phoneNumber: phone(), messageTypes, members, status: 'Active', ...extra });
  };
  // Directory-wide security contact; billing and faults per top-level folder.
  contact(['SecurityMessage'], [rdId], 'secops@example.com');
  for (const f of folders.filter((f) => f.parentId === root)) contact(['AccountExpenses', 'FaultMessage'], [f.id], `cloud-${f.name}@example.com`);

  const masterId = newId();
  const delegatedId = newId();
  const accounts: AlibabaMember[] = [];
  let planted = 0;
  for (let i = 0; i < total; i++) {
    const id = i === 0 ? masterId : i === 1 ? delegatedId : newId();
    const member: AlibabaMember = {
      id,
      displayName: i === 0 ? 'management' : i === 1 ? 'security-tooling' : `${pick(TEAMS)}-${String(i).padStart(4, '0')}`,
      type: i === 0 ? 'CloudAccount' : 'ResourceAccount',
      folderId: i === 0 ? root : pick(folders).id,
      status: 'CreateSuccess',
      deletionStatus: null,
      hasSecureMobilePhone: i === 0 ? null : true,
      emailStatus: '',
      failures: {},
    };
    if (i === 0) contact(['AccountExpenses', 'FaultMessage'], [id], 'finance@example.com');
    if (i >= 2 && rand() < 0.2) {
      const kind = ALIBABA_VIOLATION_KINDS[planted++ % ALIBABA_VIOLATION_KINDS.length]!;
      switch (kind) {
        case 'missing':
          // In the root folder no folder contact covers it: only the directory's security contact does.
          member.folderId = root;
          break;
        case 'verifying':
          contact(['FaultMessage'], [id], `ops-${i}@example.com`, { status: 'Verifying' });
          break;
        case 'gmail':
          contact(['AccountExpenses'], [id], `billing.${i}@gmail.com`);
          break;
        case 'bad-phone':
          contact(['FaultMessage'], [id], `ops-${i}@example.com`, { phoneNumber: '86 139 0000 1234 ext. 7' });
          break;
        case 'phone-prefix':
          contact(['FaultMessage'], [id], `ops-${i}@example.com`, { phoneNumber: '852-61234567' });
          break;
        case 'no-secure-phone':
          member.hasSecureMobilePhone = false;
          break;
        case 'deleting-member':
          member.deletionStatus = 'Deleting';
          break;
      }
    }
    accounts.push(member);
  }
  return {
    resourceDirectory: { id: rdId, rootFolderId: root, masterAccountId: masterId, delegatedAdminAccountIds: [delegatedId] },
    folders,
    accounts,
    contacts,
    accessKeys: [],
  };
}

/**
 * `contact-audit sweep --cloud alibaba`: the same audit for an Alibaba Cloud Resource Directory
 * (docs/alibaba.md). Members are the report's accounts and message types its contact types; the
 * report, its formats, where it is kept and the alerts are those of the AWS sweep.
 */
import { createClients, type AwsClients, type ClientSettings } from '../providers/aws/clients.ts';
import { Pacer } from '../calls/pacer.ts';
import type { AlibabaSettings } from '../config.ts';
import type { AccountResult, CoveringContact, MemberReads, MessageContact, RdMember, ReadResult, Report } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { buildReport } from '../report/build.ts';
import { newRunId } from '../report/runId.ts';
import { newCallStats, type CallStats, type RetryOptions } from '../providers/aws/caller.ts';
import { createAlibabaClients, type AlibabaClients } from '../providers/alibaba/client.ts';
import { ResourceDirectoryAdapter, type ResourceDirectory } from '../providers/alibaba/directory.ts';
import { alibabaErrorCode, alibabaErrorMessage } from '../providers/alibaba/errors.ts';
import { alibabaPolicy, type AlibabaPolicy } from '../policy/alibaba.ts';
import { evaluateMember, isMemberSkipped } from '../rules/messageContacts.ts';
import type { ReportDestination, SweepJobOutcome } from './job.ts';
import { keepSweep } from './job.ts';
import { AccountSelectionError, SetupError } from './sweep.ts';
import { utcDay } from '../time.ts';

export interface AlibabaSweepInput {
  policy: Policy;
  settings: AlibabaSettings;
  /** Tests inject their own; otherwise made from `settings`. */
  clients?: AlibabaClients;
  /** For `--out s3://…` and `--topic-arn`: reports and alerts stay on AWS S3 and SNS. */
  awsClientSettings?: ClientSettings;
  /** Tests inject their own S3 and SNS clients; otherwise made from `awsClientSettings`. */
  awsClients?: AwsClients;
  /** Runs the keeping of the reports as one step signals wait for (signals.ts). */
  critical?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Resource Directory calls per second. */
  ratePerSecond: number;
  concurrency: number;
  /** `--accounts` as given: member IDs separated by commas. */
  accounts?: string;
  out?: ReportDestination;
  topicArn?: string;
  onProgress?: (done: number, total: number) => void;
  retry?: RetryOptions;
  now?: () => Date;
}

const SETUP_HELP =
  'Run the sweep with an AccessKey of a RAM user or role of the Resource Directory management account (or of a delegated ' +
  'administrator) allowed resourcemanager:GetResourceDirectory, ListAccounts, GetAccount, ListAncestors and ListMessageContacts ' +
  '(docs/alibaba.md).';

/** Credentials Alibaba refused outright. */
const CREDENTIAL_CODES = ['InvalidAccessKeyId.NotFound', 'InvalidAccessKeyId.Inactive', 'SignatureDoesNotMatch', 'IncompleteSignature', 'InvalidSecurityToken.Expired'];
/** The directory is not there, or these credentials may not read it. */
const isDenied = (code: string): boolean =>
  code.startsWith('NoPermission') || code.startsWith('Forbidden') || code.startsWith('NotAuthorized') || code === 'EntityNotExists.ResourceDirectory' || code === 'ResourceDirectoryNotInUse';

async function setupStep<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = alibabaErrorCode(error);
    if (CREDENTIAL_CODES.includes(code)) {
      throw new SetupError(`Alibaba Cloud refused the credentials (${code}: ${alibabaErrorMessage(error)}). Check ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.`, { cause: error });
    }
    if (isDenied(code)) throw new SetupError(`${what} was refused (${code}: ${alibabaErrorMessage(error)}). ${SETUP_HELP}`, { cause: error });
    throw error;
  }
}

/** `--accounts` for Alibaba: member IDs (digits), each in the directory. */
export function selectMembers(members: RdMember[], raw: string | undefined): RdMember[] {
  if (raw === undefined) return members;
  const ids = raw.split(',').map((id) => id.trim()).filter((id) => id !== '');
  if (ids.length === 0 || ids.some((id) => !/^\d{1,32}$/.test(id))) {
    throw new AccountSelectionError(`--accounts: expected Alibaba Cloud account IDs (digits) separated by commas, got "${raw}"`);
  }
  const known = new Set(members.map((m) => m.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new AccountSelectionError(`--accounts: not in the resource directory: ${unknown.join(', ')}`);
  const wanted = new Set(ids);
  return members.filter((m) => wanted.has(m.id));
}

/** Reads and judges the members; folder and directory contacts are read once and shared by the members below them. */
class MemberChecker {
  private readonly bound = new Map<string, Promise<ReadResult<MessageContact[]>>>();
  private readonly ancestors = new Map<string, Promise<ReadResult<string[]>>>();

  constructor(
    private readonly adapter: ResourceDirectoryAdapter,
    private readonly rd: ResourceDirectory,
    private readonly policy: AlibabaPolicy,
    private readonly today: string,
  ) {}

  /** Contacts bound to one ID; shared IDs (folders, the directory) are read once per sweep. */
  contactsAt(id: string, shared: boolean): Promise<ReadResult<MessageContact[]>> {
    if (!shared) return this.adapter.listMessageContacts(id);
    let read = this.bound.get(id);
    if (read === undefined) {
      read = this.adapter.listMessageContacts(id);
      this.bound.set(id, read);
    }
    return read;
  }

  private ancestorsOf(folderId: string): Promise<ReadResult<string[]>> {
    let read = this.ancestors.get(folderId);
    if (read === undefined) {
      read = this.adapter.listAncestors(folderId);
      this.ancestors.set(folderId, read);
    }
    return read;
  }

  /** The IDs from the directory down to the member: ResourceDirectoryPath, else GetAccount's, else the folder's ancestors. */
  private async pathOf(member: RdMember, account: MemberReads['account']): Promise<ReadResult<string[]>> {
    const withDirectory = (path: string[]): string[] => (path[0] === this.rd.id ? path : [this.rd.id, ...path]);
    if (member.path) return { ok: true, value: withDirectory(member.path) };
    if (account?.ok && account.value.path) return { ok: true, value: withDirectory(account.value.path) };
    const folderId = member.folderId ?? (account?.ok ? account.value.folderId : undefined);
    if (folderId === undefined) return { ok: true, value: [this.rd.id, member.id] };
    if (folderId === this.rd.rootFolderId) return { ok: true, value: [this.rd.id, folderId, member.id] };
    const above = await this.ancestorsOf(folderId);
    if (!above.ok) return above;
    return { ok: true, value: withDirectory([...above.value.filter((id) => id !== folderId), folderId, member.id]) };
  }

  async check(member: RdMember): Promise<AccountResult> {
    if (isMemberSkipped(member)) return evaluateMember(member, [], { contacts: { ok: true, value: [] } }, this.policy, this.today);
    const needAccount = (this.policy.requireSecureMobilePhone && member.type === 'ResourceAccount') || member.path === undefined;
    const account = needAccount ? await this.adapter.getAccount(member.id) : undefined;
    const path = await this.pathOf(member, account);
    const reads: MemberReads = { contacts: path.ok ? await this.covering(member, path.value) : path, ...(account ? { account } : {}) };
    return evaluateMember(member, path.ok ? path.value : [], reads, this.policy, this.today);
  }

  /** Every contact bound along the path, once, with the nearest ID it is bound at; a failure if any read failed. */
  private async covering(member: RdMember, path: string[]): Promise<ReadResult<CoveringContact[]>> {
    const reads = await Promise.all(path.map((id) => this.contactsAt(id, id !== member.id)));
    const failed = reads.find((read): read is Extract<typeof read, { ok: false }> => !read.ok);
    if (failed) return failed;
    const byId = new Map<string, CoveringContact>();
    reads.forEach((read, index) => {
      if (!read.ok) return;
      for (const contact of read.value) {
        const depths = contact.members.map((id) => path.indexOf(id)).filter((depth) => depth >= 0);
        const depth = Math.max(index, ...depths);
        const seen = byId.get(contact.contactId);
        if (seen === undefined || path.indexOf(seen.boundAt) < depth) byId.set(contact.contactId, { contact, boundAt: path[depth]! });
      }
    });
    return { ok: true, value: [...byId.values()] };
  }
}

export interface AlibabaSweepOutcome {
  report: Report;
  stats: CallStats;
}

/** Discovers the directory, reads and judges every member, builds the §5 report. */
export async function runAlibabaSweep(input: AlibabaSweepInput): Promise<AlibabaSweepOutcome> {
  const now = input.now ?? (() => new Date());
  const started = now();
  const policy = alibabaPolicy(input.policy);
  const clients = input.clients ?? createAlibabaClients(input.settings);
  const stats = newCallStats();
  const rate = input.ratePerSecond;
  const pacer = new Pacer(rate, Math.max(1, Math.floor(rate * 1.5)));
  const adapter = new ResourceDirectoryAdapter(clients, { pacer, stats, ...(input.retry ? { retry: input.retry } : {}) });

  const callerAccountId = await setupStep('STS GetCallerIdentity', () => adapter.callerAccountId());
  const rd = await setupStep('GetResourceDirectory', () => adapter.getResourceDirectory());
  const all = await setupStep('ListAccounts', () => adapter.listAccounts());
  const members = selectMembers(all, input.accounts);
  const checker = new MemberChecker(adapter, rd, policy, utcDay(started));
  // One read the sweep needs anyway tells whether ListMessageContacts is allowed at all: if not,
  // stop with the missing permission rather than report every member UNKNOWN.
  const probe = await checker.contactsAt(rd.id, true);
  if (!probe.ok && isDenied(probe.errorCode)) {
    throw new SetupError(`ListMessageContacts was refused (${probe.errorCode}: ${probe.message}). ${SETUP_HELP}`);
  }

  const results = new Array<AccountResult>(members.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < members.length) {
      const index = next++;
      results[index] = await checker.check(members[index]!);
      input.onProgress?.(++done, members.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, input.concurrency), members.length) }, worker));

  const report = buildReport(
    {
      runId: newRunId(started, Math.floor(Math.random() * 0x1000000).toString(16).padStart(6, '0')),
      startedAt: started.toISOString(),
      finishedAt: now().toISOString(),
      organizationId: rd.id,
      managementAccountId: rd.masterAccountId,
      callerAccountId,
      // Message types stand in the report's contact-type list (§5 is shared by both clouds).
      policy: { ...input.policy, companyDomains: policy.companyDomains, requiredContactTypes: policy.requiredMessageTypes },
    },
    results,
  );
  return { report, stats };
}

/**
 * One Alibaba sweep as the CLI runs it: read the directory, keep the reports, send the alerts (as the AWS sweep does).
 * @throws ReportsNotKeptError (carrying the report) when only the keeping of the reports failed.
 */
export async function runAlibabaSweepJob(input: AlibabaSweepInput): Promise<SweepJobOutcome> {
  const { report, stats } = await runAlibabaSweep(input);
  // The AWS sweep's promises hold here too (README "Report formats", on latest/): `--accounts` never becomes latest/
  // nor the next diff's baseline, and a signal waits for the switch of latest/.
  return keepSweep({ report, stats }, {
    clients: () => input.awsClients ?? createClients(input.awsClientSettings),
    maxAlertsPerSweep: input.policy.maxAlertsPerSweep,
    partial: input.accounts !== undefined,
    ...(input.out ? { out: input.out } : {}),
    ...(input.topicArn ? { topicArn: input.topicArn } : {}),
    ...(input.critical ? { critical: input.critical } : {}),
  });
}

/**
 * The RPC clients of Alibaba Cloud: the official generic client `@alicloud/pop-core` (RPC style,
 * HMAC-SHA1 signature version 1.0, parameters in a form-encoded POST body, JSON replies). This
 * folder is the only place that talks to Alibaba Cloud; everything above it sees {@link RpcClient}.
 *
 * Why the generic client: the typed `@alicloud/resourcemanager20200331` has no message-contact
 * operations (ListMessageContacts is in ResourceDirectoryMaster 2022-04-19, which has no npm
 * package), and its GetAccount lacks HasSecureMobilePhone. pop-core takes any endpoint URL, which
 * is how the sweep reaches the local emulator.
 */
import RPCClient from '@alicloud/pop-core';
import { ConfigError, type AlibabaSettings } from '../../config.ts';

/** One RPC API of one version at one endpoint: `request('ListAccounts', { PageNumber: 1 })`. */
export interface RpcClient {
  request(action: string, params: Record<string, string | number | boolean>): Promise<unknown>;
}

/** The credentials are missing or half set: a configuration error (exit 2), so a {@link ConfigError}. */
class AlibabaCredentialsError extends ConfigError {}

export interface AlibabaClients {
  /** ResourceDirectoryMaster 2022-04-19: GetResourceDirectory, ListAccounts, GetAccount, ListAncestors, ListMessageContacts. */
  resourceDirectory: RpcClient;
  /** STS 2015-04-01: GetCallerIdentity, for the report's caller account. */
  sts: RpcClient;
}

const RESOURCE_DIRECTORY_VERSION = '2022-04-19';
const STS_VERSION = '2015-04-01';

/** Per call: a hung connection must not stall a sweep; retries are the adapter's. */
const TIMEOUT_MS = 20_000;

class PopCoreClient implements RpcClient {
  private readonly client: RPCClient;

  constructor(endpoint: string, apiVersion: string, settings: AlibabaSettings & { accessKeyId: string; accessKeySecret: string }) {
    this.client = new RPCClient({
      endpoint,
      apiVersion,
      accessKeyId: settings.accessKeyId,
      accessKeySecret: settings.accessKeySecret,
      ...(settings.securityToken ? { securityToken: settings.securityToken } : {}),
    });
  }

  request(action: string, params: Record<string, string | number | boolean>): Promise<unknown> {
    // POST keeps the signed parameters out of URLs (and so out of proxy logs).
    return this.client.request(action, params, { method: 'POST', timeout: TIMEOUT_MS, formatParams: false });
  }
}

/**
 * The clients for `settings` (from src/config.ts: ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET and the
 * endpoint overrides).
 * @throws AlibabaCredentialsError when the access key ID or secret is missing.
 */
export function createAlibabaClients(settings: AlibabaSettings): AlibabaClients {
  const { accessKeyId, accessKeySecret } = settings;
  if (!accessKeyId || !accessKeySecret) {
    throw new AlibabaCredentialsError(
      'Alibaba Cloud credentials are missing: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (docs/alibaba.md)',
    );
  }
  const credentials = { ...settings, accessKeyId, accessKeySecret };
  return {
    resourceDirectory: new PopCoreClient(settings.resourceDirectoryEndpoint, RESOURCE_DIRECTORY_VERSION, credentials),
    sts: new PopCoreClient(settings.stsEndpoint, STS_VERSION, credentials),
  };
}

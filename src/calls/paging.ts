/**
 * A listing that would never end, stopped at once: a service that serves a page token again, or a
 * page whose items an earlier page already listed, would repeat itself until a page bound (ten
 * thousand Alibaba pages, none for an AWS NextToken) ran out. Shared by the AWS Organizations
 * listings and Alibaba's Resource Directory ones.
 */
import { UnexpectedResponseError } from '../errors.ts';

export class RepeatedPageGuard {
  private readonly tokens = new Set<string>();
  private readonly items = new Set<string>();
  private page = 0;

  /** @param operation named in the error, e.g. `ListAccounts`. */
  constructor(private readonly operation: string) {}

  /**
   * One page as it came: the keys of its items (their IDs) and the token for the next page.
   * @throws UnexpectedResponseError naming the operation and what came again.
   */
  check(itemKeys: readonly string[], nextToken?: string): void {
    this.page++;
    const again =
      itemKeys.length > 0 && itemKeys.every((key) => this.items.has(key))
        ? 'the items of an earlier page'
        : nextToken !== undefined && this.tokens.has(nextToken)
          ? `the page token of an earlier page (${JSON.stringify(nextToken.slice(0, 40))})`
          : undefined;
    if (again) throw new UnexpectedResponseError(`${this.operation} served ${again} again on page ${this.page}: the listing would never end, so it was stopped`);
    for (const key of itemKeys) this.items.add(key);
    if (nextToken !== undefined) this.tokens.add(nextToken);
  }
}

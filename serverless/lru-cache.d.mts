/** The types of lru-cache.mjs: the part of mnemonist's LRUCache the AWS SDK's endpoint cache calls. */
export default class LRUCache<K = unknown, V = unknown> {
  constructor(capacity: number);
  readonly size: number;
  has(key: K): boolean;
  peek(key: K): V | undefined;
  get(key: K): V | undefined;
  set(key: K, value: V): this;
  clear(): void;
}

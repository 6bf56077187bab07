/**
 * The LRU cache the AWS SDK's endpoint cache (`@aws-sdk/endpoint-cache`, DynamoDB's endpoint
 * discovery) imports from `mnemonist/lru-cache`, in the few lines of it that the SDK calls:
 * `new LRUCache(capacity)`, `get` (which makes the entry the most recent), `peek` (which does not),
 * `set`, `has` and `clear`. mnemonist with its obliterator helper is 7 KB of a real-time bundle that
 * must stay under 600 KB (serverless/esbuild.config.cjs aliases it here; test/stack/lruCache.test.ts).
 */
export default class LRUCache {
  constructor(capacity) {
    if (!(capacity > 0)) throw new Error('LRUCache: capacity should be a positive number.');
    this.capacity = capacity;
    this.items = new Map();
  }

  get size() {
    return this.items.size;
  }

  has(key) {
    return this.items.has(key);
  }

  peek(key) {
    return this.items.get(key);
  }

  get(key) {
    if (!this.items.has(key)) return undefined;
    const value = this.items.get(key);
    this.items.delete(key);
    this.items.set(key, value);
    return value;
  }

  set(key, value) {
    this.items.delete(key);
    this.items.set(key, value);
    if (this.items.size > this.capacity) this.items.delete(this.items.keys().next().value);
    return this;
  }

  clear() {
    this.items.clear();
  }
}

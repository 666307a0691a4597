// The string tables of a trace's columns, shards and tallies: each distinct
// value gets the next id, in order of first appearance, and keeps it.

export class InternTable<T> {
  private readonly ids = new Map<string, number>();

  /**
   * @param values where the values go (entries already there, such as a
   *   placeholder at id 0, keep their ids and are never looked up)
   * @param max the highest id the columns can hold (a Uint16Array's 0xffff)
   * @param what the values' name, for the error past `max`
   */
  constructor(
    readonly values: T[] = [],
    private readonly max = Number.MAX_SAFE_INTEGER,
    private readonly what = 'values',
  ) {}

  /** The id of the value known by `key` (`value` stored when it is new). */
  id(key: string, value: T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      if (id > this.max) throw new Error(`more than ${this.max + 1} distinct ${this.what}`);
      this.values.push(value);
      this.ids.set(key, id);
    }
    return id;
  }

  get size(): number {
    return this.values.length;
  }
}

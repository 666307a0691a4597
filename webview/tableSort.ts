// A table sorted by a click on a column header, as the statistics and Diff
// tabs are: which column sorts it and which way, and the header row.
import { h } from './dom';

export interface SortColumn<K extends string> {
  key: K;
  label: string;
  /** Right-aligned, and largest first when first sorted by; text goes A to Z. */
  numeric: boolean;
  title: string;
  /** Sorts as the other column of its key, which alone shows the arrow. */
  twin?: boolean;
}

export class TableSort<K extends string> {
  constructor(
    public key: K,
    public descending: boolean,
  ) {}

  /** Sorts by `col`: the other way round when the table is sorted by it already. */
  by(col: SortColumn<K>): void {
    if (this.key === col.key) this.descending = !this.descending;
    else {
      this.key = col.key;
      this.descending = col.numeric;
    }
  }

  /** The header row: a sort button per column; `changed` is called after a click sorted anew. */
  headerRow(columns: Array<SortColumn<K>>, changed: () => void): HTMLTableRowElement {
    return h(
      'tr',
      {},
      ...columns.map((col) => {
        const active = this.key === col.key && !col.twin;
        const button = h('button', { class: 'sort', title: `${col.title} — sort` }, col.label, active ? (this.descending ? ' ▼' : ' ▲') : '');
        button.addEventListener('click', () => {
          this.by(col);
          changed();
        });
        return h('th', { scope: 'col', class: col.numeric ? 'num' : '', 'aria-sort': active ? (this.descending ? 'descending' : 'ascending') : undefined }, button);
      }),
    );
  }
}

/**
 * The state behind an autocomplete field (the principal search, the who-can action input): debounced lookups in
 * which the newest keystroke wins, a list that opens only while the field has focus, and the listbox keys (arrows
 * move, Enter picks, Escape closes the list first so a second Escape reaches the app).
 */
import { describeFailure } from './api/client.ts';
import { isApiError } from './api/documents.ts';
import type { ApiErrorResult } from './api/results.ts';

export interface CompletionOptions<T> {
  lookup: (text: string) => Promise<{ __typename: string; items: T[]; totalCount: number } | ApiErrorResult>;
  delayMs: number;
  /** Shown when nothing matches. */
  none: string;
  /** Highlight the first hit when the list opens (Enter picks it), rather than wait for an arrow key. */
  activateFirst: boolean;
  /** Enter with no hit to pick closes the list (the field's form submits as usual). */
  enterCloses: boolean;
  onpick: (hit: T) => void;
}

export class Completion<T> {
  hits = $state<T[]>([]);
  total = $state(0);
  active = $state(-1);
  open = $state(false);
  message = $state<string | null>(null);

  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;
  // An answer that arrives after the user left the field must not pop the list open over the next one.
  private focused = false;

  constructor(private readonly options: CompletionOptions<T>) {}

  lookup(text: string): void {
    clearTimeout(this.timer);
    if (!text.trim()) {
      this.hits = [];
      this.open = false;
      return;
    }
    this.timer = setTimeout(async () => {
      const mine = ++this.seq;
      try {
        const page = await this.options.lookup(text.trim());
        if (mine !== this.seq) return; // a newer keystroke won
        if (isApiError(page)) {
          this.hits = [];
          this.message = page.message;
        } else {
          this.hits = page.items;
          this.total = page.totalCount;
          this.message = this.hits.length ? null : this.options.none;
        }
      } catch (error) {
        if (mine !== this.seq) return;
        this.hits = [];
        this.message = describeFailure(error);
      }
      this.active = this.options.activateFirst && this.hits.length ? 0 : -1;
      this.open = this.focused;
    }, this.options.delayMs);
  }

  pick(hit: T): void {
    this.open = false;
    this.options.onpick(hit);
  }

  keydown = (e: KeyboardEvent): void => {
    const hits = this.hits;
    if (e.key === 'ArrowDown' && hits.length) {
      this.active = (this.active + 1) % hits.length;
      this.open = true;
      e.preventDefault();
    } else if (e.key === 'ArrowUp' && hits.length) {
      this.active = (this.active - 1 + hits.length) % hits.length;
      e.preventDefault();
    } else if (e.key === 'Enter' && this.open && hits[this.active]) {
      this.pick(hits[this.active]!);
      e.preventDefault();
    } else if (e.key === 'Escape' && this.open) {
      this.open = false;
      e.preventDefault();
    } else if (e.key === 'Enter' && this.options.enterCloses) {
      this.open = false;
    }
  };

  focus = (): void => {
    this.focused = true;
  };

  blur = (): void => {
    this.focused = false;
    setTimeout(() => (this.open = false), 150);
  };
}

import type { Token } from "./tokenizer.js";
import type { AnyCommandDef } from "./define.js";

/** All commands, looked up by their path words. Duplicate paths are a programming error. */
export class Registry {
  private readonly byPath = new Map<string, AnyCommandDef>();

  constructor(defs: Iterable<AnyCommandDef> = []) {
    for (const d of defs) this.add(d);
  }

  add(def: AnyCommandDef): void {
    const key = def.path.join(" ");
    if (def.path.length === 0 || def.path.some((w) => !/^[a-z][a-z-]*$/.test(w))) {
      throw new Error(`Command path "${key}" must be lower-case words`);
    }
    if (this.byPath.has(key)) throw new Error(`Duplicate command path "${key}"`);
    this.byPath.set(key, def);
  }

  all(): AnyCommandDef[] {
    return [...this.byPath.values()];
  }

  /** Top-level words (`case`, `task`, …): each is one Slack slash command. */
  roots(): string[] {
    return [...new Set(this.all().map((d) => d.path[0]!))].sort();
  }

  /** Commands under a root word. */
  under(root: string): AnyCommandDef[] {
    return this.all().filter((d) => d.path[0] === root);
  }

  /**
   * The command whose path is the longest prefix of the leading bare words,
   * with the tokens that remain as its arguments.
   */
  match(tokens: readonly Token[]): { def: AnyCommandDef; rest: Token[] } | null {
    const words: string[] = [];
    for (const t of tokens) {
      if (t.kind !== "word") break;
      words.push(t.value.toLowerCase());
    }
    for (let n = words.length; n > 0; n--) {
      const def = this.byPath.get(words.slice(0, n).join(" "));
      if (def) return { def, rest: tokens.slice(n) };
    }
    return null;
  }
}

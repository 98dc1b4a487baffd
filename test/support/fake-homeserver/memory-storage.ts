import type { IFilterInfo, IStorageProvider } from "../../../src/adapters/matrix/sdk.js";

/** An in-memory IStorageProvider for tests that need a client but no database. */
export class MemoryStorage implements IStorageProvider {
  private readonly values = new Map<string, string>();
  setSyncToken(token: string | null): void {
    if (token === null) this.values.delete("token");
    else this.values.set("token", token);
  }
  getSyncToken(): string | null {
    return this.values.get("token") ?? null;
  }
  setFilter(filter: IFilterInfo): void {
    this.values.set("filter", JSON.stringify(filter));
  }
  getFilter(): IFilterInfo {
    return JSON.parse(this.values.get("filter") ?? "null") as IFilterInfo;
  }
  storeValue(key: string, value: string): void {
    this.values.set(`kv:${key}`, value);
  }
  readValue(key: string): string | null {
    return this.values.get(`kv:${key}`) ?? null;
  }
}

import { keyStatus, rotateKeys } from "../modules/dataprotection/key-rotation.js";
import { AdminError, columns, parse, positiveInt, type AdminCommand } from "./context.js";

/** `keys rotate` and `keys status`. */

export const keysRotate: AdminCommand = {
  usage: "keys rotate [--batch N]",
  help: "re-encrypt every ciphertext with ROUNDTABLE_SECRET's key, in batches (resumable)",
  async run(ctx, argv) {
    const { values, positionals } = parse(argv, { batch: { type: "string" } });
    if (positionals.length) throw new AdminError(`Unexpected "${positionals.join(" ")}"`);
    const batchSize = positiveInt(values.batch, "batch") ?? 200;
    const keyring = ctx.deps.keyring;
    ctx.out(`Re-encrypting with key ${keyring.currentKeyId}, ${batchSize} rows per batch. Safe to stop and run again: it resumes.`);
    const r = await rotateKeys(ctx.db, keyring, {
      batchSize,
      actor: ctx.actor,
      onBatch: (column, done) => ctx.err(`  ${column}: ${done} re-encrypted`),
    });
    for (const [column, n] of Object.entries(r.byColumn)) ctx.out(`  ${column}: ${n}`);
    ctx.out(`Re-encrypted ${r.reencrypted} ciphertext(s) with key ${r.keyId}.`);
    if (r.unreadable) ctx.out(`${r.unreadable} ciphertext(s) are under a key that is not configured and were left as they are: see keys status.`);
    const status = await keyStatus(ctx.db, keyring, ctx.knownKeyIds);
    const left = status.filter((k) => !k.current && k.ciphertexts > 0);
    ctx.out(
      left.length
        ? `Still on older keys: ${left.map((k) => `${k.keyId} (${k.ciphertexts})`).join(", ")}. Run keys rotate again once no command is writing with an old key.`
        : "Everything is on the current key: older secrets can now be removed from ROUNDTABLE_PREVIOUS_SECRETS.",
    );
    return { chain: 0, object: `key ${r.keyId}`, detail: { reencrypted: r.reencrypted, unreadable: r.unreadable, leftOnOldKeys: left.length } };
  },
};

export const keysStatus: AdminCommand = {
  usage: "keys status",
  help: "how many ciphertexts each key id holds",
  async run(ctx, argv) {
    const { positionals } = parse(argv, {});
    if (positionals.length) throw new AdminError("keys status takes no arguments");
    const status = await keyStatus(ctx.db, ctx.deps.keyring, ctx.knownKeyIds);
    const rows = status.map((k) => [k.keyId, String(k.ciphertexts), k.current ? "current (ROUNDTABLE_SECRET)" : k.known ? "previous (ROUNDTABLE_PREVIOUS_SECRETS)" : "NOT CONFIGURED"]);
    for (const l of columns(["key id", "ciphertexts", "key"], rows)) ctx.out(l);
    const missing = status.filter((k) => !k.known && k.ciphertexts > 0);
    const old = status.filter((k) => !k.current && k.known && k.ciphertexts > 0);
    const unused = ctx.knownKeyIds.filter((id) => id !== ctx.deps.keyring.currentKeyId && !status.some((k) => k.keyId === id && k.ciphertexts > 0));
    if (missing.length) ctx.out(`Data under ${missing.map((k) => k.keyId).join(", ")} cannot be read: put that secret back in ROUNDTABLE_PREVIOUS_SECRETS.`);
    if (old.length) ctx.out("Some data is still on older keys: run keys rotate.");
    if (unused.length) ctx.out(`No data uses ${unused.join(", ")} any more: that secret can be removed from ROUNDTABLE_PREVIOUS_SECRETS.`);
    return { chain: 0, detail: { keys: status.length, unreadableKeys: missing.length }, exitCode: missing.length ? 1 : 0 };
  },
};

/** A few Prometheus counters, without a dependency: commands by outcome and process uptime. */
export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly started = Date.now();

  inc(name: string, labels: Record<string, string> = {}, by = 1): void {
    const key = `${name}${formatLabels(labels)}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  render(): string {
    const lines = [
      "# TYPE roundtable_uptime_seconds gauge",
      `roundtable_uptime_seconds ${((Date.now() - this.started) / 1000).toFixed(0)}`,
      "# TYPE roundtable_commands_total counter",
    ];
    for (const [k, v] of [...this.counters].sort()) lines.push(`${k} ${v}`);
    return lines.join("\n") + "\n";
  }
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, "_")}"`).join(",")}}`;
}

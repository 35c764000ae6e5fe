// Prometheus metrics in the text exposition format: counters and histograms with labels, no dependency.

type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const keys = Object.keys(labels);
  if (!keys.length) return "";
  return `{${keys.map((k) => `${k}="${labels[k]!.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`).join(",")}}`;
}

/** Label sets per metric are bounded: beyond this, new combinations are folded into one "other". */
const MAX_SERIES = 500;

abstract class Metric {
  readonly name: string;
  readonly help: string;
  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }
  abstract render(): string;
}

class Counter extends Metric {
  readonly #values = new Map<string, number>();
  inc(labels: Labels = {}, by = 1): void {
    let key = labelText(labels);
    if (!this.#values.has(key) && this.#values.size >= MAX_SERIES) key = labelText({ other: "true" });
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.#values.get(labelText(labels)) ?? 0;
  }
  override render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [labels, v] of this.#values) lines.push(`${this.name}${labels} ${v}`);
    return lines.join("\n");
  }
}

class Gauge extends Metric {
  readonly #value: () => number;
  constructor(name: string, help: string, value: () => number) {
    super(name, help);
    this.#value = value;
  }
  override render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${this.#value()}`].join("\n");
  }
}

/** Seconds. */
const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

class Histogram extends Metric {
  readonly #series = new Map<string, { counts: number[]; sum: number; count: number; labels: Labels }>();
  observe(seconds: number, labels: Labels = {}): void {
    let key = labelText(labels);
    if (!this.#series.has(key) && this.#series.size >= MAX_SERIES) {
      labels = { other: "true" };
      key = labelText(labels);
    }
    let s = this.#series.get(key);
    if (!s) {
      s = { counts: BUCKETS.map(() => 0), sum: 0, count: 0, labels };
      this.#series.set(key, s);
    }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) s.counts[i]!++;
    s.sum += seconds;
    s.count++;
  }
  count(labels: Labels = {}): number {
    return this.#series.get(labelText(labels))?.count ?? 0;
  }
  override render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.#series.values()) {
      for (let i = 0; i < BUCKETS.length; i++) lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(BUCKETS[i]) })} ${s.counts[i]}`);
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: "+Inf" })} ${s.count}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`);
      lines.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return lines.join("\n");
  }
}

/** What a replica counts. */
export class ServiceMetrics {
  readonly requests = new Counter("bouncer_requests_total", "HTTP requests answered, by route group and status code");
  readonly verdicts = new Counter("bouncer_verdicts_total", "Decisions logged, by verdict and door");
  readonly findings = new Counter("bouncer_findings_total", "Findings on logged decisions, by finding code");
  readonly waiversUsed = new Counter("bouncer_waivers_used_total", "Decisions a waiver let through");
  readonly cacheLookups = new Counter("bouncer_observation_cache_lookups_total", "Observation cache lookups, by result (hit or miss)");
  readonly upstreamSeconds = new Histogram("bouncer_upstream_request_seconds", "Upstream registry requests (to response headers), by outcome");
  readonly storeSeconds = new Histogram("bouncer_store_operation_seconds", "Store operations, by operation and outcome");
  readonly requestSeconds = new Histogram("bouncer_request_seconds", "Time to answer an HTTP request (to response headers), by route group");
  readonly #gauges: Gauge[] = [];

  gauge(name: string, help: string, value: () => number): void {
    this.#gauges.push(new Gauge(name, help, value));
  }

  render(): string {
    const all = [this.requests, this.verdicts, this.findings, this.waiversUsed, this.cacheLookups, this.upstreamSeconds, this.storeSeconds, this.requestSeconds, ...this.#gauges];
    return `${all.map((m) => m.render()).join("\n")}\n`;
  }
}

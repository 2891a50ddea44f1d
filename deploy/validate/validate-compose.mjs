// Checks the rendered compose file (docker-compose config, with placeholder secrets) against the deployment rules:
// only the gateway is published, by default on 127.0.0.1; Kafka, PostgreSQL and the internal services publish
// nothing; services run with memory limits and health checks, the services' on their management port, which is
// never published. Prints the images the file builds or names, one a line, for validate-k8s.mjs's image check.
// Usage: docker-compose -f docker-compose.yml [-f ...] config | node validate-compose.mjs <label>
import { parse } from "yaml";
import { readFileSync } from "node:fs";

const label = process.argv[2] ?? "compose";
const MANAGEMENT_PORT = 9000; // the images' QUARKUS_MANAGEMENT_PORT
const file = parse(readFileSync(0, "utf8"));
const problems = [];
for (const [name, s] of Object.entries(file.services ?? {})) {
  const ports = (s.ports ?? []).map((p) => (typeof p === "string" ? p : `${p.host_ip ?? ""}:${p.published}:${p.target}`));
  if (name !== "gateway" && ports.length) problems.push(`${name}: publishes ${ports.join(", ")} (only the gateway may)`);
  if (name === "gateway") {
    if (ports.length !== 1) problems.push(`gateway: expected exactly one published port, got ${ports.length}`);
    for (const p of ports) if (!p.startsWith("127.0.0.1:")) problems.push(`gateway: ${p} is not bound to 127.0.0.1 by default`);
  }
  if (s.network_mode === "host") problems.push(`${name}: host networking publishes every port`);
  if (!s.deploy?.resources?.limits?.memory) problems.push(`${name}: needs deploy.resources.limits.memory`);
  if (!s.healthcheck?.test) problems.push(`${name}: needs a health check`);
  if (!s.image) problems.push(`${name}: needs an image name (what the Kubernetes overlays deploy)`);
  // Quarkus' health and metrics are on the management port (the images set QUARKUS_MANAGEMENT_PORT=9000): a health
  // check of /q/health must call it there, and no published port may lead to it.
  const check = [].concat(s.healthcheck?.test ?? []).join(" ");
  if (check.includes("/q/health")) {
    const management = String(s.environment?.QUARKUS_MANAGEMENT_PORT ?? MANAGEMENT_PORT);
    if (!check.includes(`:${management}/q/health`)) problems.push(`${name}: the health check must call /q/health on the management port ${management}`);
    for (const p of s.ports ?? []) {
      const target = typeof p === "string" ? p.split(":").pop().split("/")[0] : String(p.target);
      if (target === management) problems.push(`${name}: publishes the management port ${management}`);
    }
  }
}
if (problems.length) {
  console.error(`${label}: ${problems.length} problem(s)\n  ` + problems.join("\n  "));
  process.exit(1);
}
for (const s of Object.values(file.services)) console.log(s.image);

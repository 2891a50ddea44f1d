// Validates rendered Kubernetes manifests offline: every core object against the Kubernetes JSON schemas
// (kubernetes-models), Strimzi objects against the fields we rely on, and the references between objects
// (config maps, secrets, volume claims, service selectors, HPA targets), probes and memory limits.
// Then the hardening rules: every workload runs non-root with a securityContext (no privilege escalation, all
// capabilities dropped, read-only root filesystem, seccomp RuntimeDefault) and memory limits; a default-deny
// NetworkPolicy exists; no Secret holds the README's development key (its hash) or a default password; every image
// is one the project's compose files build or name (the file IMAGES_FILE lists them, one a line). Health and metrics
// stay on the management port: probes and the Prometheus annotation go there, no Service and no open ingress rule
// reach it.
// Usage: kubectl kustomize deploy/k8s/overlays/cpu | IMAGES_FILE=... node validate-k8s.mjs <label>
import { parseAllDocuments } from "yaml";
import { readFileSync } from "node:fs";

const label = process.argv[2] ?? "manifests";
const docs = parseAllDocuments(readFileSync(0, "utf8")).map((d) => d.toJS()).filter(Boolean);
const problems = [];
const byKind = (kind) => docs.filter((d) => d.kind === kind);
const names = (kind) => new Set(byKind(kind).map((d) => d.metadata.name));
const where = (d) => `${d.kind}/${d.metadata?.name}`;

for (const doc of docs) {
  const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : [null, doc.apiVersion];
  if (group === "kafka.strimzi.io") {
    if (version !== "v1beta2") problems.push(`${where(doc)}: Strimzi objects must be kafka.strimzi.io/v1beta2`);
    if (!["Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser"].includes(doc.kind)) problems.push(`${where(doc)}: unexpected Strimzi kind`);
    if (doc.kind !== "Kafka" && !doc.metadata.labels?.["strimzi.io/cluster"]) problems.push(`${where(doc)}: needs label strimzi.io/cluster`);
    if (doc.kind === "KafkaTopic" && !(Number.isInteger(doc.spec?.partitions) && doc.spec.partitions > 0)) problems.push(`${where(doc)}: partitions must be a positive integer`);
    if (doc.kind === "KafkaNodePool" && !(doc.spec?.roles?.length && doc.spec?.storage)) problems.push(`${where(doc)}: needs roles and storage`);
    if (doc.kind === "Kafka" && !doc.spec?.kafka?.listeners?.length) problems.push(`${where(doc)}: needs listeners`);
    if (doc.kind === "Kafka" && doc.spec?.kafka?.listeners?.some((l) => !l.authentication)) problems.push(`${where(doc)}: every listener needs authentication`);
    if (doc.kind === "KafkaUser" && !(doc.spec?.authentication?.type && doc.spec?.authorization?.acls?.length)) problems.push(`${where(doc)}: needs authentication and ACLs`);
    continue;
  }
  if (doc.kind === "Secret" && doc.data) {
    // kustomize wraps long base64 values over lines; the API server's decoder skips newlines, the schema does not.
    for (const k of Object.keys(doc.data)) doc.data[k] = String(doc.data[k]).replace(/\s+/g, "");
  }
  const module = group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
  let Model;
  try {
    Model = (await import(module))[doc.kind];
  } catch (e) {
    problems.push(`${where(doc)}: no schema for ${doc.apiVersion} (${e.message})`);
    continue;
  }
  if (!Model) { problems.push(`${where(doc)}: unknown kind for ${doc.apiVersion}`); continue; }
  try {
    new Model(doc).validate();
  } catch (e) {
    problems.push(`${where(doc)}: ${e.message}`);
  }
}

// Secrets that exist without being rendered: the Strimzi User Operator makes one per KafkaUser, and the operator of
// the cluster creates the credentials that base and the cpu/gpu overlays must not carry (docs/security.md).
const OPERATOR_SECRETS = ["transferlab-db", "transferlab-api-keys", "transferlab-internal-api-keys"];
const configMaps = names("ConfigMap"), claims = names("PersistentVolumeClaim");
const secrets = new Set([...names("Secret"), ...names("KafkaUser"), ...OPERATOR_SECRETS]);
const workloads = [...byKind("Deployment"), ...byKind("StatefulSet")];
for (const w of workloads) {
  const pod = w.spec.template.spec;
  for (const v of pod.volumes ?? []) {
    if (v.persistentVolumeClaim && !claims.has(v.persistentVolumeClaim.claimName)) problems.push(`${where(w)}: volume ${v.name} names a missing claim`);
    if (v.secret && !secrets.has(v.secret.secretName)) problems.push(`${where(w)}: volume ${v.name} names a missing secret`);
  }
  for (const c of pod.containers) {
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef && !configMaps.has(f.configMapRef.name)) problems.push(`${where(w)}: envFrom names a missing config map`);
    }
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref && !secrets.has(ref.name)) problems.push(`${where(w)}: env ${e.name} names a missing secret`);
    }
    if (!c.readinessProbe || !c.livenessProbe) problems.push(`${where(w)}/${c.name}: needs liveness and readiness probes`);
    if (!c.resources?.limits?.memory) problems.push(`${where(w)}/${c.name}: needs a memory limit (native memory counts)`);
    const mounted = new Set((c.volumeMounts ?? []).map((m) => m.name));
    const declared = [...(pod.volumes ?? []), ...(w.spec.volumeClaimTemplates ?? []).map((t) => t.metadata)];
    for (const m of mounted) if (!declared.some((v) => v.name === m)) problems.push(`${where(w)}/${c.name}: mounts undeclared volume ${m}`);
  }
}
// ---- hardening (issue: a trust boundary around the deployment) ----
const images = process.env.IMAGES_FILE ? new Set(readFileSync(process.env.IMAGES_FILE, "utf8").split("\n").filter(Boolean)) : null;
for (const w of workloads) {
  const pod = w.spec.template.spec;
  const psc = pod.securityContext ?? {};
  if (psc.runAsNonRoot !== true) problems.push(`${where(w)}: pod securityContext needs runAsNonRoot: true`);
  if (psc.seccompProfile?.type !== "RuntimeDefault") problems.push(`${where(w)}: pod securityContext needs seccompProfile RuntimeDefault`);
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${where(w)}/${c.name}: needs allowPrivilegeEscalation: false`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push(`${where(w)}/${c.name}: needs capabilities.drop [ALL]`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${where(w)}/${c.name}: needs readOnlyRootFilesystem: true`);
    if (sc.privileged) problems.push(`${where(w)}/${c.name}: privileged`);
    if (!c.resources?.limits?.memory) problems.push(`${where(w)}/${c.name}: needs resources.limits.memory`);
    if (images && !images.has(c.image)) problems.push(`${where(w)}/${c.name}: image ${c.image} is not one the compose files build or name (${[...images].join(", ")})`);
  }
}
const denyAll = byKind("NetworkPolicy").some((p) => Object.keys(p.spec.podSelector ?? {}).length === 0
  && ["Ingress", "Egress"].every((t) => p.spec.policyTypes?.includes(t)) && !p.spec.ingress?.length && !p.spec.egress?.length);
if (!denyAll) problems.push("no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)");
// The README's development key "transferlab-dev-key" (its SHA-256) and passwords anyone would try first.
const DEV_KEY_SHA256 = "703e70859cf2fb461b90a5f741f34ca8d81111b1886d1c81f63d1231101894b7";
const DEFAULT_PASSWORDS = ["change-me", "changeme", "transferlab", "postgres", "password", "secret", "admin"];
// The dev overlay exists to carry the development credentials (docs/security.md); every other rendering must not.
const devOverlay = label.endsWith("overlays/dev");
for (const s of devOverlay ? [] : byKind("Secret")) {
  const values = [...Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
    ...Object.entries(s.stringData ?? {})];
  for (const [k, v] of values) {
    if (v.toLowerCase().includes(DEV_KEY_SHA256)) problems.push(`${where(s)}: ${k} holds the development key's hash`);
    if (/password/i.test(k) && DEFAULT_PASSWORDS.includes(v.trim().toLowerCase())) problems.push(`${where(s)}: ${k} is a default password`);
  }
}

// ---- health and metrics on the management port (Quarkus' management interface; docs/security.md) ----
// Quarkus serves /q/health/... and /q/metrics on a port of their own, the container port named `management`: every
// probe that calls them must go there, so must the Prometheus annotation; no Service may expose that port (probes
// and Prometheus reach pods directly), and no NetworkPolicy rule may admit every source to it.
const managementPorts = new Set();
for (const w of workloads) {
  const tpl = w.spec.template;
  for (const c of tpl.spec.containers) {
    const mgmt = (c.ports ?? []).find((p) => p.name === "management");
    const quarkusProbes = [c.startupProbe, c.livenessProbe, c.readinessProbe]
      .filter((p) => String(p?.httpGet?.path ?? "").startsWith("/q/"));
    if (!mgmt) {
      if (quarkusProbes.length) problems.push(`${where(w)}/${c.name}: probes call /q/... but no container port is named management`);
      continue;
    }
    managementPorts.add(mgmt.containerPort);
    for (const p of quarkusProbes) {
      if (p.httpGet.port !== "management" && p.httpGet.port !== mgmt.containerPort) problems.push(`${where(w)}/${c.name}: probe ${p.httpGet.path} goes to port ${p.httpGet.port}, not to the management port`);
    }
    if (!c.readinessProbe?.httpGet || !quarkusProbes.includes(c.readinessProbe)) problems.push(`${where(w)}/${c.name}: has a management port, so its readiness probe must be /q/health/ready there`);
    const ann = tpl.metadata.annotations ?? {};
    if (ann["prometheus.io/scrape"] === "true" && String(ann["prometheus.io/port"]) !== String(mgmt.containerPort)) problems.push(`${where(w)}: prometheus.io/port ${ann["prometheus.io/port"]} is not the management port ${mgmt.containerPort}`);
  }
}
const isManagement = (port) => port === "management" || managementPorts.has(port);
for (const s of byKind("Service")) {
  for (const p of s.spec.ports ?? []) {
    if (isManagement(p.targetPort ?? p.port) || isManagement(p.port)) problems.push(`${where(s)}: exposes the management port (${p.name ?? p.port}); health and metrics must stay off Services`);
  }
}
for (const np of byKind("NetworkPolicy")) {
  for (const rule of np.spec.ingress ?? []) {
    const ports = rule.ports ?? [];
    const admitsManagement = ports.length === 0 || ports.some((p) => isManagement(p.port));
    if (admitsManagement && !rule.from?.length) problems.push(`${where(np)}: admits every source to the management port; name the peers (Prometheus' namespace)`);
  }
}

for (const s of byKind("Service")) {
  const sel = s.spec.selector ?? {};
  const match = workloads.some((w) => Object.entries(sel).every(([k, v]) => w.spec.template.metadata.labels?.[k] === v));
  if (!match) problems.push(`${where(s)}: selector matches no workload`);
}
for (const h of byKind("HorizontalPodAutoscaler")) {
  if (!names(h.spec.scaleTargetRef.kind).has(h.spec.scaleTargetRef.name)) problems.push(`${where(h)}: scale target missing`);
}

if (problems.length) {
  console.error(`${label}: ${problems.length} problem(s)\n  ` + problems.join("\n  "));
  process.exit(1);
}
console.log(`${label}: ${docs.length} objects valid`);

// Reads the deployment files (docker-compose.yml, deploy/kubernetes/*.yaml,
// the Dockerfile) and checks them against the code. Every check returns the
// problems it found as lines naming the file and the object, so a test shows
// all of them at once; deploy/deploy-manifests.test.ts runs them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@valuepulse/config';
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { INIT_COMMANDS, ROLE_SCHEMAS, ROLES, roleVariables, SERVICE_ROLES, type EnvVar, type Role } from './env-catalog.js';

/** The image every valuepulse container runs, named after the root package.json. */
export function expectedImage(root: string): string {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return `valuepulse:${version}`;
}

/**
 * Every document of a YAML file, as plain data (anchors and `<<` merge keys
 * resolved, as docker compose does).
 * @throws Error naming the file and the first syntax error.
 */
export function parseYamlFile(path: string, text: string = readFileSync(path, 'utf8')): unknown[] {
  return parseAllDocuments(text, { merge: true }).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]?.message}`);
    return doc.toJS({ maxAliasCount: 1000 }) as unknown;
  });
}

/** The Kubernetes manifests: `deploy/kubernetes/*.yaml` but the kustomization. */
export function kubernetesFiles(root: string): string[] {
  return readdirSync(join(root, 'deploy', 'kubernetes'))
    .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')
    .sort();
}

/** The process a container of the image runs, from its arguments (entry point `valuepulse`) or a `sh -c` script. */
export function roleOf(args: readonly string[]): Role | string {
  if (args[0] === 'sh' && args[1] === '-c' && args.length === 3) {
    const steps = (args[2] ?? '').split('&&').map((s) => s.trim());
    const commands = steps.map((s) => /^valuepulse ([a-z-]+)$/.exec(s)?.[1] ?? `(not a valuepulse command: ${s})`);
    return commands.join(',') === INIT_COMMANDS.join(',') ? 'init' : `a script of ${commands.join(', ')}, not the init steps ${INIT_COMMANDS.join(', ')}`;
  }
  if (args[0] === 'run' && SERVICE_ROLES.includes(args[1] as Role) && args.length === 2) return args[1] as Role;
  if (args[0] === 'simulate') return 'simulator';
  return `the command [${args.join(' ')}], which is none of: ${SERVICE_ROLES.map((r) => `run ${r}`).join(', ')}, simulate, sh -c "${INIT_COMMANDS.map((c) => `valuepulse ${c}`).join(' && ')}"`;
}

const isRole = (role: string): role is Role => (ROLES as readonly string[]).includes(role);

/** What a check of one container's environment found: problems, and the parsed config when it parsed. */
export type EnvCheck = { problems: string[]; config: Record<string, unknown> | undefined };

/**
 * Checks the variables a container sets: each is one its process reads, every
 * required one is set, and the values parse with the process's schema.
 * `env` values are strings; undefined means "passed through from elsewhere".
 */
export function checkEnv(
  where: string,
  role: Role,
  env: Record<string, string | undefined>,
  known: ReadonlyMap<string, EnvVar> = roleVariables()[role],
  schema: z.ZodType = ROLE_SCHEMAS[role],
): EnvCheck {
  const problems: string[] = [];
  for (const name of Object.keys(env)) {
    if (!known.has(name)) problems.push(`${where}: sets ${name}, which ${role} does not read (its variables: ${[...known.keys()].sort().join(', ')})`);
  }
  for (const v of known.values()) {
    if (v.default === undefined && !env[v.name]) problems.push(`${where}: does not set ${v.name}, which ${role} requires`);
  }
  let config: Record<string, unknown> | undefined;
  try {
    const values = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
    config = loadConfig(schema, values) as Record<string, unknown>;
  } catch (err) {
    problems.push(`${where}: ${role} refuses its configuration: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { problems, config };
}

type ComposeService = {
  image?: string;
  build?: unknown;
  entrypoint?: string[] | string;
  command?: string[] | string;
  environment?: Record<string, unknown> | string[];
  ports?: (string | { target: number; published?: string | number })[];
  healthcheck?: { test?: string[] | string };
  depends_on?: Record<string, { condition?: string }> | string[];
  profiles?: string[];
};

/** docker compose's `environment`, either form, as strings (null: passed through from the host). */
export function composeEnv(env: ComposeService['environment']): Record<string, string | undefined> {
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((line) => (line.includes('=') ? [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] : [line, undefined])));
  }
  return Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v)]));
}

const asArgs = (value: string[] | string | undefined): string[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value.map(String) : value.split(/\s+/).filter(Boolean);

/** The image's entry point is `valuepulse`: the arguments are the command, unless `entrypoint` replaces it. */
function composeArgs(service: ComposeService, defaultCmd: string[]): string[] {
  const entrypoint = asArgs(service.entrypoint);
  if (entrypoint) return entrypoint[0] === 'valuepulse' ? [...entrypoint.slice(1), ...(asArgs(service.command) ?? [])] : entrypoint;
  return asArgs(service.command) ?? defaultCmd;
}

/** One valuepulse container found in a manifest. */
export type AppContainer = { where: string; role: Role; image: string; config: Record<string, unknown> | undefined };

/**
 * Checks docker-compose.yml's valuepulse services: image, role, variables,
 * published ops port and the /readyz healthcheck on it, and that the services
 * wait for the init step.
 */
export function checkCompose(compose: { services?: Record<string, ComposeService> }, defaultCmd: string[]): { problems: string[]; apps: AppContainer[] } {
  const problems: string[] = [];
  const apps: AppContainer[] = [];
  for (const [name, service] of Object.entries(compose.services ?? {})) {
    if (!service.image?.startsWith('valuepulse:')) continue;
    const where = `docker-compose.yml services.${name}`;
    const role = roleOf(composeArgs(service, defaultCmd));
    if (!isRole(role)) {
      problems.push(`${where}: runs ${role}`);
      continue;
    }
    const { problems: envProblems, config } = checkEnv(where, role, composeEnv(service.environment));
    problems.push(...envProblems);
    apps.push({ where, role, image: service.image, config });
    if (!service.build) problems.push(`${where}: has no build (the image is built from the Dockerfile, not pulled)`);
    const dependsOn = Array.isArray(service.depends_on) ? {} : (service.depends_on ?? {});
    if (role !== 'init' && dependsOn.init?.condition !== 'service_completed_successfully') {
      problems.push(`${where}: does not wait for init (depends_on.init.condition: service_completed_successfully)`);
    }
    if (role === 'simulator' && !service.profiles?.includes('simulator')) problems.push(`${where}: the simulator is not behind the profile "simulator"`);
    if (SERVICE_ROLES.includes(role) && config) {
      const port = config.httpPort;
      const published = (service.ports ?? []).map((p) => (typeof p === 'string' ? p.split(':').at(-1) : String(p.target)));
      if (!published.includes(String(port))) problems.push(`${where}: publishes ports ${published.join(', ') || 'none'}, not its ops port ${port} (HTTP_PORT)`);
      const test = (asArgs(service.healthcheck?.test) ?? []).join(' ');
      const urls = [...test.matchAll(/https?:\/\/[^/'"\s]+(\/[^'"\s)]*)?/g)].map((m) => m[0]);
      if (urls.join() !== `http://127.0.0.1:${port}/readyz`) {
        problems.push(`${where}: the healthcheck asks ${urls.join(', ') || 'no URL'}, not http://127.0.0.1:${port}/readyz`);
      }
    }
  }
  return { problems, apps };
}

/** A Kubernetes object, loosely typed: the checks look at a few fields. */
export type K8sObject = { apiVersion?: string; kind?: string; metadata?: { name?: string; labels?: Record<string, string> }; spec?: any; data?: Record<string, unknown>; stringData?: Record<string, unknown> };

const subset = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/**
 * Checks the Kubernetes objects: per Deployment and Job container the role,
 * the variables (ConfigMaps and Secrets through envFrom, plus env), the ops
 * port and the /healthz and /readyz probes on it, resources, the grace period
 * against SHUTDOWN_TIMEOUT, a non-root user; a Service per Deployment on the
 * ops port; the ServiceMonitor scraping /metrics on those Services; no unused
 * ConfigMap or Secret.
 */
export function checkKubernetes(objects: { file: string; object: K8sObject }[], defaultCmd: string[]): { problems: string[]; apps: AppContainer[] } {
  const problems: string[] = [];
  const apps: AppContainer[] = [];
  const byKind = (kind: string) => objects.filter((o) => o.object.kind === kind);
  const sources = new Map<string, { kind: string; data: Record<string, unknown>; used: boolean }>();
  for (const { object } of [...byKind('ConfigMap'), ...byKind('Secret')]) {
    sources.set(`${object.kind}/${object.metadata?.name}`, { kind: object.kind ?? '', data: { ...object.data, ...object.stringData }, used: false });
  }
  for (const { file, object } of objects) {
    if (!object.apiVersion || !object.kind || !object.metadata?.name) problems.push(`${file}: an object without apiVersion, kind or metadata.name`);
  }

  const workloads = [...byKind('Deployment'), ...byKind('Job')];
  for (const { file, object } of workloads) {
    const pod = object.spec?.template?.spec ?? {};
    const podLabels = object.spec?.template?.metadata?.labels as Record<string, string> | undefined;
    const at = `${file} ${object.kind}/${object.metadata?.name}`;
    if (object.kind === 'Deployment' && !subset(object.spec?.selector?.matchLabels, podLabels)) problems.push(`${at}: spec.selector does not match the pod's labels`);
    if (pod.securityContext?.runAsNonRoot !== true || pod.securityContext?.runAsUser === 0) problems.push(`${at}: the pod does not run as a non-root user`);
    // a ConfigMap or Secret mounted as files (the alert-notifier's routing file) is used too
    for (const volume of (pod.volumes ?? []) as any[]) {
      const key = volume.configMap ? `ConfigMap/${volume.configMap.name}` : volume.secret ? `Secret/${volume.secret.secretName}` : undefined;
      const source = key ? sources.get(key) : undefined;
      if (key && !source) problems.push(`${at}: mounts ${key}, which is not in deploy/kubernetes`);
      if (source) source.used = true;
    }
    for (const container of (pod.containers ?? []) as any[]) {
      const where = `${at} container ${container.name}`;
      const args: string[] = container.command ? [...container.command, ...(container.args ?? [])] : container.command === undefined && container.args ? container.args : defaultCmd;
      const role = roleOf(args[0] === 'valuepulse' ? args.slice(1) : args);
      if (!isRole(role)) {
        problems.push(`${where}: runs ${role}`);
        continue;
      }
      const env: Record<string, string | undefined> = {};
      for (const ref of (container.envFrom ?? []) as any[]) {
        const key = ref.configMapRef ? `ConfigMap/${ref.configMapRef.name}` : ref.secretRef ? `Secret/${ref.secretRef.name}` : undefined;
        const source = key ? sources.get(key) : undefined;
        if (!source) {
          problems.push(`${where}: envFrom names ${key ?? 'neither a ConfigMap nor a Secret'}, which is not in deploy/kubernetes`);
          continue;
        }
        source.used = true;
        for (const [k, v] of Object.entries(source.data)) env[k] = v === null || v === undefined ? '' : String(v);
      }
      for (const e of (container.env ?? []) as any[]) env[e.name] = e.value !== undefined ? String(e.value) : e.valueFrom ? `from-${Object.keys(e.valueFrom)[0]}` : '';
      const { problems: envProblems, config } = checkEnv(where, role, env);
      problems.push(...envProblems);
      apps.push({ where, role, image: container.image, config });
      for (const kind of ['requests', 'limits']) {
        if (!container.resources?.[kind]?.cpu || !container.resources?.[kind]?.memory) problems.push(`${where}: no resources.${kind} for cpu and memory`);
      }
      if (role === 'init' && object.kind !== 'Job') problems.push(`${where}: the init steps run in a ${object.kind}, not a Job`);
      // a configuration that does not parse is reported above; its ports would only repeat it
      if (!SERVICE_ROLES.includes(role) || !config) continue;
      if (object.kind !== 'Deployment') problems.push(`${where}: ${role} runs in a ${object.kind}, not a Deployment`);
      const port = config?.httpPort as number | undefined;
      const ops = ((container.ports ?? []) as any[]).find((p) => p.name === 'ops');
      if (ops?.containerPort !== port) problems.push(`${where}: the container port named ops is ${ops?.containerPort}, not the ops port ${port} (HTTP_PORT)`);
      for (const [probe, path] of [['livenessProbe', '/healthz'], ['readinessProbe', '/readyz']] as const) {
        const get = container[probe]?.httpGet;
        const probePort = get?.port === ops?.name ? ops?.containerPort : get?.port;
        if (get?.path !== path || probePort !== port) problems.push(`${where}: ${probe} asks ${get?.path}:${get?.port}, not ${path} on the ops port ${port}`);
      }
      const grace = (pod.terminationGracePeriodSeconds ?? 30) * 1000;
      const shutdown = config?.shutdownTimeoutMs as number | undefined;
      if (shutdown !== undefined && grace <= shutdown) problems.push(`${where}: terminationGracePeriodSeconds (${grace / 1000}s) does not outlast SHUTDOWN_TIMEOUT (${shutdown} ms)`);
      const services = byKind('Service').filter(({ object: s }) => subset(s.spec?.selector, podLabels));
      const servicePort = services.flatMap(({ object: s }) => s.spec?.ports ?? []).find((p: any) => p.name === 'ops');
      if (!servicePort || servicePort.port !== port || (servicePort.targetPort !== 'ops' && servicePort.targetPort !== port)) {
        problems.push(`${where}: no Service selects the pod with a port named ops = ${port} targeting the container's ops port`);
      }
      const monitored = byKind('ServiceMonitor').some(({ object: m }) =>
        services.some(({ object: s }) => subset(m.spec?.selector?.matchLabels, s.metadata?.labels)) &&
        (m.spec?.endpoints ?? []).some((e: any) => e.port === 'ops' && e.path === '/metrics'),
      );
      if (!monitored) problems.push(`${where}: no ServiceMonitor scrapes /metrics on the ops port of its Service`);
    }
  }
  for (const { object } of byKind('ServiceMonitor')) {
    if (object.apiVersion !== 'monitoring.coreos.com/v1') problems.push(`ServiceMonitor/${object.metadata?.name}: apiVersion ${object.apiVersion}, not monitoring.coreos.com/v1`);
  }
  for (const [key, source] of sources) if (!source.used) problems.push(`${key}: no container loads it`);
  return { problems, apps };
}

/** One instruction of a Dockerfile: `op` upper-cased, continuation lines joined. */
export type DockerInstruction = { op: string; args: string };

/** The instructions of a Dockerfile, grouped into stages (a stage starts at FROM). */
export function parseDockerfile(text: string): DockerInstruction[][] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const stages: DockerInstruction[][] = [];
  for (const line of joined.split('\n')) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const instruction = { op: (match[1] ?? '').toUpperCase(), args: (match[2] ?? '').replace(/\s+/g, ' ').trim() };
    if (instruction.op === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

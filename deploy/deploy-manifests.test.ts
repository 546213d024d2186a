import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENDPOINT_DEFAULTS, envString, findRepoRoot } from '@valuepulse/config';
import { CONTAINER_IMAGES } from '@valuepulse/testkit/containers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { schemaVariables } from './env-catalog.js';
import {
  checkCompose,
  checkEnv,
  checkKubernetes,
  expectedImage,
  kubernetesFiles,
  parseDockerfile,
  parseYamlFile,
  roleOf,
  type K8sObject,
} from './manifests.js';

// No container engine runs where valuepulse is developed, so nothing here
// starts a container: the files are parsed and held against the code (config
// schemas, CLI commands, package.json), so they cannot drift from it.
const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const dockerfile = parseDockerfile(read('Dockerfile'));
const runtime = dockerfile.at(-1) ?? [];
const instruction = (stage: typeof runtime, op: string) => stage.filter((i) => i.op === op);
/** The runtime stage's CMD: what a container runs when a manifest gives no arguments. */
const defaultCmd = JSON.parse(instruction(runtime, 'CMD')[0]?.args ?? '[]') as string[];

const compose = () => parseYamlFile(join(root, 'docker-compose.yml'))[0] as { services: Record<string, any>; [key: string]: unknown };
const k8sObjects = (files: Record<string, string> = {}) =>
  kubernetesFiles(root).flatMap((file) => {
    const path = join(root, 'deploy', 'kubernetes', file);
    return parseYamlFile(path, files[file]).map((object) => ({ file: `deploy/kubernetes/${file}`, object: object as K8sObject }));
  });

describe('every YAML file', () => {
  it('parses (the repository holds no YAML file the checks below cannot read)', () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const path = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory() && !['node_modules', 'dist', '.git', '.stack', 'coverage'].includes(entry.name) && !entry.name.startsWith('.stack')) walk(path);
        else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) found.push(path);
      }
    };
    walk('');
    for (const path of found) expect(() => parseYamlFile(join(root, path)), path).not.toThrow();
    expect(found).toEqual(expect.arrayContaining(['docker-compose.yml', 'deploy/kubernetes/kustomization.yaml', ...kubernetesFiles(root).map((f) => `deploy/kubernetes/${f}`)]));
  });
});

describe('docker-compose.yml', () => {
  it('parses, and its valuepulse services agree with the code', () => {
    const { problems, apps } = checkCompose(compose(), defaultCmd);
    expect(problems).toEqual([]);
    expect(apps.map((a) => a.role).sort()).toEqual(['alert-notifier', 'health-api', 'health-scorer', 'history-sink', 'ingest-gateway', 'init', 'simulator']);
  });

  it('runs the images of the containers test path, Apicurio with the global BACKWARD rule, on the local stack host ports', () => {
    const { services } = compose();
    expect({
      kafka: services.kafka?.image,
      registry: services['schema-registry']?.image,
      redis: services.redis?.image,
      clickhouse: services.clickhouse?.image,
    }).toEqual(CONTAINER_IMAGES);
    expect(services['schema-registry'].environment.APICURIO_RULES_GLOBAL_COMPATIBILITY).toBe('BACKWARD');
    const hostPort = (url: string) => new URL(url.includes('://') ? url : `tcp://${url}`).port;
    const published = (name: string) => (services[name].ports as string[]).map((p) => p.split(':').slice(0, -1).join(':'));
    expect(published('kafka')).toContain(`127.0.0.1:${hostPort(ENDPOINT_DEFAULTS.KAFKA_BROKERS)}`);
    expect(published('schema-registry')).toContain(`127.0.0.1:${hostPort(ENDPOINT_DEFAULTS.SCHEMA_REGISTRY_URL)}`);
    expect(published('redis')).toContain(`127.0.0.1:${hostPort(ENDPOINT_DEFAULTS.REDIS_URL)}`);
    expect(published('clickhouse')).toContain(`127.0.0.1:${hostPort(ENDPOINT_DEFAULTS.CLICKHOUSE_URL)}`);
  });

  it('points the containers at compose services, on the ports those containers listen on', () => {
    const { services } = compose();
    const env = services['health-scorer'].environment as Record<string, string>;
    const at = (url: string) => new URL(url.includes('://') ? url : `tcp://${url}`);
    expect(at(env.KAFKA_BROKERS ?? '').host).toBe('kafka:19092');
    expect(services.kafka.environment.KAFKA_ADVERTISED_LISTENERS).toContain('INTERNAL://kafka:19092');
    const registry = at(env.SCHEMA_REGISTRY_URL ?? '');
    expect(registry.hostname).toBe('schema-registry');
    expect(services['schema-registry'].ports.map((p: string) => p.split(':').at(-1))).toContain(registry.port);
    expect(at(env.REDIS_URL ?? '').host).toBe('redis:6379');
    expect(at(env.CLICKHOUSE_URL ?? '').host).toBe('clickhouse:8123');
  });
});

describe('deploy/kubernetes', () => {
  it('lists every manifest in kustomization.yaml', () => {
    const kustomization = parseYamlFile(join(root, 'deploy', 'kubernetes', 'kustomization.yaml'))[0] as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual(kubernetesFiles(root));
  });

  it('parses, and its workloads, Services, ServiceMonitor, ConfigMaps and Secret agree with the code', () => {
    const { problems, apps } = checkKubernetes(k8sObjects(), defaultCmd);
    expect(problems).toEqual([]);
    expect(apps.map((a) => a.role).sort()).toEqual(['alert-notifier', 'health-api', 'health-scorer', 'history-sink', 'ingest-gateway', 'init']);
  });
});

describe('the image', () => {
  it('has one name and tag everywhere: valuepulse:<root package.json version>', () => {
    const images = [...checkCompose(compose(), defaultCmd).apps, ...checkKubernetes(k8sObjects(), defaultCmd).apps].map((a) => `${a.where}: ${a.image}`);
    expect(images.length).toBeGreaterThanOrEqual(7);
    expect(images.filter((i) => !i.endsWith(`: ${expectedImage(root)}`))).toEqual([]);
  });

  it('is built in two stages from node:20-slim, runs as the non-root node user, and starts the health-scorer by default', () => {
    expect(dockerfile.map((stage) => stage[0]?.args)).toEqual(['node:20-slim AS build', 'node:20-slim AS runtime']);
    const build = dockerfile[0] ?? [];
    const buildRuns = instruction(build, 'RUN').map((i) => i.args);
    expect(buildRuns.some((r) => /npm ci\b/.test(r) && /npm run build\b/.test(r))).toBe(true);
    expect(buildRuns.some((r) => /npm ci --omit=dev\b/.test(r))).toBe(true);
    const users = instruction(runtime, 'USER').map((i) => i.args);
    expect(users).toEqual(['node']);
    // the runtime stage installs nothing: production dependencies and dist/ come from the build stage
    expect(instruction(runtime, 'RUN').filter((i) => /\bnpm\b/.test(i.args))).toEqual([]);
    expect(instruction(runtime, 'COPY').map((i) => i.args)).toEqual(['--from=build /out/ /app/']);
    expect(instruction(runtime, 'ENTRYPOINT').map((i) => i.args)).toEqual(['["valuepulse"]']);
    expect(roleOf(defaultCmd)).toBe('health-scorer');
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const runs = instruction(dockerfile[0] ?? [], 'RUN').map((i) => i.args).join(' ');
    const copied = [...runs.matchAll(/cp (?:-r )?--parents ([^&;]+?) \/out\//g)].flatMap((m) => (m[1] ?? '').split(' ')).filter((p) => !p.includes('$'));
    expect(copied).toContain('deploy/topics.json');
    const allow = read('.dockerignore')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1));
    expect(read('.dockerignore').split('\n').find((l) => l && !l.startsWith('#'))).toBe('*');
    for (const path of [...copied, ...allow]) expect(existsSync(join(root, path)), path).toBe(true);
    expect(copied.filter((p) => !allow.some((a) => p === a || p.startsWith(`${a}/`)))).toEqual([]);
  });

  it('keeps the file by which the CLI finds the repository root (topics.json, migrations, services)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vp-image-root-'));
    try {
      mkdirSync(join(dir, 'deploy', 'local'), { recursive: true });
      writeFileSync(join(dir, 'deploy', 'local', 'stack.sh'), '');
      expect(findRepoRoot(join(dir, 'deploy'))).toBe(dir);
      expect(read('Dockerfile')).toMatch(/cp --parents [^\n]*deploy\/local\/stack\.sh/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves out only workspace packages no service needs in production', () => {
    const skipped = [...read('Dockerfile').matchAll(/"\$pkg" != ([^\s\]]+)/g)].map((m) => m[1] ?? '');
    expect(skipped).toEqual(['libs/testkit']);
    const packages = new Map<string, { dir: string; dependencies: Record<string, string> }>();
    for (const dir of ['cli', 'alert-notifier', 'health-api', 'health-scorer', 'history-sink', 'ingest-gateway', 'simulator'].map((s) => `services/${s}`)) {
      const pkg = JSON.parse(read(`${dir}/package.json`)) as { name: string; dependencies?: Record<string, string> };
      packages.set(pkg.name, { dir, dependencies: pkg.dependencies ?? {} });
    }
    const needed = new Set<string>();
    const visit = (dir: string) => {
      if (needed.has(dir)) return;
      needed.add(dir);
      const pkg = JSON.parse(read(`${dir}/package.json`)) as { dependencies?: Record<string, string> };
      for (const name of Object.keys(pkg.dependencies ?? {})) if (name.startsWith('@valuepulse/')) visit(`libs/${name.slice('@valuepulse/'.length)}`);
    };
    for (const { dir } of packages.values()) visit(dir);
    expect(skipped.filter((dir) => needed.has(dir))).toEqual([]);
  });
});

describe('the checks themselves', () => {
  // Mutated copies of the real files: each check must name what is wrong.
  it('names a variable no process reads, in compose and in a ConfigMap', () => {
    const file = compose();
    file.services['history-sink'].environment.SINK_BATCH_ROWZ = '5000';
    expect(checkCompose(file, defaultCmd).problems).toEqual([expect.stringMatching(/services\.history-sink: sets SINK_BATCH_ROWZ, which history-sink does not read/)]);

    const config = read('deploy/kubernetes/config.yaml').replace('  SCORER_CLOCK: wall\n', '  SCORER_CLOCK: wall\n  SCORER_TICK_INTERVALL: 5s\n');
    expect(checkKubernetes(k8sObjects({ 'config.yaml': config }), defaultCmd).problems).toEqual([
      expect.stringMatching(/Deployment\/health-scorer container health-scorer: sets SCORER_TICK_INTERVALL, which health-scorer does not read/),
    ]);
  });

  it('names a variable shared through a ConfigMap that one of its readers does not read', () => {
    const config = read('deploy/kubernetes/config.yaml').replace('  TOPIC_PREFIX: ""\n', '  TOPIC_PREFIX: ""\n  SINK_BATCH_ROWS: "5000"\n');
    const problems = checkKubernetes(k8sObjects({ 'config.yaml': config }), defaultCmd).problems;
    expect(problems).toContain(problems.find((p) => /Job\/valuepulse-init container init: sets SINK_BATCH_ROWS, which init does not read/.test(p)));
    expect(problems.some((p) => /Deployment\/health-scorer .*sets SINK_BATCH_ROWS/.test(p))).toBe(true);
    expect(problems.some((p) => /Deployment\/history-sink /.test(p))).toBe(false);
  });

  it('names a value the schema refuses, and a probe or port off the ops port', () => {
    const config = read('deploy/kubernetes/config.yaml').replace('  SCORER_CLOCK: wall\n', '  SCORER_CLOCK: sundial\n');
    expect(checkKubernetes(k8sObjects({ 'config.yaml': config }), defaultCmd).problems).toEqual([expect.stringMatching(/health-scorer refuses its configuration: .*SCORER_CLOCK/s)]);

    const moved = read('deploy/kubernetes/config.yaml').replace('  HTTP_PORT: "9465"\n', '  HTTP_PORT: "9466"\n');
    const problems = checkKubernetes(k8sObjects({ 'config.yaml': moved }), defaultCmd).problems;
    expect(problems.join('\n')).toMatch(/history-sink: the container port named ops is 9465, not the ops port 9466/);
    expect(problems.join('\n')).toMatch(/livenessProbe asks \/healthz:ops, not \/healthz on the ops port 9466/);

    const file = compose();
    file.services['health-scorer'].healthcheck.test = ['CMD', 'node', '-e', "fetch('http://127.0.0.1:9464/healthz')"];
    expect(checkCompose(file, defaultCmd).problems).toEqual([expect.stringMatching(/healthcheck asks http:\/\/127.0.0.1:9464\/healthz, not http:\/\/127.0.0.1:9464\/readyz/)]);
  });

  it('names a required variable left unset', () => {
    // no schema of today has a required variable; the check must see one the day one does
    const schema = z.object({ KAFKA_BROKERS: envString(), TOPIC_PREFIX: envString({ default: '' }) });
    const problems = checkEnv('here', 'simulator', { TOPIC_PREFIX: 'x' }, schemaVariables(schema), schema).problems;
    expect(problems[0]).toBe('here: does not set KAFKA_BROKERS, which simulator requires');
    expect(problems[1]).toMatch(/simulator refuses its configuration: .*KAFKA_BROKERS/s);
    expect(checkEnv('here', 'simulator', { KAFKA_BROKERS: '' }, schemaVariables(schema), schema).problems[0]).toMatch(/does not set KAFKA_BROKERS/);
  });
});

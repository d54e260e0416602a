import { Handler, RoleRequirement, RouteDefinition } from './types';

interface CompiledRoute {
  method: string;
  /** Lower-case literal segments, or null for a parameter. */
  segments: Array<string | null>;
  names: Array<string | null>;
  roles: RoleRequirement;
  handler: Handler;
}

export interface RouteMatch {
  roles: RoleRequirement;
  handler: Handler;
  params: Record<string, string>;
}

/** Paths are matched case-insensitively (ASP.NET routing behind APIM). */
export class Router {
  private readonly bySegmentCount = new Map<number, CompiledRoute[]>();

  constructor(routes: ReadonlyArray<RouteDefinition & { roles: RoleRequirement }>) {
    for (const r of routes) {
      const parts = r.path.split('/').filter((p) => p !== '');
      const compiled: CompiledRoute = {
        method: r.method,
        segments: parts.map((p) => (p.startsWith('{') ? null : p.toLowerCase())),
        names: parts.map((p) => (p.startsWith('{') ? p.slice(1, -1) : null)),
        roles: r.roles,
        handler: r.handler,
      };
      const list = this.bySegmentCount.get(parts.length) ?? [];
      // Literal routes first, so /SalesOrders/sentState wins over /SalesOrders/{id}.
      list.push(compiled);
      list.sort((a, b) => literalCount(b) - literalCount(a));
      this.bySegmentCount.set(parts.length, list);
    }
  }

  match(method: string, path: string): RouteMatch | undefined {
    const parts = path.split('/').filter((p) => p !== '');
    const candidates = this.bySegmentCount.get(parts.length);
    if (!candidates) return undefined;
    const lower = parts.map((p) => p.toLowerCase());
    for (const route of candidates) {
      if (route.method !== method) continue;
      let ok = true;
      for (let i = 0; i < lower.length; i++) {
        const seg = route.segments[i];
        if (seg !== null && seg !== lower[i]) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        if (name !== null) params[name] = decodeURIComponent(parts[i]!);
      });
      return { roles: route.roles, handler: route.handler, params };
    }
    return undefined;
  }
}

function literalCount(r: CompiledRoute): number {
  return r.segments.filter((s) => s !== null).length;
}

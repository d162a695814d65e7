/**
 * Reads a compiled ARM template (the JSON `bicep build` writes) the way the
 * policy tests need it: every resource of every nested deployment (Bicep
 * modules compile to `Microsoft.Resources/deployments` with an inner
 * template), with its properties evaluated as far as a template can be
 * evaluated without Azure.
 *
 * The evaluator understands the ARM expression language: literals,
 * `parameters()`, `variables()` (with variable copy loops), `format`,
 * `concat`, `union`, `items`, `if`, comparisons, `copyIndex`, the
 * `resourceId` family and `reference()` of a sibling module's outputs. A
 * module's parameters are evaluated in its parent, so a name or a setting
 * built in main.bicep is known inside the module. What only Azure knows
 * (`uniqueString`, `subscription()`, the top-level parameters, the
 * properties of a deployed resource) stays symbolic: an `Opaque` value
 * holding the expression's text, with the evaluated parts substituted, so
 * that the same expression always reads the same and a resource id inside it
 * can still be recognised.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A top-level parameter: its value is only known at deployment. */
export interface ParameterRef {
  name: string;
  allowedValues?: Json[];
  minValue?: number;
  maxValue?: number;
}

/** A value only Azure knows, kept as the text of its expression. */
export class Opaque {
  constructor(
    readonly text: string,
    readonly parameter?: ParameterRef,
  ) {}
  toString(): string {
    return `«${this.text}»`;
  }
}

export type Value = null | boolean | number | string | Opaque | Value[] | { [key: string]: Value };
export type ValueObject = { [key: string]: Value };

export interface Template {
  $schema?: string;
  languageVersion?: string;
  parameters?: Record<string, { type: string; defaultValue?: Json; allowedValues?: Json[]; minValue?: number; maxValue?: number }>;
  variables?: Record<string, Json>;
  resources: Json[] | Record<string, Json>;
  outputs?: Record<string, { type: string; value?: Json; copy?: Json }>;
}

export interface Resource {
  /** e.g. Microsoft.Storage/storageAccounts/blobServices */
  type: string;
  /** Evaluated name, e.g. `st«…»data/default`. */
  name: string;
  /** Canonical id: the type's segments interleaved with the name's, e.g. Microsoft.Storage/storageAccounts/x/blobServices/default. */
  id: string;
  /** Module path from the top template, e.g. ['genomes-storage', 'stx-pe-blob']. */
  path: string[];
  /** The resource as written in the template. */
  raw: { [key: string]: Json };
  /** The resource with every expression evaluated (the nested template of a deployment is left out). */
  value: ValueObject;
  /** False when its condition is a literal false (such resources are not listed); 'maybe' when it depends on a deployment value. */
  condition: true | 'maybe';
}

export interface Output {
  path: string[];
  name: string;
  type: string;
  raw: Json;
}

export interface Flattened {
  resources: Resource[];
  outputs: Output[];
  /** Top-level parameters. */
  parameters: Record<string, ParameterRef & { type: string; defaultValue?: Json }>;
}

// ---------------------------------------------------------------------------
// Expression parser

type Node =
  | { kind: 'lit'; value: string | number }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'prop'; target: Node; name: string }
  | { kind: 'index'; target: Node; index: Node };

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= text.length) throw new Error(`unterminated string in expression: ${text}`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            s += "'";
            j += 2;
            continue;
          }
          break;
        }
        s += text[j];
        j++;
      }
      tokens.push(`'${s}`);
      i = j + 1;
    } else if ('(),.[]'.includes(c)) {
      tokens.push(c);
      i++;
    } else {
      const m = /^(-?\d+(\.\d+)?|[A-Za-z_$][\w$#]*)/.exec(text.slice(i));
      if (!m) throw new Error(`cannot read expression at '${text.slice(i)}': ${text}`);
      tokens.push(m[0]);
      i += m[0].length;
    }
  }
  return tokens;
}

function parseExpression(text: string): Node {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const t = tokens[pos++];
    if (t === undefined) throw new Error(`unexpected end of expression: ${text}`);
    return t;
  };
  const expect = (t: string) => {
    const got = next();
    if (got !== t) throw new Error(`expected '${t}', got '${got}' in expression: ${text}`);
  };
  function primary(): Node {
    const t = next();
    let node: Node;
    if (t.startsWith("'")) node = { kind: 'lit', value: t.slice(1) };
    else if (/^-?\d/.test(t)) node = { kind: 'lit', value: Number(t) };
    else {
      expect('(');
      const args: Node[] = [];
      if (peek() !== ')') {
        for (;;) {
          args.push(primary());
          if (peek() === ',') {
            next();
            continue;
          }
          break;
        }
      }
      expect(')');
      node = { kind: 'call', name: t, args };
    }
    for (;;) {
      if (peek() === '.') {
        next();
        node = { kind: 'prop', target: node, name: next() };
      } else if (peek() === '[') {
        next();
        const index = primary();
        expect(']');
        node = { kind: 'index', target: node, index };
      } else return node;
    }
  }
  const node = primary();
  if (pos !== tokens.length) throw new Error(`trailing tokens in expression: ${text}`);
  return node;
}

// ---------------------------------------------------------------------------
// Evaluation

function isObject(v: Value | Json | undefined): v is ValueObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Opaque);
}

/** Text of a value inside an opaque expression. */
export function show(v: Value): string {
  if (v instanceof Opaque) return v.text;
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (isObject(v)) return `{${Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join(', ')}}`;
  return String(v);
}

/** A value as text in a string (format, concat): opaque parts as «…». */
function str(v: Value): string {
  if (v instanceof Opaque) return v.toString();
  if (typeof v === 'string') return v;
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const isLiteral = (v: Value): boolean => !(v instanceof Opaque) && !containsOpaque(v);
function containsOpaque(v: Value): boolean {
  if (v instanceof Opaque) return true;
  if (Array.isArray(v)) return v.some(containsOpaque);
  if (isObject(v)) return Object.values(v).some(containsOpaque);
  return false;
}

const RESOURCE_TYPE = /^[A-Za-z0-9]+\.[A-Za-z0-9.]+\/[A-Za-z]/;

/** A resource name's segments ('a/default/c'), not splitting inside «…». */
export function nameSegments(name: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of name) {
    if (c === '«') depth++;
    else if (c === '»') depth--;
    if (c === '/' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** 'A.B/t1/t2' + ['n1', 'n2'] -> 'A.B/t1/n1/t2/n2'. */
export function interleave(type: string, names: string[]): string {
  const [ns, ...types] = type.split('/');
  const parts = [ns!];
  types.forEach((t, i) => parts.push(t, names[i] ?? '?'));
  if (names.length > types.length) parts.push(...names.slice(types.length));
  return parts.join('/');
}

/** The part of a resource id after its last `/providers/` (outside «…»), without a leading slash. */
export function canonicalId(id: string): string {
  const marker = '/providers/';
  let depth = 0;
  let at = -1;
  for (let i = 0; i < id.length; i++) {
    const c = id[i];
    if (c === '«') depth++;
    else if (c === '»') depth--;
    else if (depth === 0 && id.startsWith(marker, i)) at = i;
  }
  const tail = at >= 0 ? id.slice(at + marker.length) : id;
  return tail.replace(/^\/+/, '');
}

interface Scope {
  template: Template;
  params: Map<string, Value>;
  variableCache: Map<string, Value>;
  copyIndex: Map<string, number | Opaque>;
  /** Innermost loop name (copyIndex() without a name). */
  currentLoop?: string;
  path: string[];
  /** Sibling deployments by evaluated name: their outputs, evaluated on demand. */
  deployments: Map<string, () => ValueObject>;
}

function childScope(scope: Scope, loop: string, index: number | Opaque): Scope {
  const copyIndex = new Map(scope.copyIndex);
  copyIndex.set(loop, index);
  return { ...scope, copyIndex, currentLoop: loop };
}

function opaqueCall(name: string, args: Value[]): Opaque {
  return new Opaque(`${name}(${args.map(show).join(', ')})`);
}

function evalNode(node: Node, scope: Scope): Value {
  switch (node.kind) {
    case 'lit':
      return node.value;
    case 'prop': {
      const target = evalNode(node.target, scope);
      if (isObject(target)) return target[node.name] ?? null;
      if (target instanceof Opaque) return new Opaque(`${target.text}.${node.name}`);
      return new Opaque(`${show(target)}.${node.name}`);
    }
    case 'index': {
      const target = evalNode(node.target, scope);
      const index = evalNode(node.index, scope);
      if (Array.isArray(target) && typeof index === 'number') return target[index] ?? null;
      if (isObject(target) && typeof index === 'string') return target[index] ?? null;
      const base = target instanceof Opaque ? target.text : show(target);
      return new Opaque(`${base}[${show(index)}]`);
    }
    case 'call':
      return callFunction(node.name, node.args, scope);
  }
}

function callFunction(rawName: string, argNodes: Node[], scope: Scope): Value {
  const name = rawName.toLowerCase();
  // Lazy functions first.
  if (name === 'if') {
    const cond = evalNode(argNodes[0]!, scope);
    if (cond === true) return evalNode(argNodes[1]!, scope);
    if (cond === false) return evalNode(argNodes[2]!, scope);
    return opaqueCall('if', argNodes.map((n) => evalNode(n, scope)));
  }
  const args = argNodes.map((n) => evalNode(n, scope));
  const a0 = args[0];
  switch (name) {
    case 'parameters': {
      if (typeof a0 !== 'string') return opaqueCall(rawName, args);
      if (scope.params.has(a0)) return scope.params.get(a0)!;
      return new Opaque(`parameters('${a0}')`);
    }
    case 'variables':
      return typeof a0 === 'string' ? variable(a0, scope) : opaqueCall(rawName, args);
    case 'copyindex': {
      const loop = typeof a0 === 'string' ? a0 : scope.currentLoop;
      const offset = typeof a0 === 'number' ? a0 : typeof args[1] === 'number' ? args[1] : 0;
      const index = loop !== undefined ? scope.copyIndex.get(loop) : undefined;
      if (typeof index === 'number') return index + offset;
      return new Opaque(`copyIndex(${loop ? `'${loop}'` : ''})`);
    }
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
      return null;
    case 'json':
      return typeof a0 === 'string' ? (JSON.parse(a0) as Json) : opaqueCall(rawName, args);
    case 'string':
      if (typeof a0 === 'string') return a0;
      if (typeof a0 === 'number' || typeof a0 === 'boolean') return String(a0);
      return opaqueCall(rawName, args);
    case 'int':
      return typeof a0 === 'number' ? a0 : typeof a0 === 'string' && /^-?\d+$/.test(a0) ? Number(a0) : opaqueCall(rawName, args);
    case 'bool':
      return typeof a0 === 'boolean' ? a0 : opaqueCall(rawName, args);
    case 'format': {
      if (typeof a0 !== 'string') return opaqueCall(rawName, args);
      return a0.replace(/\{(\d+)(:[^}]*)?\}/g, (_m, i: string) => str(args[Number(i) + 1] ?? null));
    }
    case 'concat': {
      if (args.every((a) => Array.isArray(a))) return (args as Value[][]).flat(1);
      if (args.some((a) => Array.isArray(a))) return opaqueCall(rawName, args);
      return args.map(str).join('');
    }
    case 'tolower':
      return typeof a0 === 'string' ? a0.toLowerCase() : opaqueCall(rawName, args);
    case 'toupper':
      return typeof a0 === 'string' ? a0.toUpperCase() : opaqueCall(rawName, args);
    case 'length':
      if (typeof a0 === 'string' || Array.isArray(a0)) return a0.length;
      if (isObject(a0)) return Object.keys(a0).length;
      return opaqueCall(rawName, args);
    case 'empty':
      if (a0 === null) return true;
      if (typeof a0 === 'string' || Array.isArray(a0)) return a0.length === 0;
      if (isObject(a0)) return Object.keys(a0).length === 0;
      return opaqueCall(rawName, args);
    case 'items':
      if (isObject(a0)) {
        return Object.keys(a0)
          .sort()
          .map((key) => ({ key, value: a0[key]! }));
      }
      return opaqueCall(rawName, args);
    case 'union':
      if (args.every(isObject)) return Object.assign({}, ...args) as ValueObject;
      if (args.every((a) => Array.isArray(a))) return [...new Set((args as Value[][]).flat(1))];
      return opaqueCall(rawName, args);
    case 'createobject': {
      const o: ValueObject = {};
      for (let i = 0; i + 1 < args.length; i += 2) o[str(args[i]!)] = args[i + 1]!;
      return o;
    }
    case 'createarray':
      return args;
    case 'contains':
      if (Array.isArray(a0) && isLiteral(a0) && isLiteral(args[1] ?? null)) return a0.some((x) => JSON.stringify(x) === JSON.stringify(args[1]));
      if (typeof a0 === 'string' && typeof args[1] === 'string') return a0.includes(args[1]);
      if (isObject(a0) && typeof args[1] === 'string') return args[1] in a0;
      return opaqueCall(rawName, args);
    case 'equals':
      if (args.every(isLiteral)) return JSON.stringify(a0) === JSON.stringify(args[1]);
      return opaqueCall(rawName, args);
    case 'not':
      return typeof a0 === 'boolean' ? !a0 : opaqueCall(rawName, args);
    case 'and':
      if (args.some((a) => a === false)) return false;
      if (args.every((a) => a === true)) return true;
      return opaqueCall(rawName, args);
    case 'or':
      if (args.some((a) => a === true)) return true;
      if (args.every((a) => a === false)) return false;
      return opaqueCall(rawName, args);
    case 'greater':
    case 'greaterorequals':
    case 'less':
    case 'lessorequals': {
      const [x, y] = args;
      if (typeof x !== 'number' || typeof y !== 'number') return opaqueCall(rawName, args);
      return name === 'greater' ? x > y : name === 'greaterorequals' ? x >= y : name === 'less' ? x < y : x <= y;
    }
    case 'coalesce':
      for (const a of args) {
        if (a instanceof Opaque) return opaqueCall(rawName, args);
        if (a !== null) return a;
      }
      return null;
    case 'resourceid':
    case 'subscriptionresourceid':
    case 'tenantresourceid': {
      const at = args.findIndex((a) => typeof a === 'string' && RESOURCE_TYPE.test(a));
      if (at < 0) return opaqueCall(rawName, args);
      return `/providers/${interleave(args[at] as string, args.slice(at + 1).map(str))}`;
    }
    case 'extensionresourceid': {
      const type = args[1];
      if (typeof type !== 'string') return opaqueCall(rawName, args);
      return `${str(a0 ?? null)}/providers/${interleave(type, args.slice(2).map(str))}`;
    }
    case 'reference': {
      if (typeof a0 === 'string') {
        const id = canonicalId(a0);
        const prefix = 'Microsoft.Resources/deployments/';
        if (id.startsWith(prefix)) {
          const outputs = scope.deployments.get(id.slice(prefix.length));
          if (outputs) return { outputs: outputs() };
        }
        return new Opaque(`reference(${id})`);
      }
      return opaqueCall(rawName, args);
    }
    default:
      return opaqueCall(rawName, args);
  }
}

function variable(name: string, scope: Scope): Value {
  const cached = scope.variableCache.get(name);
  if (cached !== undefined) return cached;
  const vars = scope.template.variables ?? {};
  let value: Value;
  const copies = Array.isArray(vars.copy) ? (vars.copy as { name: string; count: Json; input: Json }[]) : [];
  const loop = copies.find((c) => c.name === name);
  if (loop) {
    value = expandCopy(loop, scope);
  } else if (name in vars) {
    scope.variableCache.set(name, new Opaque(`variables('${name}')`)); // cycle guard
    value = evaluate(vars[name]!, scope);
  } else {
    throw new Error(`template has no variable '${name}'`);
  }
  scope.variableCache.set(name, value);
  return value;
}

function expandCopy(loop: { name: string; count: Json; input: Json }, scope: Scope): Value {
  const count = evaluate(loop.count, scope);
  if (typeof count !== 'number') {
    return new Opaque(`[for ${loop.name}: ${show(evaluate(loop.input, childScope(scope, loop.name, new Opaque(`copyIndex('${loop.name}')`))))}]`);
  }
  return Array.from({ length: count }, (_, i) => evaluate(loop.input, childScope(scope, loop.name, i)));
}

/** Evaluates a template value: every string expression in it, keys included. */
export function evaluate(value: Json, scope: Scope): Value {
  if (typeof value === 'string') {
    if (value.startsWith('[[')) return value.slice(1);
    if (value.startsWith('[') && value.endsWith(']')) return evalNode(parseExpression(value.slice(1, -1)), scope);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => evaluate(v, scope));
  if (value !== null && typeof value === 'object') {
    const out: ValueObject = {};
    for (const [k, v] of Object.entries(value)) {
      // Property copy loops: "copy": [{ name, count, input }] become arrays.
      if (k === 'copy' && Array.isArray(v) && v.every((c) => c !== null && typeof c === 'object' && !Array.isArray(c) && 'input' in c)) {
        for (const c of v as { name: string; count: Json; input: Json }[]) out[c.name] = expandCopy(c, scope);
        continue;
      }
      out[str(evaluate(k, scope))] = evaluate(v, scope);
    }
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------
// Flattening

function resourceList(template: Template): { symbol?: string; raw: { [key: string]: Json } }[] {
  const list = Array.isArray(template.resources)
    ? template.resources.map((raw) => ({ raw: raw as { [key: string]: Json } }))
    : Object.entries(template.resources).map(([symbol, raw]) => ({ symbol, raw: raw as { [key: string]: Json } }));
  return list;
}

function nestedTemplate(raw: { [key: string]: Json }): Template | undefined {
  const props = raw.properties;
  if (props === null || typeof props !== 'object' || Array.isArray(props)) return undefined;
  const t = props.template;
  return t !== null && typeof t === 'object' && !Array.isArray(t) ? (t as unknown as Template) : undefined;
}

function parametersOf(template: Template, given: ValueObject | undefined, outer: Scope | undefined, path: string[]): Scope {
  const scope: Scope = {
    template,
    params: new Map(),
    variableCache: new Map(),
    copyIndex: new Map(),
    path,
    deployments: new Map(),
  };
  for (const [name, def] of Object.entries(template.parameters ?? {})) {
    if (given && name in given) {
      const p = given[name];
      scope.params.set(name, isObject(p) && 'value' in p ? p.value! : new Opaque(`parameters('${name}')`));
    } else if (!outer && !given) {
      // Top level: known only at deployment.
      scope.params.set(
        name,
        new Opaque(`parameters('${name}')`, {
          name,
          ...(def.allowedValues ? { allowedValues: def.allowedValues } : {}),
          ...(def.minValue !== undefined ? { minValue: def.minValue } : {}),
          ...(def.maxValue !== undefined ? { maxValue: def.maxValue } : {}),
        }),
      );
    } else if (def.defaultValue !== undefined) {
      scope.params.set(name, evaluate(def.defaultValue, scope));
    }
  }
  return scope;
}

function walk(template: Template, scope: Scope, out: Flattened): void {
  const entries = resourceList(template);

  // Instances: copy loops expanded, conditions evaluated.
  const instances: { raw: { [key: string]: Json }; scope: Scope; condition: true | 'maybe' }[] = [];
  for (const { raw } of entries) {
    const copy = raw.copy as { name: string; count: Json } | undefined;
    const scopes: Scope[] = [];
    if (copy) {
      const count = evaluate(copy.count, scope);
      if (typeof count === 'number') for (let i = 0; i < count; i++) scopes.push(childScope(scope, copy.name, i));
      else scopes.push(childScope(scope, copy.name, new Opaque(`copyIndex('${copy.name}')`)));
    } else scopes.push(scope);
    for (const s of scopes) {
      const cond = raw.condition === undefined ? true : evaluate(raw.condition, s);
      if (cond === false) continue;
      instances.push({ raw, scope: s, condition: cond === true ? true : 'maybe' });
    }
  }

  // Sibling deployments first, so that reference(<deployment>).outputs resolves.
  const children: { name: string; template: Template; scope: Scope }[] = [];
  for (const inst of instances) {
    if (inst.raw.type !== 'Microsoft.Resources/deployments') continue;
    const inner = nestedTemplate(inst.raw);
    if (!inner) continue;
    const name = str(evaluate(inst.raw.name!, inst.scope));
    const props = inst.raw.properties as { [key: string]: Json };
    const childPath = [...scope.path, name];
    let childScopeValue: Scope | undefined;
    const getChildScope = () => {
      childScopeValue ??= parametersOf(inner, evaluate(props.parameters ?? {}, inst.scope) as ValueObject, inst.scope, childPath);
      return childScopeValue;
    };
    let outputs: ValueObject | undefined;
    scope.deployments.set(name, () => {
      if (!outputs) {
        const s = getChildScope();
        outputs = {};
        for (const [k, o] of Object.entries(inner.outputs ?? {})) outputs[k] = { value: o.value === undefined ? null : evaluate(o.value, s) };
      }
      return outputs;
    });
    children.push({
      name,
      template: inner,
      get scope() {
        return getChildScope();
      },
    });
  }

  for (const inst of instances) {
    if (inst.raw.existing === true) continue;
    const type = String(inst.raw.type);
    const name = str(evaluate(inst.raw.name ?? '', inst.scope));
    const value: ValueObject = {};
    for (const [k, v] of Object.entries(inst.raw)) {
      if (k === 'copy' || k === 'dependsOn') continue;
      if (type === 'Microsoft.Resources/deployments' && k === 'properties') {
        const { template: _template, ...rest } = v as { [key: string]: Json };
        value[k] = evaluate(rest, inst.scope);
        continue;
      }
      value[k] = evaluate(v, inst.scope);
    }
    out.resources.push({
      type,
      name,
      id: interleave(type, nameSegments(name)),
      path: scope.path,
      raw: inst.raw,
      value,
      condition: inst.condition,
    });
  }

  for (const [name, o] of Object.entries(template.outputs ?? {})) {
    out.outputs.push({ path: scope.path, name, type: o.type, raw: (o.value ?? o.copy ?? null) as Json });
  }

  for (const child of children) walk(child.template, child.scope, out);
}

/** Every resource and output of a compiled template, nested deployments included. */
export function flatten(template: Template): Flattened {
  const scope = parametersOf(template, undefined, undefined, []);
  const out: Flattened = { resources: [], outputs: [], parameters: {} };
  for (const [name, def] of Object.entries(template.parameters ?? {})) {
    out.parameters[name] = {
      name,
      type: def.type,
      ...(def.defaultValue !== undefined ? { defaultValue: def.defaultValue } : {}),
      ...(def.allowedValues ? { allowedValues: def.allowedValues } : {}),
      ...(def.minValue !== undefined ? { minValue: def.minValue } : {}),
      ...(def.maxValue !== undefined ? { maxValue: def.maxValue } : {}),
    };
  }
  walk(template, scope, out);
  return out;
}

/** A property by dotted path ('properties.siteConfig.minTlsVersion'); undefined when absent. */
export function get(value: Value | undefined, path: string): Value | undefined {
  let v: Value | undefined = value;
  for (const key of path.split('.')) {
    if (!isObject(v)) return undefined;
    v = v[key];
  }
  return v;
}

export { isObject };

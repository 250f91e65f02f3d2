// hub:// names: '-' and '_' are the same. References are parsed in uri/refs.ts.

export function canonicalName(name: string): string {
  return name.toLowerCase().replaceAll('-', '_')
}

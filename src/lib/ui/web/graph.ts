// A small layered graph (lineage, a workflow's DAG) drawn as SVG: nodes placed in columns by depth, each clickable.
export interface GraphNode {
  id: string
  label: string
  sub?: string
  column: number
  href?: string
  cls?: string
}

const NS = 'http://www.w3.org/2000/svg'
const W = 170
const H = 44
const GAP_X = 60
const GAP_Y = 16

function el(tag: string, attrs: Record<string, string | number>): SVGElement {
  const e = document.createElementNS(NS, tag)
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v))
  return e
}

export function drawGraph(nodes: GraphNode[], edges: [string, string][], name: string): SVGSVGElement {
  const columns = [...new Set(nodes.map((n) => n.column))].sort((a, b) => a - b)
  const pos = new Map<string, {x: number; y: number}>()
  let rows = 1
  for (const [ci, c] of columns.entries()) {
    const inCol = nodes.filter((n) => n.column === c)
    rows = Math.max(rows, inCol.length)
    inCol.forEach((n, i) => pos.set(n.id, {x: 10 + ci * (W + GAP_X), y: 10 + i * (H + GAP_Y)}))
  }
  const svg = el('svg', {width: 20 + columns.length * (W + GAP_X) - GAP_X, height: 20 + rows * (H + GAP_Y) - GAP_Y, 'data-chart': name, role: 'img'}) as SVGSVGElement
  const defs = el('defs', {})
  const marker = el('marker', {id: `arrow-${name}`, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto'})
  marker.append(el('path', {d: 'M0,0 L10,5 L0,10 z', fill: '#888'}))
  defs.append(marker)
  svg.append(defs)
  for (const [from, to] of edges) {
    const a = pos.get(from)
    const b = pos.get(to)
    if (!a || !b) continue
    const [x1, y1, x2, y2] = [a.x + W, a.y + H / 2, b.x, b.y + H / 2]
    svg.append(el('path', {class: 'edge', d: `M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}`, fill: 'none', stroke: '#888', 'marker-end': `url(#arrow-${name})`}))
  }
  for (const n of nodes) {
    const p = pos.get(n.id)!
    const g = el('g', {class: `node ${n.cls ?? ''}`, transform: `translate(${p.x},${p.y})`, 'data-node': n.id})
    g.append(el('rect', {width: W, height: H, rx: 6}))
    const t = el('text', {x: 8, y: 18})
    t.textContent = n.label.length > 24 ? n.label.slice(0, 23) + '…' : n.label
    g.append(t)
    if (n.sub) {
      const s = el('text', {x: 8, y: 35, class: 'sub'})
      s.textContent = n.sub
      g.append(s)
    }
    const title = el('title', {})
    title.textContent = n.label + (n.sub ? ` (${n.sub})` : '')
    g.append(title)
    if (n.href) {
      const a = el('a', {href: n.href})
      a.append(g)
      svg.append(a)
    } else svg.append(g)
  }
  return svg
}

// The genome pictures, drawn in SVG: the karyogram (an ideogram of every
// chromosome with the screen's gains, losses and aneuploidies and a mark per
// SV) and the genome-wide copy-number plot.
import { formatNumber, formatSize, t } from './i18n.js';

const NS = 'http://www.w3.org/2000/svg';

export const SV_COLORS = {
  DEL: '#c62828',
  DUP: '#1565c0',
  INV: '#6a1b9a',
  INS: '#2e7d32',
  BND: '#ef6c00',
  CNV: '#00838f',
};
const GAIN = '#1e88e5';
const LOSS = '#e53935';

function el(tag, attrs = {}, children = []) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  for (const c of children) if (c) node.append(c);
  return node;
}

function title(text) {
  const node = el('title');
  node.textContent = text;
  return node;
}

function text(x, y, content, attrs = {}) {
  const node = el('text', { x, y, ...attrs });
  node.textContent = content;
  return node;
}

/** The genome chromosome an SV lies on (matching the BAM contig name first, then the normalised name). */
export function chromosomeOf(chromosomes, sv) {
  return chromosomes.find((c) => c.contig === sv.chrom) ?? chromosomes.find((c) => c.name === sv.chromosome) ?? null;
}

function svLabel(sv) {
  return `${sv.type} ${sv.chrom}:${formatNumber(sv.pos1)}-${formatNumber(sv.end1)} (${formatSize(sv.svlen, sv.svlenAtLeast)}) · ${t('colScore')} ${formatNumber(sv.score, 2)} · ${sv.filter}`;
}

/** Copy-number states of the screen: {chromosome: {whole: {kind, cn}, p: {...}, q: {...}}}. */
function screenEvents(prescreen) {
  const events = {};
  for (const a of prescreen?.aneuploidies ?? []) {
    (events[a.chromosome] ??= {}).whole = { gain: a.copyNumber > 2, label: a, cn: a.copyNumber };
  }
  for (const a of prescreen?.armEvents ?? []) {
    (events[a.chromosome] ??= {})[a.arm] = { gain: a.kind === 'gain', label: a, cn: a.copyNumber };
  }
  return events;
}

/**
 * The karyogram. `onSelect(sv)` is called when an SV mark is chosen,
 * `onCluster(svs, chromosome)` when a group of nearby marks is.
 * Returns the <svg> element.
 */
export function karyogram({ chromosomes, prescreen, svs, onSelect, onCluster }) {
  const perRow = chromosomes.length > 12 ? Math.ceil(chromosomes.length / 2) : Math.max(chromosomes.length, 1);
  const rows = Math.ceil(chromosomes.length / perRow) || 1;
  const colWidth = chromosomes.length === 1 ? 160 : 80;
  const width = Math.max(perRow * colWidth, 320);
  const maxBar = chromosomes.length > 12 ? 230 : 300;
  const rowHeight = maxBar + 50;
  const height = rows * rowHeight + 10;
  const longest = Math.max(...chromosomes.map((c) => c.length), 1);
  const events = screenEvents(prescreen);
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'karyogram',
    role: 'img',
    'aria-label': t('karyogramAria'),
    'data-testid': 'karyogram',
    preserveAspectRatio: 'xMidYMin meet',
  });
  svg.append(title(t('karyogramAria')));

  chromosomes.forEach((c, i) => {
    const row = Math.floor(i / perRow);
    const col = i % perRow;
    const x = col * colWidth + colWidth / 2 - 16;
    const top = row * rowHeight + 10;
    const barH = Math.max((c.length / longest) * maxBar, 12);
    const scale = (pos) => top + (Math.min(Math.max(pos, 0), c.length) / c.length) * barH;
    const w = 14;
    const g = el('g', { class: 'chromosome', 'data-chromosome': c.name });
    const ev = events[c.name] ?? {};
    const wholeFill = ev.whole ? (ev.whole.gain ? GAIN : LOSS) : null;

    const armRect = (from, to, arm) => {
      const y1 = scale(from);
      const y2 = scale(to);
      const armEv = arm ? ev[arm] : null;
      const fill = wholeFill ?? (armEv ? (armEv.gain ? GAIN : LOSS) : '#eceff1');
      const opacity = wholeFill || armEv ? 0.55 : 1;
      return el('rect', { x, y: y1, width: w, height: Math.max(y2 - y1, 1), rx: 6, fill, 'fill-opacity': opacity, stroke: '#455a64', 'stroke-width': 1.2, class: `arm${arm ? ` arm-${arm}` : ''}` });
    };
    if (c.centromere) {
      g.append(armRect(0, c.centromere[0], 'p'), armRect(c.centromere[1], c.length, 'q'));
      const cy = (scale(c.centromere[0]) + scale(c.centromere[1])) / 2;
      g.append(el('path', { d: `M${x - 1},${cy - 4} L${x + w / 2},${cy} L${x - 1},${cy + 4} Z M${x + w + 1},${cy - 4} L${x + w / 2},${cy} L${x + w + 1},${cy + 4} Z`, fill: '#90a4ae', class: 'centromere' }));
    } else {
      g.append(armRect(0, c.length, null));
    }
    g.append(text(x + w / 2, top + barH + 18, c.name, { 'text-anchor': 'middle', class: 'chrom-label' }));
    if (ev.whole) {
      const sign = ev.whole.gain ? '+' : '−';
      g.append(text(x + w / 2, top + barH + 34, `${sign}${c.name}`, { 'text-anchor': 'middle', class: `event-label ${ev.whole.gain ? 'gain' : 'loss'}` }));
    }

    // SV marks, right of the chromosome: a tick at the start, and a bar over the span of long events.
    // Marks closer than a finger's width are grouped: the group is what is tapped (onCluster).
    const mine = svs.filter((sv) => chromosomeOf(chromosomes, sv) === c).sort((a, b) => a.pos1 - b.pos1);
    const clusters = [];
    for (const sv of mine) {
      const y = scale(sv.pos1 - 1);
      const last = clusters[clusters.length - 1];
      if (last && y - last.y0 < 14) last.svs.push(sv);
      else clusters.push({ y0: y, svs: [sv] });
    }
    const activate = (node, action) => {
      node.addEventListener('click', action);
      node.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          action();
        }
      });
    };
    for (const cluster of clusters) {
      const single = cluster.svs.length === 1;
      let yMax = cluster.y0;
      for (const sv of cluster.svs) {
        const color = SV_COLORS[sv.type] ?? '#37474f';
        const y1 = scale(sv.pos1 - 1);
        const y2 = Math.max(scale(sv.end1), y1 + 2);
        yMax = Math.max(yMax, y2);
        const mark = el('g', {
          class: `sv-mark sv-${sv.type}${sv.filter === 'PASS' ? '' : ' sv-nonpass'}${single ? '' : ' in-cluster'}`,
          'data-sv-id': sv.id,
          'data-type': sv.type,
          ...(single ? { tabindex: 0, role: 'button', 'aria-label': svLabel(sv) } : {}),
        });
        mark.append(title(svLabel(sv)));
        // A wide transparent hit area: a finger is wider than a tick.
        if (single) mark.append(el('rect', { x: x + w + 1, y: y1 - 6, width: 26, height: y2 - y1 + 12, fill: 'transparent', class: 'hit' }));
        mark.append(el('rect', { x: x + w + 3, y: y1, width: 4, height: y2 - y1, fill: color }));
        mark.append(el('path', { d: `M${x + w + 8},${y1} l8,-4 v8 Z`, fill: color }));
        if (single) activate(mark, () => onSelect?.(sv));
        g.append(mark);
      }
      if (!single) {
        const n = cluster.svs.length;
        const region = `${cluster.svs[0].chrom}:${formatNumber(Math.min(...cluster.svs.map((s) => s.pos1)))}-${formatNumber(Math.max(...cluster.svs.map((s) => s.end1)))}`;
        const label = t('clusterLabel', { count: n, region });
        const group = el('g', { class: 'sv-cluster', 'data-count': n, tabindex: 0, role: 'button', 'aria-label': label });
        group.append(title(label));
        group.append(el('rect', { x: x + w + 1, y: cluster.y0 - 8, width: 40, height: yMax - cluster.y0 + 16, fill: 'transparent', class: 'hit' }));
        group.append(el('circle', { cx: x + w + 28, cy: cluster.y0, r: 8, fill: '#263238' }));
        group.append(text(x + w + 28, cluster.y0 + 4, String(n), { 'text-anchor': 'middle', class: 'cluster-count' }));
        activate(group, () => onCluster?.(cluster.svs, c));
        g.append(group);
      }
    }
    svg.append(g);
  });
  return svg;
}

/** The legend of SV colours and gains/losses, as HTML. */
export function legend(types) {
  const div = document.createElement('div');
  div.className = 'legend';
  const items = [...types.map((type) => [SV_COLORS[type] ?? '#37474f', type]), [GAIN, t('legendGain')], [LOSS, t('legendLoss')]];
  for (const [color, label] of items) {
    const span = document.createElement('span');
    span.className = 'legend-item';
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = color;
    span.append(sw, document.createTextNode(label));
    div.append(span);
  }
  return div;
}

/** Expected copy number of a DEL/DUP call when the caller gave none. */
function callCopyNumber(sv) {
  if (typeof sv.copyNumber === 'number') return sv.copyNumber;
  if (sv.type === 'DEL') return sv.genotype === '1/1' ? 0 : 1;
  if (sv.type === 'DUP') return sv.genotype === '1/1' ? 4 : 3;
  return null;
}

/** The genome-wide copy-number plot: the screen's per-arm / per-chromosome estimate and the DEL/DUP/CNV calls. */
export function copyNumberPlot({ chromosomes, prescreen, svs }) {
  const width = 1000;
  const height = 240;
  const left = 44;
  const right = 10;
  const top = 12;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const maxCn = 4;
  const total = chromosomes.reduce((a, c) => a + c.length, 0) || 1;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'cn-plot', role: 'img', 'aria-label': t('copyNumberAria'), 'data-testid': 'copy-number-plot' });
  svg.append(title(t('copyNumberAria')));
  const y = (cn) => top + plotH - (Math.min(Math.max(cn, 0), maxCn) / maxCn) * plotH;
  const offsets = new Map();
  let acc = 0;
  for (const c of chromosomes) {
    offsets.set(c, acc);
    acc += c.length;
  }
  const x = (c, pos) => left + ((offsets.get(c) + Math.min(Math.max(pos, 0), c.length)) / total) * plotW;

  chromosomes.forEach((c, i) => {
    const x1 = x(c, 0);
    const x2 = x(c, c.length);
    svg.append(el('rect', { x: x1, y: top, width: Math.max(x2 - x1, 0.5), height: plotH, fill: i % 2 ? '#f5f7f8' : '#ffffff' }));
    if (x2 - x1 > 14 || chromosomes.length <= 24) {
      svg.append(text((x1 + x2) / 2, height - bottom + 16, c.name, { 'text-anchor': 'middle', class: 'axis-label' }));
    }
  });
  for (let cn = 0; cn <= maxCn; cn += 1) {
    svg.append(el('line', { x1: left, x2: left + plotW, y1: y(cn), y2: y(cn), stroke: cn === 2 ? '#78909c' : '#cfd8dc', 'stroke-dasharray': cn === 2 ? '6 4' : '2 4' }));
    svg.append(text(left - 8, y(cn) + 4, String(cn), { 'text-anchor': 'end', class: 'axis-label' }));
  }
  svg.append(text(12, top + plotH / 2, t('copyNumberAxis'), { transform: `rotate(-90 12 ${top + plotH / 2})`, 'text-anchor': 'middle', class: 'axis-label' }));

  // The screen: arms when estimated, else whole chromosomes.
  const byName = new Map(chromosomes.map((c) => [c.name, c]));
  const arms = (prescreen?.arms ?? []).filter((a) => a.copyNumber !== null);
  const armChromosomes = new Set(arms.map((a) => a.chromosome));
  for (const a of arms) {
    const c = byName.get(a.chromosome);
    if (!c?.centromere) continue;
    const [from, to] = a.arm === 'p' ? [0, c.centromere[0]] : [c.centromere[1], c.length];
    svg.append(el('line', { x1: x(c, from), x2: x(c, to), y1: y(a.copyNumber), y2: y(a.copyNumber), stroke: '#37474f', 'stroke-width': 3, class: 'cn-screen' }, [title(`${a.chromosome}${a.arm}: ${formatNumber(a.copyNumber, 2)}`)]));
  }
  for (const cc of prescreen?.chromosomes ?? []) {
    const c = byName.get(cc.chromosome);
    if (!c || armChromosomes.has(cc.chromosome)) continue;
    svg.append(el('line', { x1: x(c, 0), x2: x(c, c.length), y1: y(cc.copyNumber), y2: y(cc.copyNumber), stroke: '#37474f', 'stroke-width': 3, class: 'cn-screen' }, [title(`${cc.chromosome}: ${formatNumber(cc.copyNumber, 2)}`)]));
  }
  // The calls.
  for (const sv of svs) {
    if (sv.type !== 'DEL' && sv.type !== 'DUP' && sv.type !== 'CNV') continue;
    const c = chromosomeOf(chromosomes, sv);
    const cn = callCopyNumber(sv);
    if (!c || cn === null) continue;
    const x1 = x(c, sv.pos1 - 1);
    const x2 = Math.max(x(c, sv.end1), x1 + 2);
    svg.append(el('rect', { x: x1, y: y(cn) - 4, width: x2 - x1, height: 8, fill: SV_COLORS[sv.type], class: `cn-call sv-${sv.type}`, 'data-sv-id': sv.id }, [title(svLabel(sv))]));
  }
  return svg;
}

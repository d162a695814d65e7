// The LAG workspace: a single page with hash routes.
//   #/                          samples, with live progress
//   #/signin                    sign-in (development identities in local mode)
//   #/samples/{id}              one genome: karyogram, copy number, SV table
//   #/samples/{id}/svs/{svId}   one SV: evidence, annotation, review, reads
//   #/audit?sampleId=…          the audit trail (administrators)
import { api, ApiError, currentUser, DEV_IDENTITIES, download, serverMode, setDevIdentity } from './api.js';
import { formatDate, formatNumber, formatSize, getLang, setLang, t } from './i18n.js';
import { chromosomeOf, copyNumberPlot, karyogram, legend, SV_COLORS } from './plots.js';
import { disposeReads, showReads } from './reads.js';

const POLL_MS = 3000;
const SV_TYPES = ['DEL', 'DUP', 'INV', 'INS', 'BND', 'CNV'];
const REVIEW_STATES = ['confirmed', 'false-positive', 'uncertain'];
const ACMG_CLASSES = ['pathogenic', 'likely-pathogenic', 'uncertain-significance', 'likely-benign', 'benign'];
/** Why the SV scorer left a call to the caller (modelNotAppliedReason), as a translation key. */
const NOT_APPLIED_KEYS = {
  genome: 'modelNotAppliedGenome',
  depthOnly: 'modelNotAppliedDepthOnly',
  betweenCopies: 'modelNotAppliedBetweenCopies',
  fewExamples: 'modelNotAppliedFewExamples',
};

const main = document.getElementById('main');
let user = null;
let renderToken = 0;
let pollTimer = null;

/** Per-sample caches: genome, every SV (for the karyogram and the detail view), the table's filters and page. */
const cache = new Map();
function sampleCache(id) {
  if (!cache.has(id)) cache.set(id, { genome: null, svs: null, filters: defaultFilters(), pages: [null], page: 0 });
  return cache.get(id);
}
function defaultFilters() {
  return { type: '', chromosome: '', region: '', minSize: '', minScore: '', pass: false, review: '', pageSize: '50' };
}

// ---------------------------------------------------------------- helpers

/** h('div', {class: 'x', onclick: f}, 'text', child, …) */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** Replaces a node's children, leaving out null/undefined/false (DOM's replaceChildren would write "null"). */
function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

const dash = () => t('notAvailable');
const enc = encodeURIComponent;

function hasRole(role) {
  return !!user?.roles?.includes(role);
}

function statusBadge(status) {
  const key = { queued: 'statusQueued', running: 'statusRunning', completed: 'statusCompleted', failed: 'statusFailed' }[status];
  return h('span', { class: `badge status-${status}`, 'data-status': status }, key ? t(key) : status);
}

function typeChip(type) {
  return h('span', { class: 'type-chip', style: `--c:${SV_COLORS[type] ?? '#37474f'}` }, type);
}

function reviewBadge(review) {
  if (!review) return h('span', { class: 'badge review-none' }, dash());
  return h('span', { class: `badge review-${review.state}`, 'data-review': review.state }, t(`states.${review.state}`));
}

function genesOf(sv) {
  const genes = sv.annotation?.genes;
  return Array.isArray(genes) && genes.length ? genes.map((g) => (typeof g === 'string' ? g : g.symbol)).filter(Boolean) : null;
}

function cytobandsOf(sv) {
  const bands = sv.annotation?.cytobands;
  return Array.isArray(bands) && bands.length ? bands : null;
}

function errorBox(e, retry) {
  let message;
  if (e instanceof ApiError) {
    if (e.status === 401) message = t('errorUnauthenticated');
    else if (e.status === 403) message = `${t('errorForbidden')} ${e.message}`;
    else if (e.status === 0) message = t('errorNetwork');
    else message = e.message;
  } else {
    message = e instanceof Error ? e.message : String(e);
  }
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('strong', {}, t('errorTitle')),
    ' ',
    message,
    retry ? h('button', { type: 'button', class: 'btn', onclick: retry }, t('retry')) : null,
    e instanceof ApiError && e.status === 401 ? h('a', { class: 'btn', href: '#/signin' }, t('signIn')) : null,
  );
}

function loadingBox() {
  return h('p', { class: 'loading', 'aria-live': 'polite' }, t('loading'));
}

function setView(...nodes) {
  fill(main, ...nodes);
  main.focus({ preventScroll: true });
}

function stopPolling() {
  if (pollTimer) clearTimeout(pollTimer);
  pollTimer = null;
}

function dl(items) {
  return h(
    'dl',
    { class: 'facts' },
    items.filter(Boolean).flatMap(([label, value, testid]) => [h('dt', {}, label), h('dd', testid ? { 'data-testid': testid } : {}, value ?? dash())]),
  );
}

// ---------------------------------------------------------------- header

function renderHeader() {
  const header = document.getElementById('header');
  const nav = h(
    'nav',
    { class: 'nav', 'aria-label': 'LAG' },
    h('a', { href: '#/', class: 'brand' }, h('strong', {}, 'LAG'), h('span', { class: 'brand-sub' }, t('appSubtitle'))),
    h('a', { href: '#/', class: 'nav-link' }, t('navSamples')),
    hasRole('admin') ? h('a', { href: '#/audit', class: 'nav-link', 'data-testid': 'nav-audit' }, t('navAudit')) : null,
    h('span', { class: 'spacer' }),
    user
      ? h(
          'span',
          { class: 'user', 'data-testid': 'user' },
          t('signedInAs', { name: user.name }),
          h('small', {}, ` (${user.roles.map((r) => t(r === 'admin' ? 'roleAdmin' : 'roleBiologist')).join(', ') || dash()})`),
        )
      : null,
    user ? h('button', { type: 'button', class: 'btn btn-ghost', onclick: signOut, 'data-testid': 'sign-out' }, t('signOut')) : null,
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-ghost',
        'data-testid': 'lang-switch',
        'aria-label': t('language'),
        onclick: () => {
          setLang(getLang() === 'fr' ? 'en' : 'fr');
          render();
        },
      },
      t('switchToOther'),
    ),
  );
  fill(header, nav);
  document.title = t('appTitle');
}

async function signOut() {
  const mode = await serverMode();
  if (mode === 'local') {
    setDevIdentity(null);
    user = null;
    cache.clear();
    location.hash = '#/signin';
    render();
  } else {
    location.href = '/.auth/logout?post_logout_redirect_uri=/';
  }
}

// ---------------------------------------------------------------- sign-in

async function viewSignIn() {
  const mode = await serverMode();
  if (mode === 'local') {
    const choose = (key) => () => {
      setDevIdentity(DEV_IDENTITIES[key]);
      cache.clear();
      location.hash = '#/';
    };
    setView(
      h(
        'section',
        { class: 'card signin' },
        h('h1', {}, t('devSignInTitle')),
        h('p', {}, t('devSignInIntro')),
        h(
          'div',
          { class: 'signin-choices' },
          h('button', { type: 'button', class: 'btn btn-big', 'data-testid': 'signin-biologist', onclick: choose('biologist') }, t('devAsBiologist'), h('small', {}, t('devBiologistHint'))),
          h('button', { type: 'button', class: 'btn btn-big', 'data-testid': 'signin-admin', onclick: choose('admin') }, t('devAsAdmin'), h('small', {}, t('devAdminHint'))),
        ),
      ),
    );
  } else {
    setView(
      h(
        'section',
        { class: 'card signin' },
        h('h1', {}, t('azureSignInTitle')),
        h('p', {}, t('azureSignInIntro')),
        h('a', { class: 'btn btn-big', href: `/.auth/login/aad?post_login_redirect_uri=${enc('/')}` }, t('signIn')),
      ),
    );
  }
}

// ---------------------------------------------------------------- samples

function progressCell(s) {
  if (s.status === 'completed') return h('span', {}, `${s.progress?.done ?? 0} / ${s.progress?.total ?? 0}`);
  const p = s.progress;
  if (!p || !p.total) return h('span', {}, s.status === 'failed' ? dash() : t('loading'));
  return h(
    'div',
    { class: 'progress-cell' },
    h('progress', { max: p.total, value: p.done, 'aria-label': t('colProgress') }),
    h('small', {}, t('progressUnits', { done: p.done, total: p.total })),
    p.chromosomesTotal ? h('small', {}, t('progressChromosomes', { done: p.chromosomesDone, total: p.chromosomesTotal })) : null,
  );
}

async function viewSamples(token) {
  stopPolling();
  setView(h('h1', {}, t('samplesTitle')), loadingBox());
  const load = async () => {
    let samples;
    try {
      samples = (await api.samples()).samples;
      // The list has no live progress: ask each running sample for it.
      await Promise.all(
        samples.map(async (s, i) => {
          if (s.status === 'running' || s.status === 'queued') {
            try {
              samples[i] = await api.sample(s.sampleId);
            } catch {
              // Keep the list's view.
            }
          }
        }),
      );
    } catch (e) {
      if (token !== renderToken) return;
      setView(h('h1', {}, t('samplesTitle')), errorBox(e, () => render()));
      return;
    }
    if (token !== renderToken) return;
    const running = samples.some((s) => s.status === 'running' || s.status === 'queued');
    const rows = samples.map((s) =>
      h(
        'tr',
        {
          class: 'clickable',
          tabindex: 0,
          'data-sample-id': s.sampleId,
          onclick: () => (location.hash = `#/samples/${enc(s.sampleId)}`),
          onkeydown: (e) => e.key === 'Enter' && (location.hash = `#/samples/${enc(s.sampleId)}`),
        },
        h('td', { 'data-label': t('colSample') }, h('a', { href: `#/samples/${enc(s.sampleId)}` }, s.sampleId)),
        h('td', { 'data-label': t('colStatus') }, statusBadge(s.status)),
        h('td', { 'data-label': t('colStage') }, s.stage ?? dash()),
        h('td', { 'data-label': t('colProgress') }, progressCell(s)),
        h('td', { 'data-label': t('colSvs'), class: 'num' }, s.status === 'completed' ? formatNumber(s.totalCalls) : dash()),
        h('td', { 'data-label': t('colBuild') }, s.build ?? t('buildUnknown')),
        h('td', { 'data-label': t('colQueued') }, formatDate(s.timings?.queuedAt)),
      ),
    );
    const table = samples.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table stack-on-phone', 'data-testid': 'samples-table' },
            h('thead', {}, h('tr', {}, ...['colSample', 'colStatus', 'colStage', 'colProgress', 'colSvs', 'colBuild', 'colQueued'].map((k) => h('th', { scope: 'col' }, t(k))))),
            h('tbody', {}, rows),
          ),
        )
      : h('p', { class: 'empty' }, t('samplesEmpty'));
    setView(
      h('h1', {}, t('samplesTitle')),
      running ? h('p', { class: 'live', 'aria-live': 'polite' }, t('liveUpdate', { seconds: POLL_MS / 1000 })) : null,
      table,
    );
    if (running) pollTimer = setTimeout(() => token === renderToken && void load(), POLL_MS);
  };
  await load();
}

// ---------------------------------------------------------------- genome

async function viewGenome(token, sampleId) {
  stopPolling();
  const c = sampleCache(sampleId);
  setView(h('p', {}, h('a', { href: '#/', class: 'back' }, t('backToSamples'))), h('h1', {}, t('genomeTitle', { sample: sampleId })), loadingBox());
  let sample;
  try {
    [sample, c.genome] = await Promise.all([api.sample(sampleId), api.genome(sampleId)]);
    if (sample.status === 'completed' && !c.svs) c.svs = await api.allSvs(sampleId);
  } catch (e) {
    if (token !== renderToken) return;
    setView(h('p', {}, h('a', { href: '#/', class: 'back' }, t('backToSamples'))), h('h1', {}, t('genomeTitle', { sample: sampleId })), errorBox(e, () => render()));
    return;
  }
  if (token !== renderToken) return;
  const svs = c.svs ?? [];
  const genome = c.genome;
  const prescreen = genome.prescreen ?? sample.prescreen ?? null;
  const select = (sv) => (location.hash = `#/samples/${enc(sampleId)}/svs/${enc(sv.id)}`);
  // A group of nearby marks: the table, filtered to their region.
  const showRegion = (group) => {
    const from = Math.min(...group.map((s) => s.pos1));
    const to = Math.max(...group.map((s) => s.end1));
    c.filters = { ...defaultFilters(), pageSize: c.filters.pageSize, region: `${group[0].chrom}:${from}-${to}` };
    c.pages = [null];
    c.page = 0;
    fill(tableSection, h('h2', {}, t('svTableTitle')));
    renderSvTable(token, sampleId, tableSection);
    tableSection.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  const summary = h(
    'section',
    { class: 'card summary' },
    h('h2', {}, t('summary')),
    dl([
      [t('colStatus'), statusBadge(sample.status)],
      [t('colBuild'), sample.build ?? t('buildUnknown')],
      [t('totalCalls'), sample.status === 'completed' ? formatNumber(sample.totalCalls) : dash(), 'total-calls'],
      [t('readLength'), sample.library ? `${formatNumber(sample.library.readLength)} ${t('bp')}` : dash()],
      [t('insertSize'), sample.library ? `${formatNumber(Math.round(sample.library.insertSizeMedian))} ${t('bp')}` : dash()],
      [t('sexChromosomes'), prescreen?.sexChromosomes ?? dash()],
      [t('duration'), sample.timings?.seconds != null ? `${formatNumber(sample.timings.seconds, 0)} s` : dash()],
    ]),
    sample.status === 'running' || sample.status === 'queued' ? progressCell(sample) : null,
    sample.error ? h('p', { class: 'error' }, `${t('analysisError')} : ${sample.error.message}`) : null,
    sample.warnings?.length ? h('details', {}, h('summary', {}, `${t('warnings')} (${sample.warnings.length})`), h('ul', {}, sample.warnings.map((w) => h('li', {}, w)))) : null,
    h(
      'div',
      { class: 'actions' },
      sample.status === 'completed'
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn',
              'data-testid': 'download-vcf',
              onclick: async (e) => {
                const b = e.currentTarget;
                b.disabled = true;
                b.textContent = t('downloading');
                try {
                  await download(api.vcfUrl(sampleId), `${sampleId}.vcf.gz`);
                } catch (err) {
                  b.after(errorBox(err));
                } finally {
                  b.disabled = false;
                  b.textContent = t('downloadVcf');
                }
              },
            },
            t('downloadVcf'),
          )
        : null,
      hasRole('admin') ? h('a', { class: 'btn btn-ghost', href: `#/audit?sampleId=${enc(sampleId)}` }, t('auditOfSample')) : null,
    ),
  );

  const events = [
    ...(prescreen?.aneuploidies ?? []).map((a) => `${a.kind === 'trisomy' || a.kind === 'gain' ? '+' : '−'}${a.chromosome} (${t(`kind${a.kind[0].toUpperCase()}${a.kind.slice(1)}`)}, ${formatNumber(a.copyNumber, 2)}${a.mosaicFraction < 1 ? `, ${t('mosaic', { percent: Math.round(a.mosaicFraction * 100) })}` : ''})`),
    ...(prescreen?.armEvents ?? []).map((a) => `${a.kind === 'gain' ? '+' : '−'}${a.chromosome}${a.arm} (${t(a.kind === 'gain' ? 'kindGain' : 'kindLoss')}, ${formatNumber(a.copyNumber, 2)})`),
  ];
  const karyo = h(
    'section',
    { class: 'card' },
    h('h2', {}, t('karyogramTitle')),
    genome.chromosomes.length
      ? h('div', { class: 'karyogram-wrap' }, karyogram({ chromosomes: genome.chromosomes, prescreen, svs, onSelect: select, onCluster: showRegion }))
      : h('p', { class: 'note' }, t('karyogramNoContigs')),
    legend([...new Set(svs.map((s) => s.type))].sort()),
    genome.source === 'header' ? h('p', { class: 'note' }, t('karyogramFromHeader')) : null,
    h('h3', {}, t('aneuploidies')),
    prescreen
      ? h('p', { 'data-testid': 'aneuploidies' }, events.length ? events.join(' · ') : t('noAneuploidy'))
      : h('p', { class: 'note', 'data-testid': 'aneuploidies' }, t('prescreenUnavailable')),
    prescreen?.notes?.length ? h('details', {}, h('summary', {}, t('note')), h('ul', {}, prescreen.notes.map((n) => h('li', {}, n)))) : null,
  );
  const cn = h(
    'section',
    { class: 'card' },
    h('h2', {}, t('copyNumberTitle')),
    genome.chromosomes.length ? h('div', { class: 'plot-wrap' }, copyNumberPlot({ chromosomes: genome.chromosomes, prescreen, svs })) : null,
    h('p', { class: 'note' }, prescreen ? `━ ${t('copyNumberScreen')} · ▬ ${t('copyNumberCalls')}` : `▬ ${t('copyNumberCalls')}`),
  );
  const tableSection = h('section', { class: 'card', id: 'sv-section' }, h('h2', {}, t('svTableTitle')));
  setView(h('p', {}, h('a', { href: '#/', class: 'back' }, t('backToSamples'))), h('h1', {}, t('genomeTitle', { sample: sampleId })), summary, karyo, cn, tableSection);
  if (sample.status !== 'completed') {
    tableSection.append(h('p', { class: 'note' }, t('svNotReady', { status: sample.status })));
    if (sample.status === 'running' || sample.status === 'queued') pollTimer = setTimeout(() => token === renderToken && render(), POLL_MS);
    return;
  }
  renderSvTable(token, sampleId, tableSection);
}

function svQuery(f, token) {
  return {
    type: f.type || undefined,
    chromosome: f.chromosome || undefined,
    region: f.region || undefined,
    minSize: f.minSize || undefined,
    minScore: f.minScore || undefined,
    pass: f.pass ? 'true' : undefined,
    review: f.review || undefined,
    pageSize: f.pageSize,
    continuationToken: token ?? undefined,
  };
}

function renderSvTable(token, sampleId, section) {
  const c = sampleCache(sampleId);
  const f = c.filters;
  const field = (label, control) => h('label', { class: 'field' }, h('span', {}, label), control);
  const options = (values, selected, labelOf) => values.map(([v, label]) => h('option', { value: v, selected: v === selected }, labelOf ? labelOf(v, label) : label));
  const form = h(
    'form',
    { class: 'filters', 'data-testid': 'sv-filters', 'aria-label': t('filters') },
    field(t('filterType'), h('select', { name: 'type' }, options([['', t('filterAll')], ...SV_TYPES.map((x) => [x, x])], f.type))),
    field(t('filterChromosome'), h('select', { name: 'chromosome' }, options([['', t('filterAll')], ...c.genome.chromosomes.map((x) => [x.name, x.name])], f.chromosome))),
    field(t('filterRegion'), h('input', { name: 'region', type: 'text', value: f.region, placeholder: '7:72700000-74200000', autocomplete: 'off', spellcheck: 'false' })),
    field(t('filterMinSize'), h('input', { name: 'minSize', type: 'number', min: 0, step: 1, inputmode: 'numeric', value: f.minSize })),
    field(t('filterMinScore'), h('input', { name: 'minScore', type: 'number', min: 0, max: 1, step: 0.05, inputmode: 'decimal', value: f.minScore })),
    field(
      t('filterReview'),
      h('select', { name: 'review' }, options([['', t('reviewAll')], ['unreviewed', t('reviewUnreviewed')], ...REVIEW_STATES.map((s) => [s, t(`states.${s}`)])], f.review)),
    ),
    field(t('pageSize'), h('select', { name: 'pageSize' }, options(['25', '50', '100', '500'].map((n) => [n, n]), f.pageSize))),
    h('label', { class: 'check' }, h('input', { name: 'pass', type: 'checkbox', checked: f.pass }), h('span', {}, t('filterPass'))),
    h('div', { class: 'filter-buttons' }, h('button', { type: 'submit', class: 'btn', 'data-testid': 'apply-filters' }, t('filterApply')), h('button', { type: 'reset', class: 'btn btn-ghost' }, t('filterReset'))),
  );
  const results = h('div', { class: 'sv-results', 'aria-live': 'polite' });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const d = new FormData(form);
    c.filters = {
      type: String(d.get('type') ?? ''),
      chromosome: String(d.get('chromosome') ?? ''),
      region: String(d.get('region') ?? '').trim().replace(/\s/g, ''),
      minSize: String(d.get('minSize') ?? ''),
      minScore: String(d.get('minScore') ?? ''),
      pass: d.get('pass') === 'on',
      review: String(d.get('review') ?? ''),
      pageSize: String(d.get('pageSize') ?? '50'),
    };
    c.pages = [null];
    c.page = 0;
    void loadPage();
  });
  form.addEventListener('reset', (e) => {
    e.preventDefault();
    c.filters = defaultFilters();
    c.pages = [null];
    c.page = 0;
    fill(section, h('h2', {}, t('svTableTitle')));
    renderSvTable(token, sampleId, section);
  });
  section.append(form, results);

  async function loadPage() {
    fill(results, loadingBox());
    let page;
    try {
      page = await api.svs(sampleId, svQuery(c.filters, c.pages[c.page]));
    } catch (e) {
      if (token === renderToken) fill(results, errorBox(e, () => void loadPage()));
      return;
    }
    if (token !== renderToken) return;
    c.pages[c.page + 1] = page.continuationToken;
    // Reviews change: keep the detail view's copy current.
    if (c.svs) for (const sv of page.items) {
      const i = c.svs.findIndex((x) => x.id === sv.id);
      if (i >= 0) c.svs[i] = sv;
    }
    const rows = page.items.map((sv) => {
      const genes = genesOf(sv);
      const bands = cytobandsOf(sv);
      const open = () => (location.hash = `#/samples/${enc(sampleId)}/svs/${enc(sv.id)}`);
      return h(
        'tr',
        { class: 'clickable', tabindex: 0, 'data-sv-id': sv.id, 'data-type': sv.type, onclick: open, onkeydown: (e) => e.key === 'Enter' && open() },
        h('td', { 'data-label': t('colPosition') }, h('a', { href: `#/samples/${enc(sampleId)}/svs/${enc(sv.id)}` }, `${sv.chrom}:${formatNumber(sv.pos1)}-${formatNumber(sv.end1)}`)),
        h('td', { 'data-label': t('colType') }, typeChip(sv.type)),
        h('td', { 'data-label': t('colSize'), class: 'num', 'data-svlen': sv.svlen, ...(sv.svlenAtLeast ? { title: t('sizeAtLeast') } : {}) }, formatSize(sv.svlen, sv.svlenAtLeast)),
        h('td', { 'data-label': t('colGenotype') }, sv.genotype ?? dash()),
        h('td', { 'data-label': t('colScore'), class: 'num' }, formatNumber(sv.score, 3)),
        h('td', { 'data-label': t('colFilter') }, h('span', { class: `badge ${sv.filter === 'PASS' ? 'pass' : 'nonpass'}` }, sv.filter)),
        h('td', { 'data-label': t('colGenes') }, genes ? genes.slice(0, 5).join(', ') + (genes.length > 5 ? ` +${genes.length - 5}` : '') : dash()),
        h('td', { 'data-label': t('colCytoband') }, bands ? bands.join('–') : dash()),
        h('td', { 'data-label': t('colReview') }, reviewBadge(sv.review)),
      );
    });
    const pager = h(
      'div',
      { class: 'pager' },
      h('button', { type: 'button', class: 'btn btn-ghost', disabled: c.page === 0, 'data-testid': 'prev-page', onclick: () => ((c.page -= 1), void loadPage()) }, t('previousPage')),
      h('span', {}, t('pageN', { n: c.page + 1 })),
      h('button', { type: 'button', class: 'btn btn-ghost', disabled: !page.continuationToken, 'data-testid': 'next-page', onclick: () => ((c.page += 1), void loadPage()) }, t('nextPage')),
    );
    fill(results,
      h('p', { class: 'count', 'data-testid': 'sv-count', 'data-count': page.count }, t('svCount', { count: page.count })),
      page.items.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table stack-on-phone', 'data-testid': 'sv-table' },
              h('thead', {}, h('tr', {}, ...['colPosition', 'colType', 'colSize', 'colGenotype', 'colScore', 'colFilter', 'colGenes', 'colCytoband', 'colReview'].map((k) => h('th', { scope: 'col' }, t(k))))),
              h('tbody', {}, rows),
            ),
          )
        : h('p', { class: 'empty' }, t('svNone')),
      pager,
    );
  }
  void loadPage();
}

// ---------------------------------------------------------------- SV detail

async function viewSv(token, sampleId, svId) {
  stopPolling();
  const c = sampleCache(sampleId);
  const back = h('p', {}, h('a', { href: `#/samples/${enc(sampleId)}`, class: 'back' }, t('backToGenome', { sample: sampleId })));
  setView(back, loadingBox());
  let sv;
  try {
    if (!c.genome) c.genome = await api.genome(sampleId);
    if (!c.svs) c.svs = await api.allSvs(sampleId);
    sv = c.svs.find((x) => x.id === svId);
  } catch (e) {
    if (token === renderToken) setView(back, errorBox(e, () => render()));
    return;
  }
  if (token !== renderToken) return;
  if (!sv) {
    setView(back, h('p', { class: 'error' }, t('svNotFound', { id: svId })));
    return;
  }
  const ev = sv.evidence ?? {};
  const genome = c.genome;
  const chrom = chromosomeOf(genome.chromosomes, sv);
  const ann = sv.annotation ?? null;
  const genes = Array.isArray(ann?.genes) ? ann.genes : [];

  const location_ = h(
    'section',
    { class: 'card' },
    h('h2', {}, t('location')),
    dl([
      [t('chromosome'), sv.chrom],
      [t('start'), formatNumber(sv.pos1)],
      [t('end'), formatNumber(sv.end1)],
      [t('size'), sv.svlenAtLeast ? `${formatSize(sv.svlen, true)} (${t('sizeAtLeast')})` : formatSize(sv.svlen), 'sv-size'],
      [t('confidence'), sv.ciPos ? `[${sv.ciPos.join(', ')}] / [${(sv.ciEnd ?? []).join(', ')}]` : dash()],
      [t('precise'), sv.precise === undefined ? dash() : sv.precise ? t('precise') : t('imprecise')],
      sv.mate ? [t('mate'), `${sv.mate.chrom}:${formatNumber(sv.mate.pos + 1)}`] : null,
      sv.strands ? [t('strands'), sv.strands] : null,
      sv.event ? [t('event'), `${sv.event.type} (${sv.event.id})`] : null,
    ]),
  );
  const evidence = h(
    'section',
    { class: 'card' },
    h('h2', {}, t('evidence')),
    dl([
      [t('pairedEnd'), formatNumber(sv.pairedEnd), 'paired-end'],
      [t('splitReads'), formatNumber(sv.splitReads), 'split-reads'],
      [t('altReads'), formatNumber(ev.altReads)],
      [t('refReads'), formatNumber(ev.refReads)],
      [t('clipReads'), formatNumber(ev.clipReads)],
      [t('splitMapq'), formatNumber(ev.splitMapq, 1)],
      [t('pairMapq'), formatNumber(ev.pairMapq, 1)],
      [t('depthFoldChange'), formatNumber(sv.depthFoldChange, 2)],
      [t('depthLogRatio'), formatNumber(ev.depthLogRatio, 1)],
      [t('depthBetweenCopies'), formatNumber(ev.depthBetweenCopiesLogRatio, 1)],
      [t('copyNumber'), formatNumber(sv.copyNumber, 2)],
      [t('contigDepth'), formatNumber(ev.contigDepth ?? chrom?.meanDepth, 1)],
    ]),
  );
  const scoring = h(
    'section',
    { class: 'card' },
    h('h2', {}, t('genotypeScore')),
    dl([
      [t('genotype'), sv.genotype, 'genotype'],
      [t('genotypeQuality'), formatNumber(sv.genotypeQuality, 0)],
      [t('score'), formatNumber(sv.score, 3), 'score'],
      [t('model'), sv.modelVersion ? (sv.modelApplied === false ? `${sv.modelVersion} (${t(NOT_APPLIED_KEYS[sv.modelNotAppliedReason] ?? 'modelNotApplied')})` : sv.modelVersion) : dash()],
      [t('filter'), h('span', { class: `badge ${sv.filter === 'PASS' ? 'pass' : 'nonpass'}` }, sv.filter)],
      [t('callerFilter'), sv.callerFilter ?? dash()],
    ]),
  );
  const annotation = h(
    'section',
    { class: 'card' },
    h('h2', {}, t('annotation')),
    dl([
      [
        t('genes'),
        genes.length
          ? h('span', {}, genes.map((g, i) => [i ? ', ' : '', h('em', {}, typeof g === 'string' ? g : g.symbol), typeof g === 'object' && g.relation ? ` (${t(`relation.${g.relation}`) === `relation.${g.relation}` ? g.relation : t(`relation.${g.relation}`)})` : '']))
          : dash(),
        'genes',
      ],
      [t('cytobands'), cytobandsOf(sv)?.join(', ') ?? dash(), 'cytobands'],
      [t('iscn'), ann?.karyotype || ann?.iscn ? h('code', {}, ann.karyotype ?? ann.iscn) : dash(), 'iscn'],
      ann?.hgvs ? [t('hgvs'), h('code', {}, ann.hgvs), 'hgvs'] : null,
      ann?.note ? [t('note'), annotationNote(ann)] : null,
    ]),
    ann ? null : h('p', { class: 'note' }, t('annotationPending')),
  );
  const reviewSection = h('section', { class: 'card review', 'data-testid': 'review' }, h('h2', {}, t('review')), loadingBox());
  const readsBox = h('div', { class: 'igv-box', 'data-testid': 'igv' });
  const reads = h('section', { class: 'card reads' }, h('h2', {}, t('reads')), h('p', { class: 'note' }, t('readsHint')), readsBox);
  const title = t('svTitle', { type: sv.type, chrom: sv.chrom, start: formatNumber(sv.pos1), end: formatNumber(sv.end1) });
  setView(
    back,
    h('h1', { 'data-testid': 'sv-title', title }, typeChip(sv.type), ` ${sv.chrom}:${formatNumber(sv.pos1)}-${formatNumber(sv.end1)}`, h('small', {}, ` ${formatSize(sv.svlen, sv.svlenAtLeast)}`)),
    h('div', { class: 'grid' }, location_, evidence, scoring, annotation),
    reviewSection,
    reads,
  );
  void renderReview(token, sampleId, sv, reviewSection);
  fill(readsBox, h('p', { class: 'loading' }, t('readsLoading')));
  showReads(readsBox, { sampleId, genome, sv })
    .then(() => {
      readsBox.querySelector('.loading')?.remove();
      readsBox.dataset.ready = 'true';
    })
    .catch((e) => {
      if (token !== renderToken) return;
      fill(readsBox, h('p', { class: 'error', 'data-testid': 'igv-error' }, t('readsError', { message: e instanceof Error ? e.message : String(e) })));
    });
}

async function renderReview(token, sampleId, sv, section) {
  const heading = h('h2', {}, t('review'));
  let current;
  try {
    current = await api.review(sampleId, sv.id);
  } catch (e) {
    if (token !== renderToken) return;
    fill(section, heading, e instanceof ApiError && e.status === 404 ? h('p', { class: 'note' }, t('reviewUnavailable')) : errorBox(e, () => void renderReview(token, sampleId, sv, section)));
    return;
  }
  if (token !== renderToken) return;
  const r = current?.review ?? null;
  const status = h('p', { class: 'review-status', 'data-testid': 'review-status', 'aria-live': 'polite' });
  const stateRadios = h(
    'fieldset',
    { class: 'states' },
    h('legend', {}, t('reviewState')),
    REVIEW_STATES.map((s) =>
      h('label', { class: `state-choice state-${s}` }, h('input', { type: 'radio', name: 'state', value: s, checked: r?.state === s, required: true, 'data-testid': `state-${s}` }), h('span', {}, t(`states.${s}`))),
    ),
  );
  const acmg = h('select', { name: 'acmgClass', 'data-testid': 'acmg' }, h('option', { value: '' }, t('acmgNone')), ACMG_CLASSES.map((a) => h('option', { value: a, selected: r?.acmgClass === a }, t(`acmg.${a}`))));
  const comment = h('textarea', { name: 'comment', rows: 3, maxlength: 4000, 'data-testid': 'comment' });
  comment.value = r?.comment ?? '';
  const canReview = hasRole('biologist') || hasRole('admin');
  const saveBtn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'save-review', disabled: !canReview }, t('save'));
  const form = h(
    'form',
    { class: 'review-form' },
    stateRadios,
    h('label', { class: 'field' }, h('span', {}, t('acmgClass')), acmg),
    h('label', { class: 'field wide' }, h('span', {}, t('comment')), comment),
    h('div', { class: 'actions' }, saveBtn),
    status,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = new FormData(form);
    const content = { state: String(d.get('state')), acmgClass: d.get('acmgClass') ? String(d.get('acmgClass')) : null, comment: String(d.get('comment') ?? '') };
    saveBtn.disabled = true;
    saveBtn.textContent = t('saving');
    try {
      const saved = await api.putReview(sampleId, sv.id, content, current?.etag ?? null);
      current = saved;
      sv.review = { state: saved.review.state, acmgClass: saved.review.acmgClass, version: saved.review.version, at: saved.review.at, by: saved.review.by?.name };
      void renderReview(token, sampleId, sv, section).then(() => {
        const s = section.querySelector('[data-testid=review-status]');
        if (s) {
          s.textContent = t('saved', { version: saved.review.version });
          s.dataset.saved = String(saved.review.version);
        }
      });
    } catch (err) {
      saveBtn.disabled = false;
      saveBtn.textContent = t('save');
      if (err instanceof ApiError && err.status === 412) {
        fill(status, h('span', { class: 'error' }, t('reviewConflict')));
        const again = await api.review(sampleId, sv.id).catch(() => null);
        current = again;
        return;
      }
      if (err instanceof ApiError && err.status === 403) {
        fill(status, h('span', { class: 'error' }, t('reviewForbidden')));
        return;
      }
      fill(status, errorBox(err));
    }
  });
  const history = r?.history?.length
    ? h(
        'details',
        { class: 'history' },
        h('summary', {}, `${t('history')} (${r.history.length})`),
        h('ol', { reversed: true }, [...r.history].reverse().map((v) => h('li', {}, `v${v.version} · ${t(`states.${v.state}`)}${v.acmgClass ? ` · ${t(`acmg.${v.acmgClass}`)}` : ''} · ${v.by?.name ?? ''} · ${formatDate(v.at)}${v.comment ? ` — ${v.comment}` : ''}`))),
      )
    : null;
  fill(section,
    heading,
    h(
      'p',
      { class: 'review-current', 'data-testid': 'review-current', 'data-state': r?.state ?? '', 'data-version': r?.version ?? '' },
      r ? [reviewBadge(r), ' ', r.acmgClass ? `${t(`acmg.${r.acmgClass}`)} · ` : '', t('reviewCurrent', { version: r.version, by: r.by?.name ?? dash(), at: formatDate(r.at) })] : t('reviewNone'),
    ),
    form,
    history,
  );
}

// ---------------------------------------------------------------- audit

async function viewAudit(token, params) {
  stopPolling();
  const sampleId = params.get('sampleId') ?? '';
  const heading = h('h1', {}, t('auditTitle'));
  if (!hasRole('admin')) {
    setView(heading, h('p', { class: 'error' }, t('auditForbidden')));
    return;
  }
  const input = h('input', { name: 'sampleId', value: sampleId, 'data-testid': 'audit-sample', autocomplete: 'off' });
  const form = h('form', { class: 'filters' }, h('label', { class: 'field' }, h('span', {}, t('auditSample')), input), h('div', { class: 'filter-buttons' }, h('button', { type: 'submit', class: 'btn' }, t('auditSearch'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = input.value.trim() ? `#/audit?sampleId=${enc(input.value.trim())}` : '#/audit';
  });
  const tbody = h('tbody', {});
  const results = h('div', { class: 'sv-results' }, loadingBox());
  setView(heading, form, results);
  let next = null;
  const more = h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => void load() }, t('auditMore'));
  async function load() {
    let page;
    try {
      page = await api.audit({ sampleId: sampleId || undefined, pageSize: 100, continuationToken: next ?? undefined });
    } catch (e) {
      if (token === renderToken) fill(results, e instanceof ApiError && e.status === 404 && /no route/.test(e.message) ? h('p', { class: 'note' }, t('auditEmpty')) : errorBox(e, () => void load()));
      return;
    }
    if (token !== renderToken) return;
    next = page.continuationToken ?? null;
    for (const a of page.items ?? []) {
      tbody.append(
        h(
          'tr',
          { 'data-action': a.action, 'data-sv-id': a.svId ?? '' },
          h('td', { 'data-label': t('auditAt') }, formatDate(a.at)),
          h('td', { 'data-label': t('auditUser') }, a.user, a.roles?.length ? h('small', {}, ` (${a.roles.join(', ')})`) : null),
          h('td', { 'data-label': t('auditAction') }, t(`actions.${a.action}`) === `actions.${a.action}` ? a.action : t(`actions.${a.action}`)),
          h('td', { 'data-label': t('auditSample') }, a.sampleId ?? dash()),
          h('td', { 'data-label': t('auditSv') }, a.svId ?? dash()),
          h('td', { 'data-label': t('auditRoute'), class: 'route' }, `${a.method} ${a.route}`),
          h('td', { 'data-label': t('auditStatus'), class: 'num' }, String(a.status)),
        ),
      );
    }
    fill(results,
      tbody.children.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table stack-on-phone', 'data-testid': 'audit-table' },
              h('thead', {}, h('tr', {}, ...['auditAt', 'auditUser', 'auditAction', 'auditSample', 'auditSv', 'auditRoute', 'auditStatus'].map((k) => h('th', { scope: 'col' }, t(k))))),
              tbody,
            ),
          )
        : h('p', { class: 'empty' }, t('auditEmpty')),
      next ? more : null,
    );
  }
  await load();
}

// ---------------------------------------------------------------- router

async function render() {
  const token = ++renderToken;
  stopPolling();
  disposeReads();
  document.documentElement.lang = getLang();
  const mode = await serverMode();
  user = await currentUser();
  renderHeader();
  const [path, queryString] = (location.hash.replace(/^#/, '') || '/').split('?');
  const params = new URLSearchParams(queryString ?? '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'signin' || (!user && mode === 'local')) {
    if (parts[0] !== 'signin') {
      location.replace('#/signin');
      return;
    }
    return viewSignIn();
  }
  if (!user && mode === 'azure') {
    // Not signed in (or App Service authentication is off): the API will say so.
  }
  if (parts[0] === 'samples' && parts[1] && parts[2] === 'svs' && parts[3]) return viewSv(token, parts[1], parts[3]);
  if (parts[0] === 'samples' && parts[1]) return viewGenome(token, parts[1]);
  if (parts[0] === 'audit') return viewAudit(token, params);
  return viewSamples(token);
}

window.addEventListener('hashchange', () => void render());
void render();

/** The annotation's note in the page's language (the server writes it in English). */
function annotationNote(ann) {
  const note = String(ann.note);
  if (/^could not assess: reference build/.test(note)) return t('annotationUnknownBuild');
  if (note.startsWith('could not assess: ')) return t('annotationNotAssessed', { detail: note.slice('could not assess: '.length) });
  return note;
}

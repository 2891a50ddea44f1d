// TransferLab dashboard: plain JavaScript over the gateway's /api/v1 and Chart.js. The API key lives in
// localStorage and goes in the Authorization header; SSE is read with fetch() because EventSource cannot send it.
'use strict';

const $ = (id) => document.getElementById(id);
const keyInput = $('api-key');
keyInput.value = localStorage.getItem('transferlab.apiKey') || '';
keyInput.addEventListener('change', () => localStorage.setItem('transferlab.apiKey', keyInput.value.trim()));

function authHeaders(extra) {
  const h = Object.assign({}, extra || {});
  if (keyInput.value.trim()) h['Authorization'] = 'Bearer ' + keyInput.value.trim();
  return h;
}

function setStatus(id, text, error) {
  const el = $(id);
  el.textContent = text;
  el.classList.toggle('error', !!error);
}

async function api(method, path, body, headers) {
  const res = await fetch(path, { method, body, headers: authHeaders(headers) });
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const detail = data && data.detail ? data.detail : res.statusText;
    const violations = data && data.violations ? ' — ' + data.violations.map(v => v.path + ' ' + v.message).join('; ') : '';
    throw new Error(res.status + ': ' + detail + violations);
  }
  return data;
}

// ---- classify -------------------------------------------------------------------------------------------------
$('classify-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const file = $('classify-file').files[0];
  if (!file) return;
  const form = new FormData();
  form.append('image', file);
  form.append('model', $('classify-model').value);
  form.append('topK', $('classify-topk').value);
  setStatus('classify-status', 'classifying ' + file.name + ' …');
  try {
    const c = await api('POST', '/api/v1/classifications', form);
    const rows = c.predictions.map((p, i) =>
      `<tr><td>${i + 1}</td><td>${escapeHtml(p.label)}</td><td><span class="bar" style="width:${Math.round(p.score * 120)}px"></span>${p.score.toFixed(3)}</td></tr>`);
    $('classify-results').querySelector('tbody').innerHTML = rows.join('');
    setStatus('classify-status', `${c.modelId} v${c.modelVersion ?? '?'} — ${c.width}x${c.height} ${c.imageFormat} — request ${c.requestId}`);
  } catch (e) {
    setStatus('classify-status', e.message, true);
  }
});

// ---- charts ---------------------------------------------------------------------------------------------------
function lineChart(canvas, label) {
  return new Chart($(canvas), {
    type: 'line',
    data: { labels: [], datasets: [
      { label: 'train ' + label, data: [], borderColor: '#1e88e5', tension: 0.2 },
      { label: 'validation ' + label, data: [], borderColor: '#e53935', tension: 0.2 } ] },
    options: { animation: false, responsive: true, scales: { x: { title: { display: true, text: 'epoch' } } } }
  });
}
const accuracyChart = lineChart('accuracy-chart', 'accuracy');
const lossChart = lineChart('loss-chart', 'loss');
const classChart = new Chart($('class-chart'), {
  type: 'bar', data: { labels: [], datasets: [{ label: 'accuracy %', data: [], backgroundColor: '#43a047' }] },
  options: { animation: false, scales: { y: { min: 0, max: 100 } } }
});

function resetCharts() {
  for (const c of [accuracyChart, lossChart, classChart]) {
    c.data.labels = [];
    c.data.datasets.forEach(d => d.data = []);
    c.update();
  }
  $('confusion').innerHTML = '';
}

function addEpoch(m) {
  if (accuracyChart.data.labels.includes(m.epoch)) return;
  accuracyChart.data.labels.push(m.epoch);
  accuracyChart.data.datasets[0].data.push(m.accuracy);
  accuracyChart.data.datasets[1].data.push(m.valAccuracy ?? null);
  lossChart.data.labels.push(m.epoch);
  lossChart.data.datasets[0].data.push(m.loss);
  lossChart.data.datasets[1].data.push(m.valLoss ?? null);
  accuracyChart.update();
  lossChart.update();
}

function showResult(r) {
  (r.history || []).forEach(addEpoch);
  if (r.confusionMatrix) drawConfusion(r.confusionMatrix);
  if (r.perClassAccuracy) {
    classChart.data.labels = r.perClassAccuracy.map(c => c.label);
    classChart.data.datasets[0].data = r.perClassAccuracy.map(c => c.accuracy);
    classChart.update();
  }
  const test = r.metrics && r.metrics.testAccuracy != null ? ' — test accuracy ' + r.metrics.testAccuracy.toFixed(3) : '';
  setStatus('train-status', `run ${r.runId}: ${r.status}${test}${r.error ? ' — ' + r.error.message : ''}`, r.status === 'FAILED');
}

function drawConfusion(cm) {
  const max = Math.max(1, ...cm.counts.flat());
  let html = '<tr><th></th>' + cm.labels.map(l => `<th>${escapeHtml(l)}</th>`).join('') + '</tr>';
  cm.counts.forEach((row, p) => {
    html += `<tr><th>${escapeHtml(cm.labels[p])}</th>` + row.map(v => {
      const a = v / max;
      return `<td style="background: rgba(30,136,229,${a.toFixed(2)}); color: ${a > 0.5 ? '#fff' : '#222'}">${v}</td>`;
    }).join('') + '</tr>';
  });
  $('confusion').innerHTML = html;
}

// ---- SSE over fetch -------------------------------------------------------------------------------------------
let currentStream = null;

async function follow(path, onEvent, onOpen) {
  if (currentStream) currentStream.abort();
  const controller = new AbortController();
  currentStream = controller;
  const res = await fetch(path, { headers: authHeaders({ Accept: 'text/event-stream' }), signal: controller.signal });
  if (!res.ok) throw new Error(res.status + ': ' + ((await res.json().catch(() => ({}))).detail || res.statusText));
  if (onOpen) onOpen();
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = 'message';
      const data = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(name, JSON.parse(data.join('\n')));
    }
  }
}

function followRun(runId) {
  resetCharts();
  setStatus('train-status', 'following run ' + runId + ' …');
  follow('/api/v1/trainings/' + encodeURIComponent(runId) + '/events', (name, data) => {
    if (name === 'snapshot') { (data.history || []).forEach(addEpoch); if (data.status && data.confusionMatrix) showResult(data); }
    else if (name === 'progress') { addEpoch(data.metrics); setStatus('train-status', `run ${runId}: epoch ${data.metrics.epoch}/${data.totalEpochs}`); }
    else if (name === 'result') showResult(data);
  }, () => setStatus('train-status', 'following run ' + runId + ' (connected)')).catch(e => { if (e.name !== 'AbortError') setStatus('train-status', e.message, true); });
}

$('follow-form').addEventListener('submit', (ev) => { ev.preventDefault(); followRun($('follow-run').value.trim()); });

$('train-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const spec = {
    dataset: $('train-dataset').value, backbone: $('train-backbone').value, optimizer: $('train-optimizer').value,
    epochs: Number($('train-epochs').value), trainSize: Number($('train-size').value)
  };
  const body = { spec };
  if ($('train-model').value.trim()) body.modelId = $('train-model').value.trim();
  try {
    const t = await api('POST', '/api/v1/trainings', JSON.stringify(body), { 'Content-Type': 'application/json' });
    $('follow-run').value = t.runId;
    followRun(t.runId);
  } catch (e) {
    setStatus('train-status', e.message, true);
  }
});

// ---- tuning and the sortable runs table -----------------------------------------------------------------------
let runsRows = [];
let sortKey = 'rank';
let sortAsc = true;

function columnsOf(rows) {
  const flags = new Set();
  const metrics = new Set();
  rows.forEach(r => { Object.keys(r.flags || {}).forEach(k => flags.add(k)); Object.keys(r.metrics || {}).forEach(k => metrics.add(k)); });
  return ['rank', 'runId', 'status', ...[...flags].sort(), ...[...metrics].sort(), 'epochsCompleted'];
}

function cell(r, col) {
  if (col in (r.flags || {})) return r.flags[col];
  if (col in (r.metrics || {})) return r.metrics[col];
  return r[col];
}

function renderRuns() {
  const cols = columnsOf(runsRows);
  const sorted = [...runsRows].sort((a, b) => {
    const x = cell(a, sortKey), y = cell(b, sortKey);
    if (x == null && y == null) return 0;
    if (x == null) return 1;
    if (y == null) return -1;
    return (x < y ? -1 : x > y ? 1 : 0) * (sortAsc ? 1 : -1);
  });
  const table = $('runs-table');
  table.querySelector('thead').innerHTML = '<tr>' + cols.map(c =>
    `<th data-col="${c}" class="${c === sortKey ? (sortAsc ? 'asc' : 'desc') : ''}">${c}</th>`).join('') + '</tr>';
  table.querySelector('tbody').innerHTML = sorted.map(r => '<tr>' + cols.map(c => {
    const v = cell(r, c);
    return `<td>${v == null ? '' : typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : escapeHtml(String(v))}</td>`;
  }).join('') + '</tr>').join('');
  table.querySelectorAll('th').forEach(th => th.addEventListener('click', () => {
    const col = th.dataset.col;
    sortAsc = col === sortKey ? !sortAsc : true;
    sortKey = col;
    renderRuns();
  }));
}

async function loadStudy(studyId) {
  try {
    const s = await api('GET', '/api/v1/tunings/' + encodeURIComponent(studyId));
    runsRows = s.runs || [];
    renderRuns();
    setStatus('tune-status', `study ${s.studyId}: ${s.status}, ${s.trialCount} trials, best ${s.bestRunId || '—'} (${s.objective ? s.objective.metric : ''} ${s.bestValue ?? ''})`);
  } catch (e) {
    setStatus('tune-status', e.message, true);
  }
}

function followStudy(studyId) {
  follow('/api/v1/tunings/' + encodeURIComponent(studyId) + '/events', (name) => {
    if (name === 'snapshot' || name === 'result') loadStudy(studyId);
  }).catch(e => { if (e.name !== 'AbortError') setStatus('tune-status', e.message, true); });
}

$('study-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadStudy($('study-id').value.trim()); });

$('tune-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    const body = {
      name: $('tune-name').value, baseSpec: JSON.parse($('tune-base').value), grid: JSON.parse($('tune-grid').value),
      maxParallel: Number($('tune-parallel').value)
    };
    const t = await api('POST', '/api/v1/tunings', JSON.stringify(body), { 'Content-Type': 'application/json' });
    $('study-id').value = t.studyId;
    setStatus('tune-status', `study ${t.studyId} queued: ${t.trialCount} trials`);
    followStudy(t.studyId);
  } catch (e) {
    setStatus('tune-status', e.message, true);
  }
});

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

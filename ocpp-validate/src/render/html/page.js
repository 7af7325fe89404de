// Draws the report from the JSON in #report-data: a trace report (`ocpp-validate report`)
// or a conformance run (`ocpp-conformance run --format html`). No network, no libraries.
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('report-data').textContent);
  const SVG = 'http://www.w3.org/2000/svg';
  const SEQUENCE_WINDOW = 40;
  const FINDINGS_PAGE = 200;
  const STATUS_COLOURS = {
    Available: '#3a9d5d', Preparing: '#6cb4e4', Charging: '#2f6fd1', Occupied: '#2f6fd1',
    SuspendedEV: '#9b7fd4', SuspendedEVSE: '#b58ad9', Finishing: '#58a6a6',
    Reserved: '#e0a030', Unavailable: '#8a8a8a', Faulted: '#d23c3c',
  };

  // Element helpers: attributes as an object, children as nodes or text.
  function build(make, attrs, children) {
    const node = make();
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const el = (tag, attrs, ...children) => build(() => document.createElement(tag), attrs, children);
  const svg = (tag, attrs, ...children) =>
    build(() => document.createElementNS(SVG, tag), attrs, children);

  // RFC 3339 to milliseconds; fractions past milliseconds are dropped.
  function millis(text) {
    if (!text) return NaN;
    return Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
  }
  function shownTime(ms) {
    return Number.isFinite(ms) ? new Date(ms).toISOString().replace('T', ' ').replace('Z', '') : '';
  }
  // A time for an axis label: without the year and milliseconds.
  function axisTime(ms) {
    return shownTime(ms).slice(5, 19);
  }
  function number(value, digits) {
    if (value === undefined || value === null) return '';
    return Number(value).toLocaleString('en-US', { maximumFractionDigits: digits ?? 1 });
  }
  function duration(seconds) {
    if (seconds === undefined || seconds === null) return '';
    const s = Math.round(seconds);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return h ? `${h} h ${m} min` : m ? `${m} min ${s % 60} s` : `${s} s`;
  }
  // Extremes of long lists (spreading them into Math.max would overflow the call stack).
  const largest = (values) => values.reduce((a, b) => (b > a ? b : a), -Infinity);
  const smallest = (values) => values.reduce((a, b) => (b < a ? b : a), Infinity);
  function table(head, rows, attrs) {
    return el('table', attrs,
      el('thead', {}, el('tr', {}, ...head.map(([text, cls]) => el('th', { class: cls }, text)))),
      el('tbody', {}, ...rows));
  }
  function card(label, value, cls) {
    return el('div', { class: 'card' }, label, el('b', { class: cls }, value));
  }

  // One tooltip for everything that carries data-tip.
  const tooltip = el('div', { id: 'tooltip' });
  document.body.append(tooltip);
  document.addEventListener('mousemove', (event) => {
    const target = event.target.closest ? event.target.closest('[data-tip]') : null;
    if (!target) { tooltip.style.display = 'none'; return; }
    tooltip.textContent = target.getAttribute('data-tip');
    tooltip.style.display = 'block';
    tooltip.style.left = `${Math.min(event.clientX + 12, window.innerWidth - 320)}px`;
    tooltip.style.top = `${event.clientY + 14}px`;
  });

  // The sequence diagram of `messages` (station on the left, CSMS on the right). Each message
  // has from, kind, action, id, errorCode, text, rules, leftOutBefore; `options.step(m)` gives
  // a message's step label and `options.failing(m)` whether it belongs to a failing step.
  function sequence(messages, options) {
    const opts = options || {};
    const left = opts.step ? 190 : 130, right = left + 560, row = 24, top = 34;
    const rows = [];
    for (const message of messages) {
      if (message.leftOutBefore) rows.push({ gap: message.leftOutBefore });
      rows.push({ message });
    }
    if (opts.leftOutAfter) rows.push({ gap: opts.leftOutAfter });
    const height = top + rows.length * row + 10;
    const root = svg('svg', { class: 'sequence', width: right + 230, height,
      viewBox: `0 0 ${right + 230} ${height}` });
    root.append(
      svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5,
        markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#41597a' }))),
      svg('text', { x: left, y: 14, 'text-anchor': 'middle', class: 'lane-label' }, 'Charging station'),
      svg('text', { x: right, y: 14, 'text-anchor': 'middle', class: 'lane-label' }, 'CSMS'),
      svg('line', { x1: left, y1: 20, x2: left, y2: height, class: 'lifeline' }),
      svg('line', { x1: right, y1: 20, x2: right, y2: height, class: 'lifeline' }));
    rows.forEach((entry, index) => {
      const y = top + index * row;
      if (entry.gap !== undefined) {
        root.append(svg('g', { class: 'gap' }, svg('text', { x: (left + right) / 2, y: y + 4,
          'text-anchor': 'middle' }, `… ${number(entry.gap, 0)} messages left out …`)));
        return;
      }
      const m = entry.message;
      const response = m.kind && m.kind !== 'CALL' && m.kind !== 'SEND';
      const classes = ['msg', `kind-${m.kind || 'unknown'}`, response ? 'response' : '',
        opts.failing && opts.failing(m) ? 'failing-step' : '',
        opts.picked && opts.picked(m) ? 'picked' : ''].filter(Boolean).join(' ');
      const tip = [`${m.kind || 'record'} ${m.action || ''} ${m.id ? `id ${m.id}` : ''}`.trim(),
        m.at ? `at ${m.at}` : '', m.errorCode ? `error code ${m.errorCode}` : '',
        m.rules && m.rules.length ? `findings: ${m.rules.join(', ')}` : '', m.text || '']
        .filter(Boolean).join('\n');
      const group = svg('g', { class: classes, 'data-tip': tip, 'data-record': m.record });
      group.append(svg('rect', { class: 'step-band', x: 0, y: y - row / 2 - 2, width: right + 230,
        height: row, fill: 'transparent' }));
      if (opts.step) {
        group.append(svg('text', { x: 4, y: y + 4, class: 'muted' }, opts.step(m)));
      }
      const label = `${m.kind || 'record'} ${m.action || ''}${m.errorCode ? ` ${m.errorCode}` : ''}`;
      if (m.from === 'station' || m.from === 'csms') {
        const [x1, x2] = m.from === 'station' ? [left, right] : [right, left];
        group.append(svg('line', { x1, y1: y, x2, y2: y, 'marker-end': 'url(#arrow)' }),
          svg('text', { x: (left + right) / 2, y: y - 4, 'text-anchor': 'middle', class: 'label' }, label));
      } else {
        group.append(svg('circle', { cx: (left + right) / 2, cy: y, r: 3, fill: '#41597a' }),
          svg('text', { x: (left + right) / 2 + 8, y: y - 4, class: 'label' }, `${label} (sender unknown)`));
      }
      if (m.at) {
        group.append(svg('text', { x: right + 12, y: y + 4, class: 'muted' }, shownTime(millis(m.at))));
      }
      if (m.rules && m.rules.length) {
        const severity = opts.severity ? opts.severity(m) : 'error';
        group.append(svg('circle', { class: `finding-mark ${severity}`, cx: right + 200, cy: y, r: 6,
          'data-tip': `findings: ${m.rules.join(', ')}` }));
      }
      root.append(group);
    });
    return root;
  }

  // A time axis of `width` px from `start` to `end` (ms), with a few labels, at height `y`.
  function axis(start, end, x0, width, y) {
    const group = svg('g', { class: 'axis' });
    for (let i = 0; i <= 4; i++) {
      const x = x0 + (width * i) / 4;
      group.append(svg('line', { x1: x, y1: y, x2: x, y2: y + 4 }),
        svg('text', { x, y: y + 15, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' },
          axisTime(start + ((end - start) * i) / 4)));
    }
    return group;
  }

  // The status timeline: one row of coloured bands per connector.
  function timeline(point) {
    const connectors = point.connectors.filter((c) => c.timeline.some((s) => Number.isFinite(millis(s.at))));
    if (!connectors.length) return el('p', { class: 'muted' }, 'No StatusNotification with a time.');
    const times = connectors.flatMap((c) => c.timeline.map((s) => millis(s.at))).filter(Number.isFinite);
    const end = Math.max(largest(times), millis(point.lastMessage) || -Infinity);
    const start = smallest(times);
    const span = Math.max(end - start, 1);
    const x0 = 70, width = 820, row = 22;
    const root = svg('svg', { class: 'timeline', width: x0 + width + 10, height: connectors.length * row + 30 });
    const seen = new Set();
    connectors.forEach((connector, index) => {
      const y = index * row + 4;
      root.append(svg('text', { x: 0, y: y + 14 }, `connector ${connector.connector}`));
      const reports = connector.timeline.filter((s) => Number.isFinite(millis(s.at)));
      reports.forEach((report, i) => {
        const from = millis(report.at);
        const to = i + 1 < reports.length ? millis(reports[i + 1].at) : end;
        seen.add(report.status);
        const tip = `${report.status}${report.errorCode ? ` (${report.errorCode})` : ''}\n` +
          `${shownTime(from)} → ${shownTime(to)}`;
        root.append(svg('rect', { class: 'band', 'data-status': report.status, 'data-tip': tip,
          x: x0 + ((from - start) / span) * width, y, height: row - 6,
          width: Math.max(((to - from) / span) * width, 1),
          fill: STATUS_COLOURS[report.status] || '#b0b7c3' }));
      });
    });
    root.append(axis(start, end, x0, width, connectors.length * row + 2));
    const legend = el('div', { class: 'legend' }, ...[...seen].map((status) =>
      el('span', {}, el('span', { class: 'swatch', style: `background:${STATUS_COLOURS[status] || '#b0b7c3'}` }), status)));
    return el('div', {}, root, legend);
  }

  // A session's power (W) and energy (Wh, from its first sample) over time, jumps marked.
  function sessionChart(session) {
    const samples = session.samples.filter((s) => Number.isFinite(millis(s.at)));
    if (samples.length < 2) return el('p', { class: 'muted' }, 'Too few timed meter samples to draw.');
    const x0 = 60, width = 780, height = 140;
    const start = millis(samples[0].at), end = millis(samples[samples.length - 1].at);
    const span = Math.max(end - start, 1);
    const x = (ms) => x0 + ((ms - start) / span) * width;
    const root = svg('svg', { class: 'session-chart', width: x0 + width + 60, height: height + 30 });
    const series = [['powerW', 'power', 'W'], ['energyWh', 'energy', 'Wh']];
    for (const [key, cls, unit] of series) {
      const points = samples.filter((s) => s[key] !== undefined && s[key] !== null);
      if (!points.length) continue;
      const base = key === 'energyWh' ? Number(points[0][key]) : 0;
      const values = points.map((s) => Number(s[key]) - base);
      const low = Math.min(smallest(values), 0);
      const top = Math.max(largest(values), low + 1);
      const y = (v) => height - ((v - low) / (top - low)) * (height - 10);
      const d = points.map((s, i) => `${i ? 'L' : 'M'} ${x(millis(s.at)).toFixed(1)} ${y(values[i]).toFixed(1)}`).join(' ');
      root.append(svg('path', { class: cls, d, 'data-tip': `${cls}, up to ${number(top)} ${unit}` }));
      root.append(svg('text', { x: cls === 'power' ? 0 : x0 + width + 4, y: 12, class: 'muted' },
        `${number(top)} ${unit}`));
    }
    for (const jump of session.jumps || []) {
      const at = millis(jump.at);
      if (!Number.isFinite(at)) continue;
      root.append(svg('circle', { class: 'jump', cx: x(at), cy: 8, r: 4,
        'data-tip': `jump of ${jump.quantity}: ${number(jump.from)} → ${number(jump.to)}\n${shownTime(at)}` }));
    }
    root.append(axis(start, end, x0, width, height + 2));
    return el('div', {}, root, el('div', { class: 'legend' },
      el('span', {}, el('span', { class: 'swatch', style: 'background:#2f6fd1' }), 'power (W)'),
      el('span', {}, el('span', { class: 'swatch', style: 'background:#2e8b57' }), 'energy since start (Wh)'),
      el('span', {}, el('span', { class: 'swatch', style: 'background:#c62f2f' }), 'jump')));
  }

  function traceReport() {
    const main = el('main');
    const counts = data.counts;
    const severities = new Map(data.rules.map((r) => [r.rule, r.severity]));
    document.body.prepend(el('header', {},
      el('h1', {}, data.title),
      el('p', { class: 'muted' }, `Inputs: ${data.inputs.join(', ')}`),
      el('div', { class: 'cards' },
        card('records', number(counts.records, 0)),
        card('charge points', number(data.chargePoints.length, 0)),
        card('errors', number(counts.errors, 0), counts.errors ? 'severity-error' : ''),
        card('warnings', number(counts.warnings, 0), counts.warnings ? 'severity-warning' : ''),
        card('infos', number(counts.infos, 0)))));
    document.body.append(main);

    const pointSection = el('section', { id: 'point' });
    const select = el('select', { id: 'charge-point' }, ...data.chargePoints.map((p, i) =>
      el('option', { value: i }, p.id ?? '(records naming no charge point)')));
    const body = el('div', { id: 'point-body' });
    pointSection.append(el('h2', {}, 'Charge point'), el('div', { class: 'controls' }, select), body);

    let shown = 0;
    let sequenceStart = 0;
    let picked = null;
    // Shows a charge point; with `record` (a finding), the window of its messages around it.
    function showPoint(index, record) {
      shown = index;
      picked = record || null;
      const point = data.chargePoints[index];
      if (record) {
        const at = point.log.findIndex((m) => m.record >= record.record && m.input === record.input);
        sequenceStart = Math.max(0, (at < 0 ? 0 : at) - Math.floor(SEQUENCE_WINDOW / 4));
      }
      redraw();
    }
    function redraw() {
      select.value = String(shown);
      body.replaceChildren(...pointView(data.chargePoints[shown]));
      for (const row of document.querySelectorAll('#overview tbody tr')) {
        row.classList.toggle('selected', Number(row.dataset.index) === shown);
      }
    }
    select.addEventListener('change', () => { sequenceStart = 0; showPoint(Number(select.value)); });

    function pointView(point) {
      const parts = [];
      parts.push(el('div', { class: 'cards' },
        card('availability', point.availability),
        card('messages', number(point.messages, 0)),
        card('errors', number(point.errors, 0), point.errors ? 'severity-error' : ''),
        card('sessions', number(point.sessions.length, 0)),
        card('energy', point.totalEnergyWh !== undefined ? `${number(point.totalEnergyWh / 1000, 2)} kWh` : '–'),
        card('last message', point.lastMessage ? shownTime(millis(point.lastMessage)) : '–')));
      if (point.boots.length) {
        parts.push(el('h3', {}, 'Boots'), table([['time'], ['vendor'], ['model'], ['firmware'], ['answer']],
          point.boots.map((b) => el('tr', {}, el('td', {}, b.at ? shownTime(millis(b.at)) : ''),
            el('td', {}, b.vendor), el('td', {}, b.model), el('td', {}, b.firmware || ''), el('td', {}, b.status || '')))));
      }
      parts.push(el('h3', {}, 'Connector status'), timeline(point));
      if (point.statusReportsLeftOut) {
        parts.push(el('p', { class: 'note' }, `${number(point.statusReportsLeftOut, 0)} older status reports are not drawn (limit ${number(data.limits.statusReports, 0)} per report).`));
      }
      parts.push(el('h3', {}, `Sessions (${point.sessions.length})`));
      if (point.sessions.length) {
        parts.push(table([['transaction'], ['connector'], ['id tag'], ['start'], ['stop'], ['duration', 'num'],
          ['energy Wh', 'num'], ['peak W', 'num'], ['stop reason'], ['jumps', 'num']],
        point.sessions.map((s) => el('tr', { class: 'session-row' }, el('td', {}, s.transactionId),
          el('td', {}, s.connector || ''), el('td', {}, s.idTag || ''),
          el('td', {}, s.start ? shownTime(millis(s.start)) : ''), el('td', {}, s.stop ? shownTime(millis(s.stop)) : 'open'),
          el('td', { class: 'num' }, duration(s.durationSeconds)), el('td', { class: 'num' }, number(s.energyWh)),
          el('td', { class: 'num' }, number(s.peakPowerW)), el('td', {}, s.stopReason || ''),
          el('td', { class: 'num' }, s.jumps.length)))));
        for (const s of point.sessions) {
          parts.push(el('section', { class: 'session', 'data-transaction': s.transactionId },
            el('h3', {}, `Session ${s.transactionId}${s.connector ? ` on connector ${s.connector}` : ''}`),
            sessionChart(s)));
        }
        if (point.samplesLeftOut) {
          parts.push(el('p', { class: 'note' }, `${number(point.samplesLeftOut, 0)} meter samples are not drawn (at most ${data.limits.sessionPoints} per session, ${number(data.limits.samples, 0)} per report).`));
        }
      }
      parts.push(el('h3', { id: 'sequence-title' }, 'Message sequence'));
      const log = point.log;
      if (!log.length) {
        parts.push(el('p', { class: 'muted' }, 'No messages kept.'));
        return parts;
      }
      const from = el('input', { id: 'sequence-from', type: 'number', min: 1, max: log.length, value: sequenceStart + 1, style: 'width:7em' });
      const last = Math.max(0, log.length - SEQUENCE_WINDOW);
      const move = (start) => { sequenceStart = Math.max(0, Math.min(start, last)); redraw(); };
      from.addEventListener('change', () => move(Number(from.value) - 1));
      const end = Math.min(sequenceStart + SEQUENCE_WINDOW, log.length);
      parts.push(el('div', { class: 'controls' },
        el('button', { id: 'sequence-previous', disabled: sequenceStart === 0, onclick: () => move(sequenceStart - SEQUENCE_WINDOW) }, '◀ earlier'),
        'from kept message', from,
        el('button', { id: 'sequence-next', disabled: sequenceStart >= last, onclick: () => move(sequenceStart + SEQUENCE_WINDOW) }, 'later ▶'),
        el('span', { class: 'muted' }, `showing ${sequenceStart + 1}–${end} of ${number(log.length, 0)} kept messages (the first ${data.limits.headMessages} and ${data.limits.contextMessages} around each finding)`)));
      parts.push(sequence(log.slice(sequenceStart, end), {
        leftOutAfter: end === log.length ? point.logLeftOut : 0,
        picked: (m) => picked !== null && m.input === picked.input && m.record === picked.record,
        severity: (m) => worst(m.rules.map((r) => severities.get(r))),
      }));
      return parts;
    }

    main.append(el('section', { id: 'overview' }, el('h2', {}, 'Charge points'),
      table([['charge point'], ['messages', 'num'], ['availability'], ['errors', 'num'], ['sessions', 'num'], ['energy kWh', 'num'], ['last message']],
        data.chargePoints.map((p, i) => el('tr', { class: 'clickable', 'data-index': i, onclick: () => { sequenceStart = 0; showPoint(i); } },
          el('td', {}, p.id ?? '–'), el('td', { class: 'num' }, number(p.messages, 0)), el('td', {}, p.availability),
          el('td', { class: 'num' }, number(p.errors, 0)), el('td', { class: 'num' }, p.sessions.length),
          el('td', { class: 'num' }, p.totalEnergyWh !== undefined ? number(p.totalEnergyWh / 1000, 2) : ''),
          el('td', {}, p.lastMessage ? shownTime(millis(p.lastMessage)) : ''))))),
    el('section', { id: 'rules' }, el('h2', {}, 'Findings per rule'),
      data.rules.length
        ? table([['rule'], ['severity'], ['count', 'num']], data.rules.map((r) => el('tr', {},
          el('td', {}, r.rule), el('td', { class: `severity-${r.severity}` }, r.severity), el('td', { class: 'num' }, number(r.count, 0)))))
        : el('p', {}, 'No findings.')),
    pointSection,
    findingsSection((finding) => {
      const index = data.chargePoints.findIndex((p) => (p.id ?? null) === (finding.chargePoint ?? null));
      if (index >= 0) {
        showPoint(index, finding);
        document.getElementById('sequence-title').scrollIntoView();
      }
    }));
    if (data.chargePoints.length) showPoint(0);
  }

  function worst(severities) {
    return ['error', 'warning', 'info'].find((s) => severities.includes(s)) || 'info';
  }

  // The findings table with filters by rule, severity and charge point, a page at a time.
  function findingsSection(onPick) {
    const findings = data.findings;
    const options = (values, all) => [el('option', { value: '' }, all), ...values.map((v) => el('option', { value: v }, v))];
    const unique = (f) => [...new Set(findings.map(f))].sort();
    const rule = el('select', { id: 'filter-rule' }, ...options(unique((f) => f.rule), 'every rule'));
    const severity = el('select', { id: 'filter-severity' }, ...options(['error', 'warning', 'info'], 'every severity'));
    const point = el('select', { id: 'filter-charge-point' }, ...options(unique((f) => f.chargePoint ?? '–'), 'every charge point'));
    const status = el('span', { class: 'muted', id: 'findings-status' });
    const tbody = el('tbody');
    let page = 0;
    const previous = el('button', { onclick: () => { page -= 1; draw(); } }, '◀');
    const next = el('button', { onclick: () => { page += 1; draw(); } }, '▶');
    function draw() {
      const chosen = findings.filter((f) => (!rule.value || f.rule === rule.value) &&
        (!severity.value || f.severity === severity.value) &&
        (!point.value || (f.chargePoint ?? '–') === point.value));
      const pages = Math.max(1, Math.ceil(chosen.length / FINDINGS_PAGE));
      page = Math.max(0, Math.min(page, pages - 1));
      const rows = chosen.slice(page * FINDINGS_PAGE, (page + 1) * FINDINGS_PAGE);
      tbody.replaceChildren(...rows.map((f) => el('tr', { class: 'finding-row clickable', onclick: () => onPick(f) },
        el('td', {}, data.inputs[f.input]), el('td', { class: 'num' }, f.line), el('td', {}, f.chargePoint ?? ''),
        el('td', { class: `severity-${f.severity}` }, f.severity), el('td', {}, f.rule),
        el('td', {}, f.pointer), el('td', {}, f.message))));
      previous.disabled = page === 0;
      next.disabled = page >= pages - 1;
      status.textContent = `${number(chosen.length, 0)} findings, page ${page + 1} of ${pages}` +
        (data.findingsLeftOut ? ` (${number(data.findingsLeftOut, 0)} more are counted per rule but not listed)` : '');
    }
    for (const filter of [rule, severity, point]) filter.addEventListener('change', () => { page = 0; draw(); });
    draw();
    const list = table([['input'], ['line', 'num'], ['charge point'], ['severity'], ['rule'], ['pointer'], ['message']], [], { id: 'findings-table' });
    list.querySelector('tbody').replaceWith(tbody);
    return el('section', { id: 'findings' }, el('h2', {}, 'Findings'),
      el('div', { class: 'controls' }, rule, severity, point, previous, next, status), list);
  }

  function runReport() {
    const totals = { pass: 0, fail: 0, skip: 0 };
    for (const c of data.cases) totals[c.status] += 1;
    document.body.prepend(el('header', {}, el('h1', {}, data.title),
      el('div', { class: 'cards' }, card('cases', data.cases.length),
        card('passed', totals.pass, 'status-pass'), card('failed', totals.fail, totals.fail ? 'status-fail' : ''),
        card('skipped', totals.skip, 'status-skip'))));
    const main = el('main');
    document.body.append(main);
    main.append(el('section', { id: 'cases-overview' }, el('h2', {}, 'Cases'),
      table([['case'], ['name'], ['verdict'], ['deviations', 'num']], data.cases.map((c) =>
        el('tr', { class: 'clickable', onclick: () => document.getElementById(`case-${c.id}`).scrollIntoView() },
          el('td', {}, c.id), el('td', {}, c.name), el('td', { class: `status-${c.status}` }, c.status),
          el('td', { class: 'num' }, c.deviations.length))))));
    for (const c of data.cases) {
      const failing = new Set(c.deviations.filter((d) => d.level === 'error').map((d) => d.step));
      const section = el('section', { class: `case status-${c.status}-case`, id: `case-${c.id}`, 'data-status': c.status },
        el('h2', {}, `${c.id} — ${c.name} `, el('span', { class: `status-${c.status}` }, c.status)));
      if (c.reason) section.append(el('p', { class: 'note' }, c.reason));
      if (c.deviations.length) {
        section.append(table([['step', 'num'], ['level'], ['rule'], ['what happened']], c.deviations.map((d) =>
          el('tr', { class: 'deviation-row' }, el('td', { class: 'num' }, d.step),
            el('td', { class: `severity-${d.level}` }, d.level), el('td', {}, d.rule), el('td', {}, d.message)))));
      }
      if (c.exchange.length) {
        const messages = c.exchange.map((m) => ({ ...m, rules: failing.has(m.step) ? c.deviations.filter((d) => d.step === m.step).map((d) => d.rule) : [] }));
        // A deviation is marked once, on the last frame of its step.
        messages.forEach((m, i) => { if (i + 1 < messages.length && messages[i + 1].step === m.step) m.rules = []; });
        section.append(sequence(messages, { step: (m) => `step ${m.step}`, failing: (m) => failing.has(m.step), leftOutAfter: c.exchangeLeftOut }));
      }
      main.append(section);
    }
  }

  if (data.kind === 'run') runReport();
  else traceReport();
  document.body.setAttribute('data-ready', 'true');
}());

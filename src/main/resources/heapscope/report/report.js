// heapscope HTML report: turns the embedded JSON into the interactive table, flame graph and charts. A leak
// report's data is the document of --format json (docs/json-report.md), its long lists cut as `capped` says.
// Every string from the capture or the ELF reaches the page through textContent or setAttribute, never as markup.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('heapscope-data').textContent);
  var LEAK_REPORT = /^heapscope\/leak-report\//.test(data.schema || '');
  var SVG = 'http://www.w3.org/2000/svg';
  var PAGE = 100; // table rows drawn at once: 5,000 sites stay responsive

  function el(tag, props, text) {
    var e = document.createElement(tag);
    for (var k in props || {}) e.setAttribute(k, props[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function sv(tag, props, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in props || {}) e.setAttribute(k, props[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function count(n) { return Number(n).toLocaleString('en-US'); }
  function bytes(n) {
    if (n < 1024) return n + ' B';
    var u = ['KiB', 'MiB', 'GiB'], i = -1;
    do { n /= 1024; i++; } while (n >= 1024 && i < 2);
    return n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0) + ' ' + u[i];
  }
  function secs(ns) { var s = ns / 1e9; return (s < 10 ? s.toFixed(3) : s.toFixed(1)) + ' s'; }
  function section(id) { return document.getElementById(id); }
  function width(node) { return Math.max(480, Math.min(1168, node.clientWidth || 1168)); }

  // times in the document are the capture's clock: the charts start at its first event
  function since(ns) { return ns - data.capture.first_ns; }
  // how many entries a list had before the page cut it (docs/json-report.md, `capped`)
  function whole(list, shown) { return data.capped && data.capped[list] !== undefined ? data.capped[list] : shown; }

  // ---- source paths: shown without the directory every one of them shares (--source-root when given), the full
  // path on hover; with --source-root, a site links to its line in VS Code (vscode://file/PATH:LINE)

  var SOURCE_ROOT = (document.querySelector('main') || document.body).getAttribute('data-source-root');
  var PREFIX = (function () {
    if (!LEAK_REPORT) return '';
    if (SOURCE_ROOT) return SOURCE_ROOT.replace(/\\/g, '/').replace(/\/+$/, '') + '/';
    var files = [];
    if (data.sites) data.sites.list.forEach(function (s) { if (s.file) files.push(s.file); });
    (data.groups || []).forEach(function (g) {
      (g.frames || []).forEach(function (c) { c.frames.forEach(function (f) { if (f.file) files.push(f.file); }); });
    });
    if (files.length < 2) return '';
    var p = files[0].slice(0, files[0].lastIndexOf('/') + 1);
    files.forEach(function (f) { while (p && f.indexOf(p) !== 0) p = p.slice(0, p.lastIndexOf('/', p.length - 2) + 1); });
    return p === '/' ? '' : p;
  })();
  function shortPath(file) { return PREFIX && file.indexOf(PREFIX) === 0 ? file.slice(PREFIX.length) : file; }
  // a stack line as the JSON has it ("0x...: f at /project/main/x.c:3"), its paths shortened
  function shortLine(line) { return PREFIX ? line.split(' at ' + PREFIX).join(' at ') : line; }
  function editorLink(file, line) {
    if (!SOURCE_ROOT || !file || file.indexOf(PREFIX) !== 0) return null;
    return 'vscode://file' + (file.charAt(0) === '/' ? '' : '/') + encodeURI(file) + ':' + line;
  }

  // ---- leak table: sortable, filterable, paged; a click on a row shows its stack

  // a leak group by its rank (1 = largest); undefined when the page's cut left it out
  function group(rank) { return data.groups[rank - 1]; }

  function stackLines(g) {
    var out = [];
    g.callers.forEach(function (a) {
      var lines = data.caller_lines[a];
      for (var k = 0; k < lines.length; k++) out.push(lines[k]);
    });
    return out;
  }

  function sizes(list) {
    if (!list.length) return '';
    var min = list[0].size, max = list[list.length - 1].size;
    return min === max ? min + ' B' : min + '..' + max + ' B';
  }

  function describe(c) {
    return c.kind === 'isr' ? 'IRQ "' + c.name + '"' : c.kind === 'unknown' ? 'unknown context' : 'task "' + c.name + '"';
  }

  // the innermost callers, which tell stacks apart when all of them start in the same allocator wrapper
  function innermost(callers) {
    if (!callers.length) return '(no callers recorded)';
    return callers.slice(0, 3).join(' ← ') + (callers.length > 3 ? ' ← …' : '');
  }

  // one row per allocation site with an ELF (sites.list), per leak group without; `groups` are ranks
  function leakRows() {
    if (data.sites) {
      return data.sites.list.map(function (s) {
        return { label: (s['function'] === null ? s.address : s['function']) + (s.file === null ? '' : ' at ' + shortPath(s.file) + ':' + s.line),
          full: s.file === null ? null : s.file + ':' + s.line, link: editorLink(s.file, s.line),
          who: s.component || '', sizes: sizes(s.sizes), bytes: s.bytes, blocks: s.blocks, groups: s.groups,
          rule: s.rule && s.rule.title, explain: s.rule && s.rule.explain, fix: s.rule && s.rule.fix, expected: s.rule && s.rule.kind === 'expected' };
      });
    }
    return data.groups.map(function (g) {
      return { label: innermost(g.callers), who: g.contexts.map(describe).join(', '), sizes: sizes(g.sizes), bytes: g.bytes,
        blocks: g.blocks, groups: [g.rank], suppressed: g.suppressed_by };
    });
  }

  function table() {
    var sec = section('sites');
    var bySite = !!data.sites;
    var rows = leakRows().map(function (r, i) { r.rank = i + 1; return r; });
    var total = bySite ? whole('sites', rows.length) : whole('groups', rows.length);
    var old = section('static-rows');
    if (old) old.remove();
    var more = sec.querySelector('.more');
    if (more) more.remove();
    var tools = el('div', { class: 'tools' });
    var filter = el('input', { type: 'search', id: 'filter', placeholder: 'filter: function, file, task, component…' });
    var shown = el('span', { id: 'row-count', class: 'hint' });
    tools.append(filter, shown);
    var cols = [
      { key: 'rank', name: '#', num: true },
      { key: 'bytes', name: 'bytes', num: true },
      { key: 'blocks', name: 'blocks', num: true },
      { key: 'sizes', name: 'sizes' },
      { key: 'who', name: bySite ? 'component' : 'tasks' },
      { key: 'label', name: bySite ? 'site' : 'innermost callers' }
    ];
    var t = el('table', { class: 'rows', id: 'leak-table' });
    var head = el('tr');
    var body = el('tbody');
    t.append(el('thead'), body);
    t.tHead.append(head);
    var pager = el('div', { class: 'pager' });
    var prev = el('button', { type: 'button', id: 'prev' }, '‹ previous');
    var next = el('button', { type: 'button', id: 'next' }, 'next ›');
    var where = el('span', { class: 'hint', id: 'page' });
    pager.append(prev, where, next);
    sec.append(tools, t, pager);

    var state = { key: 'rank', dir: 1, page: 0, open: {} };
    var view = rows;
    var haystack = [];
    function text(r) {
      if (haystack[r.rank] === undefined) {
        var parts = [r.label, r.who, r.sizes, r.rule || ''];
        r.groups.forEach(function (rank) { if (group(rank)) parts.push(stackLines(group(rank)).join('\n')); });
        haystack[r.rank] = parts.join('\n').toLowerCase();
      }
      return haystack[r.rank];
    }
    cols.forEach(function (c) {
      var th = el('th', { class: 'sortable' + (c.num ? ' num' : ''), 'data-key': c.key }, c.name);
      th.addEventListener('click', function () {
        state.dir = state.key === c.key ? -state.dir : (c.num && c.key !== 'rank' ? -1 : 1);
        state.key = c.key;
        state.page = 0;
        update();
      });
      head.append(th);
    });
    function update() {
      var q = filter.value.trim().toLowerCase();
      view = q ? rows.filter(function (r) { return text(r).indexOf(q) >= 0; }) : rows.slice();
      var k = state.key, d = state.dir;
      view.sort(function (a, b) {
        var x = a[k], y = b[k];
        if (k === 'sizes') { x = parseInt(x, 10) || 0; y = parseInt(y, 10) || 0; }
        return (x < y ? -1 : x > y ? 1 : 0) * d || a.rank - b.rank;
      });
      head.querySelectorAll('th').forEach(function (th) {
        th.classList.toggle('asc', th.dataset.key === k && d > 0);
        th.classList.toggle('desc', th.dataset.key === k && d < 0);
      });
      draw();
    }
    function draw() {
      var pages = Math.max(1, Math.ceil(view.length / PAGE));
      state.page = Math.min(state.page, pages - 1);
      body.textContent = '';
      var from = state.page * PAGE;
      var slice = view.slice(from, from + PAGE);
      slice.forEach(function (r) {
        var tr = el('tr', { class: 'row', 'data-rank': r.rank });
        tr.append(el('td', { class: 'num' }, r.rank), el('td', { class: 'num' }, count(r.bytes)),
          el('td', { class: 'num' }, count(r.blocks)), el('td', null, r.sizes), el('td', null, r.who));
        var label = el('td', r.full ? { title: r.full } : null, r.label);
        if (r.link) {
          var open = el('a', { class: 'source-link', href: r.link, title: 'open ' + r.full + ' in VS Code' }, 'open');
          open.addEventListener('click', function (ev) { ev.stopPropagation(); });
          label.append(' ', open);
        }
        if (r.rule) {
          // the rule's explanation and fix beside its site, as the text and JSON reports have them
          var rule = el('div', { class: 'rule' });
          rule.append(el('div', { class: 'rule-title' }, (r.expected ? 'expected: ' : 'known leak: ') + r.rule));
          if (r.explain) rule.append(el('div', { class: 'rule-explain' }, r.explain));
          if (r.fix) rule.append(el('div', { class: 'rule-fix' }, 'fix: ' + r.fix));
          label.append(rule);
        }
        if (r.suppressed) label.append(el('div', { class: 'hint' }, 'suppressed by leak:' + r.suppressed));
        tr.append(label);
        tr.tabIndex = 0;
        tr.setAttribute('aria-expanded', state.open[r.rank] ? 'true' : 'false');
        function toggle() {
          state.open[r.rank] = !state.open[r.rank];
          draw();
          var again = body.querySelector('tr.row[data-rank="' + r.rank + '"]');
          if (again) again.focus();
        }
        tr.addEventListener('click', toggle);
        tr.addEventListener('keydown', function (ev) {
          if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); toggle(); }
        });
        body.append(tr);
        if (state.open[r.rank]) {
          tr.classList.add('open');
          var cell = el('td', { colspan: cols.length });
          r.groups.forEach(function (rank) {
            var box = el('div', { class: 'frames' });
            if (!group(rank)) {
              box.append(el('div', { class: 'hint' }, '(call stack ' + rank + ' of ' + count(data.summary.groups)
                + ' is not in this page: --html-rows 0 embeds every one)'));
              cell.append(box);
              return;
            }
            var lines = stackLines(group(rank));
            if (!lines.length) box.append(el('div', null, '(no callers recorded: CONFIG_HEAP_TRACING_STACK_DEPTH is 0)'));
            lines.forEach(function (l) {
              var inl = l.indexOf('(inlined by)') >= 0, shown = shortLine(inl ? l.trim() : l);
              var props = inl ? { class: 'inl' } : {};
              if (shown !== (inl ? l.trim() : l)) props.title = l.trim();
              box.append(el('div', props, shown));
            });
            cell.append(box);
          });
          var st = el('tr', { class: 'stack' });
          st.append(cell);
          body.append(st);
        }
      });
      shown.textContent = (view.length === rows.length ? count(rows.length) + ' rows'
        : count(view.length) + ' of ' + count(rows.length) + ' rows')
        + (total > rows.length ? ' (the largest of ' + count(total) + (bySite ? ' sites' : ' call stacks') + ')' : '')
        + (view.length > PAGE ? ', ' + PAGE + ' a page' : '');
      where.textContent = 'page ' + (state.page + 1) + ' of ' + pages;
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
      pager.hidden = pages < 2;
    }
    prev.addEventListener('click', function () { state.page--; draw(); });
    next.addEventListener('click', function () { state.page++; draw(); });
    var timer = 0;
    filter.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.page = 0; update(); }, 120);
    });
    update();
  }

  // ---- flame graph (icicle): root on top, outermost callers below it, the allocating call at the bottom

  // function names of a group's caller K, innermost (inline frames) first; the address where no ELF names it
  function namesOf(g, k) {
    var a = g.callers[k], f = g.frames && g.frames[k];
    if (!f || !f.in_elf || !f.frames.length) return [a];
    return f.frames.map(function (x) { return x['function'] === null ? a : x['function']; });
  }

  // per leak group (rank), how many of its innermost frames (inline frames counted) are the allocator's: those
  // inside its site's frame, as the site analysis found them with the allocator list (none without sites)
  var ALLOCATOR_FRAMES = (function () {
    var out = {};
    if (!LEAK_REPORT || !data.sites) return out;
    data.sites.list.forEach(function (s) {
      s.groups.forEach(function (rank) {
        var g = group(rank);
        if (!g) return;
        var n = 0;
        for (var k = 0; k < g.callers.length; k++) {
          var names = namesOf(g, k);
          if (g.callers[k] === s.address) {
            var at = s['function'] === null ? -1 : names.indexOf(s['function']);
            out[rank] = n + Math.max(0, at);
            return;
          }
          n += names.length;
        }
      });
    });
    return out;
  })();

  function flameTree() {
    var root = { name: 'all', value: 0, children: {}, parent: null, depth: 0 };
    var maxDepth = 0;
    // in the order the stacks were first recorded (their ids), so frames of equal weight keep one order
    data.groups.slice().sort(function (a, b) { return a.stack_id - b.stack_id; }).forEach(function (g) {
      var value = g.bytes;
      root.value += value;
      var node = root, frames = [];
      for (var i = g.callers.length - 1; i >= 0; i--) {
        var names = namesOf(g, i);
        for (var k = names.length - 1; k >= 0; k--) frames.push(names[k]);
      }
      var allocators = ALLOCATOR_FRAMES[g.rank] || 0;
      frames.forEach(function (name, j) {
        var c = node.children[name];
        if (!c) c = node.children[name] = { name: name, value: 0, children: {}, parent: node, depth: node.depth + 1 };
        if (j >= frames.length - allocators) c.allocator = true;
        c.value += value;
        node = c;
      });
      maxDepth = Math.max(maxDepth, node.depth);
    });
    // the stacks the page's cut left out: one frame with their bytes, so the top bar is still every leaked byte
    var cut = whole('groups', data.groups.length) - data.groups.length;
    if (cut > 0) {
      var rest = data.summary.leaked_bytes - root.value;
      var name = '(' + count(cut) + ' smaller call stacks, not in this page)';
      root.children[name] = { name: name, value: rest, children: {}, parent: root, depth: 1 };
      root.value += rest;
      maxDepth = Math.max(maxDepth, 1);
    }
    var keys = 0;
    (function place(n, x) {
      n.x = x;
      n.key = keys++;
      var kids = Object.keys(n.children).map(function (k) { return n.children[k]; });
      kids.sort(function (a, b) { return b.value - a.value; });
      n.kids = kids;
      kids.forEach(function (c) { place(c, x); x += c.value; });
    })(root, 0);
    return { root: root, depth: maxDepth };
  }

  function hue(name) {
    var h = 0;
    for (var i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
    return 'hsl(' + (10 + Math.abs(h) % 45) + ',75%,' + (62 + Math.abs(h >> 8) % 14) + '%)';
  }

  function flame() {
    var sec = section('flame');
    if (!data.summary.leaked_bytes) { sec.append(el('p', { class: 'hint' }, 'Nothing leaked.')); return; }
    var tree = flameTree();
    var tools = el('div', { class: 'tools' });
    var search = el('input', { type: 'search', id: 'flame-search', placeholder: 'search functions…' });
    var reset = el('button', { type: 'button', id: 'flame-reset' }, 'reset zoom');
    var info = el('span', { class: 'hint', id: 'flame-match' });
    tools.append(search, reset, info);
    var W = width(sec), H = 18;
    var g = sv('svg', { class: 'flame', id: 'flame-svg', width: W, height: (tree.depth + 1) * H + 2, viewBox: '0 0 ' + W + ' ' + ((tree.depth + 1) * H + 2) });
    sec.append(tools, el('p', { class: 'hint' }, 'Width: leaked bytes. Top: everything, then outermost callers down to the allocating call; grey: the allocator\'s own frames (below each site). Click a frame (or Tab to it and press Enter) to zoom; Escape zooms out.'), g);
    var zoom = tree.root;
    function matches(n, q) { return q && n.name.toLowerCase().indexOf(q) >= 0; }
    function draw() {
      g.textContent = '';
      var q = search.value.trim().toLowerCase();
      var scale = W / zoom.value, x0 = zoom.x;
      var matched = 0, frames = 0;
      (function walk(n, inMatch) {
        var onPath = n.x <= x0 && n.x + n.value >= x0 + zoom.value; // ancestors of the zoomed frame span it all
        var x = onPath ? 0 : (n.x - x0) * scale, w = onPath ? W : n.value * scale;
        if (w < 0.5 || x + w <= 0 || x >= W) return;
        var m = matches(n, q);
        if (m) { frames++; if (!inMatch) matched += onPath ? zoom.value : n.value; }
        var about = n.name + (n.allocator ? ' (allocator)' : '') + ': ' + count(n.value) + ' bytes (' + (100 * n.value / tree.root.value).toFixed(1) + ' %)';
        // a button for the keyboard too: Tab to a frame, Enter or Space zooms into it, Escape zooms out
        var grp = sv('g', { tabindex: 0, role: 'button', 'aria-label': about, 'data-key': n.key });
        var r = sv('rect', { x: x.toFixed(1), y: n.depth * H, width: Math.max(0.5, w - 0.5).toFixed(1), height: H - 1, fill: !n.depth ? '#c9d2de' : n.allocator ? '#d4d4d4' : hue(n.name), 'data-name': n.name });
        var cls = (n.allocator ? 'allocator' : '') + (m ? ' match' : '');
        if (cls.trim()) r.setAttribute('class', cls.trim());
        grp.append(sv('title', null, about));
        grp.append(r);
        if (w > 30) {
          var chars = Math.floor((w - 6) / 6.3);
          var label = n.depth ? n.name : 'all: ' + count(n.value) + ' bytes';
          grp.append(sv('text', { x: (x + 3).toFixed(1), y: n.depth * H + 12.5 }, label.length > chars ? label.slice(0, Math.max(0, chars - 1)) + '…' : label));
        }
        grp.addEventListener('click', function () { zoomTo(n); });
        grp.addEventListener('keydown', function (ev) {
          if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); zoomTo(n); }
        });
        g.append(grp);
        n.kids.forEach(function (c) { walk(c, inMatch || m); });
      })(tree.root, false);
      info.textContent = q ? (frames ? 'matched ' + frames + (frames === 1 ? ' frame, ' : ' frames, ') + count(matched) + ' bytes (' + (100 * matched / tree.root.value).toFixed(1) + ' %)' : 'no match') : '';
    }
    function zoomTo(n) {
      zoom = n;
      draw();
      var again = g.querySelector('g[data-key="' + n.key + '"]');
      if (again) again.focus();
    }
    g.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') zoomTo(tree.root); });
    search.addEventListener('input', draw);
    reset.addEventListener('click', function () { zoom = tree.root; draw(); });
    draw();
  }

  // ---- charts: axes, the live-bytes band, free heap, cycle bands; per-cycle bars

  function axes(g, w, h, m, xmax, ymin, ymax, xlabel) {
    var ax = sv('g', { class: 'axis' });
    for (var i = 0; i <= 4; i++) {
      var y = m.t + h - (h * i) / 4;
      ax.append(sv('line', { class: 'grid', x1: m.l, x2: m.l + w, y1: y, y2: y }));
      ax.append(sv('text', { x: m.l - 6, y: y + 4, 'text-anchor': 'end' }, bytes(Math.round(ymin + ((ymax - ymin) * i) / 4))));
    }
    for (var k = 0; xlabel && k <= 5; k++) {
      var x = m.l + (w * k) / 5;
      ax.append(sv('line', { x1: x, x2: x, y1: m.t + h, y2: m.t + h + 4 }));
      ax.append(sv('text', { x: x, y: m.t + h + 16, 'text-anchor': 'middle' }, xlabel((xmax * k) / 5)));
    }
    g.append(ax);
  }

  function chart(sec, id, title, ymin, ymax, xmax, draw) {
    var W = width(sec), m = { l: 74, r: 12, t: 10, b: 26 }, h = 170, w = W - m.l - m.r;
    var g = sv('svg', { id: id, width: W, height: h + m.t + m.b, viewBox: '0 0 ' + W + ' ' + (h + m.t + m.b) });
    sec.append(el('h3', null, title), g);
    var X = function (ns) { return (m.l + (w * ns) / Math.max(1, xmax)).toFixed(1); };
    var Y = function (v) { return (m.t + h - (h * (v - ymin)) / Math.max(1, ymax - ymin)).toFixed(1); };
    cycleBands(g, X, m.t, h);
    axes(g, w, h, m, xmax, ymin, ymax, secs);
    draw(g, X, Y);
    return g;
  }

  function cycleBands(g, X, top, h) {
    if (!data.cycles) return;
    data.cycles.list.forEach(function (c, i) {
      var start = since(c.start_ns), end = since(c.end_ns);
      if (i % 2) g.append(sv('rect', { class: 'cycleband', x: X(start), y: top, width: Math.max(0, X(end) - X(start)), height: h }));
      var line = sv('line', { class: 'marker', x1: X(start), x2: X(start), y1: top, y2: top + h });
      line.append(sv('title', null, 'cycle ' + (c.index + 1) + ': ' + c.marker));
      g.append(line);
    });
  }

  // the timeline's buckets as columns: start and end (since the first event), min, max and last live bytes
  function columns(points) {
    var t = { t: [], e: [], min: [], max: [], last: [] };
    points.forEach(function (p) {
      t.t.push(since(p.start_ns)); t.e.push(since(p.end_ns)); t.min.push(p.min); t.max.push(p.max); t.last.push(p.last);
    });
    return t;
  }

  // timed free-heap readings per series (label order), at most SAMPLE_BUCKETS drawn, each the lowest of its
  // stretch with the stretch's lowest minimum-free and smallest largest-free-block (-1: not printed); lowWater is
  // the series' lowest value of free or minimum free
  var SAMPLE_BUCKETS = 2048;
  function series(samples) {
    var byLabel = {};
    samples.forEach(function (h) {
      if (h.time_ns !== null && h.free >= 0) (byLabel[h.label] = byLabel[h.label] || []).push(h);
    });
    return Object.keys(byLabel).sort().map(function (label) {
      var list = byLabel[label], per = Math.max(1, Math.ceil(list.length / SAMPLE_BUCKETS));
      var s = { label: label, t: [], free: [], minFree: [], largest: [], lowWater: Infinity };
      for (var i = 0; i < list.length; i += per) {
        var low = list[i], minFree = low.min_free, largest = low.largest_free_block;
        for (var k = i; k < Math.min(list.length, i + per); k++) {
          var h = list[k];
          if (h.free < low.free) low = h;
          if (h.min_free >= 0) minFree = minFree < 0 ? h.min_free : Math.min(minFree, h.min_free);
          if (h.largest_free_block >= 0) largest = largest < 0 ? h.largest_free_block : Math.min(largest, h.largest_free_block);
        }
        s.t.push(since(low.time_ns)); s.free.push(low.free); s.minFree.push(minFree); s.largest.push(largest);
      }
      list.forEach(function (h) { s.lowWater = Math.min(s.lowWater, h.min_free >= 0 ? Math.min(h.min_free, h.free) : h.free); });
      return s;
    });
  }

  function timeline() {
    var sec = section('timeline');
    var t = columns(data.timeline), span = data.capture.last_ns - data.capture.first_ns;
    var samples = series(data.incidents.samples);
    if (!t.t.length && !samples.length) { sec.append(el('p', { class: 'hint' }, 'No timed heap events or free-heap readings in this capture.')); return; }
    if (t.t.length) {
      var ymax = Math.max.apply(null, t.max.concat([1]));
      chart(sec, 'live-chart', 'Live traced bytes (min–max band and last value per time bucket, ' + count(t.t.length) + ' buckets)', 0, ymax, span, function (g, X, Y) {
        var top = [], bottom = [], last = [];
        // each bucket spans its own time: the band steps over it, the last value stands at its end
        for (var i = 0; i < t.t.length; i++) {
          var end = Math.min(t.e[i], span);
          top.push(X(t.t[i]) + ',' + Y(t.max[i]), X(end) + ',' + Y(t.max[i]));
          bottom.push(X(t.t[i]) + ',' + Y(t.min[i]), X(end) + ',' + Y(t.min[i]));
          last.push(X(end) + ',' + Y(t.last[i]));
        }
        g.append(sv('polygon', { class: 'band', points: top.concat(bottom.reverse()).join(' ') }));
        g.append(sv('polyline', { class: 'lastline', points: last.join(' ') }));
        var peak = data.peaks && data.peaks.peak;
        if (peak) { // the moment the table of what held the memory is taken at
          var px = X(Math.min(span, since(peak.time_ns))), mark = sv('g', { id: 'peak-mark' });
          mark.append(sv('line', { class: 'peak', x1: px, x2: px, y1: Y(0), y2: Y(peak.live_bytes) }),
            sv('circle', { class: 'peak-dot', cx: px, cy: Y(peak.live_bytes), r: 3.5 }),
            sv('title', null, 'peak: ' + count(peak.live_bytes) + ' bytes in ' + count(peak.live_blocks) + ' blocks at ' + secs(since(peak.time_ns))));
          g.append(mark);
        }
      });
    }
    if (samples.length && span <= 0) {
      sec.append(el('p', { class: 'hint', id: 'free-untimed' }, 'The free-heap readings carry no times, so no chart can place them: their figures are in the table below.'));
    } else if (samples.length) {
      // free heap moves by a few per cent: the axis spans the readings, not zero to the top
      var fmax = 1, fmin = Infinity;
      samples.forEach(function (s) {
        fmax = Math.max(fmax, Math.max.apply(null, s.free));
        fmin = Math.min(fmin, s.lowWater, Math.min.apply(null, s.free));
        s.largest.forEach(function (v) { if (v >= 0) fmin = Math.min(fmin, v); });
      });
      var anyLargest = samples.some(function (s) { return s.largest.some(function (v) { return v >= 0; }); });
      var pad = Math.max(64, (fmax - fmin) * 0.08);
      chart(sec, 'free-chart', 'Free heap readings and low-water marks' + (anyLargest ? ', with the largest free block' : ''), Math.max(0, Math.floor(fmin - pad)), Math.ceil(fmax + pad), span, function (g, X, Y) {
        samples.forEach(function (s) {
          var free = [], low = [];
          for (var i = 0; i < s.t.length; i++) {
            free.push(X(s.t[i]) + ',' + Y(s.free[i]));
            if (s.minFree[i] >= 0) low.push(X(s.t[i]) + ',' + Y(s.minFree[i]));
          }
          var line = sv('polyline', { class: 'free', points: free.join(' ') });
          line.append(sv('title', null, s.label));
          g.append(line);
          if (s.t.length === 1) { // a line of one point is invisible
            var dot = sv('circle', { class: 'free-dot', cx: X(s.t[0]), cy: Y(s.free[0]), r: 3 });
            dot.append(sv('title', null, s.label + ': ' + bytes(s.free[0])));
            g.append(dot);
          }
          if (low.length) g.append(sv('polyline', { class: 'minfree', points: low.join(' ') }));
          var big = [];
          for (var j = 0; j < s.t.length; j++) if (s.largest[j] >= 0) big.push(X(s.t[j]) + ',' + Y(s.largest[j]));
          if (big.length) {
            var bl = sv('polyline', { class: 'largest', points: big.join(' ') });
            bl.append(sv('title', null, s.label + ': largest free block'));
            g.append(bl);
          }
          g.append(sv('line', { class: 'lowwater', x1: X(0), x2: X(span), y1: Y(s.lowWater), y2: Y(s.lowWater) }));
          g.append(sv('text', { x: X(span) - 4, y: Y(s.lowWater) - 4, 'text-anchor': 'end' }, s.label + ' low-water ' + bytes(s.lowWater)));
        });
        // each failed request at its size (at the top edge when larger than the axis): above the largest free block, it could not fit
        var top = Math.ceil(fmax + pad);
        data.summary.fragmentation.failures.forEach(function (f) {
          var dot = sv('circle', { class: 'failed-req ' + f.cause, cx: X(Math.min(span, since(f.time_ns))), cy: Y(Math.min(f.size, top)), r: 3.5 });
          dot.append(sv('title', null, 'failed: ' + count(f.size) + ' bytes at ' + secs(since(f.time_ns)) + ' (' + f.cause + ')'));
          g.append(dot);
        });
      });
    }
    var legend = [];
    if (data.peaks && data.peaks.peak && t.t.length) legend.push('Purple dot: the peak of live traced bytes (its call sites: What held the memory, below).');
    if (data.cycles) legend.push('Shaded: alternate cycles; vertical lines: cycle markers (hover for the text).');
    if (samples.length) legend.push('Green: free heap; dashed orange: minimum free heap reported by the device; dashed red: its lowest value.'
      + (anyLargest ? ' Dotted blue: the largest free block (an allocation larger than it fails, however much is free).' : '')
      + (data.summary.fragmentation.failures.length ? ' Red dots: failed allocations at their size (hover for the cause).' : ''));
    if (legend.length) sec.append(el('p', { class: 'legend' }, legend.join(' ')));
  }

  // ---- what held the memory (data.peaks): the live set at the peak, the low water and failed allocations, and
  // the stack peaks, temporary allocations and sizes; replaces the static table of the peak

  var HELD_ROWS = 50;
  // caller addresses inside the allocator, as the site analysis found them in the leak groups (none without sites)
  var ALLOCATOR_CALLERS = (function () {
    var out = {};
    if (!data.sites) return out;
    data.sites.list.forEach(function (s) {
      s.groups.forEach(function (rank) {
        var g = group(rank), k = g ? g.callers.indexOf(s.address) : -1;
        for (var i = 0; i < k; i++) out[g.callers[i]] = true;
      });
    });
    return out;
  })();
  // a call stack in a line: its first three callers outside the allocator, innermost first
  function siteName(callers) {
    var lines = data.caller_lines || {}, k = 0;
    while (k < callers.length - 1 && ALLOCATOR_CALLERS[callers[k]]) k++;
    var parts = callers.slice(k, k + 3).map(function (a) { var l = lines[a]; return l && l.length ? shortLine(l[0]) : a; });
    return parts.length ? parts.join(' < ') + (callers.length > k + 3 ? ' < …' : '') : '(no callers)';
  }
  function heldTable(id, head, rows) {
    var t = el('table', { id: id, class: 'rows' }), hr = el('tr'), body = el('tbody'), thead = el('thead');
    head.forEach(function (h) { hr.append(el('th', h[1] ? { class: 'num' } : null, h[0])); });
    thead.append(hr);
    rows.forEach(function (r) {
      var tr = el('tr');
      r.forEach(function (v, i) { tr.append(el('td', head[i][1] ? { class: 'num' } : null, v)); });
      body.append(tr);
    });
    t.append(thead, body);
    sortable(t);
    return t;
  }
  function moment(sec, id, title, m) {
    sec.append(el('h3', null, title));
    sec.append(heldTable(id, [['bytes', 1], ['share'], ['blocks', 1], ['never freed', 1], ['freed later', 1], ['region'], ['task'], ['leak'], ['call site']],
      m.sites.slice(0, HELD_ROWS).map(function (s) {
        return [count(s.bytes), (100 * s.share).toFixed(1) + ' %', count(s.blocks), s.leak_bytes === null ? '?' : count(s.leak_bytes),
          s.transient_bytes === null ? '?' : count(s.transient_bytes), s.region, s.task, s.group === null ? '' : '#' + s.group, siteName(s.callers)];
      })));
    var shown = Math.min(HELD_ROWS, m.sites.length);
    if (m.site_count > shown) sec.append(el('p', { class: 'hint' }, count(m.site_count - shown) + ' more call stacks (--format json lists them).'));
    if (!m.split_known) sec.append(el('p', { class: 'hint' }, 'Heap listings replaced the live set: which blocks were freed later is not known.'));
  }
  function held() {
    var sec = section('held'), p = data.peaks;
    if (!sec || !p || !p.peak) return;
    var old = document.getElementById('peak-sites');
    if (old) old.remove();
    var line = document.getElementById('peak-line');
    if (line) line.remove();
    moment(sec, 'peak-sites', 'At the peak of traced live bytes: ' + count(p.peak.live_bytes) + ' bytes in ' + count(p.peak.live_blocks)
      + ' blocks at ' + secs(since(p.peak.time_ns)), p.peak);
    if (p.low_water) {
      moment(sec, 'low-water-sites', 'At the lowest free heap the device reported (' + p.low_water.label + ': ' + count(p.low_water.free) + ' bytes free at '
        + secs(since(p.low_water.time_ns)) + '): traced live ' + count(p.low_water.live_bytes) + ' bytes', p.low_water);
    }
    p.failures.forEach(function (f, i) {
      moment(sec, 'failure-sites-' + (i + 1), 'At the failed allocation of ' + count(f.size) + ' bytes at ' + secs(since(f.time_ns)) + ' ('
        + siteName(f.failed_callers) + '): traced live ' + count(f.live_bytes) + ' bytes', f);
    });
    if (p.failed_allocs > p.failures.length) sec.append(el('p', { class: 'hint' }, count(p.failed_allocs - p.failures.length) + ' more failed allocations.'));
    sec.append(el('h3', null, 'Peak per call stack (the most live bytes each held at once)'));
    sec.append(heldTable('stack-peaks', [['peak bytes', 1], ['blocks', 1], ['at the end', 1], ['call site']], p.stack_peaks.slice(0, HELD_ROWS).map(function (s) {
      return [count(s.peak_bytes), count(s.peak_blocks), count(s.end_bytes), siteName(s.callers)];
    })));
    var t = p.temporary;
    sec.append(el('h3', null, 'Temporary allocations (' + t.rule + '): ' + count(t.blocks) + ' of ' + count(t.allocations) + ' allocations, ' + count(t.bytes) + ' bytes'));
    if (t.sites.length) {
      sec.append(heldTable('temporary-sites', [['temporary', 1], ['of allocations', 1], ['bytes', 1], ['call site']], t.sites.slice(0, HELD_ROWS).map(function (s) {
        return [count(s.blocks), count(s.allocations), count(s.bytes), siteName(s.callers)];
      })));
    }
    var live = {};
    p.sizes.live_at_peak.forEach(function (c) { live[c.from] = c; });
    sec.append(el('h3', null, 'Sizes: allocated over the capture, and live at the peak with what the heap spends beyond the bytes asked for'));
    sec.append(heldTable('sizes', [['size'], ['allocated', 1], ['bytes', 1], ['at peak', 1], ['bytes at peak', 1], ['overhead', 1]], p.sizes.allocated.map(function (c) {
      var l = live[c.from] || { blocks: 0, bytes: 0, overhead: 0 };
      return [c.to >= Number.MAX_SAFE_INTEGER ? c.from + '+' : c.from + '..' + c.to, count(c.blocks), count(c.bytes), count(l.blocks), count(l.bytes), count(l.overhead)];
    })));
    var cost = p.block_cost;
    sec.append(heldTable('block-cost', [['region'], ['blocks at peak', 1], ['bytes', 1], ['overhead', 1]], cost.regions.map(function (r) {
      return [r.region, count(r.blocks), count(r.bytes), count(r.overhead)];
    })));
    sec.append(el('p', { class: 'legend' }, 'Overhead: ESP-IDF\'s heap spends a ' + cost.header_bytes + '-byte header on every block, rounds sizes up to '
      + cost.align + ' bytes and gives at least ' + cost.min_block + '; heap poisoning adds more.'));
  }

  function cycles() {
    var sec = section('cycles');
    if (!sec || !data.cycles) return;
    var c = data.cycles, list = c.list, steady = c.steady_bytes_per_cycle;
    if (!list.length) { sec.append(el('p', { class: 'hint' }, 'No cycle marker matched.')); return; }
    var ymax = Math.max(1, steady, Math.max.apply(null, list.map(function (x) { return x.leaked_bytes; })));
    var W = width(sec), m = { l: 74, r: 12, t: 10, b: 26 }, h = 170, w = W - m.l - m.r;
    var g = sv('svg', { id: 'cycle-chart', width: W, height: h + m.t + m.b, viewBox: '0 0 ' + W + ' ' + (h + m.t + m.b) });
    axes(g, w, h, m, 0, 0, ymax, null);
    var bw = w / list.length, every = Math.ceil(list.length / 10);
    list.forEach(function (x, i) { // the bars are cycles: label their centres with the cycles' own numbers
      if (i % every) return;
      var cx = m.l + (i + 0.5) * bw;
      g.append(sv('text', { class: 'cycle-label', x: cx.toFixed(1), y: m.t + h + 16, 'text-anchor': 'middle' }, 'cycle ' + (x.index + 1)));
    });
    list.forEach(function (x, i) {
      var bh = (h * x.leaked_bytes) / ymax;
      var kind = i < c.warmup ? ' warmup' : i === list.length - 1 ? ' open' : '';
      var r = sv('rect', { class: 'bar' + kind, x: (m.l + i * bw + bw * 0.1).toFixed(1), y: (m.t + h - bh).toFixed(1), width: Math.max(1, bw * 0.8).toFixed(1), height: bh.toFixed(1) });
      r.append(sv('title', null, 'cycle ' + (x.index + 1) + ': ' + count(x.leaked_bytes) + ' bytes in ' + count(x.leaked_blocks) + ' blocks (' + x.marker + ')'));
      g.append(r);
    });
    if (steady >= 0) {
      var y = (m.t + h - (h * steady) / ymax).toFixed(1);
      g.append(sv('line', { class: 'steady', x1: m.l, x2: m.l + w, y1: y, y2: y }));
      g.append(sv('text', { x: m.l + w - 4, y: y - 4, 'text-anchor': 'end', id: 'steady-label' }, 'steady ' + count(steady) + ' bytes/cycle'));
    }
    var outside = [];
    if (c.before_first.leaked_blocks) outside.push(count(c.before_first.leaked_bytes) + ' bytes in ' + count(c.before_first.leaked_blocks) + ' blocks before the first marker');
    if (c.in_grace.leaked_blocks) outside.push(count(c.in_grace.leaked_bytes) + ' bytes in ' + count(c.in_grace.leaked_blocks) + ' blocks in the last --grace');
    sec.append(g, el('p', { class: 'legend' }, 'Grey: warm-up cycles (left out of the steady state); pale: the last cycle, still open when the capture ended.'
      + (outside.length ? ' In no cycle: ' + outside.join('; ') + '.' : '')));
  }

  // ---- diff: a filter over every column's sites; any table sorts by a click on its header

  function diffFilter() {
    var sec = document.getElementById('diff');
    if (!sec) return;
    var input = el('input', { type: 'search', id: 'diff-filter', placeholder: 'filter sites…', 'aria-label': 'filter sites' });
    sec.insertBefore(el('div', { class: 'tools' }), sec.querySelector('.columns')).append(input);
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase();
      sec.querySelectorAll('.column').forEach(function (col) {
        var rows = col.querySelectorAll('tbody tr'), shown = 0;
        rows.forEach(function (r) {
          var keep = !q || r.cells[0].textContent.toLowerCase().indexOf(q) >= 0;
          r.hidden = !keep;
          if (keep) shown++;
        });
        col.querySelector('.count').textContent = q ? shown + ' of ' + rows.length : String(rows.length);
      });
    });
  }

  function sortable(t) {
    var ths = t.tHead.rows[0].cells;
    Array.prototype.forEach.call(ths, function (th, i) {
      th.classList.add('sortable');
      var dir = 1;
      th.addEventListener('click', function () {
        var body = t.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var num = th.classList.contains('num');
        rows.sort(function (a, b) {
          var x = a.cells[i].textContent, y = b.cells[i].textContent;
          if (num) { x = Number(x.replace(/[,+]/g, '')); y = Number(y.replace(/[,+]/g, '')); }
          return (x < y ? -1 : x > y ? 1 : 0) * dir;
        });
        dir = -dir;
        rows.forEach(function (r) { body.append(r); });
      });
    });
  }

  try {
    if (LEAK_REPORT) {
      table();
      flame();
      timeline();
      held();
      cycles();
    } else {
      diffFilter();
      document.querySelectorAll('table.rows').forEach(sortable);
    }
  } finally {
    window.__heapscopeRendered = performance.now();
  }
})();

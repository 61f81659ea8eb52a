/**
 * The live page: plain HTML, CSS and a little JS that polls `/api/state` twice a second. No build step.
 */
export const livePage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Grantkit — live token lifecycle</title>
<style>
  :root {
    --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --muted: #6b7385; --line: #e3e6ec;
    --valid: #1f9d55; --refreshing: #2b6cb0; --acquiring: #b7791f; --backoff: #c53030; --empty: #718096;
  }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--ink); }
  header { padding: 20px 28px 8px; }
  header h1 { margin: 0; font-size: 20px; }
  header p { margin: 4px 0 0; color: var(--muted); }
  main { display: grid; grid-template-columns: minmax(340px, 380px) 1fr; gap: 16px; padding: 12px 28px 28px; }
  .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; }
  .card h2 { margin: 0 0 10px; font-size: 13px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
  #status { display: inline-block; padding: 6px 14px; border-radius: 999px; color: #fff; font-weight: 600; font-size: 22px; background: var(--empty); }
  .kv { display: grid; grid-template-columns: auto 1fr; gap: 6px 14px; margin-top: 14px; }
  .kv dt { color: var(--muted); white-space: nowrap; } .kv dd { margin: 0; font-variant-numeric: tabular-nums; font-weight: 600; overflow-wrap: anywhere; }
  .bar { height: 8px; border-radius: 4px; background: var(--line); overflow: hidden; margin-top: 12px; }
  .bar > div { height: 100%; width: 0; background: var(--valid); transition: width .2s linear; }
  .big { font-size: 34px; font-weight: 700; font-variant-numeric: tabular-nums; }
  .buttons { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 4px; }
  button { font: inherit; padding: 8px 14px; border-radius: 8px; border: 1px solid var(--line); background: #fff; cursor: pointer; }
  button:hover { border-color: var(--ink); }
  button.danger { background: #fff5f5; border-color: #feb2b2; color: var(--backoff); }
  #outage-banner { display: none; margin-top: 10px; padding: 8px 10px; border-radius: 8px; background: #fff5f5; color: var(--backoff); font-weight: 600; }
  table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
  th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); font-size: 14px; }
  th { color: var(--muted); font-weight: 500; }
  td.num, th.num { text-align: right; }
  .ok { color: var(--valid); } .bad { color: var(--backoff); font-weight: 600; }
  .pill { display: inline-block; padding: 1px 8px; border-radius: 999px; color: #fff; font-size: 12px; background: var(--empty); }
  .stack { display: grid; gap: 16px; align-content: start; }
  footer { color: var(--muted); padding: 0 28px 24px; font-size: 13px; }
</style>
</head>
<body>
<header>
  <h1>Grantkit — live token lifecycle</h1>
  <p>One call a second through fetch, ky, axios, undici, openapi-fetch, Hono, Express, Fastify, their proxies and a worker in workerd (two isolates sharing a Durable Object), against a Keycloak-compatible server on loopback. Tokens live <span id="lifetime">?</span> s.</p>
</header>
<main>
  <div class="stack">
    <section class="card">
      <h2>fetch adapter's token cache</h2>
      <span id="status" data-status="empty">empty</span>
      <div class="bar"><div id="life"></div></div>
      <dl class="kv">
        <dt>expires in</dt><dd id="expires">—</dd>
        <dt>refresh ahead in</dt><dd id="refresh">—</dd>
        <dt>next retry in</dt><dd id="retry">—</dd>
        <dt>failures</dt><dd id="failures">0</dd>
        <dt>last error</dt><dd id="last-error">—</dd>
      </dl>
    </section>
    <section class="card">
      <h2>token requests (fetch)</h2>
      <div class="big" id="token-requests">0</div>
    </section>
    <section class="card">
      <h2>try it</h2>
      <div class="buttons">
        <button id="start-outage" class="danger">start outage</button>
        <button id="end-outage">end outage</button>
        <button id="revoke">revoke token</button>
      </div>
      <div id="outage-banner">Token endpoint answering 503 — the cached token is still served until it expires.</div>
    </section>
    <section class="card">
      <h2>state transitions (fetch)</h2>
      <table><tbody id="transitions"></tbody></table>
    </section>
  </div>
  <div class="stack">
    <section class="card">
      <h2>adapters</h2>
      <table><thead><tr><th>adapter</th><th>cache</th><th class="num">calls</th><th class="num">failed</th><th class="num">token requests</th><th class="num">401 replays</th></tr></thead>
      <tbody id="adapters"></tbody></table>
    </section>
    <section class="card">
      <h2>recent calls</h2>
      <table><thead><tr><th>at</th><th>adapter</th><th>path</th><th class="num">status</th><th class="num">ms</th></tr></thead>
      <tbody id="calls"></tbody></table>
    </section>
  </div>
</main>
<footer>Polling <code>/api/state</code> every 500 ms. Nothing on this page ever shows a token or a secret.</footer>
<script>
  const colors = { valid: 'var(--valid)', refreshing: 'var(--refreshing)', acquiring: 'var(--acquiring)', backoff: 'var(--backoff)', empty: 'var(--empty)' };
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const secs = (ms) => (ms / 1000).toFixed(1) + ' s';
  const until = (t, now) => (t === undefined ? '—' : t <= now ? 'now' : secs(t - now));
  const pill = (status) => '<span class="pill" style="background:' + (colors[status] || 'var(--empty)') + '">' + esc(status) + '</span>';
  let last = null, offset = 0;

  function renderClock() {
    if (!last) return;
    const now = Date.now() + offset, s = last.state;
    $('expires').textContent = until(s.expiresAt, now);
    $('refresh').textContent = until(s.refreshAt, now);
    $('retry').textContent = until(s.retryAt, now);
    const left = s.expiresAt === undefined ? 0 : Math.max(0, s.expiresAt - now) / (last.lifetimeSeconds * 1000);
    $('life').style.width = Math.min(100, left * 100).toFixed(1) + '%';
    $('life').style.background = left < 0.25 ? 'var(--acquiring)' : 'var(--valid)';
  }

  function render(data) {
    last = data; offset = data.now - Date.now();
    const s = data.state;
    $('lifetime').textContent = data.lifetimeSeconds;
    $('status').textContent = s.status;
    $('status').dataset.status = s.status;
    $('status').style.background = colors[s.status] || 'var(--empty)';
    $('failures').textContent = s.failures;
    $('last-error').textContent = s.lastError || '—';
    $('token-requests').textContent = data.tokenRequests;
    $('outage-banner').style.display = data.outage ? 'block' : 'none';
    $('adapters').innerHTML = data.adapters.map((a) =>
      '<tr><td>' + esc(a.name) + '</td><td>' +
      (a.isolates ? a.isolates.map((i) => esc(i.name) + ' ' + pill(i.status)).join(' ') : pill(a.status)) +
      '</td><td class="num">' + a.calls + '</td><td class="num ' + (a.failed ? 'bad' : '') + '">' + a.failed +
      '</td><td class="num">' + a.tokenRequests + '</td><td class="num">' + a.replays + '</td></tr>').join('');
    $('calls').innerHTML = data.recentCalls.map((c) =>
      '<tr><td>' + secs(c.at) + '</td><td>' + esc(c.adapter) + '</td><td>' + esc(c.path) + '</td><td class="num ' +
      (c.problem ? 'bad' : 'ok') + '">' + esc(c.problem || c.status) + '</td><td class="num">' + c.ms + '</td></tr>').join('');
    $('transitions').innerHTML = data.transitions.map((t) =>
      '<tr><td>' + secs(t.at) + '</td><td>' + pill(t.from) + ' → ' + pill(t.to) + '</td></tr>').join('');
    renderClock();
  }

  async function poll() {
    try {
      const response = await fetch('/api/state', { cache: 'no-store' });
      if (response.ok) render(await response.json());
    } catch {}
  }
  const post = (path) => fetch(path, { method: 'POST' }).then(poll);
  $('start-outage').onclick = () => post('/api/outage/start');
  $('end-outage').onclick = () => post('/api/outage/end');
  $('revoke').onclick = () => post('/api/revoke');
  setInterval(poll, 500);
  setInterval(renderClock, 100);
  poll();
</script>
</body>
</html>
`;

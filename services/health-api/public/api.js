// The dashboard's one way to the API: a bearer token kept for the browser
// session (from the page's #token=… fragment, which never reaches a server
// log, or typed into the form), and fetch with it.
const KEY = 'valuepulse.token';

export function token() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(KEY);
}

export function askForToken(message) {
  const form = document.getElementById('login');
  form.hidden = false;
  form.querySelector('.message').textContent = message;
  form.onsubmit = (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, form.querySelector('input').value.trim());
    location.reload();
  };
}

export async function api(path) {
  const t = token();
  if (!t) {
    askForToken('This dashboard reads the health API: enter one of its bearer tokens (HEALTH_API_TOKENS).');
    throw new Error('no token');
  }
  const res = await fetch(path, { headers: { authorization: `Bearer ${t}` } });
  if (res.status === 401) {
    sessionStorage.removeItem(KEY);
    askForToken('The token was refused: enter one of HEALTH_API_TOKENS.');
    throw new Error('unauthorized');
  }
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status} ${body.error}: ${body.message}`);
  return body;
}

export const money = (v) => (v === null || v === undefined ? '—' : new Intl.NumberFormat('en', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(v));
export const fmt = (v, digits = 1) => (v === null || v === undefined ? '—' : typeof v === 'number' ? String(Math.round(v * 10 ** digits) / 10 ** digits) : String(v));

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('data-')) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c === null || c === undefined ? '—' : String(c)));
  return node;
}

export const tierBadge = (tier) => el('span', { class: `tier tier-${tier}` }, tier);

export function showError(err) {
  if (err.message === 'no token' || err.message === 'unauthorized') return;
  const box = document.getElementById('error');
  box.hidden = false;
  box.textContent = err.message;
}

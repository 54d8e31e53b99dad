// The page: who you are, where you are, and the workspace as localslack holds it. Every change
// arrives over server-sent events; the page then fetches what this person sees and redraws.

import { collectValues, renderBlocks } from "./blocks.js";
import { el, mrkdwn } from "./mrkdwn.js";
import { avatar, confirmDialog, fileCard } from "./parts.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const view = {
  me: params.get("user") || localStorage.getItem("procedo.user") || "",
  place: params.get("channel") || localStorage.getItem("procedo.place") || "",
  tab: "messages",
  thread: null, // { channel, ts }
};
let data = null;
let modalKey = "";
let homeAsked = "";

// -- talking to the server ------------------------------------------------------------

async function api(name, body) {
  const response = await fetch(`/api/${name}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Requested-By": "procedo" },
    body: JSON.stringify({ user: view.me, ...body }),
  });
  const answer = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
  if (!answer.ok && !answer.problems) toast(answer.error || "Something went wrong");
  return answer;
}

let loading = null, again = false, lastSeen = "";
async function refresh() {
  if (loading) { again = true; return loading; }
  loading = (async () => {
    do {
      again = false;
      const response = await fetch(`/api/state?user=${encodeURIComponent(view.me)}`);
      if (response.status === 404 && view.me) { view.me = ""; continue; }
      const fresh = await response.json();
      // Every API call bumps the version; redraw only when what this person sees changed,
      // so the DOM under a pointer (or a Playwright click) stays put.
      const seen = JSON.stringify({ ...fresh, version: 0 });
      if (seen === lastSeen && fresh.me === view.me) continue;
      lastSeen = seen;
      data = fresh;
      view.me = data.me; // with no one asked for, the server picks the first person
      render();
    } while (again);
  })().finally(() => { loading = null; });
  return loading;
}

async function start() {
  await refresh();
  const events = new EventSource("/api/events");
  events.onmessage = () => refresh();
  events.onopen = () => document.body.classList.remove("offline");
  events.onerror = () => document.body.classList.add("offline");
}

function toast(text) {
  const node = $("toast");
  node.textContent = text;
  node.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { node.hidden = true; }, 6000);
}

// -- what the renderer needs to know --------------------------------------------------

const person = (id) => data.users.find((u) => u.id === id);
const me = () => person(view.me);

function context(surface, state) {
  const viewer = me();
  return {
    me: view.me,
    tz: viewer.tz,
    locale: viewer.locale,
    zh: viewer.locale.startsWith("zh"),
    state,
    userName: (id) => person(id)?.name,
    channelName: (id) => data.channels[id]?.name,
    people: () => data.users.filter((u) => !u.is_bot && !u.deleted),
    places: () => Object.entries(data.channels).filter(([, c]) => !c.is_im).map(([id, c]) => ({ id, name: c.name })),
    fileUrl: (ref) => (ref.id ? `/files/${ref.id}/file` : ref.url || ""),
    localDateTime: (epoch) => {
      const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
        timeZone: viewer.tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
      }).formatToParts(new Date(epoch * 1000)).map((p) => [p.type, p.value]));
      return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
    },
    upload: async (file) => {
      const url = `/api/upload?user=${encodeURIComponent(view.me)}&name=${encodeURIComponent(file.name)}`;
      const answer = await (await fetch(url, { method: "POST", body: file, headers: { "X-Requested-By": "procedo" } })).json();
      return answer.file;
    },
    confirm: (dialog) => confirmDialog(dialog, context({}, {})),
    act: async (name, body, node) => {
      if (node) node.disabled = true;
      try { await api(name, { ...surface, ...body }); } finally { if (node && node.isConnected) node.disabled = false; }
    },
  };
}

// -- drawing ---------------------------------------------------------------------------

function clock(ts) {
  const viewer = me();
  return new Intl.DateTimeFormat(viewer.locale, { timeZone: viewer.tz, hour: "numeric", minute: "2-digit" })
    .format(new Date(Number(ts) * 1000));
}

function messageNode(channel, m, { inThread = false } = {}) {
  const author = m.user === "slackbot" ? { id: "slackbot", name: "Slackbot", real_name: "Slackbot", is_bot: true } : person(m.user);
  const node = el("div", "message" + (m.ephemeral ? " ephemeral" : ""));
  node.dataset.ts = m.ts;
  node.dataset.channel = channel;
  node.append(avatar(author));
  const body = el("div", "message-body");
  const head = el("div", "message-head");
  head.append(el("span", "author", author?.is_bot ? (author.real_name || author.name) : (author?.real_name || m.user)));
  if (author?.is_bot) head.append(el("span", "app-badge", "APP"));
  head.append(el("span", "time", clock(m.ts)));
  if (m.edited) head.append(el("span", "edited", "(edited)"));
  body.append(head);
  if (m.deleted) {
    body.append(el("div", "deleted", "This message was deleted."));
  } else {
    const ctx = context({ channel, ts: m.ts }, m.state);
    if (m.blocks && m.blocks.length) body.append(renderBlocks(m.blocks, ctx));
    else body.append(mrkdwn(m.text || "", ctx));
    for (const attachment of m.attachments || []) {
      const bar = el("div", "attachment");
      if (attachment.color) bar.style.borderColor = attachment.color.startsWith("#") ? attachment.color : "";
      if (attachment.blocks) bar.append(renderBlocks(attachment.blocks, ctx));
      else bar.append(mrkdwn(attachment.text || attachment.fallback || "", ctx));
      body.append(bar);
    }
    for (const file of m.files || []) body.append(fileCard(file));
  }
  if (m.ephemeral) body.append(el("div", "only-you", me().locale.startsWith("zh") ? "仅你可见" : "Only visible to you"));
  if (!inThread && m.reply_count) {
    const link = el("button", "replies", `${m.reply_count} ${m.reply_count === 1 ? "reply" : "replies"}`);
    link.type = "button";
    link.onclick = () => { view.thread = { channel, ts: m.ts }; render(); };
    body.append(link);
  } else if (!inThread && !m.ephemeral && !m.deleted) {
    const start = el("button", "reply-start", "Reply in thread");
    start.type = "button";
    start.onclick = () => { view.thread = { channel, ts: m.ts }; render(); $("thread-text").focus(); };
    body.append(start);
  }
  node.append(body);
  return node;
}

// Rebuild a part of the page only when what it shows changed.
const built = new WeakMap();
function rebuild(node, key, build) {
  const json = JSON.stringify(key);
  if (built.get(node) === json) return;
  built.set(node, json);
  build();
}

// Messages that did not change keep their DOM nodes (and whatever a person was doing there).
const drawn = new WeakMap();

function drawList(container, channel, items, options) {
  const nearBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 80;
  const before = drawn.get(container) || new Map();
  const after = new Map();
  const nodes = items.map((m) => {
    const key = `${view.me}|${channel}|${m.ts}`;
    const json = JSON.stringify([m, data.users.length]);
    const kept = before.get(key);
    const node = kept && kept.json === json ? kept.node : messageNode(channel, m, options);
    after.set(key, { json, node });
    return node;
  });
  drawn.set(container, after);
  const same = nodes.length === container.children.length && nodes.every((n, i) => container.children[i] === n);
  if (!same) container.replaceChildren(...nodes);
  if (nearBottom || !container.dataset.drawn) container.scrollTop = container.scrollHeight;
  container.dataset.drawn = "1";
}

let sidebarKey = "";

function renderSidebar() {
  const key = JSON.stringify([view.me, view.place, data.users, data.conversations]);
  if (key === sidebarKey) return;
  sidebarKey = key;
  const who = $("who");
  who.replaceChildren(...data.users.filter((u) => !u.is_bot).map((u) => {
    const option = el("option", "", `${u.real_name} (@${u.name})${u.profile ? " — " + u.profile : ""}`);
    option.value = u.id;
    option.selected = u.id === view.me;
    return option;
  }));
  const channels = data.conversations.filter((c) => !c.is_im);
  $("channels").replaceChildren(...channels.map((c) => navItem(c, "# ", c.name)));
  const dm = data.conversations.find((c) => c.is_im);
  $("apps").replaceChildren(navItem(dm, "", data.bot.name, true));
}

function unread(c) {
  return (data.messages[c.id] || []).length;
}

function navItem(c, prefix, name, app = false) {
  const li = el("li");
  const link = el("button", "nav-item" + (c.id === view.place ? " active" : ""));
  link.type = "button";
  if (app) link.append(avatar(person(data.bot.id)));
  link.append(el("span", "nav-prefix", prefix), el("span", "nav-name", name));
  link.dataset.channel = c.id;
  link.title = `${unread(c)} messages`;
  link.onclick = () => go(c.id, app ? "home" : "messages");
  li.append(link);
  return li;
}

function go(place, tab = "messages") {
  view.place = place;
  view.tab = tab;
  view.thread = null;
  localStorage.setItem("procedo.place", place);
  render();
}

function renderConversation() {
  const place = data.conversations.find((c) => c.id === view.place);
  const isApp = place.is_im;
  $("conv-title").textContent = isApp ? data.bot.name : `# ${place.name}`;
  const tabs = $("conv-tabs");
  rebuild(tabs, [isApp, view.tab], () => {
  tabs.replaceChildren();
  if (isApp) {
    for (const [tab, label] of [["home", "Home"], ["messages", "Messages"]]) {
      const button = el("button", "tab" + (view.tab === tab ? " active" : ""), label);
      button.type = "button";
      button.setAttribute("role", "tab");
      button.onclick = () => { view.tab = tab; homeAsked = ""; render(); };
      tabs.append(button);
    }
  }
  });
  const showHome = isApp && view.tab === "home";
  $("home").hidden = !showHome;
  $("messages").hidden = showHome;
  $("composer").hidden = showHome;
  $("composer-text").placeholder = isApp ? `Message ${data.bot.name}` : `Message #${place.name}`;
  if (showHome) {
    if (homeAsked !== view.me) { homeAsked = view.me; api("home", {}); }
    const home = $("home");
    rebuild(home, [view.me, data.home], () => home.replaceChildren(data.home
      ? renderBlocks(data.home.blocks, context({ view: true, home: true }, data.home.state))
      : el("div", "empty", "Loading Home…")));
    return;
  }
  const top = (data.messages[place.id] || []).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
  drawList($("messages"), place.id, top, {});
}

function renderThread() {
  const pane = $("thread");
  if (!view.thread) { pane.hidden = true; return; }
  const { channel, ts } = view.thread;
  const all = data.messages[channel] || [];
  const parent = all.find((m) => m.ts === ts);
  if (!parent) { view.thread = null; pane.hidden = true; return; }
  pane.hidden = false;
  $("thread-where").textContent = data.channels[channel]?.is_im ? data.bot.name : `#${data.channels[channel]?.name}`;
  const replies = all.filter((m) => m.thread_ts === ts && m.ts !== ts);
  drawList($("thread-messages"), channel, [parent, ...replies], { inThread: true });
}

// What was typed in the open modal's text inputs, by view id, block and action: kept across
// redraws (the app updating the view, errors coming back) until the modal closes.
const drafts = new Map();
const draftKey = (viewId, control) => `${viewId}/${control.dataset.blockId}/${control.dataset.actionId}`;
$("modal-layer").addEventListener("input", (event) => {
  const control = event.target.closest(".bk-control[data-kind='text']");
  if (control && data.modal) drafts.set(draftKey(data.modal.id, control), control.value);
});

function renderModal() {
  const layer = $("modal-layer");
  const modal = data.modal;
  if (!modal) { layer.hidden = true; layer.replaceChildren(); modalKey = ""; drafts.clear(); return; }
  const key = JSON.stringify([view.me, modal.id, modal.hash, modal.errors, modal.banner, modal.depth]);
  if (key === modalKey) return;
  modalKey = key;
  const box = el("div", "modal");
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-label", modal.title);
  const head = el("div", "modal-head");
  head.append(el("div", "modal-title", modal.title));
  const close = el("button", "icon", "✕");
  close.type = "button";
  close.setAttribute("aria-label", "Close");
  close.onclick = () => api("close", {});
  head.append(close);
  const body = el("div", "modal-body");
  if (modal.banner) body.append(el("div", "banner", modal.banner));
  body.append(renderBlocks(modal.blocks, context({ view: true }, modal.state), { errors: modal.errors, inModal: true }));
  const foot = el("div", "modal-foot");
  const cancel = el("button", "bk-button", modal.close || "Cancel");
  cancel.type = "button";
  cancel.onclick = () => api("close", {});
  foot.append(cancel);
  if (modal.submit) {
    const submit = el("button", "bk-button bk-primary", modal.submit);
    submit.type = "button";
    submit.onclick = async () => {
      submit.disabled = true;
      try { await api("submit", { values: collectValues(body) }); } finally { submit.disabled = false; }
    };
    foot.append(submit);
  }
  box.append(head, body, foot);
  layer.replaceChildren(box);
  layer.hidden = false;
  // Slack keeps what a person typed when the app updates the view with the same ids.
  for (const control of layer.querySelectorAll(".bk-control[data-kind='text']")) {
    const draft = drafts.get(draftKey(modal.id, control));
    if (draft !== undefined) control.value = draft;
  }
}

function render() {
  document.documentElement.lang = me().locale.startsWith("zh") ? "zh-CN" : "en";
  if (!data.conversations.some((c) => c.id === view.place)) {
    view.place = (data.conversations.find((c) => c.name === "general") || data.conversations[0]).id;
  }
  renderSidebar();
  renderConversation();
  renderThread();
  renderModal();
  document.body.dataset.version = data.version;
}

// -- typing ---------------------------------------------------------------------------

function send(text, thread) {
  const typed = text.trim();
  if (!typed) return Promise.resolve();
  const channel = thread ? thread.channel : view.place;
  if (typed.startsWith("/") && !thread) {
    const space = typed.indexOf(" ");
    const command = space < 0 ? typed : typed.slice(0, space);
    return api("command", { channel, command, text: space < 0 ? "" : typed.slice(space + 1) });
  }
  return api("post", { channel, text: typed, thread_ts: thread ? thread.ts : null });
}

function composer(form, area, thread) {
  const submit = async (event) => {
    event?.preventDefault();
    const text = area.value;
    area.value = "";
    await send(text, thread());
  };
  form.addEventListener("submit", submit);
  area.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) submit(event);
  });
}

composer($("composer"), $("composer-text"), () => null);
composer($("thread-composer"), $("thread-text"), () => view.thread);
$("thread-close").onclick = () => { view.thread = null; render(); };
$("who").addEventListener("change", (event) => {
  view.me = event.target.value;
  localStorage.setItem("procedo.user", view.me);
  modalKey = "";
  homeAsked = "";
  refresh();
});
document.addEventListener("click", (event) => {
  const link = event.target.closest(".channel-link");
  if (link && data.conversations.some((c) => c.id === link.dataset.channel)) go(link.dataset.channel);
});

start();

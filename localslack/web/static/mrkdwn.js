// Slack's mrkdwn as DOM nodes (never innerHTML: every string the bot sends stays text).
// Bold, italic, strike, inline and block code, quotes, links, <@U…>/<#C…> mentions, special
// mentions and <!date^…> in the viewer's timezone and language.

import { emojify } from "./emoji.js";

const ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">" };
const unescape = (s) => emojify(s.replace(/&(amp|lt|gt);/g, (m) => ENTITIES[m]));

// The earliest of these wins; formatting needs a non-word character (or nothing) before it.
const INLINE = /<([^<>\n]+)>|`([^`\n]+)`|(?<![\p{L}\p{N}_*])\*(?!\s)([^*\n]+?)\*(?![\p{L}\p{N}_])|(?<![\p{L}\p{N}_])_(?!\s)([^_\n]+?)_(?![\p{L}\p{N}])|(?<![\p{L}\p{N}_~])~(?!\s)([^~\n]+?)~(?![\p{L}\p{N}])/u;

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

function ordinal(n) {
  const s = ["th", "st", "nd", "rd"], v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
}

// One token of Slack's date formatting, in the viewer's zone; English follows Slack's wording.
function dateToken(token, when, ctx) {
  const zone = ctx.tz || "UTC";
  const lang = ctx.locale || "en-US";
  const zh = lang.startsWith("zh");
  const part = (opts) => new Intl.DateTimeFormat(lang, { timeZone: zone, ...opts }).format(when);
  const ymd = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
  const dayOf = (d) => ymd.format(d);
  const day = Number(new Intl.DateTimeFormat("en-US", { timeZone: zone, day: "numeric" }).format(when));
  const englishDate = (weekday, monthStyle) => {
    const month = new Intl.DateTimeFormat("en-US", { timeZone: zone, month: monthStyle }).format(when);
    const year = new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric" }).format(when);
    const wd = weekday ? new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "long" }).format(when) + ", " : "";
    return monthStyle === "short" ? `${wd}${month} ${day}, ${year}` : `${wd}${month} ${ordinal(day)}, ${year}`;
  };
  const pretty = (fallback) => {
    const now = new Date();
    const offsets = { [dayOf(now)]: ["today", "今天"], [dayOf(new Date(now - 864e5))]: ["yesterday", "昨天"], [dayOf(new Date(+now + 864e5))]: ["tomorrow", "明天"] };
    const hit = offsets[dayOf(when)];
    return hit ? (zh ? hit[1] : hit[0].replace(/^./, (c) => c.toUpperCase())) : fallback();
  };
  const dateIn = (weekday, monthStyle) => zh
    ? part({ year: "numeric", month: "long", day: "numeric", ...(weekday ? { weekday: "long" } : {}) })
    : englishDate(weekday, monthStyle);
  switch (token) {
    case "date_num": return dayOf(when);
    case "date": return dateIn(false, "long");
    case "date_short": return dateIn(false, "short");
    case "date_long": return dateIn(true, "long");
    case "date_pretty": return pretty(() => dateIn(false, "long"));
    case "date_short_pretty": return pretty(() => dateIn(false, "short"));
    case "date_long_pretty": return pretty(() => dateIn(true, "long"));
    case "time": return part({ hour: "numeric", minute: "2-digit" });
    case "time_secs": return part({ hour: "numeric", minute: "2-digit", second: "2-digit" });
    case "ago": {
      const minutes = Math.round((Date.now() - when) / 60000);
      const rtf = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
      if (Math.abs(minutes) < 60) return rtf.format(-minutes, "minute");
      if (Math.abs(minutes) < 1440) return rtf.format(-Math.round(minutes / 60), "hour");
      return rtf.format(-Math.round(minutes / 1440), "day");
    }
    default: return dateIn(false, "long");
  }
}

function slackDate(inner, label, ctx) {
  const [, epoch, format = "", link] = inner.split("^");
  const when = new Date(Number(epoch) * 1000);
  if (!epoch || Number.isNaN(when.getTime())) return document.createTextNode(unescape(label || inner));
  const text = format.replace(/\{(\w+)\}/g, (m, token) => dateToken(token, when, ctx));
  const node = link ? el("a", "date", text) : el("span", "date", text);
  if (link) { node.href = link; node.target = "_blank"; node.rel = "noopener"; }
  node.title = when.toISOString();
  return node;
}

function angle(inner, ctx) {
  const bar = inner.indexOf("|");
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? "" : inner.slice(bar + 1);
  if (target.startsWith("@")) {
    const id = target.slice(1);
    const name = ctx.userName(id) || label || id;
    return el("span", id === ctx.me ? "mention mention-me" : "mention", "@" + name);
  }
  if (target.startsWith("#")) {
    const id = target.slice(1);
    const node = el("span", "mention channel-link", "#" + (ctx.channelName(id) || label || id));
    node.dataset.channel = id;
    return node;
  }
  if (target.startsWith("!date^")) return slackDate(target, label, ctx);
  if (target.startsWith("!subteam^")) return el("span", "mention", label || "@" + target.slice(9));
  if (target.startsWith("!")) return el("span", "mention mention-me", "@" + target.slice(1));
  const link = el("a", "link", unescape(label || target));
  const href = unescape(target);
  if (/^(https?:|mailto:)/i.test(href)) { link.href = href; link.target = "_blank"; link.rel = "noopener noreferrer"; }
  return link;
}

function inline(text, ctx, parent) {
  let rest = text;
  while (rest) {
    const m = INLINE.exec(rest);
    if (!m) { parent.append(unescape(rest)); return; }
    if (m.index) parent.append(unescape(rest.slice(0, m.index)));
    if (m[1] !== undefined) parent.append(angle(m[1], ctx));
    else if (m[2] !== undefined) parent.append(el("code", "", unescape(m[2])));
    else {
      const tag = m[3] !== undefined ? "b" : m[4] !== undefined ? "i" : "s";
      const node = el(tag);
      inline(m[3] ?? m[4] ?? m[5], ctx, node);
      parent.append(node);
    }
    rest = rest.slice(m.index + m[0].length);
  }
}

// Lines; runs of "> " lines become quotes.
function lines(text, ctx, parent) {
  const all = text.split("\n");
  let quote = null;
  all.forEach((line, i) => {
    const quoted = /^(&gt;|>) ?/.exec(line);
    if (quoted) {
      if (!quote) { quote = el("blockquote"); parent.append(quote); } else quote.append(el("br"));
      inline(line.slice(quoted[0].length), ctx, quote);
      return;
    }
    quote = null;
    inline(line, ctx, parent);
    if (i < all.length - 1 && !(all[i + 1] && /^(&gt;|>)/.test(all[i + 1]))) parent.append(el("br"));
  });
}

export function mrkdwn(text, ctx) {
  const root = el("span", "mrkdwn");
  String(text).split(/```/).forEach((chunk, i) => {
    if (i % 2) root.append(el("pre", "", unescape(chunk.replace(/^\n|\n$/g, ""))));
    else lines(chunk, ctx, root);
  });
  return root;
}

// A text object: plain_text as typed (emoji codes aside), mrkdwn parsed.
export function textObject(obj, ctx) {
  if (!obj) return el("span");
  if (typeof obj === "string") return mrkdwn(obj, ctx);
  if (obj.type === "plain_text") return el("span", "plain", obj.emoji === false ? obj.text : emojify(obj.text));
  return mrkdwn(obj.text || "", ctx);
}

export { el };

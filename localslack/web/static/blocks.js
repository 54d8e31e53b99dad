// Block Kit as Slack draws it: messages, modals and the App Home from the same block JSON the
// bot sent. Interactive elements call ctx.act(name, body); the page turns that into the signed
// request a test would send.

import { emojify } from "./emoji.js";
import { el, mrkdwn, textObject } from "./mrkdwn.js";

const plain = (obj) => emojify((obj && obj.text) || "");

// The current state of an element, as localslack reports it in state.values.
function stateOf(ctx, block, element) {
  const forBlock = (ctx.state || {})[block.block_id] || {};
  return forBlock[element.action_id] || null;
}

function options(element) {
  if (element.options) return element.options;
  return (element.option_groups || []).flatMap((g) => g.options || []);
}

function confirmThen(confirm, ctx, go) {
  if (!confirm) return go();
  ctx.confirm(confirm).then((yes) => yes && go());
}

function button(element, block, ctx) {
  const node = el("button", "bk-button" + (element.style ? ` bk-${element.style}` : ""));
  node.append(textObject(element.text, ctx));
  node.type = "button";
  if (element.url) {
    node.addEventListener("click", () => window.open(element.url, "_blank", "noopener"));
    return node;
  }
  node.addEventListener("click", () => confirmThen(element.confirm, ctx, () =>
    ctx.act("click", { block_id: block.block_id, action_id: element.action_id }, node)));
  return node;
}

function overflow(element, block, ctx) {
  const wrap = el("span", "bk-overflow");
  const toggle = el("button", "bk-button bk-overflow-toggle", "⋯");
  toggle.type = "button";
  toggle.setAttribute("aria-label", "More actions");
  const menu = el("div", "bk-menu");
  menu.hidden = true;
  for (const option of options(element)) {
    const item = el("button", "bk-menu-item", plain(option.text));
    item.type = "button";
    item.addEventListener("click", () => {
      menu.hidden = true;
      confirmThen(element.confirm, ctx, () => ctx.act("choose",
        { block_id: block.block_id, action_id: element.action_id, value: option.value }, toggle));
    });
    menu.append(item);
  }
  toggle.addEventListener("click", () => { menu.hidden = !menu.hidden; });
  wrap.append(toggle, menu);
  return wrap;
}

// Choices for the user and conversation pickers come from the workspace itself.
function pickerChoices(kind, ctx) {
  if (kind.includes("users")) {
    return ctx.people().map((u) => ({ value: u.id, label: `${u.real_name} (@${u.name})` }));
  }
  return ctx.places().map((c) => ({ value: c.id, label: "#" + c.name }));
}

const SELECTS = new Set(["static_select", "external_select", "users_select", "conversations_select",
  "channels_select", "multi_static_select", "multi_external_select", "multi_users_select",
  "multi_conversations_select", "multi_channels_select"]);

function selectedValues(element, state) {
  const source = state || {};
  const one = source.selected_option || element.initial_option;
  const many = source.selected_options || element.initial_options;
  const id = source.selected_user || source.selected_conversation || source.selected_channel
    || element.initial_user || element.initial_conversation || element.initial_channel;
  const ids = source.selected_users || source.selected_conversations || source.selected_channels
    || element.initial_users || element.initial_conversations || element.initial_channels;
  if (state) {
    if ("selected_option" in state) return state.selected_option ? [state.selected_option.value] : [];
    if ("selected_options" in state) return (state.selected_options || []).map((o) => o.value);
  }
  if (many) return many.map((o) => o.value);
  if (one) return [one.value];
  if (ids) return ids;
  return id ? [id] : [];
}

function select(element, block, ctx, inModal) {
  const kind = element.type;
  const multi = kind.startsWith("multi_");
  const node = el("select", "bk-select");
  node.multiple = multi;
  if (multi) node.size = Math.min(6, Math.max(3, options(element).length || 5));
  const chosen = new Set(selectedValues(element, stateOf(ctx, block, element)));
  if (!multi) {
    const none = el("option", "", plain(element.placeholder) || (ctx.zh ? "请选择" : "Select an option"));
    none.value = "";
    node.append(none);
  }
  const choices = kind.includes("static") || kind.includes("external")
    ? options(element).map((o) => ({ value: o.value, label: plain(o.text) }))
    : pickerChoices(kind, ctx);
  for (const choice of choices) {
    const option = el("option", "", choice.label);
    option.value = choice.value;
    option.selected = chosen.has(choice.value);
    node.append(option);
  }
  node.dataset.kind = multi ? "list" : "one";
  node.addEventListener("change", () => {
    const value = multi ? [...node.selectedOptions].map((o) => o.value) : (node.value || null);
    // A plain input in a modal is kept by the client; the rest reach the app at once.
    if (!inModal || block.type !== "input" || block.dispatch_action) {
      ctx.act("choose", { block_id: block.block_id, action_id: element.action_id, value }, node);
    }
  });
  return node;
}

function textInput(element, block, ctx) {
  const state = stateOf(ctx, block, element);
  const node = element.multiline ? el("textarea", "bk-input") : el("input", "bk-input");
  if (!element.multiline) {
    node.type = { number_input: "number", email_text_input: "email", url_text_input: "url" }[element.type] || "text";
    if (element.type === "number_input" && element.is_decimal_allowed) node.step = "any";
  }
  if (element.multiline) node.rows = 4;
  node.placeholder = plain(element.placeholder);
  if (element.max_length) node.maxLength = element.max_length;
  const value = state && "value" in state ? state.value : element.initial_value;
  node.value = value ?? "";
  node.dataset.kind = "text";
  return node;
}

function picker(element, block, ctx, inModal) {
  const state = stateOf(ctx, block, element) || {};
  const node = el("input", "bk-input bk-picker");
  if (element.type === "datepicker") {
    node.type = "date";
    node.value = state.selected_date ?? element.initial_date ?? "";
  } else if (element.type === "timepicker") {
    node.type = "time";
    node.value = state.selected_time ?? element.initial_time ?? "";
  } else {
    node.type = "datetime-local";
    const epoch = state.selected_date_time ?? element.initial_date_time;
    node.value = epoch ? ctx.localDateTime(epoch) : "";
  }
  node.dataset.kind = "text";
  node.addEventListener("change", () => {
    if (!inModal || block.type !== "input" || block.dispatch_action) {
      ctx.act("choose", { block_id: block.block_id, action_id: element.action_id, value: node.value || null }, node);
    }
  });
  return node;
}

function choices(element, block, ctx, inModal) {
  const wrap = el("div", "bk-choices");
  const state = stateOf(ctx, block, element);
  const chosen = new Set(selectedValues(element, state));
  const radio = element.type === "radio_buttons";
  const name = `${block.block_id}:${element.action_id}`;
  for (const option of options(element)) {
    const label = el("label", "bk-choice");
    const box = el("input");
    box.type = radio ? "radio" : "checkbox";
    box.name = name;
    box.value = option.value;
    box.checked = chosen.has(option.value);
    label.append(box, textObject(option.text, ctx));
    if (option.description) label.append(el("span", "bk-choice-note", plain(option.description)));
    wrap.append(label);
  }
  wrap.dataset.kind = radio ? "radio" : "checks";
  wrap.addEventListener("change", () => {
    if (inModal && block.type === "input" && !block.dispatch_action) return;
    const picked = [...wrap.querySelectorAll("input:checked")].map((b) => b.value);
    ctx.act("choose", { block_id: block.block_id, action_id: element.action_id, value: radio ? picked[0] : picked }, wrap);
  });
  return wrap;
}

function fileInput(element, block, ctx) {
  const wrap = el("div", "bk-file-input");
  const input = el("input");
  input.type = "file";
  input.multiple = (element.max_files || 10) > 1;
  if (element.filetypes) input.accept = element.filetypes.map((t) => "." + t).join(",");
  const list = el("div", "bk-file-list");
  wrap.dataset.kind = "files";
  wrap.dataset.files = "[]";
  input.addEventListener("change", async () => {
    const ids = [];
    for (const file of input.files) ids.push(await ctx.upload(file));
    wrap.dataset.files = JSON.stringify(ids);
    list.textContent = [...input.files].map((f) => f.name).join(", ");
  });
  wrap.append(input, list);
  return wrap;
}

export function element(element, block, ctx, inModal = false) {
  const kind = element.type;
  if (kind === "button") return button(element, block, ctx);
  if (kind === "overflow") return overflow(element, block, ctx);
  if (SELECTS.has(kind)) return select(element, block, ctx, inModal);
  if (["plain_text_input", "number_input", "email_text_input", "url_text_input", "rich_text_input"].includes(kind)) {
    return textInput(element, block, ctx);
  }
  if (["datepicker", "timepicker", "datetimepicker"].includes(kind)) return picker(element, block, ctx, inModal);
  if (kind === "checkboxes" || kind === "radio_buttons") return choices(element, block, ctx, inModal);
  if (kind === "file_input") return fileInput(element, block, ctx);
  if (kind === "image") return image(element, ctx, "bk-accessory-image");
  return el("span", "bk-unknown", `[${kind}]`);
}

function image(obj, ctx, cls) {
  const node = el("img", cls);
  node.alt = obj.alt_text || "";
  node.src = obj.image_url || (obj.slack_file ? ctx.fileUrl(obj.slack_file) : "");
  node.loading = "lazy";
  return node;
}

function richText(block, ctx) {
  const root = el("div", "bk-rich");
  const inlineNodes = (elements, parent) => {
    for (const item of elements || []) {
      let node;
      if (item.type === "text") node = document.createTextNode(item.text);
      else if (item.type === "link") { node = el("a", "link", item.text || item.url); node.href = item.url; node.target = "_blank"; node.rel = "noopener noreferrer"; }
      else if (item.type === "user") node = el("span", "mention", "@" + (ctx.userName(item.user_id) || item.user_id));
      else if (item.type === "channel") node = el("span", "mention", "#" + (ctx.channelName(item.channel_id) || item.channel_id));
      else if (item.type === "emoji") node = document.createTextNode(item.unicode ? String.fromCodePoint(...item.unicode.split("-").map((h) => parseInt(h, 16))) : `:${item.name}:`);
      else if (item.type === "date") node = mrkdwn(`<!date^${item.timestamp}^${item.format}|${item.fallback || ""}>`, ctx);
      else node = document.createTextNode(item.text || "");
      const style = item.style || {};
      for (const [flag, tag] of [["code", "code"], ["bold", "b"], ["italic", "i"], ["strike", "s"]]) {
        if (style[flag]) { const wrap = el(tag); wrap.append(node); node = wrap; }
      }
      parent.append(node);
    }
  };
  for (const part of block.elements || []) {
    if (part.type === "rich_text_section") { const p = el("div"); inlineNodes(part.elements, p); root.append(p); }
    else if (part.type === "rich_text_preformatted") { const p = el("pre"); inlineNodes(part.elements, p); root.append(p); }
    else if (part.type === "rich_text_quote") { const p = el("blockquote"); inlineNodes(part.elements, p); root.append(p); }
    else if (part.type === "rich_text_list") {
      const list = el(part.style === "ordered" ? "ol" : "ul");
      for (const item of part.elements || []) { const li = el("li"); inlineNodes(item.elements, li); list.append(li); }
      root.append(list);
    }
  }
  return root;
}

function inputBlock(block, ctx, errors) {
  const node = el("div", "bk-input-block");
  const label = el("label", "bk-label", plain(block.label));
  if (block.optional) label.append(el("span", "bk-optional", ctx.zh ? "（可选）" : " (optional)"));
  node.append(label);
  const control = element(block.element, block, ctx, true);
  control.classList.add("bk-control");
  control.dataset.blockId = block.block_id;
  control.dataset.actionId = block.element.action_id;
  const id = `in-${block.block_id}`;
  control.id = id;
  label.htmlFor = id;
  node.append(control);
  if (block.hint) node.append(el("div", "bk-hint", plain(block.hint)));
  const error = errors[block.block_id];
  if (error) {
    node.classList.add("has-error");
    const note = el("div", "bk-error", error);
    note.setAttribute("role", "alert");
    node.append(note);
  }
  return node;
}

export function renderBlocks(blocks, ctx, { errors = {}, inModal = false } = {}) {
  const root = el("div", "blocks");
  for (const block of blocks || []) {
    let node;
    switch (block.type) {
      case "header":
        node = el("div", "bk-header", plain(block.text));
        break;
      case "section": {
        node = el("div", "bk-section");
        const body = el("div", "bk-section-body");
        if (block.text) body.append(textObject(block.text, ctx));
        if (block.fields) {
          const grid = el("div", "bk-fields");
          for (const field of block.fields) { const cell = el("div", "bk-field"); cell.append(textObject(field, ctx)); grid.append(cell); }
          body.append(grid);
        }
        node.append(body);
        if (block.accessory) {
          const side = el("div", "bk-accessory");
          side.append(element(block.accessory, block, ctx, inModal));
          node.append(side);
        }
        break;
      }
      case "context":
        node = el("div", "bk-context");
        for (const item of block.elements || []) {
          node.append(item.type === "image" ? image(item, ctx, "bk-context-image") : textObject(item, ctx));
        }
        break;
      case "divider":
        node = el("hr", "bk-divider");
        break;
      case "actions":
        node = el("div", "bk-actions");
        for (const item of block.elements || []) node.append(element(item, block, ctx, inModal));
        break;
      case "image":
        node = el("figure", "bk-image");
        if (block.title) node.append(el("figcaption", "", plain(block.title)));
        node.append(image(block, ctx, ""));
        break;
      case "input":
        node = inputBlock(block, ctx, errors);
        break;
      case "rich_text":
        node = richText(block, ctx);
        break;
      case "file":
        node = el("div", "bk-context", `[file ${block.external_id || ""}]`);
        break;
      default:
        node = el("div", "bk-unknown", `[${block.type}]`);
    }
    if (block.block_id) node.dataset.blockId = block.block_id;
    root.append(node);
  }
  return root;
}

// What each input of a modal holds now, as the page sends it back on submit.
export function collectValues(root) {
  const values = {};
  for (const control of root.querySelectorAll(".bk-control")) {
    const block = control.dataset.blockId;
    const kind = control.dataset.kind;
    if (kind === "text" || kind === "one") values[block] = control.value === "" ? null : control.value;
    else if (kind === "list") values[block] = [...control.selectedOptions].map((o) => o.value);
    else if (kind === "files") values[block] = JSON.parse(control.dataset.files || "[]");
    else if (kind === "checks") values[block] = [...control.querySelectorAll("input:checked")].map((b) => b.value);
    else if (kind === "radio") values[block] = control.querySelector("input:checked")?.value ?? null;
  }
  return values;
}

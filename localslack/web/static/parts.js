// Small pieces of the page that need nothing but their input: avatars, file cards, and the
// confirm dialog a button may ask for.

import { el, mrkdwn } from "./mrkdwn.js";

export function avatar(user) {
  const node = el("div", "avatar" + (user?.is_bot ? " bot" : ""), (user?.real_name || user?.name || "?").slice(0, 1).toUpperCase());
  const hue = [...(user?.id || "x")].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  if (!user?.is_bot) node.style.background = `hsl(${hue} 45% 42%)`;
  return node;
}

export function fileCard(file) {
  const card = el("div", "file-card");
  if (file.missing) { card.append(el("span", "file-name", file.name)); return card; }
  if ((file.mimetype || "").startsWith("image/")) {
    const img = el("img", "file-preview");
    img.src = file.url;
    img.alt = file.title || file.name;
    card.append(img);
  }
  const row = el("div", "file-row");
  const kind = el("span", "file-kind", (file.name.split(".").pop() || "file").toUpperCase());
  const link = el("a", "file-name", file.name);
  link.href = `${file.url}?download=1`;
  link.setAttribute("download", file.name);
  row.append(kind, link, el("span", "file-size", `${Math.max(1, Math.round(file.size / 1024))} KB`));
  card.append(row);
  return card;
}

export function confirmDialog(dialog, ctx) {
  return new Promise((resolve) => {
    const layer = el("div", "confirm-layer");
    const box = el("div", "modal confirm");
    box.setAttribute("role", "alertdialog");
    box.append(el("div", "modal-title", dialog.title?.text || "Are you sure?"));
    const body = el("div", "modal-body");
    body.append(mrkdwn(dialog.text?.text || "", ctx));
    const foot = el("div", "modal-foot");
    const no = el("button", "bk-button", dialog.deny?.text || "Cancel");
    const yes = el("button", `bk-button ${dialog.style === "danger" ? "bk-danger" : "bk-primary"}`, dialog.confirm?.text || "Yes");
    const done = (answer) => { layer.remove(); resolve(answer); };
    no.onclick = () => done(false);
    yes.onclick = () => done(true);
    foot.append(no, yes);
    box.append(body, foot);
    layer.append(box);
    document.body.append(layer);
  });
}

// Tiny DOM helpers shared by the Calm players (no framework, no build step).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c != null) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function button(label, onclick, cls = "calm-btn") {
  return h("button", { type: "button", class: cls, onclick }, label);
}

export function screen(root, ...children) {
  root.replaceChildren(...children);
  const focus = root.querySelector("h1, h2, h3, [data-focus]");
  if (focus) {
    focus.setAttribute("tabindex", "-1");
    focus.focus({ preventScroll: false });
  }
}

export function reducedMotion() {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

export function mmss(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
